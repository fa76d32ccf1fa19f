//! Staff members' second factors: authenticator apps and recovery codes, enrolled on the Account
//! page, checked at sign-in after the password, and reset by a Global admin. Every change ends
//! the member's sessions in its transaction (the browser that made it carries on in a new one)
//! and has its activity entry; no secret or code is ever logged.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{audit, sessions, Actor, Outcome};
use crate::db::schema::{staff, staff_factors, staff_recovery_codes};
use crate::domain::second_factor;
use crate::domain::FieldError;
use crate::error::AppError;

/// An enrolled authenticator app, as the Account page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Factor {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// What the Account page shows of a member's second factors.
#[derive(Debug, Clone)]
pub struct Overview {
    pub apps: Vec<Factor>,
    pub recovery_codes_left: i64,
}

pub fn overview(conn: &mut PgConnection, staff_id: i64) -> QueryResult<Overview> {
    let apps = staff_factors::table
        .filter(staff_factors::staff_id.eq(staff_id))
        .order(staff_factors::id)
        .select((
            staff_factors::id,
            staff_factors::created_at,
            staff_factors::last_used_at,
        ))
        .load(conn)?;
    let recovery_codes_left = staff_recovery_codes::table
        .filter(staff_recovery_codes::staff_id.eq(staff_id))
        .filter(staff_recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(Overview {
        apps,
        recovery_codes_left,
    })
}

/// How a second factor was proved at sign-in, as the session records it (OpenID's `amr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// A code from an authenticator app.
    Otp,
    /// A recovery code (it is used up).
    RecoveryCode,
}

impl Proof {
    pub fn method(self) -> &'static str {
        match self {
            Proof::Otp | Proof::RecoveryCode => "otp",
        }
    }
}

