//! Email addresses typed by staff (sign-in, sending credentials).

use super::FieldError;

/// Shape check only: `local@domain.tld`, no spaces or control characters, at most 254 bytes.
pub fn looks_like_email(email: &str) -> bool {
    let email = email.trim();
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
                && email.len() <= 254
        }
        None => false,
    }
}

pub const MAX_RECIPIENTS: usize = 20;

/// Reads a list of addresses separated by commas, semicolons, spaces or lines.
pub fn parse_recipients(raw: &str) -> Result<Vec<String>, FieldError> {
    let list: Vec<String> = raw
        .split([',', ';', '\n', '\r', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if list.is_empty() {
        return Err(FieldError::new("err-required"));
    }
    if let Some(bad) = list.iter().find(|e| !looks_like_email(e)) {
        return Err(FieldError::new("err-email-invalid").with("value", bad));
    }
    if list.len() > MAX_RECIPIENTS {
        return Err(FieldError::new("err-email-too-many").with("max", MAX_RECIPIENTS));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shape() {
        assert!(looks_like_email("anna@northwind.example"));
        assert!(!looks_like_email("anna"));
        assert!(!looks_like_email("anna@localhost"));
        assert!(!looks_like_email("an na@x.com"));
        assert!(!looks_like_email("a@b@c.com"));
    }

    #[test]
    fn recipients_in_any_separator() {
        assert_eq!(parse_recipients("a@x.com; b@y.org,\nc@z.tw").unwrap().len(), 3);
        assert_eq!(parse_recipients("a@x.com, nope").unwrap_err().key, "err-email-invalid");
        assert_eq!(parse_recipients("  ").unwrap_err().key, "err-required");
    }
}
