//! The life of an import job and the decisions taken on its way: which status a checked file
//! gets, which jobs may (re)start, whether the seats and names still allow the file, and the
//! rows turned into the columns the insert takes. Pure: the caller loads and writes.

use std::collections::HashSet;

use chrono::Duration;

use super::import_rows::{ImportRow, Problem};
use super::licensing::check_seats;
use super::FieldError;

/// Where an import stands. Stored in `import_jobs.status` as [`JobStatus::as_str`], the
/// strings the table's CHECK constraint lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// The file had problems (or no rows): it can only be fixed and uploaded again.
    Invalid,
    /// Every row is good; nobody has pressed "Create users" yet.
    Validated,
    /// Waiting for a worker.
    Queued,
    /// A worker is creating the users.
    Running,
    /// Every user of the file exists.
    Done,
    /// Nothing of it was kept; it can run again.
    Failed,
}

impl JobStatus {
    pub const ALL: [JobStatus; 6] = [
        JobStatus::Invalid,
        JobStatus::Validated,
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Done,
        JobStatus::Failed,
    ];

    /// Jobs no one started hold names, not passwords, and are removed after [`ABANDONED_AFTER`].
    pub const ABANDONED: [JobStatus; 2] = [JobStatus::Invalid, JobStatus::Validated];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Invalid => "invalid",
            JobStatus::Validated => "validated",
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Result<JobStatus, UnknownStatus> {
        JobStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| UnknownStatus(value.to_string()))
    }

    /// "Create users" is offered, and accepted, only for a checked file nobody started yet and
    /// for a failed run (which kept nothing, so running it again creates nobody twice).
    pub fn can_start(self) -> bool {
        matches!(self, JobStatus::Validated | JobStatus::Failed)
    }

    /// A worker has it or will: its page keeps reloading itself.
    pub fn is_active(self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }

    /// A checked file can be started only with no problem and at least one row.
    pub fn after_check(problems: usize, rows: usize) -> JobStatus {
        if problems == 0 && rows > 0 {
            JobStatus::Validated
        } else {
            JobStatus::Invalid
        }
    }
}

/// How long a checked file nobody started is kept (its rows and the job itself).
pub const ABANDONED_AFTER: Duration = Duration::days(1);

/// How long a failed import keeps the rows of its file, so that "Run again" can run it: a week,
/// enough to buy the seats or free the names it failed for. After that only its summary stays.
/// (A done import keeps its rows until its credentials page has expired.)
pub const FAILED_ROWS_KEPT: Duration = Duration::days(7);

/// A status the code does not know: the row was written by something else and is not guessed at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown import status {0:?}")]
pub struct UnknownStatus(pub String);

impl TryFrom<String> for JobStatus {
    type Error = UnknownStatus;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        JobStatus::parse(&value)
    }
}

/// A subscription as the seat check sees it.
#[derive(Debug, Clone, Copy)]
pub struct Offer<'a> {
    pub subscription_id: i64,
    pub product_name: &'a str,
    pub available: i64,
}

