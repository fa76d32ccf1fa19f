//! Checking the rows of an imported file with the same parsers as the Add user form, and
//! finding names repeated inside the file or already taken by active users. Pure: the caller
//! passes the names already taken.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::country::UsageLocation;
use super::person;
use super::spreadsheet::{decode_owned, workbook, Column, EncodingChoice, Sheet};
use super::user_name::UserName;
use super::{text, FieldError};

/// PartnerDesk takes files of up to this many users (Google Workspace's 150,000 and more).
pub const MAX_ROWS: usize = 200_000;

/// A file's problems are listed, on the page and in the download, up to this many in row order;
/// past them they are only counted by kind. A file with more is wrong as a whole (a domain the
/// customer lacks, columns swapped), which the counts show; keeping every problem of a 40 MB file
/// took hundreds of megabytes while it was checked and again on every view of its report.
pub const PROBLEMS_LISTED: usize = 10_000;

/// One user of the file, checked. Holds no password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub row: usize,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub user_name: String,
    pub usage_location: Option<String>,
}

impl ImportRow {
    pub fn key(&self) -> String {
        self.user_name.to_lowercase()
    }
}

/// One problem: spreadsheet row (header = 1), column, the value (with any invisible character
/// that disguises text written out, see [`text::show_invisible`]), and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub key: String,
    pub args: Vec<(String, String)>,
}

impl Problem {
    fn new(row: usize, column: Column, value: &str, error: FieldError) -> Self {
        Problem {
            row,
            column: column.key().to_string(),
            value: text::show_invisible(value),
            key: error.key.to_string(),
            args: error.args.into_iter().map(|(n, v)| (n.to_string(), v)).collect(),
        }
    }

    pub fn error(&self) -> FieldError {
        let mut error = FieldError::new(leak_key(&self.key));
        for (name, value) in &self.args {
            error = error.with(leak_name(name), value);
        }
        error
    }
}

/// Message keys come back from JSON as `String`s; the handful of known keys are matched back to
/// their static form (an unknown one is shown as a generic problem).
fn leak_key(key: &str) -> &'static str {
    KNOWN_KEYS
        .iter()
        .find(|k| **k == key)
        .copied()
        .unwrap_or("import-err-row")
}

fn leak_name(name: &str) -> &'static str {
    ARG_NAMES.into_iter().find(|n| *n == name).unwrap_or("value")
}

/// Every argument the messages of [`KNOWN_KEYS`] take: an argument read back under another
/// name leaves its message unformatted, and the page would show the bare key.
const ARG_NAMES: [&str; 9] = [
    "value",
    "max",
    "count",
    "char",
    "domain",
    "row",
    "product",
    "needed",
    "available",
];

/// i18n-key: import-err-row import-err-duplicate-user import-err-too-many-rows
const KNOWN_KEYS: [&str; 25] = [
    "import-warn-line-break",
    "import-err-interrupted",
    "import-err-failed",
    "import-err-not-startable",
    "err-required",
    "err-control-chars",
    "err-invisible-char",
    "err-too-long",
    "err-country-unknown",
    "err-user-name-no-at",
    "err-user-name-bad-char",
    "err-user-name-leading-period",
    "err-user-name-double-period",
    "err-user-name-period-before-at",
    "err-user-name-alias-long",
    "err-user-name-domain-long",
    "err-user-name-long",
    "err-user-name-unknown-domain",
    "err-user-name-taken",
    "import-err-duplicate-user",
    "import-err-row",
    "import-err-too-many-rows",
    "err-not-enough-licenses",
    "err-usage-location-needed",
    "err-product-choose",
];

/// The problems of a file: the first [`PROBLEMS_LISTED`] in row order, and how many of each kind
/// the whole file has.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems {
    pub listed: Vec<Problem>,
    counts: BTreeMap<String, usize>,
    /// What was changed but creates the users anyway (a line break in a name made a space), the
    /// first [`PROBLEMS_LISTED`] in row order; they never stop an import.
    pub warnings: Vec<Problem>,
    pub warning_count: usize,
}

