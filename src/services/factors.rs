//! Staff members' second factors: authenticator apps and recovery codes, enrolled on the Account
//! page, checked at sign-in after the password, and reset by a Global admin. Every change ends
//! the member's sessions in its transaction (the browser that made it carries on in a new one)
//! and has its activity entry; no secret or code is ever logged.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{audit, sessions, Actor, Outcome};
use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, SecurityKey,
    SecurityKeyAuthentication, SecurityKeyRegistration, Webauthn,
};

use crate::db::schema::{staff, staff_factors, staff_recovery_codes, webauthn_ceremonies};
use crate::domain::second_factor;
use crate::domain::FieldError;
use crate::error::AppError;

/// An enrolled factor (an authenticator app or a passkey), as the Account page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Factor {
    pub id: i64,
    /// `totp` or `passkey`.
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl Factor {
    /// i18n-key: security-kind-totp security-kind-passkey
    pub fn label_key(&self) -> String {
        format!("security-kind-{}", self.kind)
    }
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
            staff_factors::kind,
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
    /// A passkey or security key (a key pair held by the device).
    Passkey,
}

impl Proof {
    pub fn method(self) -> &'static str {
        match self {
            Proof::Otp | Proof::RecoveryCode => "otp",
            Proof::Passkey => "hwk",
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
        added(conn, actor, "authenticator_app").map(Outcome::Done)
    })
}

/// After a factor was added, in its transaction: the first comes with recovery codes (returned
/// to be shown once); the member's sessions end; the activity entry.
fn added(conn: &mut PgConnection, actor: Actor, kind: &str) -> Result<Option<Vec<String>>, AppError> {
    let has_codes: i64 = staff_recovery_codes::table
        .filter(staff_recovery_codes::staff_id.eq(actor.staff_id))
        .count()
        .get_result(conn)?;
    let codes = (has_codes == 0)
        .then(|| replace_recovery_codes(conn, actor.staff_id))
        .transpose()?;
    sessions::end_all_of(conn, actor.staff_id)?;
    audit::record(conn, actor, None, "second_factor_added", json!({ "kind": kind }))?;
    Ok(codes)
}

