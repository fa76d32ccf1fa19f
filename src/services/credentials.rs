//! Credentials confirmation pages. The temporary passwords of one action (add, reset, restore,
//! import) are kept for an hour in a sealed box (X25519 + XSalsa20-Poly1305) addressed to a key
//! pair whose secret half exists only in the session of the staff member who made them. Writing
//! needs only the public half, so a background import sealing its results can do it; reading
//! needs the session. A database dump, another staff member or the same person after signing
//! out can never read them. Expired sheets are deleted.

use actix_session::Session;
use askama::Template;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use crypto_box::aead::OsRng;
use crypto_box::{PublicKey, SecretKey};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{audit, mail, Actor};
use crate::config::Settings;
use crate::db::schema::credential_sheets;
use crate::db::PgPool;
use crate::domain::csv_safe;
use crate::error::AppError;
use crate::i18n::Tr;

/// How long a credentials page can be opened.
pub const LIFETIME: Duration = Duration::hours(1);
const SESSION_KEY: &str = "cred_key";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Credential {
    pub display_name: String,
    pub user_name: String,
    pub password: String,
    /// The "Status update" column of the downloaded .csv.
    pub status: String,
    /// Imports repeat the file's columns in the download.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub usage_location: String,
}

/// A non-secret remark shown beside the list, e.g. a license that could not be restored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Note {
    /// i18n-key: note-license-not-restored note-name-clash
    pub key: String,
    pub user_id: i64,
    pub user_name: String,
    pub detail: String,
}

/// The session's secret key: opens sheets.
#[derive(Clone)]
pub struct SheetKey(SecretKey);

/// The public half: seals sheets. Not secret; an import job keeps it to seal its results.
#[derive(Clone)]
pub struct SheetLock(PublicKey);

/// What is sealed: the entries and the sheet they belong to, so a sealed box copied into
/// another sheet's row does not open there.
#[derive(Deserialize)]
struct Sealed {
    sheet_id: Uuid,
    entries: Vec<Credential>,
}

/// The same, written from borrowed entries (an import of 150,000 users seals without copying them).
#[derive(Serialize)]
struct SealedRef<'a, T: Serialize> {
    sheet_id: Uuid,
    entries: &'a T,
}

/// A credential written from borrowed strings; it reads back as a [`Credential`].
#[derive(Serialize)]
pub struct CredentialRef<'a> {
    pub display_name: &'a str,
    pub user_name: &'a str,
    pub password: &'a str,
    pub status: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub usage_location: &'a str,
}

impl SheetKey {
    /// The session's key, made on first use; gone when the session ends.
    pub fn of_session(session: &Session) -> Result<Self, AppError> {
        let engine = base64::engine::general_purpose::STANDARD;
        if let Some(encoded) = session.get::<String>(SESSION_KEY).ok().flatten() {
            if let Ok(bytes) = engine.decode(encoded) {
                if let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) {
                    return Ok(SheetKey(SecretKey::from_bytes(key)));
                }
            }
        }
        let secret = SecretKey::generate(&mut OsRng);
        session
            .insert(SESSION_KEY, engine.encode(secret.to_bytes()))
            .map_err(AppError::internal)?;
        Ok(SheetKey(secret))
    }

    /// A key kept nowhere: for users made without a person to hand their passwords to (the
    /// demo data), whose credentials page then opens for no one.
    pub fn discarded() -> Self {
        SheetKey(SecretKey::generate(&mut OsRng))
    }

    pub fn lock(&self) -> SheetLock {
        SheetLock(self.0.public_key())
    }

    fn open(&self, sheet_id: Uuid, sealed: &[u8]) -> Option<Vec<Credential>> {
        let plain = self.0.unseal(sealed).ok()?;
        let sealed: Sealed = serde_json::from_slice(&plain).ok()?;
        (sealed.sheet_id == sheet_id).then_some(sealed.entries)
    }
}

impl SheetLock {
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes)
            .ok()
            .map(|b| SheetLock(PublicKey::from_bytes(b)))
    }

    fn seal(&self, sheet_id: Uuid, entries: Vec<Credential>) -> Vec<u8> {
        self.seal_ref(sheet_id, &entries)
    }

    fn seal_ref<T: Serialize>(&self, sheet_id: Uuid, entries: &T) -> Vec<u8> {
        let plain = serde_json::to_vec(&SealedRef { sheet_id, entries }).expect("credentials serialise");
        self.0.seal(&mut OsRng, &plain).expect("sealing in memory cannot fail")
    }
}

