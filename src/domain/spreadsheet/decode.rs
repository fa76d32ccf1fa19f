//! From the bytes of an uploaded file to text, or a clear refusal: never mojibake.
//!
//! The rules, in the order they apply:
//! 1. No bytes, or nothing but a byte order mark: [`DecodeError::Empty`].
//! 2. The signature of a file that is not text (ZIP, so .xlsx/.ods; the OLE2 container of an old .xls;
//!    PNG, JPEG, GIF, PDF): [`DecodeError::NotText`], whatever encoding was chosen.
//! 3. A byte order mark (UTF-8, UTF-16 LE, UTF-16 BE) decides, and is stripped. It wins even over an
//!    encoding the staff member chose: a BOM is a declaration, not a guess.
//! 4. An encoding the staff member chose is used as it is ([`Detection::Chosen`]).
//! 5. Otherwise (automatic): NUL bytes mean UTF-16 without a BOM if they sit in every other byte,
//!    else not text; valid UTF-8 is UTF-8; UTF-8 with a few damaged bytes (at least twice as many
//!    well-formed multi-byte characters as runs of bad bytes) is refused with the first bad line, since
//!    any legacy reading of it would be mojibake; anything else goes to chardetng, whose guess is kept
//!    only if it is one of the legacy encodings we offer (see `guess_legacy` for the mapping).
//! 6. Decoding is strict: a byte sequence the encoding does not define is [`DecodeError::Malformed`]
//!    with the line it is on, and the text may not contain NUL.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, BIG5, GB18030, GBK, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::count_line_breaks;
use crate::domain::FieldError;

/// The encoding the staff member picks on the import page when the automatic guess is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncodingChoice {
    #[default]
    Automatic,
    Utf8,
    Utf16Le,
    Utf16Be,
    Big5,
    Gbk,
    ShiftJis,
    Windows1252,
}

impl EncodingChoice {
    /// Every choice, in the order the select lists them.
    pub const ALL: [EncodingChoice; 8] = [
        EncodingChoice::Automatic,
        EncodingChoice::Utf8,
        EncodingChoice::Utf16Le,
        EncodingChoice::Utf16Be,
        EncodingChoice::Big5,
        EncodingChoice::Gbk,
        EncodingChoice::ShiftJis,
        EncodingChoice::Windows1252,
    ];

    /// Reads the select's value. An empty value means automatic; any WHATWG label of an offered
    /// encoding (`utf8`, `cp1252`, `sjis`, `x-gbk`...) and the Windows code page names `cp950`,
    /// `cp936` and `cp932` are accepted too, so a link or an API call may name it the usual way.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim().to_ascii_lowercase();
        let choice = match value.as_str() {
            "" | "auto" | "automatic" => Some(Self::Automatic),
            "cp950" | "ms950" => Some(Self::Big5),
            "cp936" | "ms936" => Some(Self::Gbk),
            "cp932" | "ms932" => Some(Self::ShiftJis),
            _ => Encoding::for_label(value.as_bytes()).and_then(Self::for_encoding),
        };
        choice.ok_or_else(|| FieldError::new("import-err-encoding-unknown").with("value", raw.trim()))
    }

    /// The select's value; [`EncodingChoice::parse`] reads it back.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Automatic => "auto",
            Self::Utf8 => "utf-8",
            Self::Utf16Le => "utf-16le",
            Self::Utf16Be => "utf-16be",
            Self::Big5 => "big5",
            Self::Gbk => "gbk",
            Self::ShiftJis => "shift_jis",
            Self::Windows1252 => "windows-1252",
        }
    }

    /// Message key of the option's text in the select.
    pub fn label_key(self) -> &'static str {
        // i18n-key: import-encoding-auto import-encoding-utf-8 import-encoding-utf-16le import-encoding-utf-16be
        // i18n-key: import-encoding-big5 import-encoding-gbk import-encoding-shift_jis import-encoding-windows-1252
        match self {
            Self::Automatic => "import-encoding-auto",
            Self::Utf8 => "import-encoding-utf-8",
            Self::Utf16Le => "import-encoding-utf-16le",
            Self::Utf16Be => "import-encoding-utf-16be",
            Self::Big5 => "import-encoding-big5",
            Self::Gbk => "import-encoding-gbk",
            Self::ShiftJis => "import-encoding-shift_jis",
            Self::Windows1252 => "import-encoding-windows-1252",
        }
    }

    fn encoding(self) -> Option<&'static Encoding> {
        match self {
            Self::Automatic => None,
            Self::Utf8 => Some(UTF_8),
            Self::Utf16Le => Some(UTF_16LE),
            Self::Utf16Be => Some(UTF_16BE),
            Self::Big5 => Some(BIG5),
            Self::Gbk => Some(GBK),
            Self::ShiftJis => Some(SHIFT_JIS),
            Self::Windows1252 => Some(WINDOWS_1252),
        }
    }

    /// The choice that reads a file the way `encoding` does, if we offer one. GB18030 is read by the
    /// GBK decoder (encoding_rs decodes both with the same tables).
    fn for_encoding(encoding: &'static Encoding) -> Option<Self> {
        if encoding == GB18030 {
            return Some(Self::Gbk);
        }
        Self::ALL.into_iter().find(|c| c.encoding() == Some(encoding))
    }
}

