//! A one-time status message for the page a successful change redirects to ("Seats added:
//! 5 × Office 365 E3 (now 25)"). It waits in the session between the POST and the GET that
//! follows, so its words are the server's facts, not values anyone could put in a link.

use actix_session::Session;
use serde::{Deserialize, Serialize};

use crate::i18n::Tr;

const SESSION_KEY: &str = "flash";

/// A message key and its arguments, translated when the next page is drawn (in the language
/// that page is in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    key: String,
    args: Vec<(String, String)>,
}

impl Flash {
    pub fn new(key: &'static str) -> Self {
        Flash {
            key: key.to_string(),
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.args.push((name.to_string(), value.to_string()));
        self
    }

    pub fn text(&self, t: &Tr) -> String {
        let args: Vec<(&str, String)> = self.args.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
        t.args(&self.key, &args)
    }
}

/// Keeps the message for the next page. A session that cannot take it loses only the message.
pub fn set(session: &Session, flash: Flash) {
    let _ = session.insert(SESSION_KEY, flash);
}

/// The waiting message, if any, removed so it shows once.
pub fn take(session: &Session) -> Option<Flash> {
    let flash = session.get::<Flash>(SESSION_KEY).ok().flatten()?;
    session.remove(SESSION_KEY);
    Some(flash)
}
