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

/// What a Users-tab form chose. The ticked rows are the selection; the page's box, which only
/// ticks or unticks rows, counts alone only when no row arrives with it (a browser without
/// script, where the box could not tick them); "all users that match" is an explicit choice of
/// its own and wins over both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    /// Every active user that matches the form's filter and search.
    AllMatching,
    /// These rows (possibly none).
    Rows(Vec<i64>),
}

pub fn chosen(all_matching: bool, page_box: bool, ticked: Vec<i64>, page_rows: Vec<i64>) -> Chosen {
    if all_matching {
        Chosen::AllMatching
    } else if !ticked.is_empty() {
        Chosen::Rows(ticked)
    } else if page_box {
        Chosen::Rows(page_rows)
    } else {
        Chosen::Rows(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticked_rows_win_over_the_page_box_and_all_that_match_wins_over_both() {
        let page = vec![1, 2, 3];
        assert_eq!(
            chosen(false, true, vec![1, 3], page.clone()),
            Chosen::Rows(vec![1, 3]),
            "one unticked"
        );
        assert_eq!(
            chosen(false, true, vec![], page.clone()),
            Chosen::Rows(page.clone()),
            "box alone, no script"
        );
        assert_eq!(chosen(false, false, vec![2], page.clone()), Chosen::Rows(vec![2]));
        assert_eq!(chosen(false, false, vec![], page.clone()), Chosen::Rows(vec![]));
        assert_eq!(chosen(true, true, vec![2], page), Chosen::AllMatching);
    }

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