/// Stores a new sheet; call it inside the transaction that made the passwords.
#[allow(clippy::too_many_arguments)]
pub fn create(
    conn: &mut PgConnection,
    lock: &SheetLock,
    staff_id: i64,
    customer_id: i64,
    action: &str,
    entries: Vec<Credential>,
    notes: &[Note],
    now: DateTime<Utc>,
) -> QueryResult<Uuid> {
    let id = Uuid::new_v4();
    let count = entries.len();
    let sealed = lock.seal(id, entries);
    insert_sheet(conn, id, staff_id, customer_id, action, count, sealed, notes, now)?;
    Ok(id)
}

/// Stores a new sheet from borrowed entries (the import's way: no copy of 150,000 rows).
#[allow(clippy::too_many_arguments)]
pub fn create_from_refs(
    conn: &mut PgConnection,
    lock: &SheetLock,
    staff_id: i64,
    customer_id: i64,
    action: &str,
    entries: &[CredentialRef<'_>],
    now: DateTime<Utc>,
) -> QueryResult<Uuid> {
    let id = Uuid::new_v4();
    let sealed = lock.seal_ref(id, &entries);
    insert_sheet(conn, id, staff_id, customer_id, action, entries.len(), sealed, &[], now)?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
fn insert_sheet(
    conn: &mut PgConnection,
    id: Uuid,
    staff_id: i64,
    customer_id: i64,
    action: &str,
    count: usize,
    sealed: Vec<u8>,
    notes: &[Note],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(credential_sheets::table)
        .values((
            credential_sheets::id.eq(id),
            credential_sheets::customer_id.eq(customer_id),
            credential_sheets::staff_id.eq(staff_id),
            credential_sheets::action.eq(action),
            credential_sheets::user_count.eq(count as i32),
            credential_sheets::sealed.eq(sealed),
            credential_sheets::notes.eq(serde_json::to_value(notes).expect("notes serialise")),
            credential_sheets::created_at.eq(now),
            credential_sheets::expires_at.eq(now + LIFETIME),
        ))
        .execute(conn)
}

/// Whose a sheet is: one staff member's, for one customer and one action.
pub struct Owner<'a> {
    pub staff_id: i64,
    pub customer_id: i64,
    pub action: &'a str,
}

/// Adds entries to a sheet ("Add another user" builds one list) of the same staff member,
/// customer and action: a sheet id sent with the form must never put one customer's users
/// on another customer's sheet, nor mix an add into a reset. Gives `false` when the sheet is
/// gone, unreadable or someone else's, so the caller starts a new one.
pub fn append(
    conn: &mut PgConnection,
    key: &SheetKey,
    sheet_id: Uuid,
    owner: &Owner<'_>,
    more: &[Credential],
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let Opened::Sheet(sheet) = open(conn, key, sheet_id, owner.staff_id, now)? else {
        return Ok(false);
    };
    if sheet.customer_id != owner.customer_id || sheet.action != owner.action {
        return Ok(false);
    }
    let mut entries = sheet.entries;
    entries.extend_from_slice(more);
    let count = entries.len() as i32;
    let sealed = key.lock().seal(sheet_id, entries);
    diesel::update(credential_sheets::table.find(sheet_id))
        .set((
            credential_sheets::sealed.eq(sealed),
            credential_sheets::user_count.eq(count),
        ))
        .execute(conn)?;
    Ok(true)
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub id: Uuid,
    pub customer_id: i64,
    pub action: String,
    pub entries: Vec<Credential>,
    pub notes: Vec<Note>,
    pub expires_at: DateTime<Utc>,
}

pub enum Opened {
    Sheet(Sheet),
    /// Expired, dismissed, someone else's, or from an earlier session: the passwords are gone.
    Gone,
}

pub fn open(
    conn: &mut PgConnection,
    key: &SheetKey,
    sheet_id: Uuid,
    staff_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<Opened> {
    let row = credential_sheets::table
        .find(sheet_id)
        .filter(credential_sheets::staff_id.eq(staff_id))
        .select((
            credential_sheets::customer_id,
            credential_sheets::action,
            credential_sheets::sealed,
            credential_sheets::notes,
            credential_sheets::expires_at,
        ))
        .first::<(i64, String, Vec<u8>, serde_json::Value, DateTime<Utc>)>(conn)
        .optional()?;
    let Some((customer_id, action, sealed, notes, expires_at)) = row else {
        return Ok(Opened::Gone);
    };
    if expires_at <= now {
        diesel::delete(credential_sheets::table.find(sheet_id)).execute(conn)?;
        return Ok(Opened::Gone);
    }
    let Some(entries) = key.open(sheet_id, &sealed) else {
        return Ok(Opened::Gone);
    };
    let notes = serde_json::from_value(notes).unwrap_or_default();
    Ok(Opened::Sheet(Sheet {
        id: sheet_id,
        customer_id,
        action,
        entries,
        notes,
        expires_at,
    }))
}

/// "I have what I need": the passwords are deleted at once.
pub fn dismiss(conn: &mut PgConnection, sheet_id: Uuid, staff_id: i64) -> QueryResult<usize> {
    diesel::delete(
        credential_sheets::table
            .find(sheet_id)
            .filter(credential_sheets::staff_id.eq(staff_id)),
    )
    .execute(conn)
}

pub fn purge_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(credential_sheets::table.filter(credential_sheets::expires_at.le(now))).execute(conn)
}

/// A password in groups of four characters ("K8+a pKt@ og&7 CQY@"), for slips on paper.
pub fn in_groups_of_four(password: &str) -> String {
    let chars: Vec<char> = password.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whole minutes until a sheet expires, rounded up ("expires in 58 minutes"), never below 0.
pub fn minutes_left(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    ((expires_at - now).num_seconds().max(0) + 59) / 60
}

/// What happened to the user of a credential, as stored in the sheet (a code, never words: the
/// .csv says it in the reader's language).
pub const STATUS_CREATED: &str = "created";
pub const STATUS_PASSWORD_RESET: &str = "password_reset";
pub const STATUS_RESTORED: &str = "restored";

/// The words for a stored status in `t`'s language. Sheets written before the codes (within
/// their hour) hold the English words, which read the same way.
pub fn status_text(t: &Tr, stored: &str) -> String {
    let key = match stored {
        STATUS_CREATED | "Created" => "credential-status-created",
        STATUS_PASSWORD_RESET | "Password reset" => "credential-status-password-reset",
        STATUS_RESTORED | "Restored" => "credential-status-restored",
        other => return other.to_string(),
    };
    t.get(key)
}

/// The sheet as a .csv for Excel: UTF-8 with BOM, formulas neutralised, in `t`'s language.
pub fn to_csv(sheet: &Sheet, header: [&str; 4], t: &Tr) -> Vec<u8> {
    csv_safe::write_csv(
        &header,
        sheet.entries.iter().map(|c| {
            vec![
                c.display_name.clone(),
                c.user_name.clone(),
                c.password.clone(),
                status_text(t, &c.status),
            ]
        }),
    )
}

/// An import's sheet as a .csv that repeats the file's columns (the template's header) with the
/// temporary password: first name, last name, display name, user name, usage location,
/// temporary password, status update.
pub fn to_import_csv(sheet: &Sheet, header: [&str; 7], t: &Tr) -> Vec<u8> {
    csv_safe::write_csv(
        &header,
        sheet.entries.iter().map(|c| {
            vec![
                c.first_name.clone(),
                c.last_name.clone(),
                c.display_name.clone(),
                c.user_name.clone(),
                c.usage_location.clone(),
                c.password.clone(),
                status_text(t, &c.status),
            ]
        }),
    )
}

/// The plain-text mail of a sheet's passwords, in the sender's language.
#[derive(Template)]
#[template(path = "credentials/email.txt")]
struct CredentialsMail<'a> {
    t: Tr,
    customer_name: &'a str,
    entries: &'a [Credential],
}

/// A sheet's passwords on their way to the addresses a staff member typed (already parsed).
pub struct Mailing<'a> {
    pub sheet: &'a Sheet,
    pub customer_name: &'a str,
    pub recipients: Vec<String>,
}

