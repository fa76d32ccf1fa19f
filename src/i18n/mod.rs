//! English and Traditional Chinese: every string on screen comes from the Fluent files in
//! `locales/`, looked up per request (never a process-wide locale).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, Loader};
use unic_langid::LanguageIdentifier;

use crate::domain::FieldError;

static_loader! {
    static LOCALES = {
        locales: "./src/i18n/locales",
        fallback_language: "en-US",
        // Bidi isolation marks would end up inside HTML attributes and e-mails. Whole numbers
        // are written with thousands separators wherever a message shows one.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            bundle.set_formatter(Some(group_whole_numbers));
        },
    };
}

static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| "en-US".parse().expect("valid id"));
static ZH_TW: LazyLock<LanguageIdentifier> = LazyLock::new(|| "zh-TW".parse().expect("valid id"));

/// The languages PartnerDesk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhTw,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhTw];
    /// Name of the cookie that remembers the choice made with the switcher.
    pub const COOKIE: &'static str = "pd_lang";

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhTw => "zh-TW",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhTw => "繁體中文",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" | "en-us" => Some(Lang::En),
            "zh-tw" => Some(Lang::ZhTw),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::ZhTw => &ZH_TW,
        }
    }

    /// Picks the best supported language from an Accept-Language header. Any Chinese but
    /// Simplified-only tags maps to Traditional Chinese; everything else to English.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok()))
                .unwrap_or(1.0);
            let lang = if tag == "zh" || tag.starts_with("zh-") {
                if tag == "zh-cn" || tag == "zh-sg" || tag.starts_with("zh-hans") {
                    continue;
                }
                Lang::ZhTw
            } else if tag == "en" || tag.starts_with("en-") {
                Lang::En
            } else {
                continue;
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::En)
    }
}

/// Fluent's way of writing a number in a message: whole numbers grouped by three ("25,000"),
/// as both languages write them; anything else as Fluent writes it.
fn group_whole_numbers<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n)
            if n.value.fract() == 0.0 && n.value.abs() < 1e15 && n.options.minimum_fraction_digits.is_none() =>
        {
            Some(Tr::new(Lang::En).num(n.value as i64))
        }
        _ => None,
    }
}

/// One language's texts of [`Tr::get`], by key.
type Resolved = RwLock<HashMap<Box<str>, Box<str>>>;

/// [`Tr::get`]'s texts, by language (in [`Lang`]'s order).
static RESOLVED: LazyLock<[Resolved; 2]> = LazyLock::new(|| [RwLock::new(HashMap::new()), RwLock::new(HashMap::new())]);

/// A translator for one request's language and time zone; templates call its `get` with a
/// message key and write dates with `date` and `datetime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub lang: Lang,
    /// Where the reader is: dates and times are written in this zone, with its offset.
    pub zone: Tz,
}

impl Tr {
    /// Words in `lang`, times in UTC.
    pub fn new(lang: Lang) -> Self {
        Self { lang, zone: Tz::UTC }
    }

    /// The same words, with times in `zone`.
    pub fn in_zone(self, zone: Tz) -> Self {
        Self { zone, ..self }
    }

