//! Staff accounts: sign-in with lockout, password changes, creating staff (and their partner).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{audit, sessions, Actor, Outcome};
use crate::auth::{password, Role};
use crate::db::functions::lower;
use crate::db::schema::{partners, staff, staff_factors, staff_sign_in_failures};
use crate::domain::lockout::{self, Counters, Failure};
use crate::domain::time_zone::TimeZone;
use crate::domain::{password_policy, FieldError};
use crate::error::AppError;
use crate::metrics::SignInRefusal;
use crate::state::AppState;

/// A signed-in (or signing-in) staff member, as pages and permission checks need it.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub email: String,
    pub role: Role,
    pub must_change_password: bool,
    /// The partner requires a second factor at sign-in.
    pub second_factor_required: bool,
    /// The member has enrolled one (an authenticator app or a passkey).
    pub has_second_factor: bool,
    /// The partner's time zone, and the member's own if they chose one (IANA names).
    pub partner_time_zone: String,
    pub time_zone: Option<String>,
}

impl StaffMember {
    /// Where the member's dates and times are shown: their own zone, else their partner's.
    pub fn zone(&self) -> TimeZone {
        TimeZone::from_stored(self.time_zone.as_deref().unwrap_or(&self.partner_time_zone))
    }

    /// Signed in with the password only, and must add a second factor before anything else.
    pub fn must_enrol_second_factor(&self) -> bool {
        self.second_factor_required && !self.has_second_factor
    }
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
    #[diesel(select_expression = partners::second_factor_required)]
    pub second_factor_required: bool,
    #[diesel(select_expression = diesel::dsl::exists(staff_factors::table.filter(staff_factors::staff_id.eq(staff::id))))]
    #[diesel(select_expression_type = diesel::dsl::exists<diesel::dsl::Filter<staff_factors::table, diesel::dsl::Eq<staff_factors::staff_id, staff::id>>>)]
    pub has_second_factor: bool,
    #[diesel(select_expression = partners::time_zone)]
    pub partner_time_zone: String,
    pub time_zone: Option<String>,
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
        second_factor_required: row.second_factor_required,
        has_second_factor: row.has_second_factor,
        partner_time_zone: row.partner_time_zone,
        time_zone: row.time_zone,
    }
}

