use std::collections::BTreeSet;

use super::*;

fn keys_of(ftl: &str) -> BTreeSet<String> {
    ftl.lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('-'))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
        .filter(|k| !k.is_empty())
        .collect()
}

/// Keys of every .ftl file of one language (fluent-templates loads them all).
fn keys_of_language(dir: &str) -> BTreeSet<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/i18n/locales")
        .join(dir);
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(path).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ftl") {
            keys.extend(keys_of(&std::fs::read_to_string(path).unwrap()));
        }
    }
    keys
}

fn en_keys() -> BTreeSet<String> {
    keys_of_language("en-US")
}

fn zh_keys() -> BTreeSet<String> {
    keys_of_language("zh-TW")
}

#[test]
fn both_languages_have_the_same_keys() {
    let en = en_keys();
    let zh = zh_keys();
    let missing_zh: Vec<_> = en.difference(&zh).collect();
    let missing_en: Vec<_> = zh.difference(&en).collect();
    assert!(missing_zh.is_empty(), "missing in zh-TW: {missing_zh:?}");
    assert!(missing_en.is_empty(), "missing in en-US: {missing_en:?}");
    assert!(en.len() > 50);
}

/// Every key the code and templates ask for exists in both files.
#[test]
fn every_key_used_in_code_and_templates_exists() {
    let en = en_keys();
    let zh = zh_keys();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = BTreeSet::new();
    let mut stack = vec![root.join("src"), root.join("templates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "html" || e == "txt")
                && !path.ends_with("i18n/tests.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                collect_keys(&text, &mut used);
            }
        }
    }
    let missing: Vec<_> = used.iter().filter(|k| !en.contains(*k) || !zh.contains(*k)).collect();
    assert!(missing.is_empty(), "keys used but not translated: {missing:?}");
    assert!(
        used.len() > 50,
        "found only {} keys: is the scanner broken?",
        used.len()
    );
}

/// Finds string literals that look like message keys passed to the translator or to FieldError.
fn collect_keys(text: &str, out: &mut BTreeSet<String>) {
    for marker in [
        "t.get(\"",
        "t.arg(\"",
        "t.args(\"",
        "FieldError::new(\"",
        "key: \"",
        "tr_key(\"",
        "Flash::new(\"",
    ] {
        let mut rest = text;
        while let Some(pos) = rest.find(marker) {
            rest = &rest[pos + marker.len()..];
            if let Some(end) = rest.find('"') {
                let key = &rest[..end];
                if !key.is_empty()
                    && key
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
                {
                    out.insert(key.to_string());
                }
            }
        }
    }
    // Keys built in code are listed in comments (`i18n-key` then the keys) next to where they are made.
    for line in text.lines() {
        if let Some(pos) = line.find("i18n-key:") {
            for key in line[pos + 9..].split_whitespace() {
                let key = key.trim_matches(|c: char| c == ',' || c == '.');
                if key.contains('-') && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                    out.insert(key.to_string());
                }
            }
        }
    }
}

#[test]
fn negotiates_accept_language() {
    assert_eq!(Lang::negotiate("zh-TW,zh;q=0.9,en-US;q=0.8"), Lang::ZhTw);
    assert_eq!(Lang::negotiate("en-US,en;q=0.9,zh-TW;q=0.8"), Lang::En);
    assert_eq!(Lang::negotiate("de-DE,de;q=0.9"), Lang::En);
    assert_eq!(Lang::negotiate("zh-Hant-HK"), Lang::ZhTw);
    assert_eq!(Lang::negotiate("zh-CN,en;q=0.5"), Lang::En);
    assert_eq!(Lang::negotiate(""), Lang::En);
}

#[test]
fn translates_with_arguments_and_without_isolation_marks() {
    let en = Tr::new(Lang::En);
    let zh = Tr::new(Lang::ZhTw);
    assert_eq!(en.get("nav-dashboard"), "Dashboard");
    assert_eq!(zh.get("nav-dashboard"), "儀表板");
    let text = en.arg("err-domain-taken", "value", "contoso.com");
    assert!(text.contains("contoso.com") && !text.contains('\u{2068}'), "{text}");
}

#[test]
fn formats_numbers_and_dates_per_language() {
    let en = Tr::new(Lang::En);
    let zh = Tr::new(Lang::ZhTw);
    assert_eq!(en.num(1234567), "1,234,567");
    assert_eq!(en.num(-1000), "-1,000");
    assert_eq!(en.num(12), "12");
    let at = DateTime::parse_from_rfc3339("2026-11-05T08:07:00Z")
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(en.date(&at), "Nov 5, 2026");
    assert_eq!(zh.date(&at), "2026年11月5日");
    assert_eq!(zh.datetime(&at), "2026年11月5日 08:07 UTC");
}

#[test]
fn countries_sort_by_name_in_the_page_language() {
    let en = Tr::new(Lang::En).countries();
    assert_eq!(en.len(), 249);
    assert_eq!(en[0].1, "Afghanistan");
    assert_eq!(Tr::new(Lang::ZhTw).country_name("TW"), "台灣");
}

