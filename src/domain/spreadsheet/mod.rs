//! Reading an uploaded spreadsheet file for "Import users from .csv": bytes to text ([`decode()`]),
//! text to numbered rows of the columns the import uses ([`Sheet::parse`]). Pure: no database, no HTTP.
//! Checking the values of each row is the import service's job, with the same parsers as Add user.

pub mod decode;
pub mod sheet;
pub mod workbook;

pub use decode::{decode, decode_owned, DecodeError, Decoded, Detection, EncodingChoice};
pub use sheet::{Column, Sheet, SheetError, SheetRow};

/// Line breaks in `bytes` as a spreadsheet counts them: CRLF, LF and a lone CR (old Mac files) each end one line.
fn count_line_breaks(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut after_cr = false;
    for &b in bytes {
        match b {
            b'\r' => {
                count += 1;
                after_cr = true;
            }
            b'\n' => {
                count += usize::from(!after_cr);
                after_cr = false;
            }
            _ => after_cr = false,
        }
    }
    count
}

#[cfg(test)]
mod tests;
