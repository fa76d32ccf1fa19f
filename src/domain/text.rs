//! Rules shared by every free-text name: trimmed, no control characters, a length cap.

use super::FieldError;

/// Trims `raw` and checks it holds no control characters and at most `max` characters.
/// Empty input gives `Ok("")`: whether a value is required is the caller's rule.
pub fn clean_name(raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.chars().any(char::is_control) {
        return Err(FieldError::new("err-control-chars").with("value", value.escape_debug()));
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
