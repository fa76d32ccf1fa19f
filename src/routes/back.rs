//! The way back to the users list as it was: a [`ListPlace`] as a link with its name, and as
//! the `back` value that forms and links carry.

use crate::auth::Ui;
use crate::domain::list_place::{ListPlace, PlacePart};
use crate::domain::user_filter::UserFilter;
use crate::services::subscriptions::SubscriptionRow;
use crate::url::encode_query_value;

#[derive(Debug, Clone)]
pub struct Back {
    pub place: ListPlace,
    /// The place's URL: where links go, and the value of a hidden `back` field.
    pub url: String,
    /// "Back to users (陳 · Licensed users · page 2)".
    pub label: String,
}

impl Back {
    /// `subscriptions` name the product of a "Has …" filter; without them that part is left out.
    pub fn new(ui: &Ui, customer_id: i64, place: ListPlace, subscriptions: &[SubscriptionRow]) -> Self {
        let parts: Vec<String> = place
            .parts()
            .into_iter()
            .filter_map(|part| match part {
                PlacePart::Search(text) => Some(text),
                PlacePart::Filter(filter) => filter_label(ui, filter, subscriptions),
                PlacePart::Page(page) => Some(ui.t.arg("back-page", "page", page)),
            })
            .collect();
        let label = match (place.deleted, parts.is_empty()) {
            (false, true) => ui.t.get("back-to-users"),
            (false, false) => ui.t.arg("back-to-users-at", "place", parts.join(" · ")),
            (true, true) => ui.t.get("back-to-deleted"),
            (true, false) => ui.t.arg("back-to-deleted-at", "place", parts.join(" · ")),
        };
        Back {
            url: place.url(customer_id),
            place,
            label,
        }
    }

    /// `back=…` for a link's query string.
    pub fn query(&self) -> String {
        format!("back={}", encode_query_value(&self.url))
    }

    /// `path` with this place as its `back` (none for the start of a tab).
    pub fn on(&self, path: &str) -> String {
        if self.place.is_start() {
            return path.to_string();
        }
        let joint = if path.contains('?') { '&' } else { '?' };
        format!("{path}{joint}{}", self.query())
    }
}

/// i18n-key: filter-licensed filter-unlicensed filter-admins filter-blocked
fn filter_label(ui: &Ui, filter: UserFilter, subscriptions: &[SubscriptionRow]) -> Option<String> {
    let product = |id: i64| {
        subscriptions
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.product_name.clone())
    };
    Some(match filter {
        UserFilter::All => return None,
        UserFilter::HasProduct(id) => ui.t.arg("filter-has", "product", product(id)?),
        UserFilter::LacksProduct(id) => ui.t.arg("filter-lacks", "product", product(id)?),
        other => ui.t.get(&format!("filter-{}", other.as_param())),
    })
}
