//! Credentials confirmation pages. The temporary passwords of one action (add, reset, restore,
//! import) are kept for an hour, encrypted with ChaCha20-Poly1305 under a key that exists only
//! in the session of the staff member who made them: a database dump, another staff member or
//! the same person after signing out can never read them. Expired sheets are deleted.

use actix_session::Session;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::schema::credential_sheets;
use crate::domain::csv_safe;
use crate::error::AppError;

/// How long a credentials page can be opened.
pub const LIFETIME: Duration = Duration::hours(1);
const SESSION_KEY: &str = "cred_key";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Credential {
    pub display_name: String,
    pub user_name: String,
    pub password: String,
    /// The "Status update" column of the downloaded .csv.
    pub status: String,
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

/// The per-session encryption key.
#[derive(Clone)]
pub struct SheetKey([u8; 32]);

impl SheetKey {
    /// The session's key, made on first use; gone when the session ends.
    pub fn of_session(session: &Session) -> Result<Self, AppError> {
        let engine = base64::engine::general_purpose::STANDARD;
        if let Some(encoded) = session.get::<String>(SESSION_KEY).ok().flatten() {
            if let Ok(bytes) = engine.decode(encoded) {
                if let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) {
                    return Ok(SheetKey(key));
                }
            }
        }
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        session
            .insert(SESSION_KEY, engine.encode(key))
            .map_err(AppError::internal)?;
        Ok(SheetKey(key))
    }

    fn seal(&self, sheet_id: Uuid, entries: &[Credential]) -> (Vec<u8>, Vec<u8>) {
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let plain = serde_json::to_vec(entries).expect("credentials serialise");
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: sheet_id.as_bytes(),
                },
            )
            .expect("encryption in memory cannot fail");
        (nonce.to_vec(), sealed)
    }

    fn open(&self, sheet_id: Uuid, nonce: &[u8], sealed: &[u8]) -> Option<Vec<Credential>> {
        if nonce.len() != 12 {
            return None;
        }
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: sheet_id.as_bytes(),
                },
            )
            .ok()?;
        serde_json::from_slice(&plain).ok()
    }
}

/// Stores a new sheet; call it inside the transaction that made the passwords.
#[allow(clippy::too_many_arguments)]
pub fn create(
    conn: &mut PgConnection,
    key: &SheetKey,
    staff_id: i64,
    customer_id: i64,
    action: &str,
    entries: &[Credential],
    notes: &[Note],
    now: DateTime<Utc>,
) -> QueryResult<Uuid> {
    let id = Uuid::new_v4();
    let (nonce, sealed) = key.seal(id, entries);
    diesel::insert_into(credential_sheets::table)
        .values((
            credential_sheets::id.eq(id),
            credential_sheets::customer_id.eq(customer_id),
            credential_sheets::staff_id.eq(staff_id),
            credential_sheets::action.eq(action),
            credential_sheets::user_count.eq(entries.len() as i32),
            credential_sheets::nonce.eq(nonce),
            credential_sheets::ciphertext.eq(sealed),
            credential_sheets::notes.eq(serde_json::to_value(notes).expect("notes serialise")),
            credential_sheets::created_at.eq(now),
            credential_sheets::expires_at.eq(now + LIFETIME),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Adds entries to a sheet of the same staff member ("Add another user" builds one list).
/// Gives `false` when the sheet is gone or unreadable, so the caller starts a new one.
pub fn append(
    conn: &mut PgConnection,
    key: &SheetKey,
    sheet_id: Uuid,
    staff_id: i64,
    more: &[Credential],
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let Opened::Sheet(sheet) = open(conn, key, sheet_id, staff_id, now)? else {
        return Ok(false);
    };
    let mut entries = sheet.entries;
    entries.extend_from_slice(more);
    let (nonce, sealed) = key.seal(sheet_id, &entries);
    diesel::update(credential_sheets::table.find(sheet_id))
        .set((
            credential_sheets::nonce.eq(nonce),
            credential_sheets::ciphertext.eq(sealed),
            credential_sheets::user_count.eq(entries.len() as i32),
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
            credential_sheets::nonce,
            credential_sheets::ciphertext,
            credential_sheets::notes,
            credential_sheets::expires_at,
        ))
        .first::<(i64, String, Vec<u8>, Vec<u8>, serde_json::Value, DateTime<Utc>)>(conn)
        .optional()?;
    let Some((customer_id, action, nonce, sealed, notes, expires_at)) = row else {
        return Ok(Opened::Gone);
    };
    if expires_at <= now {
        diesel::delete(credential_sheets::table.find(sheet_id)).execute(conn)?;
        return Ok(Opened::Gone);
    }
    let Some(entries) = key.open(sheet_id, &nonce, &sealed) else {
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

/// The sheet as a .csv for Excel: UTF-8 with BOM, formulas neutralised.
pub fn to_csv(sheet: &Sheet, header: [&str; 4]) -> Vec<u8> {
    csv_safe::write_csv(
        &header,
        sheet.entries.iter().map(|c| {
            vec![
                c.display_name.clone(),
                c.user_name.clone(),
                c.password.clone(),
                c.status.clone(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Credential {
        Credential {
            display_name: "王小明".into(),
            user_name: "xiaoming@contoso.com".into(),
            password: "Ab3$Ab3$Ab3$Ab3$".into(),
            status: "Created".into(),
        }
    }

    #[test]
    fn sealed_sheets_open_only_with_their_key_and_id() {
        let key = SheetKey([7; 32]);
        let id = Uuid::new_v4();
        let (nonce, sealed) = key.seal(id, &[entry()]);
        assert!(!sealed.windows(4).any(|w| w == b"Ab3$"), "no plain text at rest");
        assert_eq!(key.open(id, &nonce, &sealed), Some(vec![entry()]));
        assert_eq!(
            SheetKey([8; 32]).open(id, &nonce, &sealed),
            None,
            "another session's key"
        );
        assert_eq!(
            key.open(Uuid::new_v4(), &nonce, &sealed),
            None,
            "moved to another sheet"
        );
    }
}
