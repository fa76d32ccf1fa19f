//! Workbooks uploaded as they are (.xlsx, .xlsm, .xls, .ods): recognised by their bytes (a
//! renamed file is read as what it is), bounded before anything is expanded, and their first
//! sheet turned into the same comma-separated text a .csv gives, so the headers, checks,
//! report and limits are the .csv's. Read with calamine: values only (a formula by its cached
//! value), and a macro-enabled file is read, never run.

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::domain::FieldError;

/// What an upload is, by its first bytes and, for a ZIP, its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Not a workbook: text (or something the text decoder refuses).
    Text,
    /// A workbook calamine reads; the name is the format's, for the report.
    Workbook(&'static str),
    /// Apple Numbers: a ZIP of its own making, which nothing here reads.
    Numbers,
    /// An encrypted (password-protected) Office file: an OLE2 container with an encrypted package.
    Encrypted,
}

/// At most this much may a workbook's entries expand to, by the sizes the archive declares.
pub const MAX_EXPANDED_BYTES: u64 = 200 * 1024 * 1024;
/// And at most this many entries (a real workbook has a few dozen).
pub const MAX_ENTRIES: usize = 5_000;

const ZIP: &[u8] = b"PK\x03\x04";
const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// What the upload is. A ZIP whose entries cannot be listed is left to the text decoder, which
/// refuses it as not text.
pub fn kind_of(bytes: &[u8]) -> Kind {
    if bytes.starts_with(OLE2) {
        // The stream names are UTF-16 in the directory; an encrypted OOXML file has these two.
        let utf16 = |name: &str| name.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
        let has = |name: &str| memchr::memmem::find(bytes, &utf16(name)).is_some();
        return if has("EncryptedPackage") || has("EncryptionInfo") {
            Kind::Encrypted
        } else {
            Kind::Workbook("xls")
        };
    }
    if !bytes.starts_with(ZIP) {
        return Kind::Text;
    }
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Kind::Text;
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("xl/workbook.xml") {
        Kind::Workbook(if has("xl/vbaProject.bin") { "xlsm" } else { "xlsx" })
    } else if has("content.xml") && has("mimetype") {
        Kind::Workbook("ods")
    } else if names.iter().any(|n| n.starts_with("Index/") && n.ends_with(".iwa")) {
        Kind::Numbers
    } else {
        Kind::Text
    }
}

/// Refuses a ZIP whose entries would expand past the bounds, by the sizes its central directory
/// declares, before anything is decompressed (the reader itself never reads past them).
pub fn check_expansion(bytes: &[u8]) -> Result<(), FieldError> {
    if !bytes.starts_with(ZIP) {
        return Ok(());
    }
    let too_big = || FieldError::new("import-err-workbook-too-big").with("max", MAX_EXPANDED_BYTES / (1024 * 1024));
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FieldError::new("import-err-workbook-unreadable"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(too_big());
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| FieldError::new("import-err-workbook-unreadable"))?;
        total = total.saturating_add(entry.size());
        if total > MAX_EXPANDED_BYTES {
            return Err(too_big());
        }
    }
    Ok(())
}

/// The first sheet as comma-separated text, one line per spreadsheet row from row 1, so the
/// .csv reader's row numbers are the spreadsheet's.
pub fn first_sheet_as_csv(bytes: Vec<u8>) -> Result<String, FieldError> {
    check_expansion(&bytes)?;
    let unreadable = || FieldError::new("import-err-workbook-unreadable");
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(_)) => return Err(unreadable()),
        None => return Err(FieldError::new("import-err-empty")),
    };
    let mut text = String::new();
    if let Some((first_row, _)) = range.start() {
        // Rows above the first used one: blank lines, which the reader counts and skips.
        text.extend(std::iter::repeat_n('\n', first_row as usize));
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        writer.write_record(&cells).map_err(|_| unreadable())?;
    }
    let body = writer.into_inner().map_err(|_| unreadable())?;
    text.push_str(&String::from_utf8(body).map_err(|_| unreadable())?);
    Ok(text)
}

/// A cell as a person sees it: whole numbers without ".0" or an exponent, dates as ISO dates.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.format("%Y-%m-%d").to_string(),
            Some(at) => at.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn knows_workbooks_by_their_bytes_not_their_names() {
        assert_eq!(kind_of(&fixture("libreoffice-users.xlsx")), Kind::Workbook("xlsx"));
        assert_eq!(kind_of(&fixture("libreoffice-users.ods")), Kind::Workbook("ods"));
        assert_eq!(kind_of(b"First name,Last name\n"), Kind::Text);
        assert_eq!(kind_of(b"PK\x03\x04 not really a zip"), Kind::Text);
    }

    #[test]
    fn reads_the_first_sheet_as_csv_text() {
        for name in ["libreoffice-users.xlsx", "libreoffice-users.ods"] {
            let text = first_sheet_as_csv(fixture(name)).unwrap();
            assert!(text.contains("黃淑芬") && text.contains("Zoë Brontë"), "{name}: {text}");
        }
    }

    #[test]
    fn numbers_and_dates_read_as_people_see_them() {
        assert_eq!(cell_text(&Data::Float(886.0)), "886");
        assert_eq!(cell_text(&Data::Float(12345678901234.0)), "12345678901234");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Int(-3)), "-3");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn a_zip_that_would_expand_too_far_is_refused_before_reading() {
        // A ZIP of one stored entry that declares more than the bound: only its directory is read.
        let mut out = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            zip.start_file("xl/workbook.xml", options).unwrap();
            std::io::Write::write_all(&mut zip, b"<workbook/>").unwrap();
            zip.finish().unwrap();
        }
        let mut bytes = out.into_inner();
        assert_eq!(check_expansion(&bytes), Ok(()));
        // Make the central directory claim a 3.75 GiB entry (its uncompressed size field).
        let cd = memchr::memmem::rfind(&bytes, b"PK\x01\x02").unwrap();
        bytes[cd + 24..cd + 28].copy_from_slice(&0xF000_0000u32.to_le_bytes());
        assert_eq!(check_expansion(&bytes).unwrap_err().key, "import-err-workbook-too-big");
    }
}
