//! Rules of Manage licenses that need no database: the three-state choice per product, its
//! default, seat arithmetic for a whole selection, and conflicting service plans.

use std::collections::{BTreeMap, BTreeSet};

use super::FieldError;

/// What to do with one product for the whole selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    AssignToAll,
    RemoveFromAll,
    LeaveAsIs,
}

impl Choice {
    pub fn parse(raw: &str) -> Choice {
        match raw.trim() {
            "assign" => Choice::AssignToAll,
            "remove" => Choice::RemoveFromAll,
            _ => Choice::LeaveAsIs,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::AssignToAll => "assign",
            Choice::RemoveFromAll => "remove",
            Choice::LeaveAsIs => "leave",
        }
    }

    /// What the page starts with: "Assign to all" when every selected user already has the
    /// product (saving changes nothing), otherwise "Leave as is", so nothing is assigned or
    /// taken away unless the staff member asks for it.
    pub fn default_for(holders: usize, selected: usize) -> Choice {
        if selected > 0 && holders == selected {
            Choice::AssignToAll
        } else {
            Choice::LeaveAsIs
        }
    }
}

/// Seats an assignment needs: one for every selected user who lacks the product.
pub fn check_seats(product: &str, lacking: i64, available: i64) -> Result<(), FieldError> {
    if lacking > available {
        return Err(FieldError::new("err-not-enough-licenses")
            .with("product", product)
            .with("needed", lacking)
            .with("available", available));
    }
    Ok(())
}

/// Pairs of service plans that may not both be on for one user (data/exclusive-plans.csv).
#[derive(Debug, Clone, Default)]
pub struct ExclusivePlans {
    pairs: Vec<(String, String)>,
}

impl ExclusivePlans {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }

    /// The first conflicting pair among a user's enabled plans.
    pub fn conflict<'a>(&'a self, enabled: &BTreeSet<&str>) -> Option<(&'a str, &'a str)> {
        self.pairs
            .iter()
            .find(|(a, b)| enabled.contains(a.as_str()) && enabled.contains(b.as_str()))
            .map(|(a, b)| (a.as_str(), b.as_str()))
    }
}

/// The plans a user ends up with: for each product held, its plans minus the disabled ones.
pub fn enabled_plans<'a>(
    held: &'a BTreeMap<i64, Vec<String>>,
    plans_of_product: &'a BTreeMap<i64, Vec<String>>,
) -> BTreeSet<&'a str> {
    let mut enabled = BTreeSet::new();
    for (product, disabled) in held {
        if let Some(plans) = plans_of_product.get(product) {
            for plan in plans {
                if !disabled.iter().any(|d| d == plan) {
                    enabled.insert(plan.as_str());
                }
            }
        }
    }
    enabled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partly_held_products_start_at_leave_as_is() {
        assert_eq!(Choice::default_for(3, 10), Choice::LeaveAsIs);
        assert_eq!(Choice::default_for(0, 10), Choice::LeaveAsIs);
        assert_eq!(Choice::default_for(10, 10), Choice::AssignToAll);
        assert_eq!(Choice::default_for(0, 0), Choice::LeaveAsIs);
    }

    #[test]
    fn choices_round_trip_and_unknown_means_leave() {
        for c in [Choice::AssignToAll, Choice::RemoveFromAll, Choice::LeaveAsIs] {
            assert_eq!(Choice::parse(c.as_str()), c);
        }
        assert_eq!(Choice::parse("delete everything"), Choice::LeaveAsIs);
    }

    #[test]
    fn seats_for_the_whole_selection() {
        assert!(check_seats("E3", 12, 12).is_ok());
        let err = check_seats("Office 365 E3", 40, 12).unwrap_err();
        assert_eq!(err.key, "err-not-enough-licenses");
        assert!(err.args.contains(&("needed", "40".into())) && err.args.contains(&("available", "12".into())));
    }

    #[test]
    fn sharepoint_plan_1_and_2_conflict_unless_one_is_off() {
        let exclusive = ExclusivePlans::new(vec![("SHAREPOINTSTANDARD".into(), "SHAREPOINTENTERPRISE".into())]);
        let plans: BTreeMap<i64, Vec<String>> = [
            (
                1,
                vec!["SHAREPOINTSTANDARD".to_string(), "EXCHANGE_S_STANDARD".to_string()],
            ),
            (
                3,
                vec!["SHAREPOINTENTERPRISE".to_string(), "EXCHANGE_S_ENTERPRISE".to_string()],
            ),
        ]
        .into();
        let both: BTreeMap<i64, Vec<String>> = [(1, vec![]), (3, vec![])].into();
        assert_eq!(
            exclusive.conflict(&enabled_plans(&both, &plans)),
            Some(("SHAREPOINTSTANDARD", "SHAREPOINTENTERPRISE"))
        );
        let one_off: BTreeMap<i64, Vec<String>> = [(1, vec!["SHAREPOINTSTANDARD".to_string()]), (3, vec![])].into();
        assert_eq!(exclusive.conflict(&enabled_plans(&one_off, &plans)), None);
        let exchange_both: BTreeMap<i64, Vec<String>> = [(3, vec![])].into();
        assert_eq!(
            exclusive.conflict(&enabled_plans(&exchange_both, &plans)),
            None,
            "Exchange plans 1 and 2 may coexist"
        );
    }
}
