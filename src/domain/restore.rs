//! Restoring deleted users: which of them come back under which name, and which of their
//! former licenses come back given the seats free now. (How long they may be restored is
//! [`super::restore_window`].)

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::licensing::Subscription;

/// A license a deleted user held, as deleting remembers it in `customer_users.former_licenses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormerLicense {
    pub product_id: i64,
    pub disabled_plans: Vec<String>,
}

impl FormerLicense {
    /// Reads the stored list. Data that does not read is an error, never "held nothing": that
    /// would restore the user without their licenses and without a note saying so.
    pub fn parse_list(stored: serde_json::Value) -> Result<Vec<FormerLicense>, serde_json::Error> {
        serde_json::from_value(stored)
    }
}

/// A deleted user still within the restore window.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub display_name: String,
    pub user_name: String,
    pub former: Vec<FormerLicense>,
}

/// What restoring does with one candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// An active user (or one restored just before it) holds the name: left deleted, so that it
    /// can be restored under another name.
    Clash,
    Restore {
        user_name: String,
        /// Former licenses that come back: (subscription id, plans off).
        licenses: Vec<(i64, Vec<String>)>,
        /// Products of former licenses that do not: no seat free, or "" when the customer no
        /// longer has a subscription for the product.
        not_restored: Vec<String>,
    },
}

/// Decides each candidate in turn, so earlier ones take the seats and names first. `renamed`
/// replaces every candidate's user name; `taken` holds the lower-cased names of active users.
pub fn decide(
    candidates: &[Candidate],
    renamed: Option<&str>,
    taken: &HashSet<String>,
    subscriptions: &[Subscription],
) -> Vec<Decision> {
    let mut free: Vec<Subscription> = subscriptions.to_vec();
    let mut names_used: HashSet<String> = HashSet::new();
    candidates
        .iter()
        .map(|candidate| {
            let user_name = renamed.unwrap_or(&candidate.user_name).to_string();
            let key = user_name.to_lowercase();
            if taken.contains(&key) || !names_used.insert(key) {
                return Decision::Clash;
            }
            let (mut licenses, mut not_restored) = (Vec::new(), Vec::new());
            for former in &candidate.former {
                match free.iter_mut().find(|s| s.product_id == former.product_id) {
                    Some(sub) if sub.available > 0 => {
                        sub.available -= 1;
                        licenses.push((sub.id, former.disabled_plans.clone()));
                    }
                    found => not_restored.push(found.map(|s| s.product_name.clone()).unwrap_or_default()),
                }
            }
            Decision::Restore {
                user_name,
                licenses,
                not_restored,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn candidate(id: i64, user_name: &str, products: &[i64]) -> Candidate {
        Candidate {
            id,
            display_name: user_name.to_uppercase(),
            user_name: user_name.into(),
            former: products
                .iter()
                .map(|p| FormerLicense {
                    product_id: *p,
                    disabled_plans: vec![format!("OFF{p}")],
                })
                .collect(),
        }
    }

    fn e3(available: i64) -> Subscription {
        Subscription {
            id: 10,
            product_id: 1,
            product_name: "Office 365 E3".into(),
            available,
        }
    }

    #[test]
    fn stored_former_licenses_that_do_not_read_are_an_error() {
        let stored = json!([{"product_id": 1, "disabled_plans": ["SWAY"]}]);
        assert_eq!(
            FormerLicense::parse_list(stored).unwrap(),
            vec![FormerLicense {
                product_id: 1,
                disabled_plans: vec!["SWAY".into()],
            }]
        );
        assert_eq!(FormerLicense::parse_list(json!([])).unwrap(), vec![]);
        assert!(FormerLicense::parse_list(json!([{"product": 1}])).is_err());
        assert!(FormerLicense::parse_list(json!(null)).is_err());
    }

    #[test]
    fn former_licenses_come_back_while_seats_last() {
        let candidates = [candidate(1, "ann@x.com", &[1]), candidate(2, "bob@x.com", &[1, 2])];
        let decisions = decide(&candidates, None, &HashSet::new(), &[e3(1)]);
        assert_eq!(
            decisions,
            vec![
                Decision::Restore {
                    user_name: "ann@x.com".into(),
                    licenses: vec![(10, vec!["OFF1".into()])],
                    not_restored: vec![],
                },
                Decision::Restore {
                    user_name: "bob@x.com".into(),
                    licenses: vec![],
                    not_restored: vec!["Office 365 E3".into(), String::new()],
                },
            ],
            "ann took the last seat; product 2 has no subscription any more"
        );
    }

    #[test]
    fn a_name_held_by_an_active_user_or_an_earlier_candidate_clashes() {
        let taken: HashSet<String> = ["ann@x.com".to_string()].into();
        let candidates = [
            candidate(1, "Ann@X.com", &[1]),
            candidate(2, "bob@x.com", &[]),
            candidate(3, "BOB@x.com", &[]),
        ];
        let decisions = decide(&candidates, None, &taken, &[e3(5)]);
        assert_eq!(decisions[0], Decision::Clash);
        assert!(matches!(decisions[1], Decision::Restore { .. }));
        assert_eq!(decisions[2], Decision::Clash);
    }

    #[test]
    fn a_clashing_user_takes_no_seat() {
        let taken: HashSet<String> = ["ann@x.com".to_string()].into();
        let candidates = [candidate(1, "ann@x.com", &[1]), candidate(2, "bob@x.com", &[1])];
        let decisions = decide(&candidates, None, &taken, &[e3(1)]);
        assert_eq!(
            decisions[1],
            Decision::Restore {
                user_name: "bob@x.com".into(),
                licenses: vec![(10, vec!["OFF1".into()])],
                not_restored: vec![],
            }
        );
    }

    #[test]
    fn restoring_under_a_new_name_uses_it() {
        let candidates = [candidate(1, "ann@x.com", &[])];
        let taken: HashSet<String> = ["ann@x.com".to_string()].into();
        let decisions = decide(&candidates, Some("ann.lee@x.com"), &taken, &[]);
        assert_eq!(
            decisions,
            vec![Decision::Restore {
                user_name: "ann.lee@x.com".into(),
                licenses: vec![],
                not_restored: vec![],
            }]
        );
        assert_eq!(
            decide(&candidates, Some("ANN@x.com"), &taken, &[]),
            vec![Decision::Clash]
        );
    }
}
