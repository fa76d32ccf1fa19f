use super::{text, FieldError};

/// A customer's company name: required, at most 256 characters, any script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyName(String);

impl CompanyName {
    pub const MAX: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        text::required_name(raw, Self::MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_chinese_and_european_names() {
        assert_eq!(
            CompanyName::parse(" 青山數位設計有限公司 ").unwrap().as_str(),
            "青山數位設計有限公司"
        );
        assert!(CompanyName::parse("Müller & Söhne GmbH").is_ok());
    }

    #[test]
    fn refuses_empty_and_too_long() {
        assert!(CompanyName::parse("").is_err());
        assert!(CompanyName::parse(&"x".repeat(257)).is_err());
    }
}
