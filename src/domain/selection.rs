//! A selection of users as a form sends it. The ids come from the browser, so they may repeat
//! and may name anyone; the work done for a selection must follow the users it names, never
//! the length of what was sent (40,000 copies of one id are one user).

use std::collections::HashSet;

/// Each id once, in the order first sent, and no more of them than the customer has users
/// (`cap`): a longer list can only be repeats or forgeries, which the database need not see.
pub fn distinct(sent: impl IntoIterator<Item = i64>, cap: usize) -> Vec<i64> {
    let mut seen = HashSet::new();
    sent.into_iter().filter(|id| seen.insert(*id)).take(cap).collect()
}

/// The ids of a hidden field such as `ids=3,4, 5`, each once; what is not a number is skipped.
pub fn parse_list(raw: &str) -> Vec<i64> {
    distinct(raw.split([',', ' ']).filter_map(|s| s.trim().parse().ok()), usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_thousand_copies_of_one_id_are_one_id() {
        assert_eq!(distinct(std::iter::repeat_n(7, 40_000), usize::MAX), [7]);
    }

    #[test]
    fn keeps_the_order_first_sent() {
        assert_eq!(distinct([3, 1, 3, 2, 1], usize::MAX), [3, 1, 2]);
    }

    #[test]
    fn never_more_ids_than_the_customer_has_users() {
        assert_eq!(distinct(1..=40_000, 3), [1, 2, 3]);
        assert_eq!(distinct([5, 5, 5, 6], 2), [5, 6], "repeats do not use up the cap");
        assert!(distinct([1, 2], 0).is_empty());
    }

    #[test]
    fn reads_a_hidden_list_of_ids() {
        assert_eq!(parse_list("3,4, 5,3,x,,4"), [3, 4, 5]);
        assert!(parse_list("").is_empty());
    }
}
