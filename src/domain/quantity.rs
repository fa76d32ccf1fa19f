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

/// The total after adding `more` seats to `current`, if it stays in range ("Add seats").
pub fn total_after_adding(current: i32, more: Quantity) -> Result<i32, FieldError> {
    let total = i64::from(current) + i64::from(more.get());
    if total > i64::from(Quantity::MAX) {
        return Err(FieldError::new("err-quantity-range")
            .with("value", total)
            .with("max", Quantity::MAX));
    }
    Ok(total as i32)
}

/// Whether a subscription may go from `current` to `new` seats with `assigned` in use
/// ("Change quantity"): a change, and never below the seats users hold.
pub fn check_new_quantity(current: i32, assigned: i32, new: Quantity) -> Result<i32, FieldError> {
    if new.get() == current {
        return Err(FieldError::new("err-quantity-unchanged").with("value", current));
    }
    if new.get() < assigned {
        return Err(FieldError::new("err-quantity-below-assigned")
            .with("assigned", assigned)
            .with("value", new.get()));
    }
    Ok(new.get())
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
    fn adding_seats_stays_in_range() {
        let five = Quantity::parse("5").unwrap();
        assert_eq!(total_after_adding(20, five), Ok(25));
        let err = total_after_adding(Quantity::MAX - 4, five).unwrap_err();
        assert_eq!(err.key, "err-quantity-range");
    }

    #[test]
    fn a_new_quantity_changes_something_and_covers_the_seats_in_use() {
        let q = |n: &str| Quantity::parse(n).unwrap();
        assert_eq!(check_new_quantity(20, 12, q("15")), Ok(15));
        assert_eq!(check_new_quantity(20, 12, q("30")), Ok(30));
        assert_eq!(check_new_quantity(20, 12, q("12")), Ok(12));
        assert_eq!(
            check_new_quantity(20, 12, q("11")).unwrap_err().key,
            "err-quantity-below-assigned"
        );
        assert_eq!(
            check_new_quantity(20, 12, q("20")).unwrap_err().key,
            "err-quantity-unchanged"
        );
    }

    #[test]
    fn available_never_negative() {
        assert_eq!(available(10, 3), 7);
        assert_eq!(available(3, 3), 0);
        assert_eq!(available(3, 5), 0);
    }
}