/// How the encoding of a file was settled, so the page can say "guessed" and offer the choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    Bom,
    ValidUtf8,
    Guessed,
    Chosen,
}

/// The text of a file and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding_rs name: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `Big5`, `GBK`, `Shift_JIS`, `windows-1252`.
    pub encoding: &'static str,
    pub how: Detection,
}

impl Decoded {
    /// The choice that reads the file the same way, to preselect it when the page offers the choice.
    pub fn choice(&self) -> EncodingChoice {
        Encoding::for_label(self.encoding.as_bytes())
            .and_then(EncodingChoice::for_encoding)
            .unwrap_or_default()
    }
}

/// Why a file cannot be read as text. None of the variants carries file content, so they may be logged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not text (a workbook, an image or another binary file)")]
    NotText,
    /// `line` counts the file's lines from 1 (CRLF, LF and CR each end one).
    #[error("line {line} is not valid {encoding}")]
    Malformed { encoding: &'static str, line: usize },
    /// The file looks like an encoding we do not read (Cyrillic, Korean, Central European...).
    #[error("the file seems to be in {guessed}, which is not supported")]
    Unsupported { guessed: &'static str },
}

impl DecodeError {
    /// The message for the import page, in any language.
    pub fn message(&self) -> FieldError {
        match self {
            Self::Empty => FieldError::new("import-err-empty"),
            Self::NotText => FieldError::new("import-err-not-text"),
            Self::Malformed { encoding, line } => FieldError::new("import-err-malformed")
                .with("encoding", encoding)
                .with("line", line),
            Self::Unsupported { guessed } => {
                FieldError::new("import-err-unsupported-encoding").with("encoding", guessed)
            }
        }
    }

    pub fn key(&self) -> &'static str {
        self.message().key
    }
}

impl From<DecodeError> for FieldError {
    fn from(error: DecodeError) -> Self {
        error.message()
    }
}

/// Decodes an uploaded spreadsheet file (see the module documentation for the rules).
/// `language_hint` is the page's language (`zh-TW` or `en`): on a Traditional Chinese page an
/// ambiguous Chinese file is read as Big5.
pub fn decode(bytes: &[u8], choice: EncodingChoice, language_hint: Option<&str>) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if has_binary_signature(bytes) {
        return Err(DecodeError::NotText);
    }
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_length..];
        if body.is_empty() {
            return Err(DecodeError::Empty);
        }
        return finish(decode_strict(encoding, body)?, encoding, Detection::Bom);
    }
    if let Some(encoding) = choice.encoding() {
        if !is_utf16(encoding) && bytes.contains(&0) {
            return Err(DecodeError::NotText);
        }
        return finish(decode_strict(encoding, bytes)?, encoding, Detection::Chosen);
    }
    if bytes.contains(&0) {
        let encoding = utf16_without_bom(bytes).ok_or(DecodeError::NotText)?;
        let text = decode_strict(encoding, bytes).map_err(|_| DecodeError::NotText)?;
        return finish(text, encoding, Detection::Guessed);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_owned(),
            encoding: UTF_8.name(),
            how: Detection::ValidUtf8,
        }),
        Err(error) => {
            if looks_like_damaged_utf8(bytes) {
                return Err(DecodeError::Malformed {
                    encoding: UTF_8.name(),
                    line: 1 + count_line_breaks(&bytes[..error.valid_up_to()]),
                });
            }
            let encoding = guess_legacy(bytes, language_hint)?;
            finish(decode_strict(encoding, bytes)?, encoding, Detection::Guessed)
        }
    }
}