/// Removes one of the member's factors (an app or a passkey); the last one stays while the partner
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
        let kind: String = diesel::delete(
            staff_factors::table
                .filter(staff_factors::id.eq(factor_id))
                .filter(staff_factors::staff_id.eq(actor.staff_id)),
        )
        .returning(staff_factors::kind)
        .get_result(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
        let kind = if kind == "passkey" {
            "passkey"
        } else {
            "authenticator_app"
        };
        if count == 1 {
            // No factor left: the codes that stood in for it go too.
            diesel::delete(staff_recovery_codes::table.filter(staff_recovery_codes::staff_id.eq(actor.staff_id)))
                .execute(conn)?;
        }
        sessions::end_all_of(conn, actor.staff_id)?;
        audit::record(conn, actor, None, "second_factor_removed", json!({ "kind": kind }))?;
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
        let apps: Vec<(i64, Option<Vec<u8>>, Option<i64>)> = staff_factors::table
            .filter(staff_factors::staff_id.eq(staff_id))
            .filter(staff_factors::kind.eq("totp"))
            .select((staff_factors::id, staff_factors::secret, staff_factors::last_step))
            .for_update()
            .load(conn)?;
        for (id, secret, last_step) in apps {
            let Some(secret) = secret else { continue };
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

/// Ceremonies not finished within this long are void (the browser's own timeout is 5 minutes).
const CEREMONY_LIFETIME: chrono::Duration = chrono::Duration::minutes(5);

/// The user handle a member's passkeys carry: stable, and not their email.
fn user_handle(staff_id: i64) -> uuid::Uuid {
    uuid::Uuid::from_u64_pair(0x5044_5354_4146_4600, staff_id as u64)
}

fn passkeys_of(conn: &mut PgConnection, staff_id: i64) -> Result<Vec<(i64, SecurityKey)>, AppError> {
    let rows: Vec<(i64, Option<serde_json::Value>)> = staff_factors::table
        .filter(staff_factors::staff_id.eq(staff_id))
        .filter(staff_factors::kind.eq("passkey"))
        .select((staff_factors::id, staff_factors::credential))
        .load(conn)?;
    rows.into_iter()
        .filter_map(|(id, credential)| Some((id, credential?)))
        .map(|(id, credential)| Ok((id, serde_json::from_value(credential).map_err(AppError::internal)?)))
        .collect()
}

fn store_ceremony(
    conn: &mut PgConnection,
    staff_id: i64,
    purpose: &str,
    state: serde_json::Value,
    now: DateTime<Utc>,
) -> QueryResult<uuid::Uuid> {
    diesel::delete(webauthn_ceremonies::table.filter(webauthn_ceremonies::created_at.lt(now - CEREMONY_LIFETIME)))
        .execute(conn)?;
    let id = uuid::Uuid::new_v4();
    diesel::insert_into(webauthn_ceremonies::table)
        .values((
            webauthn_ceremonies::id.eq(id),
            webauthn_ceremonies::staff_id.eq(staff_id),
            webauthn_ceremonies::purpose.eq(purpose),
            webauthn_ceremonies::state.eq(state),
            webauthn_ceremonies::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The state of a ceremony of this member and purpose, used up; None when unknown or too old.
fn take_ceremony(
    conn: &mut PgConnection,
    id: uuid::Uuid,
    staff_id: i64,
    purpose: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<serde_json::Value>> {
    diesel::delete(
        webauthn_ceremonies::table
            .filter(webauthn_ceremonies::id.eq(id))
            .filter(webauthn_ceremonies::staff_id.eq(staff_id))
            .filter(webauthn_ceremonies::purpose.eq(purpose))
            .filter(webauthn_ceremonies::created_at.ge(now - CEREMONY_LIFETIME)),
    )
    .returning(webauthn_ceremonies::state)
    .get_result(conn)
    .optional()
}

/// Starts adding a passkey: the options for the browser, and the ceremony's id.
pub fn start_passkey_registration(
    conn: &mut PgConnection,
    webauthn: &Webauthn,
    staff_id: i64,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(uuid::Uuid, CreationChallengeResponse), AppError> {
    let existing = passkeys_of(conn, staff_id)?
        .into_iter()
        .map(|(_, key)| key.cred_id().clone())
        .collect();
    let (options, state) = webauthn
        .start_securitykey_registration(user_handle(staff_id), email, email, Some(existing), None, None)
        .map_err(AppError::internal)?;
    let state = serde_json::to_value(&state).map_err(AppError::internal)?;
    let id = store_ceremony(conn, staff_id, "register", state, now)?;
    Ok((id, options))
}

/// Adds the passkey the browser made for the ceremony `ceremony`. i18n-key: err-passkey-failed
pub fn finish_passkey_registration(
    conn: &mut PgConnection,
    webauthn: &Webauthn,
    actor: Actor,
    ceremony: uuid::Uuid,
    credential: &str,
    now: DateTime<Utc>,
) -> Result<Outcome<Option<Vec<String>>, FieldError>, AppError> {
    let failed = || Ok(Outcome::Refused(FieldError::new("err-passkey-failed")));
    conn.transaction(|conn| {
        lock_member(conn, actor.staff_id)?;
        let Some(state) = take_ceremony(conn, ceremony, actor.staff_id, "register", now)? else {
            return failed();
        };
        let (Ok(state), Ok(response)) = (
            serde_json::from_value::<SecurityKeyRegistration>(state),
            serde_json::from_str::<RegisterPublicKeyCredential>(credential),
        ) else {
            return failed();
        };
        let key = match webauthn.finish_securitykey_registration(&response, &state) {
            Ok(key) => key,
            Err(error) => {
                tracing::info!(error = %error, "a passkey registration was refused");
                return failed();
            }
        };
        let inserted = diesel::insert_into(staff_factors::table)
            .values((
                staff_factors::staff_id.eq(actor.staff_id),
                staff_factors::kind.eq("passkey"),
                staff_factors::credential.eq(serde_json::to_value(&key).map_err(AppError::internal)?),
                staff_factors::credential_id.eq(key.cred_id().as_slice()),
                staff_factors::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
        if inserted == 0 {
            return failed(); // that key is enrolled already
        }
        added(conn, actor, "passkey").map(Outcome::Done)
    })
}

/// Starts a sign-in with a passkey for a member who has one: the options for the browser, and
/// the ceremony's id.
pub fn start_passkey_sign_in(
    conn: &mut PgConnection,
    webauthn: &Webauthn,
    staff_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<(uuid::Uuid, RequestChallengeResponse)>, AppError> {
    let keys: Vec<SecurityKey> = passkeys_of(conn, staff_id)?.into_iter().map(|(_, k)| k).collect();
    if keys.is_empty() {
        return Ok(None);
    }
    let (options, state) = webauthn
        .start_securitykey_authentication(&keys)
        .map_err(AppError::internal)?;
    let state = serde_json::to_value(&state).map_err(AppError::internal)?;
    let id = store_ceremony(conn, staff_id, "sign_in", state, now)?;
    Ok(Some((id, options)))
}

/// Checks the browser's answer to a sign-in ceremony; its key's counter is kept.
pub fn verify_passkey(
    conn: &mut PgConnection,
    webauthn: &Webauthn,
    staff_id: i64,
    ceremony: uuid::Uuid,
    credential: &str,
    now: DateTime<Utc>,
) -> Result<Option<Proof>, AppError> {
    let Some(state) = take_ceremony(conn, ceremony, staff_id, "sign_in", now)? else {
        return Ok(None);
    };
    let (Ok(state), Ok(response)) = (
        serde_json::from_value::<SecurityKeyAuthentication>(state),
        serde_json::from_str::<PublicKeyCredential>(credential),
    ) else {
        return Ok(None);
    };
    let result = match webauthn.finish_securitykey_authentication(&response, &state) {
        Ok(result) => result,
        Err(error) => {
            tracing::info!(error = %error, "a passkey sign-in was refused");
            return Ok(None);
        }
    };
    for (id, mut key) in passkeys_of(conn, staff_id)? {
        if key.cred_id() == result.cred_id() {
            key.update_credential(&result);
            diesel::update(staff_factors::table.find(id))
                .set((
                    staff_factors::credential.eq(serde_json::to_value(&key).map_err(AppError::internal)?),
                    staff_factors::last_used_at.eq(now),
                ))
                .execute(conn)?;
            return Ok(Some(Proof::Passkey));
        }
    }
    Ok(None)
}

/// A Global admin turns the partner's requirement of a second factor on or off. Members without
/// one are taken to add one at their next request once it is on.
pub fn set_required(conn: &mut PgConnection, actor: Actor, required: bool) -> Result<(), AppError> {
    use crate::db::schema::partners;
    conn.transaction(|conn| {
        let changed = diesel::update(partners::table.find(actor.partner_id))
            .filter(partners::second_factor_required.ne(required))
            .set(partners::second_factor_required.eq(required))
            .execute(conn)?;
        if changed > 0 {
            audit::record(
                conn,
                actor,
                None,
                "second_factor_requirement_changed",
                json!({ "required": required }),
            )?;
        }
        Ok(())
    })
}
