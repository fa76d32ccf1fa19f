//! Where a person was in a customer's users list (tab, filter, search, page, page size), so
//! every action and back link returns there rather than to an unfiltered page 1.
//!
//! A place travels as a `back` parameter holding a users-list URL. Only this customer's own
//! list URLs are accepted, and a place is rebuilt from the values it names, never echoed, so a
//! `back` cannot lead anywhere else.

use super::paging::PAGE_SIZES;
use super::user_filter::UserFilter;

/// Longest search text a `back` may carry; the search field itself takes no more.
pub const SEARCH_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPlace {
    /// The Deleted users tab rather than the Users tab (which has no filter or search).
    pub deleted: bool,
    pub filter: UserFilter,
    pub search: String,
    pub page: i64,
    pub size: i64,
}

impl Default for ListPlace {
    fn default() -> Self {
        ListPlace {
            deleted: false,
            filter: UserFilter::All,
            search: String::new(),
            page: 1,
            size: PAGE_SIZES[0],
        }
    }
}

/// The pieces that tell one place from the start of the list, for "Back to users (陳 ·
/// Licensed · page 2)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlacePart {
    Search(String),
    Filter(UserFilter),
    Page(i64),
}

impl ListPlace {
    /// The Users tab as a list request named it; the page and size as shown (clamped).
    pub fn users(filter: UserFilter, search: &str, page: i64, size: i64) -> Self {
        ListPlace {
            deleted: false,
            filter,
            search: search.chars().take(SEARCH_MAX_CHARS).collect(),
            page: page.max(1),
            size: if PAGE_SIZES.contains(&size) {
                size
            } else {
                PAGE_SIZES[0]
            },
        }
    }

    /// The first page of the Deleted users tab.
    pub fn deleted_tab() -> Self {
        Self::deleted(1, PAGE_SIZES[0])
    }

    pub fn deleted(page: i64, size: i64) -> Self {
        ListPlace {
            deleted: true,
            ..ListPlace::users(UserFilter::All, "", page, size)
        }
    }

    /// Reads a `back` value: a URL of this customer's Users or Deleted users tab. Anything else
    /// (another customer, another page, another site, a search too long) is the list's start.
    pub fn from_back(customer_id: i64, back: Option<&str>) -> Self {
        Self::from_back_or(customer_id, back, ListPlace::default())
    }

    /// As [`Self::from_back`], with the start of another tab when `back` names no place.
    pub fn from_back_or(customer_id: i64, back: Option<&str>, start: ListPlace) -> Self {
        back.and_then(|b| Self::parse(customer_id, b)).unwrap_or(start)
    }

    /// The start of its tab: nothing to carry.
    pub fn is_start(&self) -> bool {
        *self == ListPlace::default() || *self == ListPlace::deleted_tab()
    }