/// Adds an authenticator app once the member typed a code it shows. The first factor comes with
/// ten recovery codes, returned to be shown once. i18n-key: err-code-wrong
pub fn enrol_app(
    conn: &mut PgConnection,
    actor: Actor,
    secret: &[u8],
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Outcome<Option<Vec<String>>, FieldError>, AppError> {
    let Some(step) = second_factor::accepted_step(secret, typed, now.timestamp(), None) else {
        return Ok(Outcome::Refused(FieldError::new("err-code-wrong")));
    };
    conn.transaction(|conn| {
        lock_member(conn, actor.staff_id)?;
        diesel::insert_into(staff_factors::table)
            .values((
                staff_factors::staff_id.eq(actor.staff_id),
                staff_factors::kind.eq("totp"),
                staff_factors::secret.eq(secret),
                staff_factors::last_step.eq(step),
                staff_factors::created_at.eq(now),
                staff_factors::last_used_at.eq(now),
            ))
            .execute(conn)?;
        let has_codes: i64 = staff_recovery_codes::table
            .filter(staff_recovery_codes::staff_id.eq(actor.staff_id))
            .count()
            .get_result(conn)?;
        let codes = (has_codes == 0)
            .then(|| replace_recovery_codes(conn, actor.staff_id))
            .transpose()?;
        sessions::end_all_of(conn, actor.staff_id)?;
        audit::record(
            conn,
            actor,
            None,
            "second_factor_added",
            json!({"kind": "authenticator_app"}),
        )?;
        Ok(Outcome::Done(codes))
    })
}

/// Removes one of the member's authenticator apps; the last one stays while the partner
/// requires a second factor. i18n-key: err-last-second-factor
pub fn remove_app(conn: &mut PgConnection, actor: Actor, factor_id: i64) -> Result<Outcome<(), FieldError>, AppError> {
    conn.transaction(|conn| {
        let required = lock_member(conn, actor.staff_id)?;
        let count: i64 = staff_factors::table
            .filter(staff_factors::staff_id.eq(actor.staff_id))
            .count()
            .get_result(conn)?;
        if required && count <= 1 {
            return Ok(Outcome::Refused(FieldError::new("err-last-second-factor")));
        }
        let removed = diesel::delete(
            staff_factors::table
                .filter(staff_factors::id.eq(factor_id))
                .filter(staff_factors::staff_id.eq(actor.staff_id)),
        )
        .execute(conn)?;
        if removed == 0 {
            return Err(AppError::NotFound);
        }
        if count == 1 {
            // No factor left: the codes that stood in for it go too.
            diesel::delete(staff_recovery_codes::table.filter(staff_recovery_codes::staff_id.eq(actor.staff_id)))
                .execute(conn)?;
        }
        sessions::end_all_of(conn, actor.staff_id)?;
        audit::record(
            conn,
            actor,
            None,
            "second_factor_removed",
            json!({"kind": "authenticator_app"}),
        )?;
        Ok(Outcome::Done(()))
    })
}

/// "Make new codes": ten new recovery codes, the old ones no longer work. Only for a member
/// with a factor. i18n-key: err-no-second-factor
pub fn new_recovery_codes(conn: &mut PgConnection, actor: Actor) -> Result<Outcome<Vec<String>, FieldError>, AppError> {
    conn.transaction(|conn| {
        lock_member(conn, actor.staff_id)?;
        let apps: i64 = staff_factors::table
            .filter(staff_factors::staff_id.eq(actor.staff_id))
            .count()
            .get_result(conn)?;
        if apps == 0 {
            return Ok(Outcome::Refused(FieldError::new("err-no-second-factor")));
        }
        let codes = replace_recovery_codes(conn, actor.staff_id)?;
        sessions::end_all_of(conn, actor.staff_id)?;
        audit::record(conn, actor, None, "recovery_codes_made", json!({"count": codes.len()}))?;
        Ok(Outcome::Done(codes))
    })
}

fn replace_recovery_codes(conn: &mut PgConnection, staff_id: i64) -> QueryResult<Vec<String>> {
    diesel::delete(staff_recovery_codes::table.filter(staff_recovery_codes::staff_id.eq(staff_id))).execute(conn)?;
    let codes = second_factor::new_recovery_codes();
    let rows: Vec<_> = codes
        .iter()
        .map(|code| {
            let normalized = second_factor::normalize_recovery_code(code).expect("made in the alphabet");
            (
                staff_recovery_codes::staff_id.eq(staff_id),
                staff_recovery_codes::code_hash.eq(second_factor::recovery_code_hash(&normalized)),
            )
        })
        .collect();
    diesel::insert_into(staff_recovery_codes::table)
        .values(&rows)
        .execute(conn)?;
    Ok(codes)
}

/// Checks the code typed at sign-in: an authenticator app's (each time step once) or an unused
/// recovery code (used up, and logged). None when it is neither.
pub fn verify(
    conn: &mut PgConnection,
    partner_id: i64,
    staff_id: i64,
    typed: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<Proof>> {
    conn.transaction(|conn| {
        let apps: Vec<(i64, Vec<u8>, Option<i64>)> = staff_factors::table
            .filter(staff_factors::staff_id.eq(staff_id))
            .select((staff_factors::id, staff_factors::secret, staff_factors::last_step))
            .for_update()
            .load(conn)?;
        for (id, secret, last_step) in apps {
            if let Some(step) = second_factor::accepted_step(&secret, typed, now.timestamp(), last_step) {
                diesel::update(staff_factors::table.find(id))
                    .set((staff_factors::last_step.eq(step), staff_factors::last_used_at.eq(now)))
                    .execute(conn)?;
                return Ok(Some(Proof::Otp));
            }
        }
        let Some(normalized) = second_factor::normalize_recovery_code(typed) else {
            return Ok(None);
        };
        let used = diesel::update(
            staff_recovery_codes::table
                .filter(staff_recovery_codes::staff_id.eq(staff_id))
                .filter(staff_recovery_codes::code_hash.eq(second_factor::recovery_code_hash(&normalized)))
                .filter(staff_recovery_codes::used_at.is_null()),
        )
        .set(staff_recovery_codes::used_at.eq(now))
        .execute(conn)?;
        if used == 0 {
            return Ok(None);
        }
        let left: i64 = staff_recovery_codes::table
            .filter(staff_recovery_codes::staff_id.eq(staff_id))
            .filter(staff_recovery_codes::used_at.is_null())
            .count()
            .get_result(conn)?;
        let actor = Actor { partner_id, staff_id };
        audit::record(conn, actor, None, "recovery_code_used", json!({"left": left}))?;
        Ok(Some(Proof::RecoveryCode))
    })
}

/// A Global admin resets another member's second factors (they enrol again at their next
/// sign-in); the member is signed out everywhere. Nobody resets their own.
/// i18n-key: err-reset-own-factors
pub fn reset(conn: &mut PgConnection, actor: Actor, staff_id: i64) -> Result<Outcome<(), FieldError>, AppError> {
    if staff_id == actor.staff_id {
        return Ok(Outcome::Refused(FieldError::new("err-reset-own-factors")));
    }
    conn.transaction(|conn| {
        let email = super::staff::email_of_member(conn, actor, staff_id)?;
        lock_member(conn, staff_id)?;
        let apps = diesel::delete(staff_factors::table.filter(staff_factors::staff_id.eq(staff_id))).execute(conn)?;
        diesel::delete(staff_recovery_codes::table.filter(staff_recovery_codes::staff_id.eq(staff_id)))
            .execute(conn)?;
        sessions::end_all_of(conn, staff_id)?;
        audit::record(
            conn,
            actor,
            None,
            "second_factors_reset",
            json!({"email": email, "authenticator_apps": apps}),
        )?;
        Ok(Outcome::Done(()))
    })
}

/// Locks the member's row, so that changes of one member's factors happen one at a time; says
/// whether their partner requires a second factor.
fn lock_member(conn: &mut PgConnection, staff_id: i64) -> QueryResult<bool> {
    use crate::db::schema::partners;
    let partner_id: i64 = staff::table
        .find(staff_id)
        .select(staff::partner_id)
        .for_update()
        .first(conn)?;
    partners::table
        .find(partner_id)
        .select(partners::second_factor_required)
        .first(conn)
}
