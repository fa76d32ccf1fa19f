//! Usage locations: ISO 3166-1 alpha-2 codes with their English and Traditional Chinese names
//! from CLDR (data/countries.csv, shipped inside the binary).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::FieldError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub code: String,
    pub name_en: String,
    pub name_zh_tw: String,
}

static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(|| {
    let mut reader = csv::Reader::from_reader(include_str!("../../data/countries.csv").as_bytes());
    reader
        .records()
        .map(|row| {
            let row = row.expect("data/countries.csv is valid CSV");
            Country {
                code: row[0].to_string(),
                name_en: row[1].to_string(),
                name_zh_tw: row[2].to_string(),
            }
        })
        .collect()
});

pub fn all() -> &'static [Country] {
    &COUNTRIES
}

/// Each country's place in [`COUNTRIES`] by its code in capitals: the Users list looks up a
/// name for every row it shows.
static BY_CODE: LazyLock<HashMap<[u8; 2], usize>> = LazyLock::new(|| {
    COUNTRIES
        .iter()
        .enumerate()
        .filter_map(|(i, c)| code_key(&c.code).map(|key| (key, i)))
        .collect()
});

fn code_key(code: &str) -> Option<[u8; 2]> {
    match code.trim().as_bytes() {
        &[a, b] => Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()]),
        _ => None,
    }
}

pub fn by_code(code: &str) -> Option<&'static Country> {
    code_key(code).and_then(|key| BY_CODE.get(&key)).map(|&i| &COUNTRIES[i])
}

/// A usage location: an assigned ISO 3166-1 alpha-2 code, stored upper case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageLocation(&'static Country);

impl UsageLocation {
    /// Accepts a code (`tw`, `TW`) or a country name in English or Traditional Chinese, so a
    /// spreadsheet that spells the country out works too.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::new("err-required"));
        }
        by_code(value)
            .or_else(|| {
                COUNTRIES
                    .iter()
                    .find(|c| c.name_en.eq_ignore_ascii_case(value) || c.name_zh_tw == value)
            })
            .map(Self)
            .ok_or_else(|| FieldError::new("err-country-unknown").with("value", value))
    }

    pub fn code(&self) -> &'static str {
        &self.0.code
    }

    pub fn country(&self) -> &'static Country {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_all_249_assigned_codes() {
        assert_eq!(all().len(), 249);
        assert_eq!(by_code("tw").unwrap().name_zh_tw, "台灣");
    }

    #[test]
    fn parses_codes_and_names_in_both_languages() {
        assert_eq!(UsageLocation::parse(" tw ").unwrap().code(), "TW");
        assert_eq!(UsageLocation::parse("Germany").unwrap().code(), "DE");
        assert_eq!(UsageLocation::parse("德國").unwrap().code(), "DE");
    }

    #[test]
    fn refuses_unknown_and_reserved_codes() {
        assert_eq!(UsageLocation::parse("XK").unwrap_err().key, "err-country-unknown");
        assert_eq!(UsageLocation::parse("Atlantis").unwrap_err().key, "err-country-unknown");
        assert_eq!(UsageLocation::parse("").unwrap_err().key, "err-required");
    }
}