/// [`decode()`] for bytes the caller gives up: a file in UTF-8 (with or without Excel's BOM),
/// which is most uploads, becomes its text in place instead of being copied, so a 40 MB file is
/// held once, not twice. Any other file is decoded as [`decode()`] does, with the same result.
pub fn decode_owned(
    bytes: Vec<u8>,
    choice: EncodingChoice,
    language_hint: Option<&str>,
) -> Result<Decoded, DecodeError> {
    let as_utf8 = match Encoding::for_bom(&bytes) {
        Some((encoding, bom_length)) if encoding == UTF_8 => Some((bom_length, Detection::Bom)),
        Some(_) => None,
        None => match choice.encoding() {
            Some(encoding) if encoding == UTF_8 => Some((0, Detection::Chosen)),
            Some(_) => None,
            None => Some((0, Detection::ValidUtf8)),
        },
    };
    // Where decode() would read the bytes as they are as UTF-8, and they are valid UTF-8 with
    // no NUL and no binary signature, its result is exactly these bytes as text.
    if let Some((skip, how)) = as_utf8 {
        let in_place = bytes.len() > skip
            && !has_binary_signature(&bytes)
            && !bytes.contains(&0)
            && std::str::from_utf8(&bytes[skip..]).is_ok();
        if in_place {
            let mut bytes = bytes;
            bytes.drain(..skip);
            let text = String::from_utf8(bytes).expect("checked as UTF-8 above");
            return Ok(Decoded {
                text,
                encoding: UTF_8.name(),
                how,
            });
        }
    }
    decode(&bytes, choice, language_hint)
}

fn finish(text: String, encoding: &'static Encoding, how: Detection) -> Result<Decoded, DecodeError> {
    if text.contains('\0') {
        return Err(DecodeError::NotText);
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        how,
    })
}

/// Magic numbers of the files people upload by mistake instead of a .csv.
fn has_binary_signature(bytes: &[u8]) -> bool {
    const SIGNATURES: [&[u8]; 9] = [
        b"PK\x03\x04",                       // ZIP: .xlsx, .ods, .numbers
        b"PK\x05\x06",                       // empty ZIP
        b"PK\x07\x08",                       // spanned ZIP
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", // OLE2: Excel 97-2003 .xls
        b"\x89PNG\r\n\x1a\n",
        b"\xFF\xD8\xFF", // JPEG
        b"GIF87a",
        b"GIF89a",
        b"%PDF-",
    ];
    SIGNATURES.iter().any(|signature| bytes.starts_with(signature))
}

fn is_utf16(encoding: &'static Encoding) -> bool {
    encoding == UTF_16LE || encoding == UTF_16BE
}

/// UTF-16 without a BOM: ASCII characters put a NUL in every other byte of the file's start, on the
/// odd bytes for little-endian, the even ones for big-endian, and never on the other side.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even_nuls, mut odd_nuls) = (0, 0);
    for pair in sample.chunks_exact(2) {
        even_nuls += usize::from(pair[0] == 0);
        odd_nuls += usize::from(pair[1] == 0);
    }
    if even_nuls == 0 && odd_nuls * 2 >= pairs {
        Some(UTF_16LE)
    } else if odd_nuls == 0 && even_nuls * 2 >= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// A UTF-8 file with a few bad bytes (a broken copy-paste, a truncated character) still has most of
/// its non-ASCII text as well-formed UTF-8, which legacy-encoded text almost never has by chance
/// (Big5 and GBK text: a few percent of characters; Windows-1252: hardly ever). One damaged character
/// leaves a run of several bad bytes (its orphaned continuation bytes), counted once.
fn looks_like_damaged_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad_runs) = (0usize, 0usize);
    let mut in_bad_run = false;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        good += valid.bytes().filter(|b| *b >= 0xC0).count();
        let bad = !chunk.invalid().is_empty();
        if bad && !(in_bad_run && valid.is_empty()) {
            bad_runs += 1;
        }
        in_bad_run = bad;
    }
    good > 0 && good >= 2 * bad_runs
}

