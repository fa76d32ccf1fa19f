//! Staff accounts: sign-in with lockout, password changes, creating staff (and their partner).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{audit, Actor, Outcome};
use crate::auth::{password, Role};
use crate::db::functions::lower;
use crate::db::schema::{partners, staff};
use crate::domain::{lockout, password_policy, FieldError};
use crate::error::AppError;

/// A signed-in (or signing-in) staff member, as pages and permission checks need it.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub email: String,
    pub role: Role,
    pub must_change_password: bool,
}

/// A staff member joined with their partner's name, as it is read (named, so the partner's
/// name, the email and the role cannot be taken for one another).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff, check_for_backend(diesel::pg::Pg))]
pub struct MemberRow {
    pub id: i64,
    pub partner_id: i64,
    #[diesel(select_expression = partners::name)]
    pub partner_name: String,
    pub email: String,
    pub role: String,
    pub must_change_password: bool,
}

/// The staff member a row describes; a role this version does not know gets the least rights.
pub fn to_member(row: MemberRow) -> StaffMember {
    StaffMember {
        id: row.id,
        partner_id: row.partner_id,
        partner_name: row.partner_name,
        email: row.email,
        role: Role::parse(&row.role).unwrap_or(Role::HelpdeskAgent),
        must_change_password: row.must_change_password,
    }
}

pub fn find(conn: &mut PgConnection, id: i64) -> Result<Option<StaffMember>, AppError> {
    Ok(staff::table
        .inner_join(partners::table)
        .filter(staff::id.eq(id))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()?
        .map(to_member))
}

/// The partner's staff, for the activity log's filter.
pub fn list_for_partner(conn: &mut PgConnection, partner_id: i64) -> QueryResult<Vec<(i64, String)>> {
    staff::table
        .filter(staff::partner_id.eq(partner_id))
        .order(staff::email)
        .select((staff::id, staff::email))
        .load(conn)
}

/// What a sign-in attempt reads of the account: its secret and its failure counters.
#[derive(Queryable, Selectable)]
#[diesel(table_name = staff, check_for_backend(diesel::pg::Pg))]
struct Account {
    id: i64,
    partner_id: i64,
    password_hash: String,
    failed_attempts: i32,
    lockouts: i32,
    locked_until: Option<DateTime<Utc>>,
}

pub enum SignIn {
    Accepted(StaffMember),
    /// Wrong email, wrong password or a locked account: the page says only that much.
    Refused,
}

/// Checks a sign-in attempt and keeps the failure counters, in one transaction with its
/// activity-log entry.
pub fn sign_in(
    conn: &mut PgConnection,
    email: &str,
    given_password: &str,
    now: DateTime<Utc>,
) -> Result<SignIn, AppError> {
    conn.transaction(|conn| {
        let account = staff::table
            .filter(lower(staff::email).eq(email.trim().to_lowercase()))
            .select(Account::as_select())
            .for_update()
            .first(conn)
            .optional()?;
        let Some(Account {
            id,
            partner_id,
            password_hash: hash,
            failed_attempts,
            lockouts,
            locked_until,
        }) = account
        else {
            // Same work as for a real account, so timing does not tell which emails exist.
            password::verify(given_password, &password::DUMMY_HASH);
            return Ok(SignIn::Refused);
        };
        if lockout::is_locked(locked_until, now) {
            audit::record_as(
                conn,
                partner_id,
                Some(id),
                None,
                "sign_in_failed",
                "refused",
                json!({"reason": "locked"}),
            )?;
            return Ok(SignIn::Refused);
        }
        if !password::verify(given_password, &hash) {
            let after = lockout::after_failure(failed_attempts, lockouts, now);
            diesel::update(staff::table.find(id))
                .set((
                    staff::failed_attempts.eq(after.failed_attempts),
                    staff::lockouts.eq(after.lockouts),
                    staff::locked_until.eq(after.locked_until.or(locked_until)),
                ))
                .execute(conn)?;
            let reason = if after.locked_until.is_some() {
                "locked_now"
            } else {
                "wrong_password"
            };
            audit::record_as(
                conn,
                partner_id,
                Some(id),
                None,
                "sign_in_failed",
                "refused",
                json!({"reason": reason}),
            )?;
            return Ok(SignIn::Refused);
        }
        diesel::update(staff::table.find(id))
            .set((
                staff::failed_attempts.eq(0),
                staff::lockouts.eq(0),
                staff::locked_until.eq(None::<DateTime<Utc>>),
            ))
            .execute(conn)?;
        audit::record_as(conn, partner_id, Some(id), None, "sign_in", "success", json!({}))?;
        let member = find(conn, id)?.ok_or(AppError::NotFound)?;
        Ok(SignIn::Accepted(member))
    })
}

