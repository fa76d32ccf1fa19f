//! Whole files, bytes to rows, as spreadsheet programs save them (tests/fixtures/README.md).

use super::*;
use crate::i18n::{Lang, Tr};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str, hint: &str) -> (Decoded, Sheet) {
    let decoded =
        decode(&fixture(name), EncodingChoice::Automatic, Some(hint)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let owned = decode_owned(fixture(name), EncodingChoice::Automatic, Some(hint));
    assert_eq!(
        owned.as_ref(),
        Ok(&decoded),
        "{name}: decode_owned reads it as decode does"
    );
    let sheet = Sheet::parse(&decoded.text).unwrap_or_else(|e| panic!("{name}: {e}"));
    (decoded, sheet)
}

fn column(sheet: &Sheet, column: Column) -> Vec<&str> {
    sheet.rows.iter().map(|r| r.get(column)).collect()
}

fn numbers(sheet: &Sheet) -> Vec<usize> {
    sheet.rows.iter().map(|r| r.number).collect()
}

const ZH_DISPLAY_NAMES: [&str; 4] = ["陳美玲", "林志明", "黃淑芬", "張瑋庭 (Wei-Ting Chang)"];

#[test]
fn excel_csv_utf8_gives_four_users_with_chinese_names() {
    let (_, sheet) = read("utf8-bom-comma.csv", "en");
    assert_eq!(sheet.columns, Column::ALL.to_vec());
    assert_eq!(column(&sheet, Column::DisplayName), ZH_DISPLAY_NAMES);
    assert_eq!(column(&sheet, Column::FirstName), ["美玲", "志明", "淑芬", "Wei-Ting"]);
    assert_eq!(column(&sheet, Column::UsageLocation), ["TW", "TW", "TW", ""]);
    assert_eq!(numbers(&sheet), [2, 3, 4, 5]);
}

#[test]
fn big5_gives_the_same_four_users() {
    for hint in ["zh-TW", "en"] {
        let (decoded, sheet) = read("big5-comma.csv", hint);
        assert_eq!(decoded.encoding, "Big5");
        assert_eq!(column(&sheet, Column::DisplayName), ZH_DISPLAY_NAMES);
        assert_eq!(column(&sheet, Column::LastName), ["陳", "林", "黃", "張"]);
        assert_eq!(
            column(&sheet, Column::UserName)[0],
            "meiling.chen@contoso.onmicrosoft.com"
        );
    }
}

#[test]
fn unicode_text_gives_seven_tab_separated_users() {
    let (decoded, sheet) = read("utf16le-tab.txt", "zh-TW");
    assert_eq!(decoded.encoding, "UTF-16LE");
    assert_eq!(sheet.separator, b'\t');
    assert_eq!(sheet.rows.len(), 7);
    assert_eq!(
        column(&sheet, Column::DisplayName)[4..],
        ["Jürgen Müller", "Zoë Brontë", "Leçon, François"]
    );
    assert_eq!(numbers(&sheet), [2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn german_excel_gives_three_users_with_accents() {
    let (decoded, sheet) = read("cp1252-semicolon.csv", "en");
    assert_eq!(decoded.encoding, "windows-1252");
    assert_eq!(sheet.separator, b';');
    assert_eq!(
        column(&sheet, Column::DisplayName),
        ["Jürgen Müller", "Zoë Brontë", "Leçon, François"]
    );
    assert_eq!(column(&sheet, Column::LastName), ["Müller", "Brontë", "Leçon"]);
    assert_eq!(column(&sheet, Column::UsageLocation), ["DE", "GB", "FR"]);
}

#[test]
fn partner_center_template_reads_email_as_user_name() {
    let (_, sheet) = read("partner-center-template.csv", "en");
    assert_eq!(
        sheet.columns,
        [
            Column::FirstName,
            Column::LastName,
            Column::DisplayName,
            Column::UserName,
            Column::StatusUpdate
        ]
    );
    assert!(!sheet.has(Column::UsageLocation));
    assert_eq!(column(&sheet, Column::DisplayName), ZH_DISPLAY_NAMES);
    assert_eq!(column(&sheet, Column::UserName)[2], "shufen.huang@contoso.com");
}

#[test]
fn chinese_headers_and_trailing_empty_rows() {
    let (_, sheet) = read("zh-headers-trailing-empty.csv", "zh-TW");
    assert_eq!(sheet.columns, Column::ALL.to_vec());
    assert_eq!(column(&sheet, Column::DisplayName), ZH_DISPLAY_NAMES);
    assert_eq!(numbers(&sheet), [2, 3, 4, 5]);
}

#[test]
fn bad_rows_arrive_with_their_spreadsheet_numbers() {
    let (_, sheet) = read("bad-rows.csv", "en");
    assert_eq!(numbers(&sheet), [2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(sheet.rows[0].get(Column::DisplayName), "");
    assert_eq!(sheet.rows[6].get(Column::DisplayName).len(), 257);
    assert_eq!(sheet.rows[7].get(Column::UserName), "gil.ma.@contoso.com");
}

#[test]
fn other_encodings_and_shapes() {
    let (_, sheet) = read("utf16be-bom-comma.csv", "en");
    assert_eq!(column(&sheet, Column::DisplayName), ["陳美玲", "林志明", "黃淑芬"]);
    let (_, sheet) = read("gbk-comma.csv", "en");
    assert_eq!(column(&sheet, Column::DisplayName), ["王伟", "李秀英", "张建国"]);
    let (_, sheet) = read("shift-jis-comma.csv", "en");
    assert_eq!(
        column(&sheet, Column::DisplayName),
        ["山田 太郎", "鈴木 花子", "佐藤 健太"]
    );
    let (_, sheet) = read("m365-template.csv", "en");
    assert!(sheet.unknown_columns.is_empty());
    assert_eq!(column(&sheet, Column::UsageLocation), ["US"]);
}

#[test]
fn old_mac_files_end_rows_with_cr_and_quote_cells() {
    let (_, sheet) = read("mac-cr-quoted.csv", "en");
    assert_eq!(
        column(&sheet, Column::DisplayName),
        ["Lee, Ann", "Bo \"Bobby\" Wu", "Cy Ng\rSales", "Di Ho"]
    );
    assert_eq!(numbers(&sheet), [2, 3, 4, 5]);
}

#[test]
fn a_damaged_utf8_file_is_refused_with_its_line() {
    let error = decode(
        &fixture("utf8-one-bad-byte.csv"),
        EncodingChoice::Automatic,
        Some("zh-TW"),
    )
    .unwrap_err();
    assert_eq!(error.key(), "import-err-malformed");
    let en = Tr::new(Lang::En).error(&error.message());
    assert_eq!(
        en,
        "Line 3 of the file is not valid UTF-8. Choose the file's encoding, or in Excel use Save As, CSV UTF-8."
    );
}

#[test]
fn messages_read_well_in_both_languages() {
    let en = Tr::new(Lang::En);
    let zh = Tr::new(Lang::ZhTw);
    assert_eq!(
        en.error(&DecodeError::NotText.message()),
        "This is not a .csv file; in Excel use Save As, CSV UTF-8"
    );
    assert!(zh.error(&DecodeError::NotText.message()).contains("CSV UTF-8"));

    let missing = Sheet::parse("First name,Display name\nA,B\n").unwrap_err().message();
    assert_eq!(
        en.error(&missing),
        "The first row needs a “User name” column (it has: First name, Display name). \
         Rename the columns, or start from the template."
    );
    assert_eq!(
        zh.error(&missing),
        "第一列需要「使用者名稱」欄（目前的欄位：First name, Display name）。請重新命名欄位，或從範本開始。"
    );
    let both = Sheet::parse("Name\nA\n").unwrap_err().message();
    assert!(en.error(&both).contains("a “Display name” and a “User name” column"));

    let duplicate = Sheet::parse("顯示名稱,電子郵件,使用者名稱\n").unwrap_err().message();
    assert_eq!(
        en.error(&duplicate),
        "Columns B (“電子郵件”) and C (“使用者名稱”) both hold the user name; delete one of them."
    );
    assert_eq!(
        zh.error(&duplicate),
        "B 欄（「電子郵件」）和 C 欄（「使用者名稱」）都是使用者名稱，請刪除其中一欄。"
    );

    let unclosed = SheetError::UnclosedQuote { row: 12 }.message();
    assert!(en.error(&unclosed).starts_with("Row 12 opens a quotation mark"));
    assert!(zh.error(&unclosed).starts_with("第 12 列"));
    for choice in EncodingChoice::ALL {
        assert_ne!(zh.get(choice.label_key()), choice.label_key());
    }
}

#[test]
fn a_150000_row_big5_file_is_guessed_decoded_and_parsed() {
    // Encoding Big5 is slow in a debug build, so the Chinese pieces are encoded once.
    let big5_of = |s: &str| encoding_rs::BIG5.encode(s).0.into_owned();
    let (first, last, display) = (big5_of("美玲"), big5_of("陳"), big5_of("陳美玲"));
    let mut text = String::from("First name,Last name,Display name,User name,Usage location,Status update\r\n");
    let mut big5 = text.clone().into_bytes();
    for i in 0..150_000 {
        text.push_str(&format!(
            "美玲{i},陳,\"陳美玲, {i}\",meiling.chen{i}@contoso.onmicrosoft.com,TW,\r\n"
        ));
        big5.extend_from_slice(&first);
        big5.extend_from_slice(format!("{i},").as_bytes());
        big5.extend_from_slice(&last);
        big5.extend_from_slice(b",\"");
        big5.extend_from_slice(&display);
        big5.extend_from_slice(format!(", {i}\",meiling.chen{i}@contoso.onmicrosoft.com,TW,\r\n").as_bytes());
    }
    let decoded = decode(&big5, EncodingChoice::Automatic, Some("zh-TW")).unwrap();
    assert_eq!((decoded.encoding, decoded.how), ("Big5", Detection::Guessed));
    assert!(decoded.text == text);
    let sheet = Sheet::parse(&decoded.text).unwrap();
    assert_eq!(sheet.rows.len(), 150_000);
    assert_eq!(sheet.rows[149_999].get(Column::DisplayName), "陳美玲, 149999");
    assert_eq!(sheet.rows[149_999].number, 150_001);
}

#[test]
fn decoding_in_place_gives_what_decode_gives_for_every_fixture_and_choice() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut compared = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for choice in EncodingChoice::ALL {
            for hint in ["en", "zh-TW"] {
                assert_eq!(
                    decode_owned(bytes.clone(), choice, Some(hint)),
                    decode(&bytes, choice, Some(hint)),
                    "{} read as {choice:?} on a {hint} page",
                    path.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 20, "only {compared} comparisons");
    for odd in [
        &b"\xEF\xBB\xBF"[..],
        b"",
        b"a,b\0c",
        b"\xEF\xBB\xBFa\xFFb",
        b"PK\x03\x04abc",
    ] {
        assert_eq!(
            decode_owned(odd.to_vec(), EncodingChoice::Automatic, None),
            decode(odd, EncodingChoice::Automatic, None),
            "{odd:?}"
        );
    }
}