impl Problems {
    /// Adds a problem of a row after (or at) the rows of those added before.
    fn push(&mut self, problem: Problem) {
        match self.counts.get_mut(&problem.key) {
            Some(count) => *count += 1,
            None => {
                self.counts.insert(problem.key.clone(), 1);
            }
        }
        if self.listed.len() < PROBLEMS_LISTED {
            self.listed.push(problem);
        }
    }

    fn warn(&mut self, warning: Problem) {
        self.warning_count += 1;
        if self.warnings.len() < PROBLEMS_LISTED {
            self.warnings.push(warning);
        }
    }

    /// Both sets of problems, listed in row order (a row's own problems before its clash).
    pub fn merge(self, other: Problems) -> Problems {
        let mut counts = self.counts;
        for (key, count) in other.counts {
            *counts.entry(key).or_default() += count;
        }
        let mut listed = self.listed;
        listed.extend(other.listed);
        listed.sort_by_key(|p| p.row);
        listed.truncate(PROBLEMS_LISTED);
        let mut warnings = self.warnings;
        warnings.extend(other.warnings);
        warnings.sort_by_key(|p| p.row);
        warnings.truncate(PROBLEMS_LISTED);
        Problems {
            listed,
            counts,
            warnings,
            warning_count: self.warning_count + other.warning_count,
        }
    }

    /// Every problem of the file, listed or not.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Counts of each kind of problem, largest first.
    pub fn groups(&self) -> Vec<(String, usize)> {
        let mut list: Vec<(String, usize)> = self.counts.iter().map(|(k, c)| (k.clone(), *c)).collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list
    }
}

/// An uploaded file, read and checked against the customer's domains; what is left to check is
/// which names active users already have.
#[derive(Debug)]
pub struct CheckedFile {
    /// The encoding_rs name the file was read with.
    pub encoding: &'static str,
    pub total_rows: usize,
    pub unknown_columns: Vec<String>,
    /// How the file's headers were read ("名字" → first name), in file order.
    pub mapping: Vec<(String, Column)>,
    /// The first rows as they were read, so a person can check the names before creating users.
    pub preview: Vec<PreviewRow>,
    pub rows: Vec<ImportRow>,
    pub problems: Problems,
}

/// Reads an uploaded file: its bytes to text, the text to rows ([`MAX_ROWS`] at most), each row
/// checked. A file that cannot be read as a list of users at all is the error. Each stage gives
/// up what the one before held (the bytes become the text, each row is dropped once checked), so
/// the peak stays near twice the file.
pub fn read_file(
    bytes: Vec<u8>,
    choice: EncodingChoice,
    language_hint: Option<&str>,
    domains: &[String],
) -> Result<CheckedFile, FieldError> {
    // A workbook is read as what its bytes say it is, whatever the file is called.
    let (text, encoding) = match workbook::kind_of(&bytes) {
        workbook::Kind::Text => {
            let decoded = decode_owned(bytes, choice, language_hint).map_err(|e| e.message())?;
            (decoded.text, decoded.encoding)
        }
        workbook::Kind::Workbook(format) => (workbook::first_sheet_as_csv(bytes)?, format),
        workbook::Kind::Numbers => return Err(FieldError::new("import-err-numbers")),
        workbook::Kind::Encrypted => return Err(FieldError::new("import-err-encrypted")),
    };
    let text = to_nfc(text);
    let sheet = Sheet::parse_at_most(&text, MAX_ROWS).map_err(|e| e.message())?;
    drop(text);
    let (total_rows, unknown_columns) = (sheet.rows.len(), sheet.unknown_columns.clone());
    let (mapping, preview) = (sheet.mapping.clone(), preview_of(&sheet));
    let (rows, problems) = check_rows(sheet, domains);
    Ok(CheckedFile {
        encoding,
        total_rows,
        unknown_columns,
        mapping,
        preview,
        rows,
        problems,
    })
}

/// The text in Unicode's composed form (NFC), so "Zoë" written as "Zoe" + U+0308 is the same
/// name as typed on a keyboard. Text already in NFC (nearly every file) is kept, not copied.
pub fn to_nfc(text: String) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// How many rows the report previews.
pub const PREVIEW_ROWS: usize = 10;