/// chardetng's guess, limited to the legacy encodings we offer.
///
/// On a Traditional Chinese page the guess is asked with the `tw` domain, which makes chardetng
/// prefer Big5 whenever Big5 can read the bytes. That settles Big5 against GBK, Shift_JIS or EUC-KR
/// for short Chinese files, but it would also read a Western file's "Jürgen" as Big5; so when the
/// guess without the hint is a single-byte encoding, that guess is kept.
///
/// A guess outside the offered four is mapped to Windows-1252 only if Windows-1252 reads every
/// non-ASCII byte of the file as the same character (e.g. German text that chardetng called
/// windows-1250); otherwise the file is refused as [`DecodeError::Unsupported`], because reading a
/// Cyrillic or Polish file as Windows-1252 would store mojibake. The staff member can still choose
/// an encoding.
fn guess_legacy(bytes: &[u8], language_hint: Option<&str>) -> Result<&'static Encoding, DecodeError> {
    let detector = detector_fed_with_sample(bytes);
    let generic = detector.guess(None, Utf8Detection::Allow);
    let is_taiwan = language_hint.is_some_and(|hint| hint.trim().eq_ignore_ascii_case("zh-TW"));
    let guess = if is_taiwan && !generic.is_single_byte() {
        detector.guess(Some(b"tw"), Utf8Detection::Allow)
    } else {
        generic
    };
    // UTF-8 comes back only if the sample was valid UTF-8 and the damage lies beyond it: decoding as
    // UTF-8 then reports the damaged line.
    if let Some(encoding) = EncodingChoice::for_encoding(guess).and_then(EncodingChoice::encoding) {
        if !is_utf16(encoding) {
            return Ok(encoding);
        }
    }
    if guess.is_single_byte() && reads_like_windows_1252(guess, bytes) {
        return Ok(WINDOWS_1252);
    }
    Err(DecodeError::Unsupported { guessed: guess.name() })
}

/// chardetng reads about 10 MB a second (optimised build), too slow for a 15 MB file, and the lines
/// holding non-ASCII bytes are the ones that tell encodings apart; so it reads those lines, whole, up to
/// 256 KB of them.
fn detector_fed_with_sample(bytes: &[u8]) -> EncodingDetector {
    const SAMPLE_BYTES: usize = 256 * 1024;
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let mut fed = 0;
    for line in bytes.split_inclusive(|b| matches!(b, b'\r' | b'\n')) {
        if line.is_ascii() {
            continue;
        }
        detector.feed(line, false);
        fed += line.len();
        if fed >= SAMPLE_BYTES {
            // A prefix: chardetng asks not to be told the stream ended.
            return detector;
        }
    }
    detector.feed(b"", true);
    detector
}

/// Whether `encoding` and Windows-1252 turn every non-ASCII byte present in `bytes` into the same
/// character (both are single-byte encodings here, so byte by byte is exact).
fn reads_like_windows_1252(encoding: &'static Encoding, bytes: &[u8]) -> bool {
    let mut present = [false; 128];
    for &b in bytes.iter().filter(|b| !b.is_ascii()) {
        present[usize::from(b - 0x80)] = true;
    }
    (0x80u8..=0xFF).filter(|b| present[usize::from(b - 0x80)]).all(|b| {
        let byte = [b];
        let theirs = encoding.decode_without_bom_handling_and_without_replacement(&byte);
        let ours = WINDOWS_1252.decode_without_bom_handling_and_without_replacement(&byte);
        theirs.is_some() && theirs == ours
    })
}