    /// The message for `key`; a missing key shows itself (and a unit test fails on it).
    pub fn get(&self, key: &str) -> String {
        // A message without arguments is the same text on every page: it is looked up once per
        // language (a page has dozens; each lookup negotiates and resolves anew). Only keys the
        // files have are kept, so the memory is bounded by them whatever key is asked for.
        let known = &RESOLVED[self.lang as usize];
        if let Some(text) = known.read().unwrap_or_else(|e| e.into_inner()).get(key) {
            return text.to_string();
        }
        match LOCALES.try_lookup(self.lang.id(), key) {
            Some(text) => {
                known
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key.into(), text.as_str().into());
                text
            }
            None => key.to_string(),
        }
    }

    /// The message for `key` with `{ $name }` arguments.
    pub fn args(&self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| (Cow::Owned(name.to_string()), fluent_value(name, value)))
            .collect();
        LOCALES
            .try_lookup_with_args(self.lang.id(), key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    /// A message with one argument, for templates.
    pub fn arg(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.args(key, &[(name, value.to_string())])
    }

    /// A message with one argument, resolved once for the many values of a list's rows: each
    /// [`OneArg::with`] gives what [`Tr::arg`] gives, without a lookup per row (they were half of
    /// the Users list's rendering). Only for messages that place the argument as it is, with no
    /// plural or select on it.
    pub fn one_arg(&self, key: &str, name: &str) -> OneArg {
        const MARK: &str = "\u{E000}";
        let text = self.arg(key, name, MARK);
        match text.split_once(MARK) {
            Some((before, after)) => OneArg {
                before: before.to_string(),
                after: Some(after.to_string()),
            },
            None => OneArg {
                before: text,
                after: None,
            },
        }
    }

    /// A field's or a file's error ("200,001 users": numbers are grouped as in every message).
    pub fn error(&self, error: &FieldError) -> String {
        let args: Vec<(&str, String)> = error.args.iter().map(|(name, value)| (*name, value.clone())).collect();
        self.args(error.key, &args)
    }

    /// A date and time as people in that language write it, in the reader's zone with its
    /// offset ("Dec 4, 2026 02:21 UTC+8").
    pub fn datetime(&self, at: &DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.zone);
        let offset = crate::domain::time_zone::offset_label(self.zone, *at);
        match self.lang {
            Lang::En => format!("{} {}", local.format("%b %-d, %Y %H:%M"), offset),
            Lang::ZhTw => format!("{} {}", local.format("%Y年%-m月%-d日 %H:%M"), offset),
        }
    }

    /// The date in the reader's zone. Written out directly rather than through a strftime
    /// pattern, which chrono parses anew on every call: lists print a date on each row.
    pub fn date(&self, at: &DateTime<Utc>) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let at = at.with_timezone(&self.zone);
        match self.lang {
            Lang::En => format!("{} {}, {}", MONTHS[at.month0() as usize], at.day(), at.year()),
            Lang::ZhTw => format!("{}年{}月{}日", at.year(), at.month(), at.day()),
        }
    }

    /// Whole numbers with thousands separators (both languages group by three with commas).
    pub fn num(&self, n: impl Count) -> String {
        let n: i64 = n.count();
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    pub fn country_name(&self, code: &str) -> String {
        match crate::domain::country::by_code(code) {
            Some(c) => match self.lang {
                Lang::En => c.name_en.clone(),
                Lang::ZhTw => c.name_zh_tw.clone(),
            },
            None => code.to_string(),
        }
    }

    /// Countries sorted by their name in this language, for a usage location choice.
    pub fn countries(&self) -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = crate::domain::country::all()
            .iter()
            .map(|c| {
                let name = match self.lang {
                    Lang::En => c.name_en.clone(),
                    Lang::ZhTw => c.name_zh_tw.clone(),
                };
                (c.code.clone(), name)
            })
            .collect();
        list.sort_by(|a, b| a.1.cmp(&b.1));
        list
    }
}

/// Whole numbers a page may show, by value or by reference (templates pass either).
pub trait Count {
    fn count(&self) -> i64;
}

macro_rules! count_impls {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn count(&self) -> i64 {
                *self as i64
            }
        }
        impl Count for &$t {
            fn count(&self) -> i64 {
                **self as i64
            }
        }
    )*};
}
count_impls!(i32, i64, usize, u64);

/// See [`Tr::one_arg`].
#[derive(Debug, Clone)]
pub struct OneArg {
    before: String,
    /// None when the message does not show its argument.
    after: Option<String>,
}

impl OneArg {
    pub fn with(&self, value: impl std::fmt::Display) -> String {
        match &self.after {
            Some(after) => format!("{}{value}{after}", self.before),
            None => self.before.clone(),
        }
    }
}

/// Arguments that carry what a person typed or named (a value, a user, a search): shown as
/// they are, even when they look like a number ("Select 2024", "Quantity "1000"").
const TEXT_ARGS: [&str; 9] = [
    "value", "name", "user", "label", "place", "domain", "company", "email", "file",
];

fn fluent_value(name: &str, value: &str) -> FluentValue<'static> {
    // Counts go to Fluent as numbers so plural rules apply (and thousands are grouped); everything
    // else as text.
    match value.parse::<i64>() {
        Ok(n)
            if !(TEXT_ARGS.contains(&name) || value.starts_with('+') || value.starts_with('0') && value.len() > 1) =>
        {
            FluentValue::from(n)
        }
        _ => FluentValue::from(value.to_string()),
    }
}

#[cfg(test)]
mod tests;