/// Every reason the chosen products cannot be given to `users` new users: a product that is not
/// one of the customer's subscriptions, or one short of seats.
pub fn seat_problems(users: i64, chosen: &[i64], offers: &[Offer<'_>]) -> Vec<FieldError> {
    chosen
        .iter()
        .filter_map(|id| match offers.iter().find(|o| o.subscription_id == *id) {
            Some(offer) => check_seats(offer.product_name, users, offer.available).err(),
            None => Some(FieldError::new("err-product-choose")),
        })
        .collect()
}

/// Why "Create users" is refused, all at once: the job is past starting, its rows are no
/// longer kept (see [`FAILED_ROWS_KEPT`]), rows without a usage location get products but no
/// default location was chosen, or the seats do not suffice.
/// i18n-key: import-err-rows-purged
pub fn start_problems(
    status: JobStatus,
    rows_kept: bool,
    users: i64,
    rows_without_location: i32,
    has_default_location: bool,
    chosen: &[i64],
    offers: &[Offer<'_>],
) -> Vec<FieldError> {
    if !status.can_start() {
        return vec![FieldError::new("import-err-not-startable")];
    }
    if !rows_kept {
        return vec![FieldError::new("import-err-rows-purged")];
    }
    let mut problems = Vec::new();
    if rows_without_location > 0 && !has_default_location && !chosen.is_empty() {
        problems.push(FieldError::new("err-usage-location-needed"));
    }
    problems.extend(seat_problems(users, chosen, offers));
    problems
}

/// The first user name of the file an active user took since the file was checked.
pub fn first_taken(names: &[String], taken: &HashSet<String>) -> Option<FieldError> {
    names
        .iter()
        .find(|n| taken.contains(&n.to_lowercase()))
        .map(|clash| FieldError::new("err-user-name-taken").with("value", clash))
}

/// A problem as a job's summary keeps it once the file's rows are gone: where and what kind,
/// without the value it quoted (a name or user name from the file), which the message shows
/// as "…" instead.
pub fn without_values(problem: Problem) -> Problem {
    Problem {
        value: String::new(),
        args: problem
            .args
            .into_iter()
            .map(|(name, value)| match name.as_str() {
                "value" => (name, "…".to_string()),
                _ => (name, value),
            })
            .collect(),
        ..problem
    }
}

/// A failure stored with the job, in the shape of a problem so the page shows it the same way.
pub fn failure(error: FieldError) -> Problem {
    Problem {
        row: 0,
        column: String::new(),
        value: String::new(),
        key: error.key.to_string(),
        args: error.args.into_iter().map(|(n, v)| (n.to_string(), v)).collect(),
    }
}

/// The users of a file as the columns of one insert, moved out of the rows so a file of
/// 150,000 users is never held twice.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NewUsers {
    pub first_names: Vec<String>,
    pub last_names: Vec<String>,
    pub display_names: Vec<String>,
    pub user_names: Vec<String>,
    pub usage_locations: Vec<Option<String>>,
}

impl NewUsers {
    /// A row without its own usage location takes the one chosen for the whole file.
    pub fn from_rows(rows: Vec<ImportRow>, default_location: Option<&str>) -> NewUsers {
        let mut users = NewUsers::with_capacity(rows.len());
        for row in rows {
            users.first_names.push(row.first_name);
            users.last_names.push(row.last_name);
            users.display_names.push(row.display_name);
            users.user_names.push(row.user_name);
            users
                .usage_locations
                .push(row.usage_location.or_else(|| default_location.map(str::to_string)));
        }
        users
    }

    fn with_capacity(count: usize) -> NewUsers {
        NewUsers {
            first_names: Vec::with_capacity(count),
            last_names: Vec::with_capacity(count),
            display_names: Vec::with_capacity(count),
            user_names: Vec::with_capacity(count),
            usage_locations: Vec::with_capacity(count),
        }
    }

    pub fn len(&self) -> usize {
        self.user_names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.user_names.is_empty()
    }

    /// Lower-case names, for looking up which are taken.
    pub fn keys(&self) -> Vec<String> {
        self.user_names.iter().map(|n| n.to_lowercase()).collect()
    }
}

/// Seconds left of a run that started at `started` and has created `done` of `total`, from
/// its pace so far; `None` before there is a pace.
pub fn seconds_left(
    started: chrono::DateTime<chrono::Utc>,
    done: i32,
    total: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<i64> {
    if done <= 0 {
        return None;
    }
    let elapsed = (now - started).num_milliseconds().max(1) as f64 / 1000.0;
    let rate = f64::from(done) / elapsed;
    Some((f64::from(total - done) / rate).ceil().max(0.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_follows_the_pace_so_far() {
        let started = chrono::DateTime::from_timestamp(1_000, 0).unwrap();
        let now = chrono::DateTime::from_timestamp(1_010, 0).unwrap();
        assert_eq!(seconds_left(started, 0, 100, now), None, "no pace yet");
        assert_eq!(seconds_left(started, 25, 100, now), Some(30));
        assert_eq!(seconds_left(started, 100, 100, now), Some(0));
    }

    #[test]
    fn every_status_reads_back_as_itself() {
        for status in JobStatus::ALL {
            assert_eq!(JobStatus::parse(status.as_str()), Ok(status));
            assert_eq!(JobStatus::try_from(status.as_str().to_string()), Ok(status));
        }
    }

    #[test]
    fn the_table_accepts_exactly_these_statuses() {
        let up = include_str!("../../migrations/2026-11-25-000003_imports/up.sql");
        let check = up
            .lines()
            .find(|l| l.trim_start().starts_with("status TEXT"))
            .expect("import_jobs has a status column");
        let listed: Vec<&str> = check.split('\'').skip(1).step_by(2).collect();
        assert_eq!(listed, JobStatus::ALL.map(JobStatus::as_str));
    }

    #[test]
    fn an_unknown_status_is_an_error_not_a_guess() {
        assert_eq!(JobStatus::parse("Done"), Err(UnknownStatus("Done".into())));
        assert!(JobStatus::parse("").is_err());
    }

    #[test]
    fn only_checked_and_failed_jobs_can_start() {
        let startable: Vec<JobStatus> = JobStatus::ALL.into_iter().filter(|s| s.can_start()).collect();
        assert_eq!(startable, [JobStatus::Validated, JobStatus::Failed]);
    }

    #[test]
    fn queued_and_running_jobs_are_active() {
        let active: Vec<JobStatus> = JobStatus::ALL.into_iter().filter(|s| s.is_active()).collect();
        assert_eq!(active, [JobStatus::Queued, JobStatus::Running]);
    }

    #[test]
    fn a_file_is_startable_only_with_rows_and_no_problem() {
        assert_eq!(JobStatus::after_check(0, 3), JobStatus::Validated);
        assert_eq!(JobStatus::after_check(1, 3), JobStatus::Invalid);
        assert_eq!(JobStatus::after_check(0, 0), JobStatus::Invalid);
    }

    fn offers() -> [Offer<'static>; 2] {
        [
            Offer {
                subscription_id: 1,
                product_name: "Office 365 E3",
                available: 10,
            },
            Offer {
                subscription_id: 2,
                product_name: "Visio",
                available: 2,
            },
        ]
    }

    #[test]
    fn seats_are_checked_for_every_chosen_product() {
        assert!(seat_problems(10, &[1], &offers()).is_empty());
        let short = seat_problems(3, &[1, 2], &offers());
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].key, "err-not-enough-licenses");
        assert!(short[0].args.contains(&("product", "Visio".into())));
        assert!(short[0].args.contains(&("needed", "3".into())));
    }

    #[test]
    fn a_product_of_no_subscription_is_refused() {
        let problems = seat_problems(1, &[9], &offers());
        assert_eq!(problems, [FieldError::new("err-product-choose")]);
    }

    #[test]
    fn a_running_job_cannot_start_again() {
        for status in [
            JobStatus::Invalid,
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::Done,
        ] {
            assert_eq!(
                start_problems(status, true, 1, 0, true, &[], &offers()),
                [FieldError::new("import-err-not-startable")]
            );
        }
    }

    #[test]
    fn rows_without_location_need_one_only_when_products_are_given() {
        let keys = |p: Vec<FieldError>| p.into_iter().map(|e| e.key).collect::<Vec<_>>();
        assert!(start_problems(JobStatus::Validated, true, 1, 1, false, &[], &offers()).is_empty());
        assert!(start_problems(JobStatus::Failed, true, 1, 1, true, &[1], &offers()).is_empty());
        assert_eq!(
            keys(start_problems(
                JobStatus::Validated,
                true,
                3,
                1,
                false,
                &[1, 2],
                &offers()
            )),
            ["err-usage-location-needed", "err-not-enough-licenses"]
        );
    }

    #[test]
    fn a_failed_job_whose_rows_are_gone_cannot_run_again() {
        assert_eq!(
            start_problems(JobStatus::Failed, false, 1, 0, true, &[1], &offers()),
            [FieldError::new("import-err-rows-purged")]
        );
    }

    #[test]
    fn a_summary_keeps_where_and_what_but_not_the_value() {
        let error = FieldError::new("err-user-name-taken").with("value", "anna@contoso.com");
        let mut problem = failure(error);
        problem.value = "anna@contoso.com".into();
        problem.row = 7;
        let kept = without_values(problem);
        assert_eq!(
            (kept.row, kept.key.as_str(), kept.value.as_str()),
            (7, "err-user-name-taken", "")
        );
        assert_eq!(kept.args, [("value".to_string(), "…".to_string())]);
        let seats = crate::domain::licensing::check_seats("Office 365 E3", 4, 1).unwrap_err();
        assert_eq!(
            without_values(failure(seats.clone())).error(),
            seats,
            "numbers and product names are no values from the file"
        );
    }

    #[test]
    fn a_name_taken_since_the_check_is_found_whatever_its_case() {
        let names = vec!["anna@contoso.com".to_string(), "Ben@Contoso.com".to_string()];
        let taken: HashSet<String> = ["ben@contoso.com".to_string()].into();
        assert_eq!(
            first_taken(&names, &taken),
            Some(FieldError::new("err-user-name-taken").with("value", "Ben@Contoso.com"))
        );
        assert_eq!(first_taken(&names, &HashSet::new()), None);
    }

    #[test]
    fn a_failure_reads_back_as_the_same_error() {
        let error = FieldError::new("err-user-name-taken").with("value", "anna@contoso.com");
        assert_eq!(failure(error.clone()).error(), error);
    }

    #[test]
    fn rows_become_columns_and_take_the_default_location() {
        let row = |n: usize, location: Option<&str>| ImportRow {
            row: n,
            first_name: format!("F{n}"),
            last_name: format!("L{n}"),
            display_name: format!("D{n}"),
            user_name: format!("U{n}@contoso.com"),
            usage_location: location.map(str::to_string),
        };
        let users = NewUsers::from_rows(vec![row(2, Some("JP")), row(3, None)], Some("TW"));
        assert_eq!(users.len(), 2);
        assert_eq!(users.first_names, ["F2", "F3"]);
        assert_eq!(users.display_names, ["D2", "D3"]);
        assert_eq!(users.usage_locations, [Some("JP".into()), Some("TW".into())]);
        assert_eq!(users.keys(), ["u2@contoso.com", "u3@contoso.com"]);
        let without = NewUsers::from_rows(vec![row(2, None)], None);
        assert_eq!(without.usage_locations, [None]);
    }
}