/// Decodes all of `bytes` or reports the line of the first sequence `encoding` does not define.
/// Windows-1252 leaves five bytes undefined (WHATWG maps them to C1 controls); they count as malformed,
/// since a file holding them is in some other encoding.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, DecodeError> {
    let malformed = |line| DecodeError::Malformed {
        encoding: encoding.name(),
        line,
    };
    if encoding == WINDOWS_1252 {
        if let Some(at) = bytes.iter().position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)) {
            return Err(malformed(1 + count_line_breaks(&bytes[..at])));
        }
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    // Enough for ASCII-heavy text and for Big5/GBK/UTF-16 (3 UTF-8 bytes per 2 input bytes).
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2 + 16);
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => text.reserve(
                decoder
                    .max_utf8_buffer_length_without_replacement(rest.len())
                    .unwrap_or(rest.len()),
            ),
            DecoderResult::Malformed(_, _) => return Err(malformed(1 + count_line_breaks(text.as_bytes()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn auto(bytes: &[u8]) -> Result<Decoded, DecodeError> {
        decode(bytes, EncodingChoice::Automatic, Some("en"))
    }

    #[test]
    fn utf8_bom_is_stripped_and_named() {
        let decoded = auto(&fixture("utf8-bom-comma.csv")).unwrap();
        assert_eq!(decoded.how, Detection::Bom);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.text.starts_with("First name,"), "{:?}", &decoded.text[..12]);
        assert!(decoded.text.contains("陳美玲") && decoded.text.contains("張瑋庭 (Wei-Ting Chang)"));
    }

    #[test]
    fn utf16_le_with_bom_keeps_chinese_and_accented_names() {
        let decoded = auto(&fixture("utf16le-tab.txt")).unwrap();
        assert_eq!((decoded.encoding, decoded.how), ("UTF-16LE", Detection::Bom));
        assert!(decoded.text.starts_with("First name\tLast name\t"));
        for name in ["陳美玲", "黃淑芬", "Jürgen Müller", "Zoë Brontë", "Leçon, François"] {
            assert!(decoded.text.contains(name), "{name} missing");
        }
    }

    #[test]
    fn utf16_be_with_bom() {
        let decoded = auto(&fixture("utf16be-bom-comma.csv")).unwrap();
        assert_eq!((decoded.encoding, decoded.how), ("UTF-16BE", Detection::Bom));
        assert!(decoded.text.starts_with("First name,") && decoded.text.contains("林志明"));
    }

    #[test]
    fn big5_is_guessed_on_a_chinese_page_and_on_an_english_one() {
        for hint in [Some("zh-TW"), Some("en"), None] {
            let decoded = decode(&fixture("big5-comma.csv"), EncodingChoice::Automatic, hint).unwrap();
            assert_eq!(
                (decoded.encoding, decoded.how),
                ("Big5", Detection::Guessed),
                "{hint:?}"
            );
            for name in ["陳美玲", "林志明", "黃淑芬", "張瑋庭 (Wei-Ting Chang)"] {
                assert!(decoded.text.contains(name), "{name} missing with {hint:?}");
            }
        }
    }

    #[test]
    fn the_taiwan_hint_settles_a_short_chinese_file_for_big5() {
        let bytes = BIG5.encode("Display name,User name\r\n陳,chen@contoso.com\r\n").0;
        let decoded = decode(&bytes, EncodingChoice::Automatic, Some("zh-TW")).unwrap();
        assert_eq!(decoded.encoding, "Big5");
        assert!(decoded.text.contains("陳,"));
    }

    #[test]
    fn the_taiwan_hint_does_not_turn_western_text_into_big5() {
        let bytes = WINDOWS_1252
            .encode("Display name,User name\r\nFrançois Leçon,f@contoso.com\r\nHélène Dubois,h@contoso.com\r\n")
            .0;
        let decoded = decode(&bytes, EncodingChoice::Automatic, Some("zh-TW")).unwrap();
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("François Leçon") && decoded.text.contains("Hélène"));
    }

    #[test]
    fn windows_1252_keeps_umlauts_diaereses_and_cedillas() {
        let decoded = auto(&fixture("cp1252-semicolon.csv")).unwrap();
        assert_eq!((decoded.encoding, decoded.how), ("windows-1252", Detection::Guessed));
        for name in ["Jürgen Müller", "Zoë Brontë", "Leçon, François"] {
            assert!(decoded.text.contains(name), "{name} missing");
        }
    }

    #[test]
    fn gbk_and_shift_jis_are_guessed() {
        let gbk = auto(&fixture("gbk-comma.csv")).unwrap();
        assert_eq!(gbk.encoding, "GBK");
        assert!(gbk.text.contains("王伟") && gbk.text.contains("张建国"));
        let sjis = auto(&fixture("shift-jis-comma.csv")).unwrap();
        assert_eq!(sjis.encoding, "Shift_JIS");
        assert!(sjis.text.contains("山田 太郎") && sjis.text.contains("佐藤 健太"));
    }

    #[test]
    fn the_guess_looks_past_a_long_ascii_start() {
        let mut text = "Display name,User name\r\n".to_string();
        text.push_str(&"Ann Lee,ann.lee@contoso.onmicrosoft.com\r\n".repeat(20_000));
        text.push_str("陳美玲,meiling.chen@contoso.com\r\n黃淑芬,shufen.huang@contoso.com\r\n");
        let decoded = auto(&BIG5.encode(&text).0).unwrap();
        assert_eq!(decoded.encoding, "Big5");
        assert!(decoded.text.ends_with("黃淑芬,shufen.huang@contoso.com\r\n"));
    }

    #[test]
    fn utf8_without_bom_is_read_as_utf8() {
        for name in [
            "partner-center-template.csv",
            "bad-rows.csv",
            "m365-template.csv",
            "mac-cr-quoted.csv",
        ] {
            let decoded = auto(&fixture(name)).unwrap();
            assert_eq!(
                (decoded.encoding, decoded.how),
                ("UTF-8", Detection::ValidUtf8),
                "{name}"
            );
        }
        assert!(auto(&fixture("partner-center-template.csv"))
            .unwrap()
            .text
            .contains("張瑋庭"));
    }

    #[test]
    fn damaged_utf8_is_refused_with_its_line_rather_than_read_as_a_legacy_encoding() {
        for hint in [Some("en"), Some("zh-TW")] {
            let error = decode(&fixture("utf8-one-bad-byte.csv"), EncodingChoice::Automatic, hint).unwrap_err();
            assert_eq!(
                error,
                DecodeError::Malformed {
                    encoding: "UTF-8",
                    line: 3
                },
                "{hint:?}"
            );
        }
    }

    #[test]
    fn damage_is_told_from_legacy_text_by_its_share_of_good_utf8() {
        let mut one_damaged = "陳美玲,林志明".as_bytes().to_vec();
        one_damaged[9] = 0xFF; // the lead byte of 林: FF and two orphaned continuation bytes, one run
        assert!(looks_like_damaged_utf8(&one_damaged));
        assert!(!looks_like_damaged_utf8(&fixture("big5-comma.csv")));
        assert!(!looks_like_damaged_utf8(&fixture("cp1252-semicolon.csv")));
        assert!(!looks_like_damaged_utf8(&fixture("gbk-comma.csv")));
        assert!(!looks_like_damaged_utf8(&fixture("shift-jis-comma.csv")));
        // Half-width katakana in Shift_JIS can pair up into valid UTF-8 by chance: ﾀﾅｶ is C0 C5 B6.
        assert!(!looks_like_damaged_utf8(
            &SHIFT_JIS.encode("ﾀﾅｶ ﾀﾛｳ,tanaka@contoso.com").0
        ));
        assert!(!looks_like_damaged_utf8(b"Ann\xE9e"));
    }

    #[test]
    fn a_file_that_turns_from_utf8_to_big5_past_the_sample_is_refused() {
        let mut bytes = "Display name,User name\r\n".as_bytes().to_vec();
        bytes.extend("陳美玲陳美玲陳美玲陳美玲,m@contoso.com\r\n".repeat(8_000).as_bytes());
        bytes.extend(BIG5.encode("陳美玲,林志明,黃淑芬\r\n").0.repeat(20_000));
        assert!(!looks_like_damaged_utf8(&bytes), "too much Big5 to call it damage");
        let error = auto(&bytes).unwrap_err();
        assert_eq!(
            error,
            DecodeError::Malformed {
                encoding: "UTF-8",
                line: 8_002
            }
        );
    }

    #[test]
    fn one_stray_byte_in_ascii_text_is_read_as_windows_1252() {
        // Nothing in the file is multi-byte UTF-8, so it is a legacy file with one accented letter.
        let decoded = auto(b"Display name,User name\r\nAnn\xE9e Lee,ann@contoso.com\r\n").unwrap();
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("Année Lee"));
    }

    #[test]
    fn a_chosen_encoding_overrides_the_guess() {
        let bytes = fixture("big5-comma.csv");
        let guessed = auto(&bytes).unwrap();
        assert_eq!(guessed.encoding, "Big5");
        let chosen = decode(&bytes, EncodingChoice::Gbk, Some("zh-TW")).unwrap();
        assert_eq!((chosen.encoding, chosen.how), ("GBK", Detection::Chosen));
        assert!(
            !chosen.text.contains("陳美玲"),
            "GBK reads these bytes as other characters"
        );
        let utf8_read_as_1252 = decode("Zoë".as_bytes(), EncodingChoice::Windows1252, None).unwrap();
        assert_eq!(utf8_read_as_1252.text, "ZoÃ«");
    }

    #[test]
    fn a_chosen_encoding_that_cannot_read_the_file_names_the_line() {
        let error = decode(&fixture("cp1252-semicolon.csv"), EncodingChoice::Utf8, None).unwrap_err();
        assert_eq!(
            error,
            DecodeError::Malformed {
                encoding: "UTF-8",
                line: 2
            }
        );
        let error = decode(&fixture("utf8-bom-comma.csv")[3..], EncodingChoice::ShiftJis, None).unwrap_err();
        assert!(
            matches!(
                error,
                DecodeError::Malformed {
                    encoding: "Shift_JIS",
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn a_bom_wins_over_a_chosen_encoding() {
        let decoded = decode(&fixture("utf8-bom-comma.csv"), EncodingChoice::Big5, Some("zh-TW")).unwrap();
        assert_eq!((decoded.encoding, decoded.how), ("UTF-8", Detection::Bom));
        assert!(decoded.text.contains("陳美玲"));
    }

    #[test]
    fn utf16_without_bom_is_recognised_by_its_nul_bytes() {
        let text = "Display name\tUser name\r\n陳美玲\tmeiling@contoso.com\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let decoded = auto(&le).unwrap();
        assert_eq!(
            (decoded.encoding, decoded.how, decoded.text.as_str()),
            ("UTF-16LE", Detection::Guessed, text)
        );
        assert_eq!(auto(&be).unwrap().encoding, "UTF-16BE");
        assert_eq!(decode(&le, EncodingChoice::Utf16Le, None).unwrap().text, text);
    }

    #[test]
    fn empty_files_are_empty() {
        assert_eq!(auto(b""), Err(DecodeError::Empty));
        assert_eq!(auto(b"\xEF\xBB\xBF"), Err(DecodeError::Empty));
        assert_eq!(auto(b"\xFF\xFE"), Err(DecodeError::Empty));
        assert_eq!(decode(b"", EncodingChoice::Big5, None), Err(DecodeError::Empty));
    }

    #[test]
    fn workbooks_images_and_pdfs_are_not_text_whatever_the_choice() {
        let files: [&[u8]; 6] = [
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n",
            b"GIF89a\x01\x00\x01\x00",
        ];
        for bytes in files {
            for choice in EncodingChoice::ALL {
                assert_eq!(
                    decode(bytes, choice, None),
                    Err(DecodeError::NotText),
                    "{choice:?} {bytes:?}"
                );
            }
        }
    }

    #[test]
    fn nul_bytes_outside_utf16_mean_not_text() {
        let binary = b"\x01\x02\x00\x00\x07Display name\x00\x00\x00\xFF";
        assert_eq!(auto(binary), Err(DecodeError::NotText));
        assert_eq!(
            decode(binary, EncodingChoice::Windows1252, None),
            Err(DecodeError::NotText)
        );
        assert_eq!(
            auto(b"\xEF\xBB\xBFDisplay name\x00,User name"),
            Err(DecodeError::NotText)
        );
        assert_eq!(
            decode(b"D\x00\x00\x00", EncodingChoice::Utf16Le, None),
            Err(DecodeError::NotText)
        );
        let odd_length = decode(b"D\x00i\x00s\x00p\x00\x00", EncodingChoice::Utf16Le, None);
        assert_eq!(
            odd_length,
            Err(DecodeError::Malformed {
                encoding: "UTF-16LE",
                line: 1
            })
        );
    }

    #[test]
    fn cyrillic_and_central_european_files_are_refused_not_read_as_western() {
        let russian = encoding_rs::WINDOWS_1251
            .encode("Имя,Фамилия\r\nАлександр,Пушкин\r\nЛев,Толстой\r\n")
            .0;
        assert_eq!(
            auto(&russian),
            Err(DecodeError::Unsupported {
                guessed: "windows-1251"
            })
        );
        let polish = encoding_rs::WINDOWS_1250
            .encode("Imię,Nazwisko\r\nŁukasz,Wiśniewski\r\nZdeněk,Dvořák\r\n")
            .0;
        assert!(
            matches!(auto(&polish), Err(DecodeError::Unsupported { .. })),
            "{:?}",
            auto(&polish)
        );
        assert_eq!(
            decode(&russian, EncodingChoice::Windows1252, None).unwrap().how,
            Detection::Chosen
        );
    }

    #[test]
    fn a_single_byte_guess_that_reads_like_windows_1252_becomes_windows_1252() {
        let czech = encoding_rs::WINDOWS_1250.encode("Müller Dvořák").0;
        assert!(!reads_like_windows_1252(encoding_rs::WINDOWS_1250, &czech));
        let german = encoding_rs::WINDOWS_1250.encode("Jürgen Müller, Größe").0;
        assert!(reads_like_windows_1252(encoding_rs::WINDOWS_1250, &german));
        assert!(!reads_like_windows_1252(encoding_rs::WINDOWS_1251, &german));
    }

    #[test]
    fn undefined_windows_1252_bytes_are_malformed() {
        let error = decode(b"Display name\r\nA\x81B\r\n", EncodingChoice::Windows1252, None).unwrap_err();
        assert_eq!(
            error,
            DecodeError::Malformed {
                encoding: "windows-1252",
                line: 2
            }
        );
    }

    #[test]
    fn malformed_lines_count_cr_lf_and_crlf() {
        let bytes = b"a\rb\nc\r\nd\r\n\xFF";
        let error = decode(bytes, EncodingChoice::Utf8, None).unwrap_err();
        assert_eq!(
            error,
            DecodeError::Malformed {
                encoding: "UTF-8",
                line: 5
            }
        );
    }

    #[test]
    fn large_files_decode_in_one_piece() {
        let row = "名字,姓氏,陳美玲,meiling.chen@contoso.com,TW,\r\n";
        let text = row.repeat(4_000);
        let big5 = BIG5.encode(&text).0;
        let decoded = decode(&big5, EncodingChoice::Big5, None).unwrap();
        assert_eq!(decoded.text, text);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(auto(&utf16).unwrap().text, text);
    }

    #[test]
    fn text_that_outgrows_the_first_buffer_is_decoded_whole() {
        // Each é is one byte in Windows-1252 and two in UTF-8: more than the 1.5 times reserved first.
        let text = format!("Display name\r\n{}\r\n", "é".repeat(50_000));
        let bytes = WINDOWS_1252.encode(&text).0;
        assert_eq!(decode(&bytes, EncodingChoice::Windows1252, None).unwrap().text, text);
    }

    #[test]
    fn choices_round_trip_through_the_select_value() {
        for choice in EncodingChoice::ALL {
            assert_eq!(EncodingChoice::parse(choice.as_str()), Ok(choice));
        }
        assert_eq!(EncodingChoice::parse(""), Ok(EncodingChoice::Automatic));
        assert_eq!(EncodingChoice::parse(" UTF8 "), Ok(EncodingChoice::Utf8));
        assert_eq!(EncodingChoice::parse("cp950"), Ok(EncodingChoice::Big5));
        assert_eq!(EncodingChoice::parse("cp1252"), Ok(EncodingChoice::Windows1252));
        assert_eq!(EncodingChoice::parse("gb18030"), Ok(EncodingChoice::Gbk));
        assert_eq!(EncodingChoice::parse("sjis"), Ok(EncodingChoice::ShiftJis));
        let error = EncodingChoice::parse("koi8-r").unwrap_err();
        assert_eq!(
            (error.key, error.args[0].1.as_str()),
            ("import-err-encoding-unknown", "koi8-r")
        );
        assert!(EncodingChoice::parse("ebcdic").is_err());
    }

    #[test]
    fn decoded_files_name_the_choice_that_reads_them_again() {
        assert_eq!(auto(&fixture("big5-comma.csv")).unwrap().choice(), EncodingChoice::Big5);
        assert_eq!(
            auto(&fixture("utf16le-tab.txt")).unwrap().choice(),
            EncodingChoice::Utf16Le
        );
        assert_eq!(
            auto(&fixture("cp1252-semicolon.csv")).unwrap().choice(),
            EncodingChoice::Windows1252
        );
        assert_eq!(auto(b"a,b").unwrap().choice(), EncodingChoice::Utf8);
    }

    #[test]
    fn errors_carry_message_keys_and_arguments() {
        assert_eq!(DecodeError::NotText.key(), "import-err-not-text");
        assert_eq!(DecodeError::Empty.key(), "import-err-empty");
        let message = DecodeError::Malformed {
            encoding: "Big5",
            line: 12,
        }
        .message();
        assert_eq!(message.key, "import-err-malformed");
        assert_eq!(
            message.args,
            vec![("encoding", "Big5".to_string()), ("line", "12".to_string())]
        );
        assert_eq!(
            DecodeError::Malformed {
                encoding: "Big5",
                line: 12
            }
            .to_string(),
            "line 12 is not valid Big5"
        );
        let field: FieldError = DecodeError::Unsupported { guessed: "EUC-KR" }.into();
        assert_eq!(field.key, "import-err-unsupported-encoding");
    }
}
