//! Rules shared by every free-text name: trimmed, no control characters, no invisible
//! characters that disguise a name, a length cap. The Add user form, the edit form and the
//! .csv import all check names here (through `person`), and company names too.

use std::fmt::Write;

use super::FieldError;

/// A cell with line breaks in it (Alt+Enter in Excel) as one line: each break, with the spaces
/// around it, becomes one space. `None` when the cell has no line break.
pub fn join_lines(value: &str) -> Option<String> {
    if !value.contains(['\r', '\n']) {
        return None;
    }
    let parts: Vec<&str> = value
        .split(['\r', '\n'])
        .map(|p| p.trim_matches([' ', '\t']))
        .filter(|p| !p.is_empty())
        .collect();
    Some(parts.join(" "))
}

/// Whether a value is written (partly) in Chinese characters, so the page can mark it
/// `lang="zh-Hant"` for Chinese glyphs and line breaking, whatever the page's language.
pub fn has_han(value: &str) -> bool {
    value
        .chars()
        .any(|c| matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}'))
}

/// Characters refused in names although they are not control characters (`char::is_control`
/// covers only Cc, these are Cf, Zl and Zp): the bidi embeddings and overrides (U+202A–202E)
/// and isolates (U+2066–2069), which make a name show reversed or as another ("Trojan
/// Source"); the zero-width space U+200B and the zero-width no-break space / byte order mark
/// U+FEFF, which make two names that look the same differ; and the line and paragraph
/// separators U+2028 and U+2029, which break a name over lines. The zero-width non-joiner and
/// joiner (U+200C, U+200D) are kept: Persian and Indic names need them to be spelled right.
pub fn is_refused_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{FEFF}' | '\u{2028}' | '\u{2029}'
    )
}

/// `value` with each refused invisible character written as its code point in brackets
/// (`Anna[U+202E]eeL`), so a page or a report can show where it is instead of obeying it.
pub fn show_invisible(value: &str) -> String {
    let mut shown = String::with_capacity(value.len());
    for c in value.chars() {
        if is_refused_invisible(c) {
            let _ = write!(shown, "[{}]", code_point(c));
        } else {
            shown.push(c);
        }
    }
    shown
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Trims `raw` and checks it holds no control characters, none of the invisible characters of
/// [`is_refused_invisible`] and at most `max` characters.
/// Empty input gives `Ok("")`: whether a value is required is the caller's rule.
pub fn clean_name(raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.chars().any(char::is_control) {
        return Err(FieldError::new("err-control-chars").with("value", value.escape_debug()));
    }
    if let Some(c) = value.chars().find(|c| is_refused_invisible(*c)) {
        return Err(FieldError::new("err-invisible-char")
            .with("value", show_invisible(value))
            .with("char", code_point(c)));
    }
    let count = value.chars().count();
    if count > max {
        return Err(FieldError::new("err-too-long").with("max", max).with("count", count));
    }
    Ok(value.to_string())
}

/// Like [`clean_name`] but the value may not be empty.
pub fn required_name(raw: &str, max: usize) -> Result<String, FieldError> {
    let value = clean_name(raw, max)?;
    if value.is_empty() {
        return Err(FieldError::new("err-required"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_in_a_cell_become_one_space() {
        assert_eq!(join_lines("陳\n美玲"), Some("陳 美玲".into()));
        assert_eq!(join_lines("Anna \r\n Lee"), Some("Anna Lee".into()));
        assert_eq!(join_lines("Anna\n\n\nLee\n"), Some("Anna Lee".into()));
        assert_eq!(join_lines("Anna Lee"), None);
    }

    #[test]
    fn finds_chinese_characters() {
        assert!(has_han("陳美玲") && has_han("Anna 陳") && has_han("𠮷"));
        assert!(!has_han("Anna Lee") && !has_han("Müller") && !has_han(""));
    }

    #[test]
    fn trims_surrounding_spaces() {
        assert_eq!(clean_name("  王小明 ", 64).unwrap(), "王小明");
    }

    #[test]
    fn keeps_any_unicode() {
        assert_eq!(clean_name("Zoë Müller-Łukasz", 64).unwrap(), "Zoë Müller-Łukasz");
        assert_eq!(clean_name("שלום", 64).unwrap(), "שלום");
    }

    #[test]
    fn rejects_control_characters() {
        assert_eq!(clean_name("a\u{7}b", 64).unwrap_err().key, "err-control-chars");
        assert_eq!(clean_name("a\nb", 64).unwrap_err().key, "err-control-chars");
    }

    #[test]
    fn rejects_bidi_controls_and_says_which_and_where() {
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            let err = clean_name(&format!("Anna{c}Lee"), 64).unwrap_err();
            assert_eq!(err.key, "err-invisible-char", "{:04X}", u32::from(c));
        }
        let err = clean_name("Anna\u{202E}eeL", 64).unwrap_err();
        assert_eq!(
            err.args,
            [("value", "Anna[U+202E]eeL".to_string()), ("char", "U+202E".to_string())]
        );
    }

    #[test]
    fn rejects_zero_width_space_bom_and_line_separators_inside_a_name() {
        for c in ['\u{200B}', '\u{FEFF}', '\u{2028}', '\u{2029}'] {
            let err = clean_name(&format!("Anna{c}Lee"), 64).unwrap_err();
            assert_eq!(err.key, "err-invisible-char", "{:04X}", u32::from(c));
        }
        assert_eq!(
            clean_name("\u{FEFF}Anna", 64).unwrap_err().key,
            "err-invisible-char",
            "a byte order mark is not trimmed away"
        );
        assert_eq!(
            clean_name("Anna\u{200B}", 64).unwrap_err().key,
            "err-invisible-char",
            "nor a trailing zero-width space"
        );
    }

    #[test]
    fn keeps_the_joiners_persian_and_indic_names_need() {
        // Alireza in Persian is written with a zero-width non-joiner between its two parts.
        assert_eq!(clean_name("علی\u{200C}رضا", 64).unwrap(), "علی\u{200C}رضا");
        // A Devanagari half form made with the zero-width joiner.
        assert_eq!(clean_name("क्\u{200D}ष", 64).unwrap(), "क्\u{200D}ष");
    }

    #[test]
    fn shows_only_the_refused_characters() {
        assert_eq!(show_invisible("a\u{200B}b\u{200C}c"), "a[U+200B]b\u{200C}c");
        assert_eq!(show_invisible("王小明"), "王小明");
    }

    #[test]
    fn counts_characters_not_bytes() {
        let sixty_four = "名".repeat(64);
        assert!(clean_name(&sixty_four, 64).is_ok());
        let err = clean_name(&format!("{sixty_four}名"), 64).unwrap_err();
        assert_eq!(err.key, "err-too-long");
    }

    #[test]
    fn required_refuses_blank() {
        assert_eq!(required_name("   ", 10).unwrap_err().key, "err-required");
    }
}