/// A row of the preview: its number in the file and its cells as read (first name, last name,
/// display name, user name, usage location).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub number: usize,
    pub cells: [String; 5],
}

/// The columns a preview shows, in its order.
pub const PREVIEW_COLUMNS: [Column; 5] = [
    Column::FirstName,
    Column::LastName,
    Column::DisplayName,
    Column::UserName,
    Column::UsageLocation,
];

fn preview_of(sheet: &Sheet) -> Vec<PreviewRow> {
    sheet
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|row| PreviewRow {
            number: row.number,
            cells: PREVIEW_COLUMNS.map(|c| row.get(c).to_string()),
        })
        .collect()
}

/// Checks every row, dropping each once checked; gives the good rows and the problems.
pub fn check_rows(sheet: Sheet, domains: &[String]) -> (Vec<ImportRow>, Problems) {
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut problems = Problems::default();
    let mut first_seen: HashMap<String, usize> = HashMap::with_capacity(sheet.rows.len());
    for row in sheet.rows {
        let n = row.number;
        let mut bad = false;
        // A line break in a name cell (Alt+Enter in Excel) is one space, and the report says so.
        let mut joined = |column: Column| -> String {
            let raw = row.get(column);
            match text::join_lines(raw) {
                Some(one_line) => {
                    let warning = FieldError::new("import-warn-line-break").with("value", text::show_invisible(raw));
                    problems.warn(Problem::new(n, column, raw, warning));
                    one_line
                }
                None => raw.to_string(),
            }
        };
        let (first, last, display) = (
            joined(Column::FirstName),
            joined(Column::LastName),
            joined(Column::DisplayName),
        );
        let mut check = |column: Column, result: Result<String, FieldError>| match result {
            Ok(v) => v,
            Err(e) => {
                problems.push(Problem::new(n, column, row.get(column), e));
                bad = true;
                String::new()
            }
        };
        let first_name = check(Column::FirstName, person::parse_name(&first));
        let last_name = check(Column::LastName, person::parse_name(&last));
        let display_name = check(Column::DisplayName, person::parse_display_name(&display));
        let user_name = check(
            Column::UserName,
            UserName::parse(row.get(Column::UserName), domains).map(|u| u.as_string()),
        );
        let usage_location = match row.get(Column::UsageLocation).trim() {
            "" => None,
            raw => Some(check(
                Column::UsageLocation,
                UsageLocation::parse(raw).map(|l| l.code().to_string()),
            )),
        };
        if !user_name.is_empty() {
            let key = user_name.to_lowercase();
            match first_seen.get(&key) {
                Some(first) => {
                    let error = FieldError::new("import-err-duplicate-user")
                        .with("value", &user_name)
                        .with("row", first);
                    problems.push(Problem::new(n, Column::UserName, row.get(Column::UserName), error));
                    bad = true;
                }
                None => {
                    first_seen.insert(key, n);
                }
            }
        }
        if !bad {
            rows.push(ImportRow {
                row: n,
                first_name,
                last_name,
                display_name,
                user_name,
                usage_location,
            });
        }
    }
    (rows, problems)
}

