//! From decoded text to numbered rows of the columns an import uses.
//!
//! The rules:
//! - Separator: an Excel `sep=;` first line decides (Excel hides that line, so it is no row); otherwise
//!   comma, semicolon or tab, whichever splits the header row into the most column names we know,
//!   then whichever occurs most often in it outside quotes, then comma. A file that is blank under one
//!   of them (`;;;;` rows from an empty European sheet) is read as blank.
//! - Cells follow RFC 4180 (quotes around separators, doubled quotes, line breaks); CRLF, LF and a lone
//!   CR each end a row. Rows may be shorter or longer than the header.
//! - Row numbers are the ones a spreadsheet shows: blank lines count, a quoted cell with line breaks
//!   stays one row, the header is row 1 unless blank lines come before it.
//! - The header is the first row with a non-blank cell. Its names are matched ignoring case, spaces,
//!   `_`, `-` and a byte order mark, in English and Traditional Chinese (see [`recognise`]). Empty header
//!   cells are skipped (with whatever sits below them), unknown names are reported once each, known
//!   Microsoft 365 template columns we do not use are skipped silently, and two columns that mean the
//!   same field are an error. Display name and user name are required.
//! - Rows whose cells are all blank are skipped but keep their number. Cells are trimmed.
//! - A quote that is never closed would swallow the rest of the file into one cell: an error naming its row.

use std::fmt;

use csv::{ReaderBuilder, StringRecord};

use super::count_line_breaks;
use crate::domain::FieldError;

/// The fields an import reads from a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    FirstName,
    LastName,
    DisplayName,
    UserName,
    UsageLocation,
    StatusUpdate,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::FirstName,
        Column::LastName,
        Column::DisplayName,
        Column::UserName,
        Column::UsageLocation,
        Column::StatusUpdate,
    ];
    /// A user needs a display name and a user name; the rest may be left out of the file.
    pub const REQUIRED: [Column; 2] = [Column::DisplayName, Column::UserName];

    /// A stable name for messages (Fluent selects the column's name in the page language with it).
    pub fn key(self) -> &'static str {
        match self {
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::DisplayName => "display_name",
            Column::UserName => "user_name",
            Column::UsageLocation => "usage_location",
            Column::StatusUpdate => "status_update",
        }
    }

    /// The column's name in PartnerDesk's template.
    pub fn header(self) -> &'static str {
        match self {
            Column::FirstName => "First name",
            Column::LastName => "Last name",
            Column::DisplayName => "Display name",
            Column::UserName => "User name",
            Column::UsageLocation => "Usage location",
            Column::StatusUpdate => "Status update",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.header())
    }
}

enum Known {
    Column(Column),
    /// A Microsoft 365 template column PartnerDesk has no field for.
    Ignored,
}

/// Header names PartnerDesk knows: its own template, Partner Center's (Email is the user name), the
/// Microsoft 365 admin center's (Country or Region is the usage location), the admin center's user
/// export (User principal name) and their Traditional Chinese versions.
fn recognise(header: &str) -> Option<Known> {
    let name: String = header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{feff}' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    let known = match name.as_str() {
        "firstname" | "名字" => Known::Column(Column::FirstName),
        "lastname" | "姓氏" => Known::Column(Column::LastName),
        "displayname" | "顯示名稱" => Known::Column(Column::DisplayName),
        "username" | "email" | "userprincipalname" | "使用者名稱" | "電子郵件" => {
            Known::Column(Column::UserName)
        }
        "usagelocation" | "countryorregion" | "使用位置" | "國家或地區" => {
            Known::Column(Column::UsageLocation)
        }
        "statusupdate" | "狀態更新" => Known::Column(Column::StatusUpdate),
        "jobtitle"
        | "department"
        | "officenumber"
        | "officephone"
        | "mobilephone"
        | "fax"
        | "alternateemailaddress"
        | "address"
        | "city"
        | "stateorprovince"
        | "ziporpostalcode" => Known::Ignored,
        _ => return None,
    };
    Some(known)
}

/// A file's rows, read but not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub separator: u8,
    /// The known columns the file has, in the file's order.
    pub columns: Vec<Column>,
    /// Header names we do not know, as written, once each: the page lists them as ignored.
    pub unknown_columns: Vec<String>,
    /// Each known column's header as the file writes it ("名字" → first name), in file order.
    pub mapping: Vec<(String, Column)>,
    pub rows: Vec<SheetRow>,
}

