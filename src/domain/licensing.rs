//! Rules of licensing that need no database: the three-state choice per product, its
//! default, seat arithmetic for a whole selection or one new user, conflicting service plans,
//! and [`plan`], which turns a Manage licenses request into the writes to make or the reasons
//! to make none.

use std::collections::{BTreeMap, BTreeSet};

use super::country::UsageLocation;
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

/// A user's licenses: subscription id -> the service plans turned off on it.
pub type Holdings = BTreeMap<i64, Vec<String>>;

/// One of the customer's subscriptions, as the seat rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: i64,
    pub product_id: i64,
    pub product_name: String,
    /// Seats bought and not yet assigned.
    pub available: i64,
}

/// Licenses are assigned per country, so a user who holds or is about to get one needs a usage
/// location.
pub fn lacks_location(licenses: usize, location: Option<&UsageLocation>) -> bool {
    licenses > 0 && location.is_none()
}

/// The subscriptions chosen for one new user. A choice that is not one of the customer's
/// subscriptions, or has no seat left, refuses the whole choice, so the user is added with all
/// the chosen licenses or not at all.
pub fn pick_for_one<'a>(
    subscriptions: &'a [Subscription],
    chosen: &[i64],
) -> Result<Vec<&'a Subscription>, FieldError> {
    chosen
        .iter()
        .map(|id| {
            let sub = subscriptions
                .iter()
                .find(|s| s.id == *id)
                .ok_or_else(|| FieldError::new("err-product-choose"))?;
            check_seats(&sub.product_name, 1, sub.available)?;
            Ok(sub)
        })
        .collect()
}

/// What the staff member asked for on Manage licenses, per subscription.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub choices: BTreeMap<i64, Choice>,
    /// Plans to turn off, for products whose switches were changed on the page.
    pub changed_plans: BTreeMap<i64, Vec<String>>,
    /// Plans off for newly assigned users of products whose switches were not changed.
    pub kept_plans: BTreeMap<i64, Vec<String>>,
    /// Usage location to give users who have none and gain a license.
    pub usage_location: Option<UsageLocation>,
}

impl Request {
    /// The request without choices for subscriptions the customer does not have (a forged or
    /// stale form), so they are neither checked nor written.
    fn known(&self, stock: &Stock) -> Request {
        let mut known = self.clone();
        known.choices.retain(|id, _| stock.subscription(*id).is_some());
        known
    }

    /// Plans off for a user who gains the product: the switches as changed, else as shown.
    fn plans_for_new(&self, subscription: i64) -> Vec<String> {
        self.changed_plans
            .get(&subscription)
            .or_else(|| self.kept_plans.get(&subscription))
            .cloned()
            .unwrap_or_default()
    }

    /// What a user holds once the request is applied. A product they already hold keeps its
    /// plans unless the switches were changed: re-saving the page leaves every holder as is.
    pub fn holdings_after(&self, held: &Holdings) -> Holdings {
        let mut after = held.clone();
        for (sub, choice) in &self.choices {
            if *choice == Choice::RemoveFromAll {
                after.remove(sub);
            } else if let Some(existing) = after.get_mut(sub) {
                if let Some(changed) = self.changed_plans.get(sub) {
                    existing.clone_from(changed);
                }
            } else if *choice == Choice::AssignToAll {
                after.insert(*sub, self.plans_for_new(*sub));
            }
        }
        after
    }
}

/// One selected user: who they are, whether they have a usage location, and what they hold.
#[derive(Debug, Clone)]
pub struct Selected {
    pub id: i64,
    pub display_name: String,
    pub user_name: String,
    pub has_location: bool,
    pub held: Holdings,
}

/// What the customer has bought, and the service plans of each product with the pairs that
/// may not both be on.
#[derive(Debug, Clone, Default)]
pub struct Stock {
    pub subscriptions: Vec<Subscription>,
    /// Product id -> names of its service plans.
    pub plans_of_product: BTreeMap<i64, Vec<String>>,
    pub exclusive: ExclusivePlans,
}