/// Problems for rows (in row order) whose user name an active user already has.
pub fn clashes(rows: &[ImportRow], taken: &HashSet<String>) -> Problems {
    let mut problems = Problems::default();
    for r in rows.iter().filter(|r| taken.contains(&r.key())) {
        let error = FieldError::new("err-user-name-taken").with("value", &r.user_name);
        problems.push(Problem::new(r.row, Column::UserName, &r.user_name, error));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_out_composed() {
        assert_eq!(to_nfc("Zoe\u{308} Bronte\u{308}".into()), "Zoë Brontë");
        assert_eq!(to_nfc("Nguye\u{302}\u{303}n".into()), "Nguyễn");
        let composed = String::from("陳美玲, Zoë");
        let pointer = composed.as_ptr();
        let kept = to_nfc(composed);
        assert_eq!(kept.as_ptr(), pointer, "NFC text is kept as it is");
    }
    use crate::domain::spreadsheet::SheetRow;

    #[test]
    fn a_stored_problem_keeps_every_argument_of_its_message() {
        let locales = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n/locales");
        let mut lines = Vec::new();
        for lang in std::fs::read_dir(locales).unwrap() {
            for file in std::fs::read_dir(lang.unwrap().path()).unwrap() {
                let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
                lines.extend(text.lines().map(str::to_string).collect::<Vec<_>>());
            }
        }
        for key in KNOWN_KEYS {
            let prefix = format!("{key} =");
            for line in lines.iter().filter(|l| l.starts_with(&prefix)) {
                for arg in line.split("{ $").skip(1) {
                    let name = arg.split([' ', '}']).next().unwrap();
                    assert!(
                        ARG_NAMES.contains(&name),
                        "{key} takes ${name}, which a stored problem loses"
                    );
                }
            }
        }
    }

    #[test]
    fn a_failed_import_reads_back_with_its_arguments() {
        let error = crate::domain::licensing::check_seats("Office 365 E3", 4, 1).unwrap_err();
        let stored = crate::domain::import_job::failure(error.clone());
        let json = serde_json::to_value(&stored).unwrap();
        let read: Problem = serde_json::from_value(json).unwrap();
        assert_eq!(read.error(), error);
    }

    fn sheet(rows: Vec<SheetRow>) -> Sheet {
        Sheet {
            separator: b',',
            columns: Column::ALL.to_vec(),
            unknown_columns: Vec::new(),
            mapping: Vec::new(),
            rows,
        }
    }

    fn row(n: usize, display: &str, user: &str, location: &str) -> SheetRow {
        SheetRow::new(
            n,
            &[
                (Column::DisplayName, display),
                (Column::UserName, user),
                (Column::UsageLocation, location),
            ],
        )
    }

    fn domains() -> Vec<String> {
        vec!["contoso.com".into()]
    }

    #[test]
    fn good_rows_pass_with_the_add_user_rules() {
        let (rows, problems) = check_rows(sheet(vec![row(2, "王小明", "Xiaoming@contoso.com", "tw")]), &domains());
        assert!(problems.is_empty());
        assert_eq!(rows[0].user_name, "Xiaoming@contoso.com");
        assert_eq!(rows[0].usage_location.as_deref(), Some("TW"));
    }

    #[test]
    fn every_problem_names_row_column_and_value() {
        let (rows, problems) = check_rows(
            sheet(vec![
                row(2, "", "a@contoso.com", ""),
                row(3, "B", "b..c@contoso.com", ""),
                row(4, "C", "c@fabrikam.com", ""),
                row(5, "D", "d@contoso.com", "Atlantis"),
                row(6, "E", "e@contoso.com", ""),
                row(7, "E again", "E@CONTOSO.COM", ""),
            ]),
            &domains(),
        );
        assert_eq!(rows.len(), 1);
        let found: Vec<(usize, &str, &str)> = problems
            .listed
            .iter()
            .map(|p| (p.row, p.column.as_str(), p.key.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, "display_name", "err-required"),
                (3, "user_name", "err-user-name-double-period"),
                (4, "user_name", "err-user-name-unknown-domain"),
                (5, "usage_location", "err-country-unknown"),
                (7, "user_name", "import-err-duplicate-user"),
            ]
        );
        assert_eq!(problems.listed[3].value, "Atlantis");
        assert!(problems.listed[4].args.contains(&("row".to_string(), "6".to_string())));
    }

    #[test]
    fn invisible_characters_in_names_are_problems_shown_where_they_are() {
        let named = |n: usize, first: &str, display: &str| {
            SheetRow::new(
                n,
                &[
                    (Column::FirstName, first),
                    (Column::DisplayName, display),
                    (Column::UserName, &format!("u{n}@contoso.com")),
                ],
            )
        };
        let (rows, problems) = check_rows(
            sheet(vec![
                named(2, "Anna", "Anna\u{202E}eeL"),
                named(3, "Bo\u{200B}", "Bo Wu"),
                named(4, "علی\u{200C}رضا", "علی\u{200C}رضا احمدی"),
            ]),
            &domains(),
        );
        let found: Vec<(usize, &str, &str, &str)> = problems
            .listed
            .iter()
            .map(|p| (p.row, p.column.as_str(), p.key.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, "display_name", "err-invisible-char", "Anna[U+202E]eeL"),
                (3, "first_name", "err-invisible-char", "Bo[U+200B]"),
            ]
        );
        assert_eq!(rows.len(), 1, "the Persian name with its non-joiner is fine");
        assert_eq!(problems.listed[0].error().args[1], ("char", "U+202E".to_string()));
    }

    #[test]
    fn clashes_with_existing_users_ignore_case() {
        let (rows, _) = check_rows(sheet(vec![row(2, "A", "Anna@contoso.com", "")]), &domains());
        let taken: HashSet<String> = ["anna@contoso.com".to_string()].into();
        let found = clashes(&rows, &taken);
        assert_eq!(found.total(), 1);
        assert_eq!(found.listed[0].key, "err-user-name-taken");
    }

    #[test]
    fn problems_survive_json_and_group_by_kind() {
        let (_, problems) = check_rows(
            sheet(vec![row(2, "", "x@contoso.com", ""), row(3, "", "y@contoso.com", "")]),
            &domains(),
        );
        let back: Vec<Problem> = serde_json::from_str(&serde_json::to_string(&problems.listed).unwrap()).unwrap();
        assert_eq!(back[0].error().key, "err-required");
        assert_eq!(problems.groups(), [("err-required".to_string(), 2)]);
    }

    #[test]
    fn past_the_listed_problems_they_are_only_counted_and_merging_keeps_row_order() {
        let rows: Vec<SheetRow> = (0..PROBLEMS_LISTED + 5)
            .map(|i| row(i + 2, "", &format!("u{i}@contoso.com"), "Atlantis"))
            .collect();
        let (_, problems) = check_rows(sheet(rows), &domains());
        assert_eq!(problems.total(), 2 * (PROBLEMS_LISTED + 5));
        assert_eq!(problems.listed.len(), PROBLEMS_LISTED);
        assert_eq!(problems.listed.last().unwrap().row, PROBLEMS_LISTED / 2 + 1);
        assert_eq!(
            problems.groups(),
            [
                ("err-country-unknown".to_string(), PROBLEMS_LISTED + 5),
                ("err-required".to_string(), PROBLEMS_LISTED + 5)
            ]
        );

        let (good, _) = check_rows(sheet(vec![row(3, "A", "taken@contoso.com", "")]), &domains());
        let clash = clashes(&good, &["taken@contoso.com".to_string()].into());
        let merged = problems.merge(clash);
        assert_eq!(merged.total(), 2 * (PROBLEMS_LISTED + 5) + 1);
        assert_eq!(merged.listed.len(), PROBLEMS_LISTED);
        let keys: Vec<(usize, &str)> = merged.listed[..5].iter().map(|p| (p.row, p.key.as_str())).collect();
        assert_eq!(
            keys,
            [
                (2, "err-required"),
                (2, "err-country-unknown"),
                (3, "err-required"),
                (3, "err-country-unknown"),
                (3, "err-user-name-taken")
            ]
        );
    }

    #[test]
    fn a_file_is_read_and_checked_in_one_call() {
        let text = "\u{feff}Display name,User name,Usage location,Phone\r\nAnna,anna@contoso.com,tw,1\r\n,b@contoso.com,,2\r\n";
        let file = read_file(text.as_bytes().to_vec(), EncodingChoice::Automatic, None, &domains()).unwrap();
        assert_eq!((file.encoding, file.total_rows), ("UTF-8", 2));
        assert_eq!(file.unknown_columns, ["Phone"]);
        assert_eq!(file.rows.len(), 1);
        assert_eq!(file.problems.groups(), [("err-required".to_string(), 1)]);
        let not_text = read_file(b"PK\x03\x04".to_vec(), EncodingChoice::Automatic, None, &domains()).unwrap_err();
        assert_eq!(not_text.key, "import-err-not-text");
    }
}