/// One row of the file: its number as a spreadsheet shows it and its trimmed cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub number: usize,
    /// The six cells one after another (one allocation per row, none per cell); `ends[i]` closes cell `i`.
    text: Box<str>,
    ends: [usize; 6],
}

impl SheetRow {
    /// A row with the given cells (trimmed); the others are empty. For building rows in tests of the
    /// code that consumes them.
    pub fn new(number: usize, cells: &[(Column, &str)]) -> Self {
        let mut all = [""; 6];
        for &(column, value) in cells {
            all[column.index()] = value.trim();
        }
        Self::from_cells(number, all)
    }

    fn from_cells(number: usize, cells: [&str; 6]) -> Self {
        let mut text = String::with_capacity(cells.iter().map(|c| c.len()).sum());
        let mut ends = [0; 6];
        for (end, cell) in ends.iter_mut().zip(cells) {
            text.push_str(cell);
            *end = text.len();
        }
        Self {
            number,
            text: text.into_boxed_str(),
            ends,
        }
    }

    /// The trimmed cell; empty when the file has no such column or the row stops short.
    pub fn get(&self, column: Column) -> &str {
        let i = column.index();
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// Why a file's text cannot be read as a list of users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// No row has a non-blank cell.
    #[error("the file holds no rows")]
    Empty,
    /// `found` is the header row's non-empty names, to show what the file has instead.
    #[error("the header row lacks {}", names(missing))]
    MissingColumns { missing: Vec<Column>, found: Vec<String> },
    /// `first` and `second` are 0-based positions in the header row.
    #[error("columns {} and {} both hold the {column}", letters(*first), letters(*second))]
    DuplicateColumn {
        column: Column,
        first: usize,
        second: usize,
        first_header: String,
        second_header: String,
    },
    #[error("row {row} opens a quote that is never closed")]
    UnclosedQuote { row: usize },
    #[error("row {row} cannot be read")]
    Unreadable { row: usize },
    /// More rows than the caller takes; `count` is every row of the file.
    #[error("the file holds {count} rows, more than {max}")]
    TooManyRows { count: usize, max: usize },
}

fn names(columns: &[Column]) -> String {
    columns.iter().map(|c| c.header()).collect::<Vec<_>>().join(", ")
}

impl SheetError {
    /// The message for the import page, in any language.
    pub fn message(&self) -> FieldError {
        match self {
            Self::Empty => FieldError::new("import-err-empty"),
            Self::MissingColumns { missing, found } => {
                let which = match missing.as_slice() {
                    [one] => one.key(),
                    _ => "both",
                };
                FieldError::new("import-err-missing-columns")
                    .with("columns", which)
                    .with("found", list_of_names(found))
            }
            Self::DuplicateColumn {
                column,
                first,
                second,
                first_header,
                second_header,
            } => FieldError::new("import-err-duplicate-column")
                .with("column", column.key())
                .with("first", letters(*first))
                .with("first_header", first_header)
                .with("second", letters(*second))
                .with("second_header", second_header),
            Self::UnclosedQuote { row } => FieldError::new("import-err-unclosed-quote").with("row", row),
            Self::Unreadable { row } => FieldError::new("import-err-unreadable").with("row", row),
            Self::TooManyRows { count, max } => FieldError::new("import-err-too-many-rows")
                .with("count", count)
                .with("max", max),
        }
    }

    pub fn key(&self) -> &'static str {
        self.message().key
    }
}

impl From<SheetError> for FieldError {
    fn from(error: SheetError) -> Self {
        error.message()
    }
}

/// The header names for a message: at most 12, each cut at 40 characters (a wrong separator makes one
/// long name of the whole row).
fn list_of_names(names: &[String]) -> String {
    const MAX_NAMES: usize = 12;
    const MAX_CHARS: usize = 40;
    let mut shown: Vec<String> = names
        .iter()
        .take(MAX_NAMES)
        .map(|name| match name.char_indices().nth(MAX_CHARS) {
            Some((cut, _)) => format!("{}…", &name[..cut]),
            None => name.clone(),
        })
        .collect();
    if names.len() > MAX_NAMES {
        shown.push("…".to_string());
    }
    shown.join(", ")
}