pub fn record_sign_out(conn: &mut PgConnection, actor: Actor) -> Result<(), AppError> {
    audit::record(conn, actor, None, "sign_out", json!({}))?;
    Ok(())
}

/// Changes a staff member's own password after checking the current one and the policy.
/// Errors are per field: `current_password` or `new_password`.
pub fn change_password(
    conn: &mut PgConnection,
    actor: Actor,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<Outcome<(), (&'static str, FieldError)>, AppError> {
    let (email, hash) = staff::table
        .find(actor.staff_id)
        .select((staff::email, staff::password_hash))
        .first::<(String, String)>(conn)?;
    if !password::verify(current, &hash) {
        let wrong = FieldError::new("err-password-current-wrong");
        return Ok(Outcome::Refused(("current_password", wrong)));
    }
    if let Err(e) = password_policy::check_new_password(new, confirm, &email, current) {
        return Ok(Outcome::Refused(("new_password", e)));
    }
    let new_hash = password::hash(new).map_err(AppError::Internal)?;
    conn.transaction(|conn| {
        diesel::update(staff::table.find(actor.staff_id))
            .set((staff::password_hash.eq(new_hash), staff::must_change_password.eq(false)))
            .execute(conn)?;
        audit::record(conn, actor, None, "password_changed", json!({}))
    })?;
    Ok(Outcome::Done(()))
}

#[derive(Debug, thiserror::Error)]
pub enum CreateStaffError {
    #[error("a staff member with the email {0} already exists")]
    EmailTaken(String),
    #[error("{0} is not a valid email address")]
    BadEmail(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Creates a staff member, and the partner too when no partner has that name yet.
pub fn create(
    conn: &mut PgConnection,
    partner_name: &str,
    email: &str,
    role: Role,
    password_hash: &str,
    must_change_password: bool,
) -> Result<StaffMember, CreateStaffError> {
    let email = email.trim();
    if !crate::domain::email::looks_like_email(email) {
        return Err(CreateStaffError::BadEmail(email.to_string()));
    }
    conn.transaction(|conn| {
        let partner_id = find_or_create_partner(conn, partner_name)?;
        let taken: i64 = staff::table
            .filter(lower(staff::email).eq(email.to_lowercase()))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(CreateStaffError::EmailTaken(email.to_string()));
        }
        let id: i64 = diesel::insert_into(staff::table)
            .values((
                staff::partner_id.eq(partner_id),
                staff::email.eq(email),
                staff::role.eq(role.as_str()),
                staff::password_hash.eq(password_hash),
                staff::must_change_password.eq(must_change_password),
            ))
            .returning(staff::id)
            .get_result(conn)?;
        audit::record_as(
            conn,
            partner_id,
            None,
            None,
            "staff_created",
            "success",
            json!({"email": email, "role": role.as_str()}),
        )?;
        Ok(find(conn, id)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .expect("just created"))
    })
}

pub fn find_or_create_partner(conn: &mut PgConnection, name: &str) -> QueryResult<i64> {
    let name = name.trim();
    let existing = partners::table
        .filter(lower(partners::name).eq(name.to_lowercase()))
        .select(partners::id)
        .first::<i64>(conn)
        .optional()?;
    match existing {
        Some(id) => Ok(id),
        None => diesel::insert_into(partners::table)
            .values(partners::name.eq(name))
            .returning(partners::id)
            .get_result(conn),
    }
}

/// A row of the partner's Staff page.
#[derive(Debug, Clone)]
pub struct StaffRow {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub must_change_password: bool,
    pub locked: bool,
    pub created_at: DateTime<Utc>,
}

/// A staff row as the list reads it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = staff, check_for_backend(diesel::pg::Pg))]
struct Listed {
    id: i64,
    email: String,
    role: String,
    must_change_password: bool,
    locked_until: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

pub fn rows_for_partner(conn: &mut PgConnection, partner_id: i64, now: DateTime<Utc>) -> QueryResult<Vec<StaffRow>> {
    Ok(staff::table
        .filter(staff::partner_id.eq(partner_id))
        .order(staff::email)
        .select(Listed::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| StaffRow {
            id: row.id,
            email: row.email,
            role: Role::parse(&row.role).unwrap_or(Role::HelpdeskAgent),
            must_change_password: row.must_change_password,
            locked: lockout::is_locked(row.locked_until, now),
            created_at: row.created_at,
        })
        .collect())
}

/// Adds a staff member to the actor's partner with a temporary password (shown once).
pub fn add_to_partner(
    conn: &mut PgConnection,
    actor: Actor,
    email: &str,
    role: Role,
    temporary_hash: &str,
) -> Result<Outcome<i64, FieldError>, AppError> {
    let email = email.trim();
    if !crate::domain::email::looks_like_email(email) {
        let invalid = FieldError::new("err-email-invalid").with("value", email);
        return Ok(Outcome::Refused(invalid));
    }
    conn.transaction::<_, AppError, _>(|conn| {
        let taken: i64 = staff::table
            .filter(lower(staff::email).eq(email.to_lowercase()))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            let in_use = FieldError::new("err-staff-email-taken").with("value", email);
            return Ok(Outcome::Refused(in_use));
        }
        let id: i64 = diesel::insert_into(staff::table)
            .values((
                staff::partner_id.eq(actor.partner_id),
                staff::email.eq(email),
                staff::role.eq(role.as_str()),
                staff::password_hash.eq(temporary_hash),
                staff::must_change_password.eq(true),
            ))
            .returning(staff::id)
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            None,
            "staff_created",
            json!({"email": email, "role": role.as_str()}),
        )?;
        Ok(Outcome::Done(id))
    })
}

/// Changes a staff member's role. The partner always keeps at least one Global admin.
/// i18n-key: err-staff-email-taken err-last-global-admin
pub fn change_role(
    conn: &mut PgConnection,
    actor: Actor,
    staff_id: i64,
    role: Role,
) -> Result<Outcome<(), FieldError>, AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        // One role change of a partner at a time: two Global admins demoting each other at once
        // would each count the other as an admin (and deadlock on each other's rows).
        partners::table
            .find(actor.partner_id)
            .select(partners::id)
            .for_update()
            .first::<i64>(conn)?;
        let (email, current): (String, String) = staff::table
            .filter(staff::id.eq(staff_id))
            .filter(staff::partner_id.eq(actor.partner_id))
            .select((staff::email, staff::role))
            .for_update()
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        if current == Role::GlobalAdmin.as_str() && role != Role::GlobalAdmin {
            let admins: i64 = staff::table
                .filter(staff::partner_id.eq(actor.partner_id))
                .filter(staff::role.eq(Role::GlobalAdmin.as_str()))
                .count()
                .get_result(conn)?;
            if admins <= 1 {
                return Ok(Outcome::Refused(FieldError::new("err-last-global-admin")));
            }
        }
        diesel::update(staff::table.find(staff_id))
            .set(staff::role.eq(role.as_str()))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            None,
            "staff_role_changed",
            json!({"email": email, "role": role.as_str()}),
        )?;
        Ok(Outcome::Done(()))
    })
}