impl Stock {
    fn subscription(&self, id: i64) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| s.id == id)
    }

    fn product_name(&self, subscription: &i64) -> String {
        self.subscription(*subscription)
            .map(|s| s.product_name.clone())
            .unwrap_or_default()
    }

    /// Would these holdings switch on two plans that may not both be on?
    fn conflicts(&self, holdings: &Holdings) -> bool {
        let by_product: BTreeMap<i64, Vec<String>> = holdings
            .iter()
            .filter_map(|(s, off)| self.subscription(*s).map(|sub| (sub.product_id, off.clone())))
            .collect();
        self.exclusive
            .conflict(&enabled_plans(&by_product, &self.plans_of_product))
            .is_some()
    }
}

/// One set-based write of an accepted request, in the order to make them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Give the subscription to these users (those of the selection who lack it).
    Assign {
        subscription: i64,
        users: Vec<i64>,
        disabled_plans: Vec<String>,
    },
    /// Set the plans off on the subscription for every selected user who holds it.
    SetDisabledPlans {
        subscription: i64,
        disabled_plans: Vec<String>,
    },
    /// Take the subscription away from every selected user.
    Remove { subscription: i64 },
}

/// What changed for one user, for the Licenses updated page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserChange {
    pub display_name: String,
    pub user_name: String,
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}

/// An accepted request: what to write and what to tell the staff member.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// Users without a usage location who gain a license, to be given the request's.
    pub to_locate: Vec<i64>,
    pub steps: Vec<Step>,
    /// Users whose licenses change, in selection order.
    pub changes: Vec<UserChange>,
    /// Each product given to or taken from the whole selection, for the activity log (which
    /// words it in the reader's language).
    pub summary: Vec<ProductChange>,
}

/// A product assigned to or removed from every selected user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProductChange {
    pub product: String,
    /// `assign` or `remove` (see [`Choice::as_str`]).
    pub choice: String,
}

