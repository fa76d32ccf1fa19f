//! "Filter users by...": the choices of the Users tab, as they travel in the URL.

/// One filter; product filters name a subscription of the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserFilter {
    #[default]
    All,
    Licensed,
    Unlicensed,
    HasProduct(i64),
    LacksProduct(i64),
    Admins,
    SignInBlocked,
}

impl UserFilter {
    /// Reads `licensed`, `has-12`, ...; anything else is "all".
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        let product = |prefix: &str| raw.strip_prefix(prefix).and_then(|id| id.parse::<i64>().ok());
        match raw {
            "licensed" => UserFilter::Licensed,
            "unlicensed" => UserFilter::Unlicensed,
            "admins" => UserFilter::Admins,
            "blocked" => UserFilter::SignInBlocked,
            _ => {
                if let Some(id) = product("has-") {
                    UserFilter::HasProduct(id)
                } else if let Some(id) = product("lacks-") {
                    UserFilter::LacksProduct(id)
                } else {
                    UserFilter::All
                }
            }
        }
    }

    pub fn as_param(&self) -> String {
        match self {
            UserFilter::All => "all".into(),
            UserFilter::Licensed => "licensed".into(),
            UserFilter::Unlicensed => "unlicensed".into(),
            UserFilter::HasProduct(id) => format!("has-{id}"),
            UserFilter::LacksProduct(id) => format!("lacks-{id}"),
            UserFilter::Admins => "admins".into(),
            UserFilter::SignInBlocked => "blocked".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_url() {
        for f in [
            UserFilter::All,
            UserFilter::Licensed,
            UserFilter::Unlicensed,
            UserFilter::HasProduct(7),
            UserFilter::LacksProduct(9),
            UserFilter::Admins,
            UserFilter::SignInBlocked,
        ] {
            assert_eq!(UserFilter::parse(&f.as_param()), f);
        }
        assert_eq!(UserFilter::parse("has-x"), UserFilter::All);
        assert_eq!(UserFilter::parse("drop table"), UserFilter::All);
    }
}