/// What became of emailing a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emailed {
    /// Handed to the mail server (or the outbox) for this many addresses.
    Sent(usize),
    /// The mail could not be sent; the activity entry says so.
    Failed,
}

/// Emails a sheet as plain text, one message per address. The activity entry is committed
/// first, so no password leaves without a record; the mail goes after the commit, and a
/// failure to send turns the entry into a failure.
pub async fn email(
    pool: &PgPool,
    settings: &Settings,
    actor: Actor,
    t: Tr,
    mailing: Mailing<'_>,
) -> Result<Emailed, AppError> {
    let Mailing {
        sheet,
        customer_name,
        recipients,
    } = mailing;
    let subject = t.arg("mail-credentials-subject", "customer", customer_name);
    let body = mail_body(t, customer_name, &sheet.entries)?;
    let details = json!({"recipients": recipients.join(", "), "users": sheet.entries.len()});
    let customer_id = Some(sheet.customer_id);
    let entry = crate::db::run(pool, move |conn| {
        Ok(audit::record_pending(
            conn,
            actor,
            customer_id,
            "credentials_emailed",
            details,
        )?)
    })
    .await?;
    match mail::send_plain(settings, &recipients, &subject, &body).await {
        Ok(()) => Ok(Emailed::Sent(recipients.len())),
        Err(error) => {
            tracing::warn!(%error, "sending credentials failed");
            crate::db::run(pool, move |conn| Ok(audit::mark_failed(conn, entry)?)).await?;
            Ok(Emailed::Failed)
        }
    }
}