/// A spreadsheet's column letters for a 0-based position: A, B, ..., Z, AA, AB...
fn letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        out.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

impl Sheet {
    /// Reads decoded text (see the module documentation for the rules). A header without rows is a
    /// sheet with no rows: whether that is acceptable is the caller's rule.
    pub fn parse(text: &str) -> Result<Self, SheetError> {
        Self::parse_at_most(text, usize::MAX)
    }

    /// Like [`Sheet::parse`], for a file of at most `max_rows` rows: the rows past them are only
    /// counted, so a file of millions of short rows is refused without holding them all.
    pub fn parse_at_most(text: &str, max_rows: usize) -> Result<Self, SheetError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (separator, body) = match excel_separator_line(text) {
            Some(found) => found,
            None => (detect_separator(text), text),
        };
        let bytes = body.as_bytes();
        let mut reader = reader(body, separator);
        let mut record = StringRecord::new();
        let mut header: Option<Header> = None;
        let mut rows = Vec::new();
        let mut count = 0;
        let mut number = 0;
        let mut last_start: Option<usize> = None;
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(_) => return Err(SheetError::Unreadable { row: number + 1 }),
            }
            // csv reports where it started consuming: after the previous row's first line-break byte.
            // The line breaks between the previous row's content and ours are its end and the blank
            // rows; breaks inside quoted cells are not among them, so a multi-line cell stays one row.
            let consumed_from = record.position().map_or(0, |p| p.byte() as usize);
            let (run_start, start) = line_break_run(bytes, consumed_from);
            let breaks_before = count_line_breaks(&bytes[run_start..start]);
            number = match last_start {
                None => 1 + breaks_before,
                Some(_) => number + breaks_before,
            };
            last_start = Some(start);
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            match &header {
                None => header = Some(Header::read(&record)?),
                Some(_) if count >= max_rows => count += 1,
                Some(header) => {
                    rows.push(header.row(&record, number));
                    count += 1;
                }
            }
        }
        if let Some(start) = last_start {
            if ends_inside_quotes(&bytes[start..], separator) {
                return Err(SheetError::UnclosedQuote { row: number });
            }
        }
        let header = header.ok_or(SheetError::Empty)?;
        if count > max_rows {
            return Err(SheetError::TooManyRows { count, max: max_rows });
        }
        Ok(Sheet {
            separator,
            columns: header.columns(),
            mapping: header.mapping(),
            unknown_columns: header.unknown,
            rows,
        })
    }

    pub fn has(&self, column: Column) -> bool {
        self.columns.contains(&column)
    }
}

fn reader(text: &str, separator: u8) -> csv::Reader<&[u8]> {
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes())
}

/// The run of line-break bytes around `at`: from the end of the previous row's content to the start of
/// the next row's. Content never ends with CR or LF (an unquoted cell stops at them, a quoted one ends
/// with a quote), so walking back cannot enter the previous row.
fn line_break_run(bytes: &[u8], at: usize) -> (usize, usize) {
    let is_break = |b: &u8| matches!(b, b'\r' | b'\n');
    let start = at - bytes[..at].iter().rev().take_while(|b| is_break(b)).count();
    let end = at + bytes[at..].iter().take_while(|b| is_break(b)).count();
    (start, end)
}

/// Excel's `sep=;` first line: the separator and the text after that line.
fn excel_separator_line(text: &str) -> Option<(u8, &str)> {
    let line_end = text.find(['\r', '\n']).unwrap_or(text.len());
    let line = &text.as_bytes()[..line_end];
    let [s, e, p, b'=', separator] = line else {
        return None;
    };
    let usable = (separator.is_ascii_punctuation() && *separator != b'"') || *separator == b'\t';
    if !(usable && [*s, *e, *p].eq_ignore_ascii_case(b"sep")) {
        return None;
    }
    let rest = &text[line_end..];
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix(['\r', '\n']))
        .unwrap_or(rest);
    Some((*separator, rest))
}

