//! Time zones by IANA name (Asia/Taipei): which names a partner or a staff member may choose,
//! how an offset is written ("UTC+8"), and what a local day is in UTC (the activity log's date
//! filter means days where the staff member is).

use chrono::{DateTime, Duration, LocalResult, NaiveDate, Offset, TimeZone as _, Utc};
use chrono_tz::Tz;

use super::FieldError;

/// A time zone a person chose from the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(Tz);

impl TimeZone {
    pub const UTC: TimeZone = TimeZone(Tz::UTC);

    /// An IANA name from [`choices`]; anything else (a typo, a legacy alias) is refused.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        match raw.parse::<Tz>() {
            Ok(tz) if is_choice(tz.name()) => Ok(TimeZone(tz)),
            _ => Err(FieldError::new("err-time-zone-unknown").with("value", raw)),
        }
    }

    /// A stored name, as it was checked when chosen; a name this version no longer knows is UTC.
    pub fn from_stored(name: &str) -> Self {
        name.parse::<Tz>().map(TimeZone).unwrap_or(Self::UTC)
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn tz(self) -> Tz {
        self.0
    }
}

/// Zones people live in: the "Area/City" names, and UTC. The tz database's other names
/// (Etc/GMT+5, US/Eastern, EST5EDT) are aliases or traps, and are not offered.
fn is_choice(name: &str) -> bool {
    const AREAS: [&str; 9] = [
        "Africa/",
        "America/",
        "Antarctica/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    name == "UTC" || AREAS.iter().any(|area| name.starts_with(area))
}

/// Every zone a person may choose, UTC first, then by name (listed once: the Account and Staff
/// pages offer all of them).
pub fn choices() -> &'static [&'static str] {
    static CHOICES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .filter(|n| is_choice(n) && *n != "UTC")
            .collect();
        names.sort_unstable();
        names.insert(0, "UTC");
        names
    });
    &CHOICES
}

/// The offset from UTC at that moment in that zone, as people write it: "UTC", "UTC+8",
/// "UTC+5:30", "UTC-3".
pub fn offset_label(zone: Tz, at: DateTime<Utc>) -> String {
    let seconds = zone.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc();
    if seconds == 0 {
        return "UTC".into();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    match minutes % 60 {
        0 => format!("UTC{sign}{}", minutes / 60),
        m => format!("UTC{sign}{}:{m:02}", minutes / 60),
    }
}

/// The moments a local day starts and ends (the next day's start), in UTC. A day whose
/// midnight a clock change skips starts at the first moment that exists.
pub fn local_day(zone: Tz, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |day: NaiveDate| -> DateTime<Utc> {
        let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        match zone.from_local_datetime(&midnight) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            // Skipped by a clock change: the hour after is the first that exists.
            LocalResult::None => zone
                .from_local_datetime(&(midnight + Duration::hours(1)))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&midnight)),
        }
    };
    (start(day), start(day.succ_opt().unwrap_or(day)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_the_zones_people_live_in() {
        let list = choices();
        assert_eq!(list[0], "UTC");
        assert!(list.contains(&"Asia/Taipei") && list.contains(&"Europe/London"));
        assert!(!list.contains(&"US/Eastern") && !list.contains(&"Etc/GMT+5"));
        assert!(list.len() > 300, "{}", list.len());
    }

    #[test]
    fn parses_only_names_from_the_list() {
        assert_eq!(TimeZone::parse(" Asia/Taipei ").unwrap().name(), "Asia/Taipei");
        assert_eq!(TimeZone::parse("UTC").unwrap(), TimeZone::UTC);
        for bad in ["", "Taipei", "asia/taipei", "US/Eastern", "Etc/GMT+5", "Mars/Olympus"] {
            assert_eq!(TimeZone::parse(bad).unwrap_err().key, "err-time-zone-unknown", "{bad}");
        }
        assert_eq!(TimeZone::from_stored("Nowhere/Gone"), TimeZone::UTC);
    }

    #[test]
    fn writes_offsets_as_people_do() {
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 18, 21, 0).unwrap();
        assert_eq!(offset_label(Tz::Asia__Taipei, at), "UTC+8");
        assert_eq!(offset_label(Tz::Asia__Kolkata, at), "UTC+5:30");
        assert_eq!(offset_label(Tz::America__Sao_Paulo, at), "UTC-3");
        assert_eq!(offset_label(Tz::UTC, at), "UTC");
        // Summer time moves the offset.
        let july = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(offset_label(Tz::Europe__London, july), "UTC+1");
        assert_eq!(offset_label(Tz::Europe__London, at), "UTC");
    }

    #[test]
    fn a_local_day_in_utc() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let (start, end) = local_day(Tz::Asia__Taipei, day);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 12, 3, 16, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 12, 4, 16, 0, 0).unwrap());
        // Chile skips midnight when its summer time starts (2026-09-06).
        let skipped = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let (start, end) = local_day(Tz::America__Santiago, skipped);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 9, 6, 4, 0, 0).unwrap());
        assert_eq!(end - start, Duration::hours(23));
    }
}