fn mail_body(t: Tr, customer_name: &str, entries: &[Credential]) -> Result<String, AppError> {
    let mail = CredentialsMail {
        t,
        customer_name,
        entries,
    };
    mail.render().map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn passwords_on_slips_come_in_groups_of_four() {
        assert_eq!(in_groups_of_four("K8+apKt@og&7CQY@"), "K8+a pKt@ og&7 CQY@");
        assert_eq!(in_groups_of_four("abcde"), "abcd e");
        assert_eq!(in_groups_of_four(""), "");
    }

    #[test]
    fn the_status_column_is_in_the_readers_language() {
        let sheet = Sheet {
            id: Uuid::nil(),
            customer_id: 1,
            action: "reset".into(),
            entries: vec![entry()],
            notes: Vec::new(),
            expires_at: Utc::now(),
        };
        let zh = String::from_utf8(to_csv(&sheet, ["a", "b", "c", "d"], &Tr::new(Lang::ZhTw))).unwrap();
        assert!(zh.ends_with(",已建立\r\n"), "{zh}");
        let en = String::from_utf8(to_csv(&sheet, ["a", "b", "c", "d"], &Tr::new(Lang::En))).unwrap();
        assert!(en.ends_with(",Created\r\n"), "{en}");
        // A sheet written before the codes reads the same.
        assert_eq!(status_text(&Tr::new(Lang::ZhTw), "Password reset"), "已重設密碼");
        assert_eq!(status_text(&Tr::new(Lang::ZhTw), STATUS_RESTORED), "已還原");
    }

    fn entry() -> Credential {
        Credential {
            display_name: "王小明".into(),
            user_name: "xiaoming@contoso.com".into(),
            password: "Ab3$Ab3$Ab3$Ab3$".into(),
            status: STATUS_CREATED.into(),
            ..Credential::default()
        }
    }

    #[test]
    fn the_mail_lists_every_entry_between_intro_and_outro_in_the_senders_language() {
        let second = Credential {
            display_name: "Anna".into(),
            user_name: "anna@contoso.com".into(),
            password: "Xy7!Xy7!Xy7!Xy7!".into(),
            ..Credential::default()
        };
        let body = mail_body(Tr::new(Lang::En), "Contoso", &[entry(), second]).unwrap();
        assert_eq!(
            body,
            "Here are the user names and temporary passwords for Contoso. Each user must choose \
             a new password at first sign-in.\n\n\
             Display name: 王小明\nUser name: xiaoming@contoso.com\nTemporary password: Ab3$Ab3$Ab3$Ab3$\n\n\
             Display name: Anna\nUser name: anna@contoso.com\nTemporary password: Xy7!Xy7!Xy7!Xy7!\n\n\
             Sent by PartnerDesk."
        );
        let chinese = mail_body(Tr::new(Lang::ZhTw), "Contoso", &[entry()]).unwrap();
        assert!(
            chinese.starts_with("以下是 Contoso 的使用者名稱與暫時密碼。"),
            "{chinese}"
        );
        assert!(chinese.contains("顯示名稱：王小明\n"), "full-width colon: {chinese}");
        assert!(chinese.ends_with("由 PartnerDesk 寄出。"), "{chinese}");
        let unescaped = Credential {
            display_name: "A & B <x>".into(),
            ..entry()
        };
        assert!(
            mail_body(Tr::new(Lang::En), "Contoso", &[unescaped])
                .unwrap()
                .contains("A & B <x>"),
            "plain text: nothing HTML-escaped"
        );
    }

    #[test]
    fn sealed_sheets_open_only_with_their_session_key_and_id() {
        let key = SheetKey(SecretKey::generate(&mut OsRng));
        let id = Uuid::new_v4();
        let sealed = key.lock().seal(id, vec![entry()]);
        assert!(!sealed.windows(4).any(|w| w == b"Ab3$"), "no plain text at rest");
        assert_eq!(key.open(id, &sealed), Some(vec![entry()]));
        let other = SheetKey(SecretKey::generate(&mut OsRng));
        assert_eq!(other.open(id, &sealed), None, "another session's key");
        assert_eq!(key.open(Uuid::new_v4(), &sealed), None, "moved to another sheet");
        let lock = SheetLock::from_bytes(&key.lock().to_bytes()).unwrap();
        assert_eq!(
            key.open(id, &lock.seal(id, vec![entry()])),
            Some(vec![entry()]),
            "the public half travels as bytes"
        );
    }
}