/// The separator that makes the most sense of the header row (see the module documentation).
fn detect_separator(text: &str) -> u8 {
    let mut best = (SEPARATORS[0], 0, 0);
    for separator in SEPARATORS {
        let mut reader = reader(text, separator);
        let mut record = StringRecord::new();
        let header = loop {
            match reader.read_record(&mut record) {
                Ok(true) if record.iter().all(|cell| cell.trim().is_empty()) => continue,
                Ok(true) => break Some(&record),
                _ => break None,
            }
        };
        let Some(header) = header else {
            // Nothing but separators and spaces under this separator: a blank sheet, which it is.
            return separator;
        };
        let known = header.iter().filter(|name| recognise(name).is_some()).count();
        let occurrences = header.len() - 1;
        if (known, occurrences) > (best.1, best.2) {
            best = (separator, known, occurrences);
        }
    }
    best.0
}

/// Whether a row's raw text runs to the end of the file inside a quoted cell, following the csv crate's
/// rules: a quote opens a cell only at its start, `""` inside is a quote, text after the closing quote
/// is kept as it is.
fn ends_inside_quotes(raw: &[u8], separator: u8) -> bool {
    #[derive(PartialEq)]
    enum State {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::CellStart;
    for &b in raw {
        let ends_cell = b == separator || b == b'\r' || b == b'\n';
        state = match state {
            State::CellStart if b == b'"' => State::Quoted,
            State::CellStart | State::Unquoted | State::QuoteInQuoted if ends_cell => State::CellStart,
            State::CellStart | State::Unquoted => State::Unquoted,
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if b == b'"' => State::Quoted,
            State::QuoteInQuoted => State::Unquoted,
        };
    }
    state == State::Quoted
}

fn header_name(cell: &str) -> &str {
    cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// Where each known column sits in the file.
struct Header {
    positions: [Option<usize>; 6],
    /// The header cells as written, by position.
    names: Vec<String>,
    unknown: Vec<String>,
}

impl Header {
    fn read(record: &StringRecord) -> Result<Self, SheetError> {
        let mut positions: [Option<usize>; 6] = [None; 6];
        let mut unknown: Vec<String> = Vec::new();
        let mut found = Vec::new();
        for (position, cell) in record.iter().enumerate() {
            let name = header_name(cell);
            if name.is_empty() {
                continue;
            }
            found.push(name.to_string());
            match recognise(name) {
                Some(Known::Column(column)) => {
                    if let Some(first) = positions[column.index()] {
                        return Err(SheetError::DuplicateColumn {
                            column,
                            first,
                            second: position,
                            first_header: header_name(&record[first]).to_string(),
                            second_header: name.to_string(),
                        });
                    }
                    positions[column.index()] = Some(position);
                }
                Some(Known::Ignored) => {}
                None => {
                    if !unknown.iter().any(|u| u == name) {
                        unknown.push(name.to_string());
                    }
                }
            }
        }
        let missing: Vec<Column> = Column::REQUIRED
            .into_iter()
            .filter(|c| positions[c.index()].is_none())
            .collect();
        if !missing.is_empty() {
            return Err(SheetError::MissingColumns { missing, found });
        }
        let names = record.iter().map(|cell| header_name(cell).to_string()).collect();
        Ok(Self {
            positions,
            names,
            unknown,
        })
    }

    fn mapping(&self) -> Vec<(String, Column)> {
        let mut present: Vec<(usize, Column)> = Column::ALL
            .into_iter()
            .filter_map(|c| self.positions[c.index()].map(|p| (p, c)))
            .collect();
        present.sort_unstable();
        present
            .into_iter()
            .map(|(p, c)| (self.names.get(p).cloned().unwrap_or_default(), c))
            .collect()
    }

    fn columns(&self) -> Vec<Column> {
        let mut present: Vec<(usize, Column)> = Column::ALL
            .into_iter()
            .filter_map(|c| self.positions[c.index()].map(|p| (p, c)))
            .collect();
        present.sort_unstable();
        present.into_iter().map(|(_, c)| c).collect()
    }

    fn row(&self, record: &StringRecord, number: usize) -> SheetRow {
        let mut cells = [""; 6];
        for (cell, position) in cells.iter_mut().zip(self.positions) {
            if let Some(position) = position {
                *cell = record.get(position).unwrap_or("").trim();
            }
        }
        SheetRow::from_cells(number, cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Sheet {
        Sheet::parse(text).unwrap_or_else(|e| panic!("{e}: {text:?}"))
    }

    fn numbers(sheet: &Sheet) -> Vec<usize> {
        sheet.rows.iter().map(|r| r.number).collect()
    }

    fn display_names(sheet: &Sheet) -> Vec<&str> {
        sheet.rows.iter().map(|r| r.get(Column::DisplayName)).collect()
    }

    const HEADER: &str = "First name,Last name,Display name,User name,Usage location,Status update";

    #[test]
    fn reads_the_template() {
        let sheet = parse(&format!("{HEADER}\r\nAnn,Lee,Ann Lee,ann@contoso.com,US,\r\n"));
        assert_eq!(sheet.separator, b',');
        assert_eq!(sheet.columns, Column::ALL.to_vec());
        assert!(sheet.unknown_columns.is_empty());
        let row = &sheet.rows[0];
        assert_eq!(row.number, 2);
        assert_eq!(
            Column::ALL.map(|c| row.get(c)),
            ["Ann", "Lee", "Ann Lee", "ann@contoso.com", "US", ""]
        );
    }

    #[test]
    fn a_bom_glued_to_the_first_header_is_ignored() {
        let sheet = parse("\u{feff}Display name,User name\nAnn Lee,ann@contoso.com\n");
        assert_eq!(sheet.columns, [Column::DisplayName, Column::UserName]);
        let sheet = parse("\u{feff}\u{feff}\"\u{feff}Display name\",User name\nAnn Lee,ann@contoso.com\n");
        assert_eq!(sheet.columns, [Column::DisplayName, Column::UserName]);
    }

    #[test]
    fn quoted_cells_keep_separators_quotes_and_line_breaks() {
        let text = "Display name,User name,First name\r\n\
                    \"Leçon, François\",francois@contoso.com,\"Fran\"\"çois\"\"\"\r\n\
                    \"Cy Ng\r\nSales\",cy@contoso.com,\"a\nb\"\r\n\
                    Di Ho,di@contoso.com,Di\r\n";
        let sheet = parse(text);
        assert_eq!(display_names(&sheet), ["Leçon, François", "Cy Ng\r\nSales", "Di Ho"]);
        assert_eq!(sheet.rows[0].get(Column::FirstName), "Fran\"çois\"");
        assert_eq!(numbers(&sheet), [2, 3, 4], "a cell with line breaks is still one row");
    }

    #[test]
    fn one_row_and_header_only() {
        let one = parse("Display name,User name\nAnn Lee,ann@contoso.com");
        assert_eq!(display_names(&one), ["Ann Lee"]);
        let none = parse("Display name,User name\r\n");
        assert!(none.rows.is_empty());
        assert_eq!(none.columns, [Column::DisplayName, Column::UserName]);
        assert!(parse("Display name,User name").rows.is_empty());
    }

    #[test]
    fn empty_or_blank_text_has_no_header() {
        for text in [
            "",
            "\u{feff}",
            "\r\n\r\n",
            ",,,,\r\n,,\r\n",
            "\t\t\n \t\n",
            ";;;\r;",
            "  ;  \n",
        ] {
            assert_eq!(Sheet::parse(text), Err(SheetError::Empty), "{text:?}");
        }
    }

    #[test]
    fn crlf_lf_and_lone_cr_may_mix() {
        let text = "Display name,User name\r\nA,a@c.com\nB,b@c.com\rC,c@c.com\r\n\rD,d@c.com\n\nE,e@c.com";
        let sheet = parse(text);
        assert_eq!(display_names(&sheet), ["A", "B", "C", "D", "E"]);
        assert_eq!(numbers(&sheet), [2, 3, 4, 6, 8]);
    }

    #[test]
    fn row_numbers_count_blank_rows_and_multi_line_cells() {
        let text = "\r\nDisplay name,User name\r\n\r\n\"A\r\nB\rC\nD\",a@c.com\r\n,\r\nE,e@c.com\r\n";
        let sheet = parse(text);
        assert_eq!(numbers(&sheet), [4, 6]);
        assert_eq!(display_names(&sheet), ["A\r\nB\rC\nD", "E"]);
    }

    #[test]
    fn semicolons_and_tabs_are_detected() {
        let semicolon = parse("Display name;User name;Last name\r\n\"Leçon; François\";f@c.com;Leçon, F\r\n");
        assert_eq!(semicolon.separator, b';');
        assert_eq!(semicolon.rows[0].get(Column::DisplayName), "Leçon; François");
        assert_eq!(semicolon.rows[0].get(Column::LastName), "Leçon, F");
        let tab = parse("Display name\tUser name\r\nLee, Ann\tann@c.com\r\n");
        assert_eq!(tab.separator, b'\t');
        assert_eq!(tab.rows[0].get(Column::DisplayName), "Lee, Ann");
    }

    #[test]
    fn separators_inside_quoted_headers_do_not_count() {
        let sheet = parse("\"Nick, name\";Display name;User name;\"a;b\"\r\nAnn;Ann;ann@c.com;x\r\n");
        assert_eq!(sheet.separator, b';');
        assert_eq!(sheet.unknown_columns, ["Nick, name", "a;b"]);
        let sheet = parse("\"x,y,z,w\";Display name;User name\r\n1;Ann;ann@c.com\r\n");
        assert_eq!(sheet.separator, b';');
    }

    #[test]
    fn known_names_outweigh_separator_counts() {
        let sheet = parse("Display name;User name;Note: a, b, c, d\r\nAnn;ann@c.com;x\r\n");
        assert_eq!(sheet.separator, b';');
    }

    #[test]
    fn excels_sep_line_sets_the_separator_and_is_not_a_row() {
        let sheet = parse("sep=|\r\nDisplay name|User name\r\nLee, Ann|ann@c.com\r\n");
        assert_eq!(sheet.separator, b'|');
        assert_eq!(sheet.rows[0].get(Column::DisplayName), "Lee, Ann");
        assert_eq!(sheet.rows[0].number, 2);
        assert_eq!(parse("SEP=;\nDisplay name;User name\n").separator, b';');
        assert!(
            Sheet::parse("sep=\"\nDisplay name,User name\n").is_err(),
            "not a separator line"
        );
    }

    #[test]
    fn trailing_empty_rows_and_columns_are_ignored() {
        let text = "Display name,User name,,,,\r\nAnn,ann@c.com,,,,\r\n,,,,,\r\n  , ,\r\n\r\n,,,,,\r\n";
        let sheet = parse(text);
        assert_eq!(sheet.columns, [Column::DisplayName, Column::UserName]);
        assert!(sheet.unknown_columns.is_empty());
        assert_eq!(numbers(&sheet), [2]);
    }

    #[test]
    fn blank_rows_between_users_are_skipped_but_counted() {
        let sheet = parse("Display name,User name\nA,a@c.com\n,\n,,\nB,b@c.com\n");
        assert_eq!(numbers(&sheet), [2, 5]);
    }

    #[test]
    fn a_row_with_only_an_unused_cell_is_kept_for_validation_to_report() {
        let sheet = parse("Display name,User name,Job title\nA,a@c.com,x\n,,Engineer\n");
        assert_eq!(numbers(&sheet), [2, 3]);
        assert_eq!(sheet.rows[1].get(Column::DisplayName), "");
    }

    #[test]
    fn short_and_long_rows_are_read() {
        let sheet = parse("Display name,User name,Usage location\nAnn\nBo,bo@c.com,TW,extra,cells\n");
        assert_eq!(sheet.rows[0].get(Column::UserName), "");
        assert_eq!(sheet.rows[0].get(Column::UsageLocation), "");
        assert_eq!(sheet.rows[1].get(Column::UsageLocation), "TW");
    }

    #[test]
    fn cells_are_trimmed_and_absent_columns_read_empty() {
        let sheet = parse("Display name,User name\n  Ann Lee\u{3000} ,\t ann@c.com \n");
        assert_eq!(sheet.rows[0].get(Column::DisplayName), "Ann Lee");
        assert_eq!(sheet.rows[0].get(Column::UserName), "ann@c.com");
        assert_eq!(sheet.rows[0].get(Column::FirstName), "");
        assert!(!sheet.has(Column::FirstName) && sheet.has(Column::UserName));
    }

    #[test]
    fn the_mapping_names_each_known_column_as_the_file_writes_it() {
        let sheet = parse("名字,Phone,顯示名稱,使用者名稱\n美玲,1,陳美玲,m@c.com\n");
        assert_eq!(
            sheet.mapping,
            [
                ("名字".to_string(), Column::FirstName),
                ("顯示名稱".to_string(), Column::DisplayName),
                ("使用者名稱".to_string(), Column::UserName)
            ]
        );
    }

    #[test]
    fn unknown_columns_are_reported_once_by_name() {
        let sheet = parse("Display name,Nickname,User name, Phone ,Nickname,,\nA,a,a@c.com,1,b,,\n");
        assert_eq!(sheet.unknown_columns, ["Nickname", "Phone"]);
        assert_eq!(sheet.rows[0].get(Column::UserName), "a@c.com");
    }

    #[test]
    fn partner_center_headers() {
        let sheet = parse("First name,Last name,Display name,Email,Status update\nA,B,A B,ab@c.com,\n");
        assert_eq!(sheet.columns[3], Column::UserName);
        assert_eq!(sheet.rows[0].get(Column::UserName), "ab@c.com");
    }

    #[test]
    fn microsoft_365_headers_with_unused_columns_known_not_unknown() {
        let header = "User Name,First Name,Last Name,Display Name,Job Title,Department,Office Number,Office Phone,\
                      Mobile Phone,Fax,Alternate email address,Address,City,State or Province,ZIP or Postal Code,\
                      Country or Region";
        let sheet = parse(&format!(
            "{header}\nann@c.com,Ann,Lee,Ann Lee,Dev,IT,1,2,3,4,x@y.com,St,City,WA,98052,US\n"
        ));
        assert!(sheet.unknown_columns.is_empty(), "{:?}", sheet.unknown_columns);
        assert_eq!(
            sheet.columns,
            [
                Column::UserName,
                Column::FirstName,
                Column::LastName,
                Column::DisplayName,
                Column::UsageLocation
            ]
        );
        assert_eq!(sheet.rows[0].get(Column::UsageLocation), "US");
    }

    #[test]
    fn traditional_chinese_headers() {
        let sheet = parse("名字,姓氏,顯示名稱,使用者名稱,使用位置,狀態更新\n美玲,陳,陳美玲,m@c.com,TW,\n");
        assert_eq!(sheet.columns, Column::ALL.to_vec());
        assert_eq!(sheet.rows[0].get(Column::DisplayName), "陳美玲");
        let sheet = parse("顯示名稱,電子郵件,國家或地區\n陳美玲,m@c.com,TW\n");
        assert_eq!(
            sheet.columns,
            [Column::DisplayName, Column::UserName, Column::UsageLocation]
        );
    }

    #[test]
    fn header_names_ignore_case_spaces_and_separators_in_names() {
        let sheet = parse("DISPLAYNAME, user  name ,usage_location,First-Name,E-mail address\nA,a@c.com,TW,A,x\n");
        assert_eq!(
            sheet.columns,
            [
                Column::DisplayName,
                Column::UserName,
                Column::UsageLocation,
                Column::FirstName
            ]
        );
        assert_eq!(sheet.unknown_columns, ["E-mail address"]);
        let sheet = parse("Display name,User principal name\nA,a@c.com\n");
        assert!(sheet.has(Column::UserName));
    }

    #[test]
    fn two_columns_for_one_field_are_an_error() {
        let error = Sheet::parse("Display name,Email,Last name,User name\nA,a@c.com,L,b@c.com\n").unwrap_err();
        assert_eq!(
            error,
            SheetError::DuplicateColumn {
                column: Column::UserName,
                first: 1,
                second: 3,
                first_header: "Email".into(),
                second_header: "User name".into(),
            }
        );
        let message = error.message();
        assert_eq!(message.key, "import-err-duplicate-column");
        assert!(message.args.contains(&("first", "B".into())) && message.args.contains(&("second", "D".into())));
        assert!(Sheet::parse("Display name,Usage location,Country or Region,User name\n").is_err());
    }

    #[test]
    fn missing_required_columns_are_named() {
        let error = Sheet::parse("First name,Display name,Phone\nA,A B,1\n").unwrap_err();
        assert_eq!(
            error,
            SheetError::MissingColumns {
                missing: vec![Column::UserName],
                found: vec!["First name".into(), "Display name".into(), "Phone".into()],
            }
        );
        let message = error.message();
        assert_eq!(message.key, "import-err-missing-columns");
        assert_eq!(message.args[0], ("columns", "user_name".into()));
        assert_eq!(message.args[1], ("found", "First name, Display name, Phone".into()));
        let both = Sheet::parse("Name|Mail\n").unwrap_err();
        assert_eq!(both.message().args[0], ("columns", "both".into()));
        assert_eq!(both.to_string(), "the header row lacks Display name, User name");
    }

    #[test]
    fn the_list_of_found_names_stays_short() {
        let long = "x".repeat(100);
        let names: Vec<String> = std::iter::once(long).chain((0..20).map(|i| i.to_string())).collect();
        let listed = list_of_names(&names);
        assert!(listed.starts_with(&format!("{}…, 0, 1,", "x".repeat(40))), "{listed}");
        assert!(listed.ends_with("10, …"), "{listed}");
    }

    #[test]
    fn an_unclosed_quote_is_reported_at_its_row() {
        let text = "Display name,User name\nA,a@c.com\n\"B,b@c.com\nC,c@c.com\nD,d@c.com\n";
        assert_eq!(Sheet::parse(text), Err(SheetError::UnclosedQuote { row: 3 }));
        let closed = "Display name,User name\nA,a@c.com\n\"B\"\" \"\"x\",b@c.com\nC,\"c\"@c.com\n";
        assert_eq!(parse(closed).rows.len(), 3);
    }

    #[test]
    fn quote_state_follows_the_csv_rules() {
        assert!(ends_inside_quotes(b"a,\"b", b','));
        assert!(ends_inside_quotes(b"\"a\"\"", b','));
        assert!(!ends_inside_quotes(b"\"a\"\"\"", b','));
        assert!(
            !ends_inside_quotes(b"a\"b,c", b','),
            "a quote inside an unquoted cell is a character"
        );
        assert!(
            !ends_inside_quotes(b"\"a\"b\",c", b','),
            "text after the closing quote is kept"
        );
        assert!(ends_inside_quotes(b"x;\"a,b\r\n", b';'));
    }

    #[test]
    fn column_letters_go_past_z() {
        assert_eq!(
            [0, 1, 25, 26, 27, 51, 52, 701, 702].map(letters),
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }

    #[test]
    fn rows_built_for_tests_read_like_parsed_ones() {
        let row = SheetRow::new(7, &[(Column::UserName, " a@c.com "), (Column::DisplayName, "A")]);
        assert_eq!(
            (row.number, row.get(Column::UserName), row.get(Column::DisplayName)),
            (7, "a@c.com", "A")
        );
        assert_eq!(row.get(Column::StatusUpdate), "");
    }

    #[test]
    fn a_150000_row_file_parses_with_every_row_numbered() {
        const ROWS: usize = 150_000;
        let mut text = String::with_capacity(ROWS * 104);
        text.push_str("\u{feff}First name,Last name,Display name,User name,Usage location,Status update\r\n");
        for i in 0..ROWS {
            use std::fmt::Write;
            writeln!(
                text,
                "Firstname{i},Lastname{i},\"Lastname{i}, Firstname{i} 陳美玲\",user.number{i}@contoso.onmicrosoft.com,TW,\r"
            )
            .unwrap();
        }
        assert!(text.len() > 14_000_000, "{} bytes", text.len());
        let sheet = parse(&text);
        assert_eq!(sheet.rows.len(), ROWS);
        let last = sheet.rows.last().unwrap();
        assert_eq!(last.number, ROWS + 1);
        assert_eq!(
            last.get(Column::UserName),
            format!("user.number{}@contoso.onmicrosoft.com", ROWS - 1)
        );
        assert_eq!(
            last.get(Column::DisplayName),
            format!("Lastname{0}, Firstname{0} 陳美玲", ROWS - 1)
        );
    }

    #[test]
    fn rows_past_the_limit_are_counted_not_kept() {
        let text = "Display name,User name\na,a@c.com\n\nb,b@c.com\nc,c@c.com\n";
        assert_eq!(Sheet::parse_at_most(text, 3).unwrap().rows.len(), 3);
        assert_eq!(
            Sheet::parse_at_most(text, 2),
            Err(SheetError::TooManyRows { count: 3, max: 2 })
        );
        let message = Sheet::parse_at_most(text, 2).unwrap_err().message();
        assert_eq!(message.key, "import-err-too-many-rows");
        assert_eq!(message.args, [("count", "3".to_string()), ("max", "2".to_string())]);
    }
}