#[test]
fn a_message_resolved_once_for_many_rows_reads_as_one_looked_up_for_each() {
    for lang in [Lang::En, Lang::ZhTw] {
        let t = Tr::new(lang);
        let select = t.one_arg("select-user", "name");
        for name in ["Anna Lee", "陳美玲", "2024", "007", "<b>&", "", "a { $name } b"] {
            assert_eq!(select.with(name), t.arg("select-user", "name", name), "{name:?}");
        }
        let unknown = t.one_arg("no-such-key", "name");
        assert_eq!(unknown.with("x"), t.arg("no-such-key", "name", "x"));
    }
}

#[test]
fn texts_are_kept_once_looked_up_and_unknown_keys_are_not_kept() {
    let t = Tr::new(Lang::ZhTw);
    assert_eq!(t.get("nav-staff"), t.get("nav-staff"));
    assert_eq!(t.get("nav-staff"), LOCALES.try_lookup(&ZH_TW, "nav-staff").unwrap());
    let kept = RESOLVED[Lang::ZhTw as usize].read().unwrap().len();
    for n in 0..100 {
        assert_eq!(t.get(&format!("no-such-key-{n}")), format!("no-such-key-{n}"));
    }
    assert_eq!(RESOLVED[Lang::ZhTw as usize].read().unwrap().len(), kept);
}

#[test]
fn counts_in_error_messages_have_thousands_separators_and_values_do_not() {
    let t = Tr::new(Lang::En);
    let too_many = FieldError::new("import-err-too-many-rows")
        .with("count", 200_001)
        .with("max", 200_000);
    assert_eq!(
        t.error(&too_many),
        "The file has 200,001 users; at most 200,000 can be imported at once. Split the file."
    );
    let unknown = FieldError::new("err-country-unknown").with("value", "12345");
    assert!(t.error(&unknown).contains("12345"), "{}", t.error(&unknown));
}

/// The messages of one language, key and value, from its .ftl files (a value's following
/// indented lines included).
fn messages_of_language(dir: &str) -> Vec<(String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/i18n/locales")
        .join(dir);
    let mut messages: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(path).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ftl") {
            continue;
        }
        for line in std::fs::read_to_string(path).unwrap().lines() {
            if line.starts_with(' ') {
                if let Some((_, value)) = messages.last_mut() {
                    value.push('\n');
                    value.push_str(line);
                }
            } else if !line.starts_with('#') {
                if let Some((key, value)) = line.split_once(" = ") {
                    messages.push((key.trim().to_string(), value.to_string()));
                }
            }
        }
    }
    messages
}

/// The `{ $name }` arguments a message uses.
fn arguments_of(value: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = value;
    while let Some(pos) = rest.find('$') {
        rest = &rest[pos + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        names.insert(name);
    }
    names
}

/// The things PartnerDesk counts, in the plural.
const COUNTED: [&str; 24] = [
    "users",
    "seats",
    "characters",
    "licenses",
    "seconds",
    "attempts",
    "addresses",
    "sessions",
    "codes",
    "rows",
    "problems",
    "days",
    "minutes",
    "hours",
    "files",
    "domains",
    "customers",
    "subscriptions",
    "members",
    "passwords",
    "entries",
    "products",
    "apps",
    "columns",
];

/// "1 users" is never written: every English message that counts gives the singular its own
/// words (Fluent plurals), checked by drawing each with every argument set to 1.
#[test]
fn english_never_says_one_with_a_plural_noun() {
    let en = Tr::new(Lang::En);
    let mut wrong = Vec::new();
    for (key, value) in messages_of_language("en-US") {
        let names = arguments_of(&value);
        let args: Vec<(&str, String)> = names.iter().map(|n| (n.as_str(), "1".to_string())).collect();
        let text = en.args(&key, &args);
        let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
        for pair in words.windows(2) {
            if pair[0] == "1" && COUNTED.contains(&pair[1]) {
                wrong.push(format!("{key}: {text}"));
            }
        }
    }
    assert!(wrong.is_empty(), "one with a plural noun:\n{}", wrong.join("\n"));
}

/// Traditional Chinese uses full-width punctuation next to Chinese text (「預設使用位置：台灣」),
/// never a half-width `:` `,` `(` or `)` beside a Chinese character.
#[test]
fn chinese_uses_full_width_punctuation_next_to_chinese() {
    let is_cjk = |c: char| matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}');
    let mut wrong = Vec::new();
    for (key, value) in messages_of_language("zh-TW") {
        let chars: Vec<char> = value.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if !matches!(c, ':' | ',' | '(' | ')') {
                continue;
            }
            let before = chars[..i].iter().rev().find(|c| **c != ' ').copied();
            let after = chars[i + 1..].iter().find(|c| **c != ' ').copied();
            if before.is_some_and(is_cjk) || after.is_some_and(is_cjk) {
                wrong.push(format!("{key}: {value}"));
                break;
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "half-width punctuation beside Chinese:\n{}",
        wrong.join("\n")
    );
}