pub fn find(conn: &mut PgConnection, id: i64) -> Result<Option<StaffMember>, AppError> {
    Ok(staff::table
        .inner_join(partners::table)
        .filter(staff::id.eq(id))
        .filter(staff::removed_at.is_null())
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

/// What a sign-in attempt reads of the account before checking the password.
#[derive(Queryable, Selectable)]
#[diesel(table_name = staff, check_for_backend(diesel::pg::Pg))]
struct Account {
    id: i64,
    partner_id: i64,
    password_hash: String,
}

pub enum SignIn {
    Accepted(StaffMember),
    /// Wrong email, wrong password or a locked address: the page says only that much.
    Refused,
}

/// One sign-in attempt as the form and the connection give it.
pub struct Attempt {
    pub email: String,
    pub password: String,
    /// The client's address (see [`crate::auth::client_address`]): failures count per address.
    pub address: String,
}

/// Checks a sign-in attempt: rate limits first (429), then the account is read without a lock
/// and its connection given back, the password is checked on the bounded workers (503 when they
/// are full), and the result is kept in one short transaction with its activity-log entry.
/// Every attempt that reaches the workers costs one full argon2 verification, whether the account
/// exists, is locked or has a light temporary hash.
pub async fn sign_in(state: &AppState, attempt: Attempt) -> Result<SignIn, AppError> {
    let refused = |reason| state.metrics.sign_in_refused(reason);
    if let Err(limited) = state.sign_in_limits.check(&attempt.address, &attempt.email) {
        refused(SignInRefusal::RateLimited);
        return Err(limited);
    }
    let email = attempt.email.trim().to_lowercase();
    let account = crate::db::run(&state.pool, move |conn| {
        Ok(staff::table
            .filter(lower(staff::email).eq(email))
            .filter(staff::removed_at.is_null())
            .select(Account::as_select())
            .first(conn)
            .optional()?)
    })
    .await?;
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let given = attempt.password;
    let matches = state
        .password_workers
        .run(move || password::verify_at_full_cost(&given, stored.as_deref()))
        .await
        .inspect_err(|e| {
            if matches!(e, AppError::Busy) {
                refused(SignInRefusal::Busy);
            }
        })?;
    let Some(account) = account else {
        refused(SignInRefusal::WrongPassword);
        return Ok(SignIn::Refused);
    };
    let (address, now) = (attempt.address, state.clock.now());
    let recorded = crate::db::run(&state.pool, move |conn| {
        record_attempt(conn, &account, &address, matches, now)
    })
    .await?;
    Ok(match recorded {
        Recorded::Accepted(member) => SignIn::Accepted(member),
        Recorded::Refused(reason) => {
            refused(reason);
            SignIn::Refused
        }
    })
}

/// A checked attempt as it was kept, with why it was refused (for `/metrics`).
enum Recorded {
    Accepted(StaffMember),
    Refused(SignInRefusal),
}

/// Keeps the outcome of a checked attempt. The lock is read again here, under the row's lock, so
/// that parallel attempts from one address count one by one.
fn record_attempt(
    conn: &mut PgConnection,
    account: &Account,
    address: &str,
    matches: bool,
    now: DateTime<Utc>,
) -> Result<Recorded, AppError> {
    conn.transaction(|conn| {
        let key = (account.id, address);
        let before = failures_for_update(conn, key)?;
        let locked = lockout::is_locked(before.locked_until, now);
        if matches && !locked {
            return accept(conn, account, key, before);
        }
        let failure = lockout::after_failure(before, now);
        store_failures(conn, key, failure.counters(), now)?;
        let details = match failure {
            Failure::WhileLocked(_) => return Ok(Recorded::Refused(SignInRefusal::Locked)),
            Failure::Wrong(_) => json!({"reason": "wrong_password", "address": address}),
            Failure::LockedNow(c) => json!({"reason": "locked_now", "address": address, "until": c.locked_until}),
        };
        audit::record_as(
            conn,
            account.partner_id,
            Some(account.id),
            None,
            "sign_in_failed",
            "refused",
            details,
        )?;
        Ok(Recorded::Refused(SignInRefusal::WrongPassword))
    })
}

/// A right password from an address that is not locked: its counters go, and the attempts its
/// locks refused are told in the sign-in's activity entry.
fn accept(
    conn: &mut PgConnection,
    account: &Account,
    key: (i64, &str),
    before: Counters,
) -> Result<Recorded, AppError> {
    diesel::delete(staff_sign_in_failures::table.find(key)).execute(conn)?;
    let details = match before.refused_while_locked {
        0 => json!({}),
        refused => json!({"refused_while_locked": refused}),
    };
    audit::record_as(
        conn,
        account.partner_id,
        Some(account.id),
        None,
        "sign_in",
        "success",
        details,
    )?;
    let member = find(conn, account.id)?.ok_or(AppError::NotFound)?;
    Ok(Recorded::Accepted(member))
}

/// The second step of a sign-in: the code typed after a right password, for the member the
/// session awaits. Rate-limited and locked out as the password is, per account and address,
/// with counters of its own (kept under the address `factor:<address>`). Gives the member and
/// how the code proved them, or None (the page says only that the code is wrong).
pub async fn check_second_factor(
    state: &AppState,
    staff_id: i64,
    address: &str,
    answer: SecondFactorAnswer,
) -> Result<Option<(StaffMember, crate::services::factors::Proof)>, AppError> {
    let webauthn = state.webauthn.clone();
    state.factor_limits.check(address, &staff_id.to_string())?;
    let (shown_address, key_address, now) = (address.to_string(), format!("factor:{address}"), state.clock.now());
    let outcome = crate::db::run(&state.pool, move |conn| {
        conn.transaction::<_, AppError, _>(|conn| {
            let member = find(conn, staff_id)?.ok_or(AppError::SignInRequired(None))?;
            let key = (staff_id, key_address.as_str());
            let before = failures_for_update(conn, key)?;
            if !lockout::is_locked(before.locked_until, now) {
                let proof = match &answer {
                    SecondFactorAnswer::Code(code) => {
                        crate::services::factors::verify(conn, member.partner_id, staff_id, code, now)?
                    }
                    SecondFactorAnswer::Passkey { ceremony, credential } => match &webauthn {
                        Some(webauthn) => crate::services::factors::verify_passkey(
                            conn, webauthn, staff_id, *ceremony, credential, now,
                        )?,
                        None => None,
                    },
                };
                if let Some(proof) = proof {
                    diesel::delete(staff_sign_in_failures::table.find(key)).execute(conn)?;
                    return Ok(Ok((member, proof)));
                }
            }
            let failure = lockout::after_failure(before, now);
            store_failures(conn, key, failure.counters(), now)?;
            let details = match failure {
                Failure::WhileLocked(_) => return Ok(Err(SignInRefusal::Locked)),
                Failure::Wrong(_) => json!({"reason": "wrong_code", "address": shown_address}),
                Failure::LockedNow(c) => {
                    json!({"reason": "locked_now", "address": shown_address, "until": c.locked_until})
                }
            };
            audit::record_as(
                conn,
                member.partner_id,
                Some(staff_id),
                None,
                "second_factor_failed",
                "refused",
                details,
            )?;
            Ok(Err(SignInRefusal::WrongPassword))
        })
    })
    .await?;
    Ok(match outcome {
        Ok(accepted) => Some(accepted),
        Err(reason) => {
            state.metrics.sign_in_refused(reason);
            None
        }
    })
}

/// What the second step of a sign-in was answered with.
pub enum SecondFactorAnswer {
    /// An authenticator app's code or a recovery code, as typed.
    Code(String),
    /// The browser's answer to a passkey ceremony.
    Passkey { ceremony: uuid::Uuid, credential: String },
}

/// The counters of one account and address, its row locked (made first when there is none).
fn failures_for_update(conn: &mut PgConnection, (staff_id, address): (i64, &str)) -> QueryResult<Counters> {
    diesel::insert_into(staff_sign_in_failures::table)
        .values((
            staff_sign_in_failures::staff_id.eq(staff_id),
            staff_sign_in_failures::address.eq(address),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    let (failures, lockouts, locked_until, refused_while_locked) = staff_sign_in_failures::table
        .find((staff_id, address))
        .select((
            staff_sign_in_failures::failures,
            staff_sign_in_failures::lockouts,
            staff_sign_in_failures::locked_until,
            staff_sign_in_failures::refused_while_locked,
        ))
        .for_update()
        .first(conn)?;
    Ok(Counters {
        failures,
        lockouts,
        locked_until,
        refused_while_locked,
    })
}

fn store_failures(
    conn: &mut PgConnection,
    key: (i64, &str),
    counters: Counters,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(staff_sign_in_failures::table.find(key))
        .set((
            staff_sign_in_failures::failures.eq(counters.failures),
            staff_sign_in_failures::lockouts.eq(counters.lockouts),
            staff_sign_in_failures::locked_until.eq(counters.locked_until),
            staff_sign_in_failures::refused_while_locked.eq(counters.refused_while_locked),
            staff_sign_in_failures::last_failure_at.eq(now),
        ))
        .execute(conn)
}

/// Ends every lock of a staff member of the actor's partner and clears their counters; the
/// activity entry says how many attempts the locks refused.
pub fn unlock(conn: &mut PgConnection, actor: Actor, staff_id: i64) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        let email = email_of_member(conn, actor, staff_id)?;
        let refused: Vec<i32> =
            diesel::delete(staff_sign_in_failures::table.filter(staff_sign_in_failures::staff_id.eq(staff_id)))
                .returning(staff_sign_in_failures::refused_while_locked)
                .get_results(conn)?;
        let refused: i64 = refused.into_iter().map(i64::from).sum();
        audit::record(
            conn,
            actor,
            None,
            "staff_unlocked",
            json!({"email": email, "refused": refused}),
        )?;
        Ok(())
    })
}

/// Forgets failure counters that have been quiet for a day and whose lock (if any) has ended.
pub fn purge_quiet_failures(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    use staff_sign_in_failures::dsl as f;
    diesel::delete(
        f::staff_sign_in_failures
            .filter(f::last_failure_at.lt(now - chrono::Duration::days(1)))
            .filter(f::locked_until.is_null().or(f::locked_until.lt(now))),
    )
    .execute(conn)
}

pub fn record_sign_out(conn: &mut PgConnection, actor: Actor) -> Result<(), AppError> {
    audit::record(conn, actor, None, "sign_out", json!({}))?;
    Ok(())
}

/// Changes a staff member's own password after checking the current one and the policy.
/// Errors are per field: `current_password` or `new_password`. The check and the new hash run on
/// the password workers, with no database connection held.
pub async fn change_password(
    state: &AppState,
    actor: Actor,
    current: String,
    new: String,
    confirm: String,
) -> Result<Outcome<(), (&'static str, FieldError)>, AppError> {
    let (email, hash) = crate::db::run(&state.pool, move |conn| {
        Ok(staff::table
            .find(actor.staff_id)
            .select((staff::email, staff::password_hash))
            .first::<(String, String)>(conn)?)
    })
    .await?;
    let given = current.clone();
    if !state
        .password_workers
        .run(move || password::verify(&given, &hash))
        .await?
    {
        let wrong = FieldError::new("err-password-current-wrong");
        return Ok(Outcome::Refused(("current_password", wrong)));
    }
    if let Err(e) = password_policy::check_new_password(&new, &confirm, &email, &current) {
        return Ok(Outcome::Refused(("new_password", e)));
    }
    let new_hash = state.password_workers.run(move || password::hash(&new)).await?;
    let new_hash = new_hash.map_err(AppError::Internal)?;
    crate::db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            diesel::update(staff::table.find(actor.staff_id))
                .set((staff::password_hash.eq(new_hash), staff::must_change_password.eq(false)))
                .execute(conn)?;
            // A cookie copied before the change must not outlive it (the route then gives this
            // browser a new session).
            sessions::end_all_of(conn, actor.staff_id)?;
            audit::record(conn, actor, None, "password_changed", json!({}))?;
            Ok(())
        })
    })
    .await?;
    state.sessions.forget_staff(actor.staff_id);
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
            .filter(staff::removed_at.is_null())
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

