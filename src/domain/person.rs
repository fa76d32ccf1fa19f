//! A user's names and organisation role.

use super::{text, FieldError};

pub const MAX_NAME: usize = 64;
pub const MAX_DISPLAY_NAME: usize = 256;

/// First and last names are optional (at most 64 characters); any script, trimmed.
pub fn parse_name(raw: &str) -> Result<String, FieldError> {
    text::clean_name(raw, MAX_NAME)
}

/// The display name is required, at most 256 characters.
pub fn parse_display_name(raw: &str) -> Result<String, FieldError> {
    text::required_name(raw, MAX_DISPLAY_NAME)
}

/// The user's role in their own organisation. Only `User` holds no admin role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRole {
    User,
    GlobalAdmin,
    UserAdmin,
    HelpdeskAdmin,
    BillingAdmin,
}

impl OrgRole {
    pub const ALL: [OrgRole; 5] = [
        OrgRole::User,
        OrgRole::GlobalAdmin,
        OrgRole::UserAdmin,
        OrgRole::HelpdeskAdmin,
        OrgRole::BillingAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::User => "user",
            OrgRole::GlobalAdmin => "global_admin",
            OrgRole::UserAdmin => "user_admin",
            OrgRole::HelpdeskAdmin => "helpdesk_admin",
            OrgRole::BillingAdmin => "billing_admin",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        OrgRole::ALL
            .into_iter()
            .find(|r| r.as_str() == value)
            .ok_or_else(|| FieldError::new("err-org-role-unknown").with("value", value))
    }

    pub fn is_admin(self) -> bool {
        self != OrgRole::User
    }

    /// i18n-key: org-role-user org-role-global_admin org-role-user_admin org-role-helpdesk_admin org-role-billing_admin
    pub fn label_key(self) -> String {
        format!("org-role-{}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_optional_display_name_is_not() {
        assert_eq!(parse_name("  ").unwrap(), "");
        assert_eq!(parse_display_name(" 王 小明 ").unwrap(), "王 小明");
        assert_eq!(parse_display_name("").unwrap_err().key, "err-required");
        assert_eq!(parse_name(&"x".repeat(65)).unwrap_err().key, "err-too-long");
        assert!(parse_display_name(&"名".repeat(256)).is_ok());
    }

    #[test]
    fn names_refuse_bidi_controls_but_keep_joiners() {
        assert_eq!(
            parse_display_name("Anna \u{2067}Lee\u{2069}").unwrap_err().key,
            "err-invisible-char"
        );
        assert_eq!(parse_name("Anna\u{2029}Lee").unwrap_err().key, "err-invisible-char");
        assert_eq!(parse_name("\u{202D}Lee").unwrap_err().key, "err-invisible-char");
        assert!(parse_display_name("علی\u{200C}رضا").is_ok());
        assert!(parse_name("क्\u{200D}ष").is_ok());
    }

    #[test]
    fn roles_round_trip_and_know_admins() {
        for role in OrgRole::ALL {
            assert_eq!(OrgRole::parse(role.as_str()).unwrap(), role);
        }
        assert!(!OrgRole::User.is_admin());
        assert!(OrgRole::HelpdeskAdmin.is_admin());
        assert_eq!(OrgRole::parse("owner").unwrap_err().key, "err-org-role-unknown");
    }
}
