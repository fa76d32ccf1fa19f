//! Live heap (bytes asked of the allocator, not RSS) of each step of an import, for one file.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use partnerdesk::domain::import_rows::{check_rows, ImportRow};
use partnerdesk::domain::spreadsheet::{decode, EncodingChoice, Sheet};
use partnerdesk::services::credentials::Credential;

struct Counting;
static CUR: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let n = CUR.fetch_add(l.size(), Relaxed) + l.size();
        PEAK.fetch_max(n, Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        CUR.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() {
            let n = CUR.fetch_add(new - l.size(), Relaxed) + new - l.size();
            PEAK.fetch_max(n, Relaxed);
        } else {
            CUR.fetch_sub(l.size() - new, Relaxed);
        }
        System.realloc(p, l, new)
    }
}
#[global_allocator]
static A: Counting = Counting;

fn mib(b: usize) -> f64 { b as f64 / 1048576.0 }
fn step(name: &str) {
    let (c, p) = (CUR.load(Relaxed), PEAK.swap(CUR.load(Relaxed), Relaxed));
    println!("{name:<62} live {:>7.1} MiB   peak during step {:>7.1} MiB", mib(c), mib(p));
}

#[derive(serde::Serialize)]
struct Sealed<'a> { sheet_id: uuid::Uuid, entries: &'a [Credential] }

fn main() {
    let path = std::env::args().nth(1).unwrap();
    let domains = vec!["contoso-import.example".to_string(), "fabrikam-import.example".to_string()];
    step("start");
    // --- validate ---
    let bytes = std::fs::read(&path).unwrap();
    step(&format!("read the file ({} bytes)", bytes.len()));
    let decoded = decode(&bytes, EncodingChoice::parse("auto").unwrap(), Some("en")).unwrap();
    step("decode");
    let sheet = Sheet::parse(&decoded.text).unwrap();
    drop(decoded);
    step("Sheet::parse, drop the text");
    let (rows, problems) = check_rows(&sheet, &domains);
    assert!(problems.is_empty());
    step(&format!("check_rows ({} rows)", rows.len()));
    let value = serde_json::to_value(&rows).unwrap();
    step("serde_json::to_value(&rows)  [validate]");
    let mut jsonb = vec![1u8];
    serde_json::to_writer(&mut jsonb, &value).unwrap();
    step(&format!("jsonb bind bytes ({} bytes)", jsonb.len()));
    drop(value);
    drop(sheet);
    drop(bytes);
    step("validate done: drop the Value, sheet, file");
    let direct = serde_json::to_vec(&rows).unwrap();
    step(&format!("alternative: serde_json::to_vec(&rows) ({} bytes)", direct.len()));
    drop(direct);
    drop(rows);
    step("drop the rows (what validate keeps: jsonb bytes only)");
    // --- start / run: load_rows ---
    let value: serde_json::Value = serde_json::from_slice(&jsonb[1..]).unwrap();
    step("load_rows: jsonb -> serde_json::Value");
    let rows: Vec<ImportRow> = serde_json::from_value(value).unwrap();
    step("load_rows: Value -> Vec<ImportRow> (Value dropped)");
    drop(rows);
    let rows: Vec<ImportRow> = serde_json::from_slice(&jsonb[1..]).unwrap();
    step("alternative: from_slice straight to Vec<ImportRow>");
    drop(jsonb);
    step("drop the jsonb bytes");
    // --- run ---
    let n = rows.len();
    let secrets: Vec<(String, String)> = (0..n)
        .map(|_| (partnerdesk::domain::temp_password::generate(), format!("$argon2id$v=19$m=1024,t=1,p=1${}", "x".repeat(66))))
        .collect();
    step("secrets: (password, PHC hash) per row (hashes faked, same length)");
    let keys: Vec<String> = rows.iter().map(ImportRow::key).collect();
    step("keys for taken_names");
    let column = |f: fn(&ImportRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let cols = [column(|r| r.first_name.clone()), column(|r| r.last_name.clone()), column(|r| r.display_name.clone()), column(|r| r.user_name.clone())];
    let locations: Vec<Option<String>> = rows.iter().map(|r| r.usage_location.clone().or(Some("TW".into()))).collect();
    step("INSERT: 4 cloned columns + locations");
    let hashes: Vec<&str> = secrets.iter().map(|(_, h)| h.as_str()).collect();
    let bind: usize = cols.iter().flatten().map(|s| s.len() + 4).sum::<usize>() + hashes.iter().map(|s| s.len() + 4).sum::<usize>();
    println!("  (the INSERT's array binds hold about {:.1} MiB of text; libpq's buffer doubles to fit the message)", mib(bind));
    drop(keys);
    drop(cols);
    step("after the INSERT (columns dropped)");
    let entries: Vec<Credential> = rows.iter().zip(&secrets).zip(&locations).map(|((r, (secret, _)), location)| Credential {
        display_name: r.display_name.clone(), user_name: r.user_name.clone(), password: secret.clone(), status: "Created".into(),
        first_name: r.first_name.clone(), last_name: r.last_name.clone(), usage_location: location.clone().unwrap_or_default(),
    }).collect();
    step("entries: Vec<Credential> (clones)");
    let ids: Vec<i64> = (0..n as i64).collect();
    let audit = serde_json::json!({"count": ids.len(), "user_ids": ids});
    let audit_bytes = serde_json::to_vec(&audit).unwrap();
    step(&format!("audit json with every user id ({} bytes)", audit_bytes.len()));
    drop((audit, audit_bytes, ids));
    let plain = serde_json::to_vec(&Sealed { sheet_id: uuid::Uuid::new_v4(), entries: &entries }).unwrap();
    step(&format!("seal: plain json ({} bytes)", plain.len()));
    let key = crypto_box::SecretKey::generate(&mut crypto_box::aead::OsRng);
    let sealed = key.public_key().seal(&mut crypto_box::aead::OsRng, &plain).unwrap();
    step(&format!("seal: ciphertext ({} bytes)", sealed.len()));
    drop((plain, entries, secrets, locations, rows, sealed));
    step("end");
}