    fn parse(customer_id: i64, back: &str) -> Option<Self> {
        let (path, query) = back.split_once('?').unwrap_or((back, ""));
        let users_path = format!("/customers/{customer_id}/users");
        let deleted = match path.strip_prefix(users_path.as_str())? {
            "" => false,
            "/deleted" => true,
            _ => return None,
        };
        let (mut filter, mut search, mut page, mut size) = (UserFilter::All, String::new(), 1, PAGE_SIZES[0]);
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "filter" => filter = UserFilter::parse(&value),
                "q" if value.chars().count() > SEARCH_MAX_CHARS => return None,
                "q" => search = value.into_owned(),
                "page" => page = value.parse().unwrap_or(1),
                "size" => size = value.parse().unwrap_or(PAGE_SIZES[0]),
                _ => {}
            }
        }
        Some(if deleted {
            ListPlace::deleted(page, size)
        } else {
            ListPlace::users(filter, &search, page, size)
        })
    }

    /// The place's URL, which is also the value of a `back` parameter; values at their
    /// defaults are left out.
    pub fn url(&self, customer_id: i64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if !self.deleted {
            if self.filter != UserFilter::All {
                query.append_pair("filter", &self.filter.as_param());
            }
            if !self.search.is_empty() {
                query.append_pair("q", &self.search);
            }
        }
        if self.size != PAGE_SIZES[0] {
            query.append_pair("size", &self.size.to_string());
        }
        if self.page > 1 {
            query.append_pair("page", &self.page.to_string());
        }
        let (tab, query) = (if self.deleted { "/deleted" } else { "" }, query.finish());
        match query.is_empty() {
            true => format!("/customers/{customer_id}/users{tab}"),
            false => format!("/customers/{customer_id}/users{tab}?{query}"),
        }
    }

    /// The place's URL with a message for the list to show ("3 users deleted").
    pub fn url_with_notice(&self, customer_id: i64, notice: &str, count: usize) -> String {
        let url = self.url(customer_id);
        let joint = if url.contains('?') { '&' } else { '?' };
        format!("{url}{joint}notice={notice}&count={count}")
    }

    /// What sets this place apart from the start of its tab, in the order a person reads it.
    pub fn parts(&self) -> Vec<PlacePart> {
        let mut parts = Vec::new();
        if !self.search.trim().is_empty() {
            parts.push(PlacePart::Search(self.search.trim().to_string()));
        }
        if self.filter != UserFilter::All {
            parts.push(PlacePart::Filter(self.filter));
        }
        if self.page > 1 {
            parts.push(PlacePart::Page(self.page));
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_round_trips_through_its_url() {
        let place = ListPlace::users(UserFilter::HasProduct(12), "陳 & co?", 3, 50);
        assert_eq!(ListPlace::from_back(7, Some(&place.url(7))), place);
        let deleted = ListPlace::deleted(2, 100);
        assert_eq!(ListPlace::from_back(7, Some(&deleted.url(7))), deleted);
    }

    #[test]
    fn only_this_customers_list_is_a_place() {
        for back in [
            "https://evil.example/customers/7/users",
            "//evil.example/customers/7/users",
            "/customers/8/users?page=2",
            "/customers/7/users/12",
            "/customers/7/usersx",
            "/customers/7/subscriptions",
            "/customers/7/users/deleted/x",
            "",
        ] {
            assert_eq!(ListPlace::from_back(7, Some(back)), ListPlace::default(), "{back}");
        }
        assert_eq!(ListPlace::from_back(7, None), ListPlace::default());
    }

    #[test]
    fn values_are_rebuilt_not_echoed() {
        let place = ListPlace::from_back(
            7,
            Some("/customers/7/users?filter=licensed&page=-4&size=9999&notice=deleted&x=%0d%0a"),
        );
        assert_eq!(place, ListPlace::users(UserFilter::Licensed, "", 1, 25));
        assert_eq!(place.url(7), "/customers/7/users?filter=licensed");
        assert_eq!(ListPlace::default().url(7), "/customers/7/users");
        assert_eq!(ListPlace::deleted(1, 25).url(7), "/customers/7/users/deleted");
        assert!(ListPlace::deleted(1, 25).is_start() && ListPlace::default().is_start());
        let too_long = format!("/customers/7/users?q={}", "a".repeat(SEARCH_MAX_CHARS + 1));
        assert_eq!(ListPlace::from_back(7, Some(&too_long)), ListPlace::default());
    }

    #[test]
    fn names_what_differs_from_the_start() {
        let place = ListPlace::users(UserFilter::Licensed, " 陳 ", 2, 25);
        assert_eq!(
            place.parts(),
            [
                PlacePart::Search("陳".into()),
                PlacePart::Filter(UserFilter::Licensed),
                PlacePart::Page(2)
            ]
        );
        assert!(ListPlace::default().parts().is_empty());
        assert_eq!(ListPlace::deleted(3, 25).parts(), [PlacePart::Page(3)]);
    }

    #[test]
    fn a_notice_rides_on_the_place() {
        let place = ListPlace::users(UserFilter::All, "", 2, 25);
        assert_eq!(
            place.url_with_notice(7, "deleted", 3),
            "/customers/7/users?page=2&notice=deleted&count=3"
        );
        assert_eq!(
            ListPlace::default().url_with_notice(7, "deleted", 3),
            "/customers/7/users?notice=deleted&count=3"
        );
    }
}
