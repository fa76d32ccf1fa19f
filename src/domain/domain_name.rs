//! Internet domain names a customer owns; user names must end in one of them.

use super::FieldError;

/// A lower-cased DNS name of at least two labels. At most 48 characters, because a user name
/// allows 48 characters after its `@`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DomainName(String);

impl DomainName {
    pub const MAX: usize = 48;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        let err = |key| Err(FieldError::new(key).with("value", raw.trim()));
        if value.is_empty() {
            return Err(FieldError::new("err-required"));
        }
        if !value.is_ascii() {
            return err("err-domain-not-ascii");
        }
        if value.len() > Self::MAX {
            return Err(FieldError::new("err-domain-too-long")
                .with("value", raw.trim())
                .with("max", Self::MAX));
        }
        let labels: Vec<&str> = value.split('.').collect();
        if labels.len() < 2 {
            return err("err-domain-one-label");
        }
        for label in &labels {
            if label.is_empty() {
                return err("err-domain-empty-label");
            }
            if label.len() > 63
                || !label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                || label.starts_with('-')
                || label.ends_with('-')
            {
                return err("err-domain-bad-label");
            }
        }
        if labels.last().is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit())) {
            return err("err-domain-bad-label");
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DomainName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses the "Domains" box: one domain per line, blank lines ignored, at least one, no repeats.
/// The first line becomes the customer's initial domain.
pub fn parse_domain_list(raw: &str) -> Result<Vec<DomainName>, FieldError> {
    let mut domains: Vec<DomainName> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let domain = DomainName::parse(line)?;
        if domains.contains(&domain) {
            return Err(FieldError::new("err-domain-repeated").with("value", domain.as_str()));
        }
        domains.push(domain);
    }
    if domains.is_empty() {
        return Err(FieldError::new("err-required"));
    }
    Ok(domains)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_and_trims() {
        assert_eq!(
            DomainName::parse(" Contoso.OnMicrosoft.com ").unwrap().as_str(),
            "contoso.onmicrosoft.com"
        );
        assert_eq!(DomainName::parse("contoso.com.").unwrap().as_str(), "contoso.com");
    }

    #[test]
    fn refuses_malformed_names() {
        for (raw, key) in [
            ("contoso", "err-domain-one-label"),
            ("contoso..com", "err-domain-empty-label"),
            ("-contoso.com", "err-domain-bad-label"),
            ("con_toso.com", "err-domain-bad-label"),
            ("contoso.123", "err-domain-bad-label"),
            ("台灣.tw", "err-domain-not-ascii"),
        ] {
            assert_eq!(DomainName::parse(raw).unwrap_err().key, key, "{raw}");
        }
    }

    #[test]
    fn refuses_names_longer_than_a_user_name_allows() {
        let long = format!("{}.com", "a".repeat(45));
        assert_eq!(long.len(), 49);
        assert_eq!(DomainName::parse(&long).unwrap_err().key, "err-domain-too-long");
        assert!(DomainName::parse(&format!("{}.com", "a".repeat(44))).is_ok());
    }

    #[test]
    fn list_keeps_order_skips_blanks_and_refuses_repeats() {
        let list = parse_domain_list("contoso.onmicrosoft.com\r\n\r\ncontoso.com\n").unwrap();
        assert_eq!(
            list.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
            ["contoso.onmicrosoft.com", "contoso.com"]
        );
        assert_eq!(
            parse_domain_list("a.com\nA.com").unwrap_err().key,
            "err-domain-repeated"
        );
        assert_eq!(parse_domain_list(" \n ").unwrap_err().key, "err-required");
    }
}
