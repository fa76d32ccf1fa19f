use super::FieldError;

/// A number of seats to buy: a whole number from 1 to 1,000,000 (the database checks the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity(i32);

impl Quantity {
    pub const MAX: i32 = 1_000_000;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim().replace([',', '_'], "");
        if trimmed.is_empty() {
            return Err(FieldError::new("err-required"));
        }
        let value: i64 = trimmed
            .parse()
            .map_err(|_| FieldError::new("err-quantity-not-number").with("value", raw.trim()))?;
        if !(1..=i64::from(Self::MAX)).contains(&value) {
            return Err(FieldError::new("err-quantity-range")
                .with("value", value)
                .with("max", Self::MAX));
        }
        Ok(Self(value as i32))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// Seats still free on a subscription.
pub fn available(quantity: i32, assigned: i32) -> i32 {
    (quantity - assigned).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_grouped_numbers() {
        assert_eq!(Quantity::parse("25").unwrap().get(), 25);
        assert_eq!(Quantity::parse(" 1,000 ").unwrap().get(), 1000);
    }

    #[test]
    fn refuses_zero_negative_huge_and_text() {
        assert_eq!(Quantity::parse("0").unwrap_err().key, "err-quantity-range");
        assert_eq!(Quantity::parse("-3").unwrap_err().key, "err-quantity-range");
        assert_eq!(Quantity::parse("1000001").unwrap_err().key, "err-quantity-range");
        assert_eq!(Quantity::parse("ten").unwrap_err().key, "err-quantity-not-number");
        assert_eq!(Quantity::parse("2.5").unwrap_err().key, "err-quantity-not-number");
        assert_eq!(Quantity::parse("").unwrap_err().key, "err-required");
    }

    #[test]
    fn available_never_negative() {
        assert_eq!(available(10, 3), 7);
        assert_eq!(available(3, 3), 0);
        assert_eq!(available(3, 5), 0);
    }
}
