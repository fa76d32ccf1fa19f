//! Rules for a password a staff member chooses for themselves.

use super::FieldError;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

/// Checks a new password: long enough, not absurdly long, not the email, confirmed.
pub fn check_new_password(new: &str, confirm: &str, email: &str, current: &str) -> Result<(), FieldError> {
    let length = new.chars().count();
    if length < MIN_LENGTH {
        return Err(FieldError::new("err-password-short").with("min", MIN_LENGTH));
    }
    if length > MAX_LENGTH {
        return Err(FieldError::new("err-too-long")
            .with("max", MAX_LENGTH)
            .with("count", length));
    }
    if new.eq_ignore_ascii_case(email.trim()) {
        return Err(FieldError::new("err-password-is-email"));
    }
    if new == current {
        return Err(FieldError::new("err-password-unchanged"));
    }
    if new != confirm {
        return Err(FieldError::new("err-password-mismatch"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_long_confirmed_password() {
        assert!(check_new_password("correct horse battery", "correct horse battery", "a@b.c", "old").is_ok());
    }

    #[test]
    fn refuses_short_same_as_email_unchanged_and_unconfirmed() {
        assert_eq!(
            check_new_password("short", "short", "a@b.c", "x").unwrap_err().key,
            "err-password-short"
        );
        assert_eq!(
            check_new_password(
                "anna@contoso.example",
                "anna@contoso.example",
                "Anna@contoso.example",
                "x"
            )
            .unwrap_err()
            .key,
            "err-password-is-email"
        );
        assert_eq!(
            check_new_password("same old password", "same old password", "a@b.c", "same old password")
                .unwrap_err()
                .key,
            "err-password-unchanged"
        );
        assert_eq!(
            check_new_password("a long new password", "a long new passwort", "a@b.c", "x")
                .unwrap_err()
                .key,
            "err-password-mismatch"
        );
    }
}
