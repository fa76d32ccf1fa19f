//! Cells PartnerDesk writes into .csv files: a spreadsheet runs a cell that starts with
//! `=`, `+`, `-` or `@` (or a tab or carriage return) as a formula, so such cells get a
//! leading apostrophe, which spreadsheets show as plain text.

use std::borrow::Cow;

pub fn neutralize(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Excel needs the UTF-8 byte order mark to show Chinese names correctly.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes rows as a UTF-8 .csv with BOM and CRLF line ends, every cell neutralised.
pub fn write_csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = UTF8_BOM.to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer
            .write_record(header.iter().map(|h| neutralize(h).into_owned()))
            .expect("writing to memory");
        for row in rows {
            writer
                .write_record(row.iter().map(|c| neutralize(c).into_owned()))
                .expect("writing to memory");
        }
        writer.flush().expect("writing to memory");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(neutralize("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralize("+886 2 1234"), "'+886 2 1234");
        assert_eq!(neutralize("-2"), "'-2");
        assert_eq!(neutralize("@cmd"), "'@cmd");
        assert_eq!(neutralize("Anna"), "Anna");
        assert_eq!(neutralize(""), "");
    }

    #[test]
    fn writes_bom_crlf_and_quotes() {
        let bytes = write_csv(
            &["Display name", "User name"],
            vec![vec!["王, 小明".into(), "=x@y".into()]],
        );
        assert!(bytes.starts_with(UTF8_BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(text, "Display name,User name\r\n\"王, 小明\",'=x@y\r\n");
    }
}