/// Decides a Manage licenses request for the whole selection at once: refused with every
/// reason (seats short per product, users left without a usage location, conflicting plans on
/// what a user would end up with), or accepted as the writes to make. Nothing is written for
/// a refused request, so a selection is never half changed.
pub fn plan(request: &Request, users: &[Selected], stock: &Stock) -> Result<Accepted, Vec<FieldError>> {
    let request = request.known(stock);
    let gainers = gainers(&request, users);
    let mut problems = seat_problems(&gainers, stock);
    let gaining: BTreeSet<i64> = gainers.values().flatten().copied().collect();
    let unlocated: Vec<&Selected> = users
        .iter()
        .filter(|u| gaining.contains(&u.id) && !u.has_location)
        .collect();
    if !unlocated.is_empty() && request.usage_location.is_none() {
        let names: Vec<String> = unlocated.iter().map(|u| u.user_name.clone()).collect();
        problems.push(
            FieldError::new("err-usage-location-missing")
                .with("count", names.len())
                .with("users", name_list(&names)),
        );
    }
    let afters: Vec<Holdings> = users.iter().map(|u| request.holdings_after(&u.held)).collect();
    let conflicted: Vec<String> = users
        .iter()
        .zip(&afters)
        .filter(|(user, after)| **after != user.held && stock.conflicts(after))
        .map(|(user, _)| user.user_name.clone())
        .collect();
    if !conflicted.is_empty() {
        problems.push(
            FieldError::new("err-conflicting-plans")
                .with("count", conflicted.len())
                .with("users", name_list(&conflicted)),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Accepted {
        to_locate: unlocated.iter().map(|u| u.id).collect(),
        steps: steps(&request, gainers),
        changes: changes(users, &afters, stock),
        summary: summary(&request, stock),
    })
}

/// For every subscription assigned to all: the selected users who lack it, and so take a seat.
fn gainers(request: &Request, users: &[Selected]) -> BTreeMap<i64, Vec<i64>> {
    request
        .choices
        .iter()
        .filter(|(_, choice)| **choice == Choice::AssignToAll)
        .map(|(sub, _)| {
            let lacking = users.iter().filter(|u| !u.held.contains_key(sub)).map(|u| u.id);
            (*sub, lacking.collect())
        })
        .collect()
}

fn seat_problems(gainers: &BTreeMap<i64, Vec<i64>>, stock: &Stock) -> Vec<FieldError> {
    gainers
        .iter()
        .filter_map(|(sub, users)| {
            let sub = stock.subscription(*sub)?;
            check_seats(&sub.product_name, users.len() as i64, sub.available).err()
        })
        .collect()
}

fn steps(request: &Request, mut gainers: BTreeMap<i64, Vec<i64>>) -> Vec<Step> {
    let mut steps = Vec::new();
    for (sub, choice) in &request.choices {
        let subscription = *sub;
        match choice {
            Choice::AssignToAll => steps.push(Step::Assign {
                subscription,
                users: gainers.remove(sub).unwrap_or_default(),
                disabled_plans: request.plans_for_new(subscription),
            }),
            Choice::RemoveFromAll => {
                steps.push(Step::Remove { subscription });
                continue;
            }
            Choice::LeaveAsIs => {}
        }
        if let Some(changed) = request.changed_plans.get(sub) {
            steps.push(Step::SetDisabledPlans {
                subscription,
                disabled_plans: changed.clone(),
            });
        }
    }
    steps
}

fn changes(users: &[Selected], afters: &[Holdings], stock: &Stock) -> Vec<UserChange> {
    users
        .iter()
        .zip(afters)
        .filter_map(|(user, after)| {
            let before = &user.held;
            let gained: Vec<String> = after
                .keys()
                .filter(|s| !before.contains_key(s))
                .map(|s| stock.product_name(s))
                .collect();
            let lost: Vec<String> = before
                .keys()
                .filter(|s| !after.contains_key(s))
                .map(|s| stock.product_name(s))
                .collect();
            (!gained.is_empty() || !lost.is_empty()).then(|| UserChange {
                display_name: user.display_name.clone(),
                user_name: user.user_name.clone(),
                gained,
                lost,
            })
        })
        .collect()
}

fn summary(request: &Request, stock: &Stock) -> Vec<ProductChange> {
    request
        .choices
        .iter()
        .filter(|(_, choice)| **choice != Choice::LeaveAsIs)
        .map(|(sub, choice)| ProductChange {
            product: stock.product_name(sub),
            choice: choice.as_str().to_string(),
        })
        .collect()
}

/// How many names a refusal lists before "(+N)".
const NAMES_IN_PROBLEM: usize = 5;

fn name_list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_IN_PROBLEM).map(String::as_str).collect();
    let mut text = shown.join(", ");
    if names.len() > NAMES_IN_PROBLEM {
        text.push_str(&format!(" (+{})", names.len() - NAMES_IN_PROBLEM));
    }
    text
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

    fn sub(id: i64, product_id: i64, name: &str, available: i64) -> Subscription {
        Subscription {
            id,
            product_id,
            product_name: name.into(),
            available,
        }
    }

    fn user(id: i64, name: &str, has_location: bool, held: &[(i64, &[&str])]) -> Selected {
        Selected {
            id,
            display_name: name.to_uppercase(),
            user_name: format!("{name}@contoso.com"),
            has_location,
            held: held
                .iter()
                .map(|(s, off)| (*s, off.iter().map(|p| p.to_string()).collect()))
                .collect(),
        }
    }

    fn plans(names: &[&str]) -> Vec<String> {
        names.iter().map(|p| p.to_string()).collect()
    }

    /// E3 (subscription 10, 5 seats free) and Visio (subscription 20, 1 free); E3's SharePoint
    /// plan may not be on together with Visio's.
    fn stock() -> Stock {
        Stock {
            subscriptions: vec![sub(10, 1, "Office 365 E3", 5), sub(20, 2, "Visio Plan 2", 1)],
            plans_of_product: [(1, plans(&["SHAREPOINT", "EXCHANGE"])), (2, plans(&["VISIO"]))].into(),
            exclusive: ExclusivePlans::new(vec![("SHAREPOINT".into(), "VISIO".into())]),
        }
    }

    fn asking(choices: &[(i64, Choice)]) -> Request {
        Request {
            choices: choices.iter().copied().collect(),
            usage_location: Some(UsageLocation::parse("JP").unwrap()),
            ..Request::default()
        }
    }

    #[test]
    fn a_licensed_user_needs_a_usage_location() {
        let japan = UsageLocation::parse("JP").unwrap();
        assert!(lacks_location(1, None));
        assert!(!lacks_location(1, Some(&japan)));
        assert!(!lacks_location(0, None));
    }

    #[test]
    fn a_new_user_gets_every_chosen_license_or_none() {
        let subs = [sub(10, 1, "Office 365 E3", 1), sub(20, 2, "Visio Plan 2", 0)];
        let picked = pick_for_one(&subs, &[10]).unwrap();
        assert_eq!(picked, vec![&subs[0]]);
        let err = pick_for_one(&subs, &[10, 20]).unwrap_err();
        assert_eq!(err.key, "err-not-enough-licenses");
        assert!(err.args.contains(&("product", "Visio Plan 2".into())) && err.args.contains(&("needed", "1".into())));
        assert_eq!(pick_for_one(&subs, &[99]).unwrap_err().key, "err-product-choose");
        assert!(pick_for_one(&subs, &[]).unwrap().is_empty());
    }

    #[test]
    fn holders_keep_their_plans_when_the_switches_were_not_touched() {
        let mut request = asking(&[(10, Choice::AssignToAll)]);
        request.kept_plans.insert(10, plans(&["EXCHANGE"]));
        let holder: Holdings = [(10, plans(&["SHAREPOINT"]))].into();
        assert_eq!(
            request.holdings_after(&holder),
            holder,
            "re-saving leaves a holder's plans off as they were"
        );
        assert_eq!(
            request.holdings_after(&Holdings::new()),
            [(10, plans(&["EXCHANGE"]))].into(),
            "a new holder gets the plans as shown"
        );
    }

    #[test]
    fn changed_switches_apply_to_holders_and_new_holders() {
        let mut request = asking(&[(10, Choice::AssignToAll), (20, Choice::LeaveAsIs)]);
        request.changed_plans.insert(10, plans(&["SHAREPOINT"]));
        request.changed_plans.insert(20, plans(&["VISIO"]));
        let holder: Holdings = [(10, vec![]), (20, vec![])].into();
        let expected: Holdings = [(10, plans(&["SHAREPOINT"])), (20, plans(&["VISIO"]))].into();
        assert_eq!(request.holdings_after(&holder), expected);
        assert_eq!(
            request.holdings_after(&Holdings::new()),
            [(10, plans(&["SHAREPOINT"]))].into(),
            "leave as is gives nothing to a user without the product"
        );
    }

    #[test]
    fn remove_takes_the_product_away() {
        let request = asking(&[(10, Choice::RemoveFromAll)]);
        let holder: Holdings = [(10, vec![]), (20, vec![])].into();
        assert_eq!(request.holdings_after(&holder), [(20, vec![])].into());
    }

    #[test]
    fn seats_are_counted_for_the_users_who_lack_the_product() {
        let users = [
            user(1, "ann", true, &[]),
            user(2, "bob", true, &[]),
            user(3, "cy", true, &[(20, &[])]),
        ];
        let refused = plan(&asking(&[(20, Choice::AssignToAll)]), &users, &stock()).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].key, "err-not-enough-licenses");
        assert!(
            refused[0].args.contains(&("needed", "2".into())) && refused[0].args.contains(&("available", "1".into()))
        );
        let accepted = plan(&asking(&[(20, Choice::AssignToAll)]), &users[1..], &stock()).unwrap();
        assert_eq!(
            accepted.steps,
            vec![Step::Assign {
                subscription: 20,
                users: vec![2],
                disabled_plans: vec![],
            }]
        );
    }

    #[test]
    fn users_without_a_location_who_gain_a_license_need_one_from_the_request() {
        let users = [
            user(1, "ann", false, &[]),
            user(2, "bob", false, &[(10, &[])]),
            user(3, "cy", true, &[]),
        ];
        let mut request = asking(&[(10, Choice::AssignToAll)]);
        assert_eq!(plan(&request, &users, &stock()).unwrap().to_locate, vec![1]);
        request.usage_location = None;
        let refused = plan(&request, &users, &stock()).unwrap_err();
        assert_eq!(refused[0].key, "err-usage-location-missing");
        assert!(
            refused[0].args.contains(&("count", "1".into()))
                && refused[0].args.contains(&("users", "ann@contoso.com".into()))
        );
        let removing = asking(&[(10, Choice::RemoveFromAll)]);
        assert!(plan(
            &Request {
                usage_location: None,
                ..removing
            },
            &users,
            &stock()
        )
        .is_ok());
    }

    #[test]
    fn conflicting_plans_refuse_only_users_whose_licenses_change() {
        let users = [
            user(1, "ann", true, &[(10, &[])]),
            user(2, "bob", true, &[(10, &[]), (20, &[])]),
        ];
        let refused = plan(&asking(&[(20, Choice::AssignToAll)]), &users, &stock()).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].key, "err-conflicting-plans");
        assert!(
            refused[0].args.contains(&("users", "ann@contoso.com".into())),
            "bob already had both and nothing changes for him: {:?}",
            refused[0].args
        );
        let mut without_sharepoint = asking(&[(10, Choice::AssignToAll), (20, Choice::AssignToAll)]);
        without_sharepoint.changed_plans.insert(10, plans(&["SHAREPOINT"]));
        assert!(plan(&without_sharepoint, &users, &stock()).is_ok());
    }

    #[test]
    fn every_reason_is_given_at_once() {
        let users = [user(1, "ann", false, &[(10, &[])]), user(2, "bob", false, &[(10, &[])])];
        let mut request = asking(&[(20, Choice::AssignToAll)]);
        request.usage_location = None;
        let keys: Vec<&str> = plan(&request, &users, &stock())
            .unwrap_err()
            .iter()
            .map(|e| e.key)
            .collect();
        assert_eq!(
            keys,
            [
                "err-not-enough-licenses",
                "err-usage-location-missing",
                "err-conflicting-plans"
            ]
        );
    }

    #[test]
    fn an_accepted_request_lists_its_writes_changes_and_summary() {
        let users = [user(1, "ann", true, &[(20, &[])]), user(2, "bob", true, &[(10, &[])])];
        let mut request = asking(&[
            (10, Choice::AssignToAll),
            (20, Choice::RemoveFromAll),
            (30, Choice::AssignToAll),
        ]);
        request.changed_plans.insert(10, plans(&["EXCHANGE"]));
        let accepted = plan(&request, &users, &stock()).unwrap();
        assert_eq!(
            accepted.steps,
            vec![
                Step::Assign {
                    subscription: 10,
                    users: vec![1],
                    disabled_plans: plans(&["EXCHANGE"]),
                },
                Step::SetDisabledPlans {
                    subscription: 10,
                    disabled_plans: plans(&["EXCHANGE"]),
                },
                Step::Remove { subscription: 20 },
            ],
            "subscription 30 is not the customer's and is left out"
        );
        assert_eq!(
            accepted.changes,
            vec![UserChange {
                display_name: "ANN".into(),
                user_name: "ann@contoso.com".into(),
                gained: vec!["Office 365 E3".into()],
                lost: vec!["Visio Plan 2".into()],
            }],
            "bob only had plans changed"
        );
        let change = |product: &str, choice: &str| ProductChange {
            product: product.into(),
            choice: choice.into(),
        };
        assert_eq!(
            accepted.summary,
            [change("Office 365 E3", "assign"), change("Visio Plan 2", "remove")]
        );
    }

    #[test]
    fn long_name_lists_are_cut_after_five() {
        let names: Vec<String> = (1..=7).map(|i| format!("u{i}")).collect();
        assert_eq!(name_list(&names[..2]), "u1, u2");
        assert_eq!(name_list(&names), "u1, u2, u3, u4, u5 (+2)");
    }
}
