//! Signed-in staff sessions as rows: read by the hash of the cookie's secret, listed on the
//! Account page, and ended by sign-out, "Sign out everywhere", a password change, a role change
//! or removal. Only [`crate::auth::session_store`] reads and writes single rows.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{audit, Actor};
use crate::auth::session::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT};
use crate::db::schema::staff_sessions;
use crate::error::AppError;

/// One session as the store keeps it; the token's hash is the key, not part of the row read.
#[derive(Debug, Clone, Queryable, Selectable, PartialEq)]
#[diesel(table_name = staff_sessions, check_for_backend(diesel::pg::Pg))]
pub struct SessionRow {
    pub id: i64,
    pub staff_id: i64,
    pub signed_in_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub browser: String,
    pub sheet_key_masked: Option<Vec<u8>>,
    pub state: serde_json::Value,
}

/// What a save writes: everything but the id, which the database gives.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = staff_sessions)]
pub struct SessionWrite {
    pub staff_id: i64,
    pub signed_in_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub browser: String,
    pub sheet_key_masked: Option<Vec<u8>>,
    pub state: serde_json::Value,
}

/// The primary-key read every signed-in request makes.
pub fn find(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<Option<SessionRow>> {
    staff_sessions::table
        .find(token_hash)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut PgConnection, token_hash: &[u8], row: &SessionWrite) -> QueryResult<()> {
    diesel::insert_into(staff_sessions::table)
        .values((staff_sessions::token_hash.eq(token_hash), row))
        .execute(conn)?;
    Ok(())
}

/// Writes a changed session; false when its row is gone (revoked meanwhile), which must not
/// bring it back. The staff member is part of the match: a row never changes hands.
pub fn update(conn: &mut PgConnection, token_hash: &[u8], row: &SessionWrite) -> QueryResult<bool> {
    let changed = diesel::update(
        staff_sessions::table
            .find(token_hash)
            .filter(staff_sessions::staff_id.eq(row.staff_id)),
    )
    .set(row)
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn delete(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<()> {
    diesel::delete(staff_sessions::table.find(token_hash)).execute(conn)?;
    Ok(())
}

/// Ends every session of a staff member, inside the caller's transaction (a password change,
/// a role change, removal). Returns how many ended.
pub fn end_all_of(conn: &mut PgConnection, staff_id: i64) -> QueryResult<usize> {
    diesel::delete(staff_sessions::table.filter(staff_sessions::staff_id.eq(staff_id))).execute(conn)
}

/// A session as the Account page lists it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_sessions, check_for_backend(diesel::pg::Pg))]
pub struct SessionSummary {
    pub id: i64,
    pub signed_in_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub browser: String,
}

/// The member's live sessions, most recently used first (expired ones wait for the purge but
/// are not shown).
pub fn list_of(conn: &mut PgConnection, staff_id: i64, now: DateTime<Utc>) -> QueryResult<Vec<SessionSummary>> {
    staff_sessions::table
        .filter(staff_sessions::staff_id.eq(staff_id))
        .filter(staff_sessions::signed_in_at.gt(now - ABSOLUTE_TIMEOUT))
        .filter(staff_sessions::last_seen_at.gt(now - IDLE_TIMEOUT))
        .order((staff_sessions::last_seen_at.desc(), staff_sessions::id.desc()))
        .select(SessionSummary::as_select())
        .load(conn)
}

/// "Sign out everywhere": every session of the member, this one too, with its activity row.
pub fn sign_out_everywhere(conn: &mut PgConnection, actor: Actor) -> Result<usize, AppError> {
    conn.transaction(|conn| {
        let ended = end_all_of(conn, actor.staff_id)?;
        audit::record(conn, actor, None, "signed_out_everywhere", json!({"sessions": ended}))?;
        Ok(ended)
    })
}

/// Sessions past their absolute or idle timeout: the periodic purge removes them.
pub fn purge_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(
        staff_sessions::table.filter(
            staff_sessions::last_seen_at
                .le(now - IDLE_TIMEOUT)
                .or(staff_sessions::signed_in_at.le(now - ABSOLUTE_TIMEOUT)),
        ),
    )
    .execute(conn)
}