/// Sets the partner's time zone, which every member without one of their own sees times in
/// (Global admins, from the Staff page).
pub fn set_partner_time_zone(conn: &mut PgConnection, actor: Actor, zone: TimeZone) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        diesel::update(partners::table.find(actor.partner_id))
            .set(partners::time_zone.eq(zone.name()))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            None,
            "partner_time_zone_changed",
            json!({"time_zone": zone.name()}),
        )?;
        Ok(())
    })
}

/// Sets the signed-in member's own time zone, or back to the partner's with `None`.
pub fn set_own_time_zone(conn: &mut PgConnection, actor: Actor, zone: Option<TimeZone>) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        diesel::update(staff::table.find(actor.staff_id))
            .set(staff::time_zone.eq(zone.map(TimeZone::name)))
            .execute(conn)?;
        let chosen = zone.map_or("partner", TimeZone::name);
        audit::record(conn, actor, None, "time_zone_changed", json!({"time_zone": chosen}))?;
        Ok(())
    })
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
    created_at: DateTime<Utc>,
}

/// The partner's staff; a member is shown locked while any address of theirs is.
pub fn rows_for_partner(conn: &mut PgConnection, partner_id: i64, now: DateTime<Utc>) -> QueryResult<Vec<StaffRow>> {
    let locked: Vec<i64> = staff_sign_in_failures::table
        .inner_join(staff::table)
        .filter(staff::partner_id.eq(partner_id))
        .filter(staff_sign_in_failures::locked_until.gt(now))
        .select(staff_sign_in_failures::staff_id)
        .distinct()
        .load(conn)?;
    Ok(staff::table
        .filter(staff::partner_id.eq(partner_id))
        .filter(staff::removed_at.is_null())
        .order(staff::email)
        .select(Listed::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| StaffRow {
            id: row.id,
            email: row.email,
            role: Role::parse(&row.role).unwrap_or(Role::HelpdeskAgent),
            must_change_password: row.must_change_password,
            locked: locked.contains(&row.id),
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
            .filter(staff::removed_at.is_null())
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
        lock_partner(conn, actor.partner_id)?;
        let (email, current) = member_of_partner_for_update(conn, actor, staff_id)?;
        if current == Role::GlobalAdmin.as_str()
            && role != Role::GlobalAdmin
            && global_admins(conn, actor.partner_id)? <= 1
        {
            return Ok(Outcome::Refused(FieldError::new("err-last-global-admin")));
        }
        diesel::update(staff::table.find(staff_id))
            .set(staff::role.eq(role.as_str()))
            .execute(conn)?;
        if current != role.as_str() {
            // New rights start with a new sign-in, on every browser the member has.
            sessions::end_all_of(conn, staff_id)?;
        }
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

/// Removes a staff member of the actor's partner: their sessions end at once and they can no
/// longer sign in; their entries in the activity log stay. Nobody removes themselves, and the
/// partner always keeps a Global admin.
/// i18n-key: err-staff-remove-self
pub fn remove(
    conn: &mut PgConnection,
    actor: Actor,
    staff_id: i64,
    now: DateTime<Utc>,
) -> Result<Outcome<(), FieldError>, AppError> {
    if staff_id == actor.staff_id {
        return Ok(Outcome::Refused(FieldError::new("err-staff-remove-self")));
    }
    conn.transaction::<_, AppError, _>(|conn| {
        lock_partner(conn, actor.partner_id)?;
        let (email, role) = member_of_partner_for_update(conn, actor, staff_id)?;
        if role == Role::GlobalAdmin.as_str() && global_admins(conn, actor.partner_id)? <= 1 {
            return Ok(Outcome::Refused(FieldError::new("err-last-global-admin")));
        }
        diesel::update(staff::table.find(staff_id))
            .set(staff::removed_at.eq(now))
            .execute(conn)?;
        sessions::end_all_of(conn, staff_id)?;
        diesel::delete(staff_sign_in_failures::table.filter(staff_sign_in_failures::staff_id.eq(staff_id)))
            .execute(conn)?;
        audit::record(conn, actor, None, "staff_removed", json!({"email": email}))?;
        Ok(Outcome::Done(()))
    })
}

/// One change of a partner's roles or members at a time: two Global admins demoting or removing
/// each other at once would each count the other as an admin (and deadlock on each other's rows).
fn lock_partner(conn: &mut PgConnection, partner_id: i64) -> QueryResult<i64> {
    partners::table
        .find(partner_id)
        .select(partners::id)
        .for_update()
        .first::<i64>(conn)
}

/// The email and role of a current member of the actor's partner, their row locked; 404 else.
fn member_of_partner_for_update(
    conn: &mut PgConnection,
    actor: Actor,
    staff_id: i64,
) -> Result<(String, String), AppError> {
    staff::table
        .filter(staff::id.eq(staff_id))
        .filter(staff::partner_id.eq(actor.partner_id))
        .filter(staff::removed_at.is_null())
        .select((staff::email, staff::role))
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

fn global_admins(conn: &mut PgConnection, partner_id: i64) -> QueryResult<i64> {
    staff::table
        .filter(staff::partner_id.eq(partner_id))
        .filter(staff::removed_at.is_null())
        .filter(staff::role.eq(Role::GlobalAdmin.as_str()))
        .count()
        .get_result(conn)
}

/// The email of a current member of the actor's partner (for the removal's confirmation).
pub fn email_of_member(conn: &mut PgConnection, actor: Actor, staff_id: i64) -> Result<String, AppError> {
    staff::table
        .filter(staff::id.eq(staff_id))
        .filter(staff::partner_id.eq(actor.partner_id))
        .filter(staff::removed_at.is_null())
        .select(staff::email)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}
