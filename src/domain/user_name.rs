//! User names `alias@domain`: the rules of DOMAIN.md "User names", shared by the Add user
//! form, the edit form, restore-under-a-new-name and the CSV importer.

use super::FieldError;

/// i18n-key: err-user-name-bad-char err-user-name-leading-period err-user-name-double-period err-user-name-period-before-at err-user-name-alias-long err-user-name-domain-long err-user-name-long err-user-name-unknown-domain
pub const MAX_ALIAS: usize = 64;
pub const MAX_DOMAIN: usize = 48;
pub const MAX_TOTAL: usize = 113;

/// A checked user name. Shown as typed; compared in lower case (`key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName {
    alias: String,
    domain: String,
}

fn alias_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '\'' | '.' | '-' | '_' | '!' | '#' | '^' | '~')
}

impl UserName {
    /// Parses a whole `alias@domain` against the customer's domains.
    pub fn parse(raw: &str, customer_domains: &[String]) -> Result<Self, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::new("err-required"));
        }
        let Some((alias, domain)) = value.rsplit_once('@') else {
            return Err(FieldError::new("err-user-name-no-at").with("value", value));
        };
        Self::from_parts(alias, domain, customer_domains).map_err(|e| match e.args.iter().any(|(n, _)| *n == "value") {
            true => e,
            false => e.with("value", value),
        })
    }

    /// Parses the form's two fields: the alias box and the domain choice.
    pub fn from_parts(alias: &str, domain: &str, customer_domains: &[String]) -> Result<Self, FieldError> {
        let alias = alias.trim();
        let domain = domain.trim().to_ascii_lowercase();
        let whole = format!("{alias}@{domain}");
        let err = |key: &'static str| FieldError::new(key).with("value", &whole);
        if alias.is_empty() {
            return Err(FieldError::new("err-required"));
        }
        if let Some(bad) = alias.chars().find(|c| !alias_char_ok(*c)) {
            return Err(err("err-user-name-bad-char").with("char", bad));
        }
        if alias.starts_with('.') {
            return Err(err("err-user-name-leading-period"));
        }
        if alias.contains("..") {
            return Err(err("err-user-name-double-period"));
        }
        if alias.ends_with('.') {
            return Err(err("err-user-name-period-before-at"));
        }
        if alias.len() > MAX_ALIAS {
            return Err(err("err-user-name-alias-long").with("max", MAX_ALIAS));
        }
        if domain.len() > MAX_DOMAIN {
            return Err(err("err-user-name-domain-long").with("max", MAX_DOMAIN));
        }
        if whole.len() > MAX_TOTAL {
            return Err(err("err-user-name-long").with("max", MAX_TOTAL));
        }
        if !customer_domains.iter().any(|d| d.eq_ignore_ascii_case(&domain)) {
            return Err(err("err-user-name-unknown-domain").with("domain", &domain));
        }
        Ok(Self {
            alias: alias.to_string(),
            domain,
        })
    }

    pub fn alias(&self) -> &str {
        &self.alias
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The name as typed, e.g. `Anna.Lee@contoso.com`.
    pub fn as_string(&self) -> String {
        format!("{}@{}", self.alias, self.domain)
    }

    /// The form uniqueness is checked in.
    pub fn key(&self) -> String {
        self.as_string().to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Vec<String> {
        vec!["contoso.onmicrosoft.com".into(), "contoso.com".into()]
    }

    #[test]
    fn keeps_the_case_as_typed_and_compares_lowered() {
        let name = UserName::parse(" Anna.Lee@Contoso.com ", &domains()).unwrap();
        assert_eq!(name.as_string(), "Anna.Lee@contoso.com");
        assert_eq!(name.key(), "anna.lee@contoso.com");
    }

    #[test]
    fn accepts_every_allowed_alias_character() {
        assert!(UserName::parse("a'b.c-d_e!f#g^h~i@contoso.com", &domains()).is_ok());
    }

    #[test]
    fn refuses_bad_aliases_with_the_reason() {
        let cases = [
            ("anna lee@contoso.com", "err-user-name-bad-char"),
            ("安娜@contoso.com", "err-user-name-bad-char"),
            ("anna+x@contoso.com", "err-user-name-bad-char"),
            (".anna@contoso.com", "err-user-name-leading-period"),
            ("anna..lee@contoso.com", "err-user-name-double-period"),
            ("anna.@contoso.com", "err-user-name-period-before-at"),
            ("anna@fabrikam.com", "err-user-name-unknown-domain"),
            ("anna", "err-user-name-no-at"),
            ("@contoso.com", "err-required"),
            ("", "err-required"),
        ];
        for (raw, key) in cases {
            assert_eq!(UserName::parse(raw, &domains()).unwrap_err().key, key, "{raw}");
        }
    }

    #[test]
    fn error_names_the_value() {
        let err = UserName::parse("anna..lee@contoso.com", &domains()).unwrap_err();
        assert!(err.args.contains(&("value", "anna..lee@contoso.com".to_string())));
    }

    #[test]
    fn enforces_the_length_limits() {
        let alias64 = "a".repeat(64);
        assert!(UserName::parse(&format!("{alias64}@contoso.com"), &domains()).is_ok());
        let err = UserName::parse(&format!("{alias64}a@contoso.com"), &domains()).unwrap_err();
        assert_eq!(err.key, "err-user-name-alias-long");
        let long_domain = format!("{}.com", "d".repeat(45));
        let err = UserName::from_parts("anna", &long_domain, std::slice::from_ref(&long_domain)).unwrap_err();
        assert_eq!(err.key, "err-user-name-domain-long");
        let d48 = format!("{}.com", "d".repeat(44));
        let ok = UserName::from_parts(&alias64, &d48, std::slice::from_ref(&d48)).unwrap();
        assert_eq!(ok.as_string().len(), 113);
    }

    #[test]
    fn the_two_field_form_gives_the_same_result() {
        let a = UserName::from_parts("anna", "CONTOSO.COM", &domains()).unwrap();
        let b = UserName::parse("anna@contoso.com", &domains()).unwrap();
        assert_eq!(a, b);
    }
}
