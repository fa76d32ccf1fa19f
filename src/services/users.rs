//! A customer's users: the paged, filtered list; adding (with licenses) and editing; deleting,
//! restoring within 30 days and purging; resetting passwords. Each change is one transaction
//! with its activity-log entry, and the temporary passwords go into a credentials sheet in the
//! same transaction.

use std::collections::HashSet;

use anyhow::Context;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Timestamptz};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::credentials::{self, Credential, Note, SheetKey};
use super::customers::{is_unique_violation, Customer};
use super::forms::FormErrors;
use super::licenses;
use super::{audit, Actor, Outcome};
use crate::auth::password;
use crate::db::functions::lower;
use crate::db::schema::{customer_users, customers, staff};
use crate::domain::country::UsageLocation;
use crate::domain::licensing;
use crate::domain::paging::Paging;
use crate::domain::person::{self, OrgRole};
use crate::domain::restore::{self, Candidate, Decision, FormerLicense};
use crate::domain::user_name::UserName;
use crate::domain::{restore_window, selection, temp_password, FieldError};
use crate::error::AppError;

/// id, display name, user name, deleted at, deleted by.
type DeletedColumns = (i64, String, String, Option<DateTime<Utc>>, Option<i64>);

/// How many active users the customer has: the most ids a selection of them can name.
fn active_count(conn: &mut PgConnection, customer_id: i64) -> QueryResult<usize> {
    let count: i32 = customers::table
        .find(customer_id)
        .select(customers::active_users)
        .first(conn)?;
    Ok(usize::try_from(count).unwrap_or(0))
}

/// Keeps only ids of active users of this customer (a forged id of another customer is
/// dropped), each once: the ids as sent are first made [`selection::distinct`].
pub fn active_ids(conn: &mut PgConnection, customer_id: i64, sent: &[i64]) -> QueryResult<Vec<i64>> {
    let ids = selection::distinct(sent.iter().copied(), active_count(conn, customer_id)?);
    customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::deleted_at.is_null())
        .filter(customer_users::id.eq_any(&ids))
        .order((customer_users::display_name, customer_users::id))
        .select(customer_users::id)
        .load(conn)
}

/// Display name and user name of users, in list order, for confirmation pages.
pub fn names(
    conn: &mut PgConnection,
    customer_id: i64,
    ids: &[i64],
    limit: i64,
) -> QueryResult<Vec<(i64, String, String)>> {
    customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::id.eq_any(ids))
        .order((customer_users::display_name, customer_users::id))
        .limit(limit)
        .select((
            customer_users::id,
            customer_users::display_name,
            customer_users::user_name,
        ))
        .load(conn)
}

/// How many of these users hold an admin role (Helpdesk agents may not reset those).
pub fn count_admins(conn: &mut PgConnection, customer_id: i64, ids: &[i64]) -> QueryResult<i64> {
    customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::id.eq_any(ids))
        .filter(customer_users::org_role.ne("user"))
        .count()
        .get_result(conn)
}

#[derive(Debug, Clone)]
pub struct DeletedRow {
    pub id: i64,
    pub display_name: String,
    pub user_name: String,
    pub deleted_at: DateTime<Utc>,
    pub deleted_by: Option<String>,
    pub days_left: i64,
}

fn restorable(customer_id: i64, now: DateTime<Utc>) -> customer_users::BoxedQuery<'static, diesel::pg::Pg> {
    customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::deleted_at.gt(restore_window::purge_cutoff(now)))
        .into_boxed()
}

/// The number on the "Deleted users (N)" tab: users still within the 30 days.
pub fn deleted_count(conn: &mut PgConnection, customer_id: i64, now: DateTime<Utc>) -> QueryResult<i64> {
    restorable(customer_id, now).count().get_result(conn)
}

pub fn list_deleted(
    conn: &mut PgConnection,
    customer_id: i64,
    now: DateTime<Utc>,
    page: Option<i64>,
    size: Option<i64>,
) -> QueryResult<(Vec<DeletedRow>, Paging)> {
    let total = deleted_count(conn, customer_id, now)?;
    let paging = Paging::new(page, size, total);
    let rows: Vec<DeletedColumns> = restorable(customer_id, now)
        .order((customer_users::deleted_at.desc(), customer_users::id))
        .limit(paging.size)
        .offset(paging.offset())
        .select((
            customer_users::id,
            customer_users::display_name,
            customer_users::user_name,
            customer_users::deleted_at,
            customer_users::deleted_by,
        ))
        .load(conn)?;
    let staff_ids: Vec<i64> = rows.iter().filter_map(|r| r.4).collect();
    let emails: Vec<(i64, String)> = staff::table
        .filter(staff::id.eq_any(&staff_ids))
        .select((staff::id, staff::email))
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(|(id, display_name, user_name, deleted_at, deleted_by)| {
            let deleted_at = deleted_at.unwrap_or(now);
            DeletedRow {
                id,
                display_name,
                user_name,
                deleted_at,
                deleted_by: deleted_by.and_then(|s| emails.iter().find(|e| e.0 == s).map(|e| e.1.clone())),
                days_left: restore_window::days_left(deleted_at, now),
            }
        })
        .collect();
    Ok((rows, paging))
}

#[derive(Debug, Clone)]
pub struct UserDetail {
    pub id: i64,
    pub customer_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub user_name: String,
    pub usage_location: Option<String>,
    pub org_role: String,
    pub sign_in_blocked: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub licenses: Vec<String>,
}

impl UserDetail {
    pub fn alias(&self) -> &str {
        self.user_name
            .rsplit_once('@')
            .map(|(a, _)| a)
            .unwrap_or(&self.user_name)
    }

    pub fn domain(&self) -> &str {
        self.user_name.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }

    pub fn is_admin(&self) -> bool {
        self.org_role != "user"
    }
}

type DetailColumns = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    bool,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

/// A user of this customer, active or deleted; anything else is `NotFound`.
pub fn find(conn: &mut PgConnection, customer_id: i64, user_id: i64) -> Result<UserDetail, AppError> {
    let row: DetailColumns = customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::id.eq(user_id))
        .select((
            customer_users::id,
            customer_users::customer_id,
            customer_users::first_name,
            customer_users::last_name,
            customer_users::display_name,
            customer_users::user_name,
            customer_users::usage_location,
            customer_users::org_role,
            customer_users::sign_in_blocked,
            customer_users::created_at,
            customer_users::updated_at,
            customer_users::deleted_at,
        ))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let licenses = licenses::product_names_by_user(conn, customer_id, &[user_id])?
        .remove(&user_id)
        .unwrap_or_default();
    let (id, customer_id, first_name, last_name, display_name, user_name, usage_location, org_role, sign_in_blocked) =
        (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8);
    Ok(UserDetail {
        id,
        customer_id,
        first_name,
        last_name,
        display_name,
        user_name,
        usage_location,
        org_role,
        sign_in_blocked,
        created_at: row.9,
        updated_at: row.10,
        deleted_at: row.11,
        licenses,
    })
}

/// The Add user and Edit user forms as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub alias: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub usage_location: String,
    #[serde(default)]
    pub org_role: String,
    /// Subscriptions to assign (Add user only).
    #[serde(default)]
    pub product: Vec<i64>,
    /// Edit only: the check box is absent when not ticked.
    pub sign_in_blocked: Option<String>,
    /// Add only: the credentials sheet of an "Add another user" run, and its count so far.
    #[serde(default)]
    pub run: String,
    #[serde(default)]
    pub added: i64,
    /// Add only: "save" or "another".
    #[serde(default)]
    pub action: String,
    /// Edit only: the users list the page was opened from (see `ListPlace`).
    pub back: Option<String>,
}

/// A user's fields after parsing, shared by Add, Edit and the CSV importer.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub user_name: UserName,
    pub usage_location: Option<UsageLocation>,
    pub org_role: OrgRole,
}

impl UserForm {
    /// Parses every field, collecting every error at once.
    pub fn parse(&self, customer: &Customer) -> Result<NewUser, FormErrors> {
        let mut errors = FormErrors::new();
        let first_name = errors.check("first_name", person::parse_name(&self.first_name));
        let last_name = errors.check("last_name", person::parse_name(&self.last_name));
        let display_name = errors.check("display_name", person::parse_display_name(&self.display_name));
        let user_name = errors.check(
            "alias",
            UserName::from_parts(&self.alias, &self.domain, &customer.domains),
        );
        let usage_location = match self.usage_location.trim() {
            "" => Some(None),
            raw => errors.check("usage_location", UsageLocation::parse(raw).map(Some)),
        };
        let org_role = match self.org_role.trim() {
            "" => Some(OrgRole::User),
            raw => errors.check("org_role", OrgRole::parse(raw)),
        };
        match (first_name, last_name, display_name, user_name, usage_location, org_role) {
            (
                Some(first_name),
                Some(last_name),
                Some(display_name),
                Some(user_name),
                Some(usage_location),
                Some(org_role),
            ) if errors.is_empty() => Ok(NewUser {
                first_name,
                last_name,
                display_name,
                user_name,
                usage_location,
                org_role,
            }),
            _ => Err(errors),
        }
    }

    pub fn blocked(&self) -> bool {
        self.sign_in_blocked.is_some()
    }
}

/// Is this user name (lower-cased) held by an active user other than `except`?
fn name_taken(conn: &mut PgConnection, customer_id: i64, key: &str, except: Option<i64>) -> QueryResult<bool> {
    let mut query = customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::deleted_at.is_null())
        .filter(lower(customer_users::user_name).eq(key.to_string()))
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(customer_users::id.ne(id));
    }
    Ok(query.count().get_result::<i64>(conn)? > 0)
}

fn taken_error(name: &UserName) -> FieldError {
    FieldError::new("err-user-name-taken").with("value", name.as_string())
}

pub struct Created {
    pub user_id: i64,
    pub sheet_id: Uuid,
}

/// A refusal shown next to one field of the form.
fn refuse<T>(field: &'static str, error: FieldError) -> Outcome<T, FormErrors> {
    let mut errors = FormErrors::new();
    errors.add(field, error);
    Outcome::Refused(errors)
}

/// Adds one user with its licenses and a temporary password. With `run`, the password joins
/// that credentials sheet ("Add another user"), else a new sheet starts.
#[allow(clippy::too_many_arguments)]
pub fn create(
    conn: &mut PgConnection,
    actor: Actor,
    key: &SheetKey,
    customer: &Customer,
    new: &NewUser,
    products: &[i64],
    run: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Outcome<Created, FormErrors>, AppError> {
    let secret = temp_password::generate();
    let hash = password::hash_temporary(&secret).map_err(AppError::Internal)?;
    if licensing::lacks_location(products.len(), new.usage_location.as_ref()) {
        return Ok(refuse("usage_location", FieldError::new("err-usage-location-needed")));
    }
    let result = conn.transaction::<_, AppError, _>(|conn| {
        if name_taken(conn, customer.id, &new.user_name.key(), None)? {
            return Ok(refuse("alias", taken_error(&new.user_name)));
        }
        let subscriptions = seats_locked(conn, customer.id)?;
        let picked = match licensing::pick_for_one(&subscriptions, products) {
            Ok(picked) => picked,
            Err(e) => return Ok(refuse("product", e)),
        };
        let user_id = insert_user(conn, customer.id, new, &hash, now)?;
        for sub in &picked {
            licenses::assign(conn, customer.id, sub.id, &[user_id], &[])?;
        }
        let product_names: Vec<&str> = picked.iter().map(|s| s.product_name.as_str()).collect();
        audit::record(
            conn,
            actor,
            Some(customer.id),
            "user_created",
            json!({"user": new.user_name.as_string(), "user_ids": [user_id], "products": product_names.join(", ")}),
        )?;
        let entry = Credential {
            display_name: new.display_name.clone(),
            user_name: new.user_name.as_string(),
            password: secret.clone(),
            status: credentials::STATUS_CREATED.into(),
            ..Credential::default()
        };
        let sheet_id = add_to_sheet(conn, actor, key, customer.id, run, entry, now)?;
        Ok(Outcome::Done(Created { user_id, sheet_id }))
    });
    match result {
        Err(AppError::Internal(e)) if is_unique_violation(&e) => Ok(refuse("alias", taken_error(&new.user_name))),
        other => other,
    }
}

/// The customer's subscriptions under their row locks, as the seat rules see them.
fn seats_locked(conn: &mut PgConnection, customer_id: i64) -> QueryResult<Vec<licensing::Subscription>> {
    let rows = licenses::lock_for_customer(conn, customer_id)?;
    Ok(rows.iter().map(licensing::Subscription::from).collect())
}

fn insert_user(
    conn: &mut PgConnection,
    customer_id: i64,
    new: &NewUser,
    hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    diesel::insert_into(customer_users::table)
        .values((
            customer_users::customer_id.eq(customer_id),
            customer_users::first_name.eq(&new.first_name),
            customer_users::last_name.eq(&new.last_name),
            customer_users::display_name.eq(&new.display_name),
            customer_users::user_name.eq(new.user_name.as_string()),
            customer_users::usage_location.eq(new.usage_location.as_ref().map(|u| u.code())),
            customer_users::org_role.eq(new.org_role.as_str()),
            customer_users::password_hash.eq(hash),
            customer_users::created_at.eq(now),
            customer_users::updated_at.eq(now),
        ))
        .returning(customer_users::id)
        .get_result(conn)
}

/// Puts the new user's password on the run's credentials sheet, or on a new sheet when there
/// is no run or it can no longer be added to.
fn add_to_sheet(
    conn: &mut PgConnection,
    actor: Actor,
    key: &SheetKey,
    customer_id: i64,
    run: Option<Uuid>,
    entry: Credential,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    if let Some(sheet_id) = run {
        let owner = credentials::Owner {
            staff_id: actor.staff_id,
            customer_id,
            action: "add",
        };
        if credentials::append(conn, key, sheet_id, &owner, std::slice::from_ref(&entry), now)? {
            return Ok(sheet_id);
        }
    }
    Ok(credentials::create(
        conn,
        &key.lock(),
        actor.staff_id,
        customer_id,
        "add",
        vec![entry],
        &[],
        now,
    )?)
}

/// Saves the Edit user form. A new user name follows the same rules as a new user.
pub fn update(
    conn: &mut PgConnection,
    actor: Actor,
    customer: &Customer,
    user_id: i64,
    edited: &NewUser,
    blocked: bool,
    now: DateTime<Utc>,
) -> Result<Outcome<(), FormErrors>, AppError> {
    let result = conn.transaction::<_, AppError, _>(|conn| {
        let current = find(conn, customer.id, user_id)?;
        if current.deleted_at.is_some() {
            return Err(AppError::NotFound);
        }
        if name_taken(conn, customer.id, &edited.user_name.key(), Some(user_id))? {
            return Ok(refuse("alias", taken_error(&edited.user_name)));
        }
        if licensing::lacks_location(current.licenses.len(), edited.usage_location.as_ref()) {
            return Ok(refuse("usage_location", FieldError::new("err-usage-location-licensed")));
        }
        diesel::update(
            customer_users::table
                .filter(customer_users::customer_id.eq(customer.id))
                .filter(customer_users::id.eq(user_id)),
        )
        .set((
            customer_users::first_name.eq(&edited.first_name),
            customer_users::last_name.eq(&edited.last_name),
            customer_users::display_name.eq(&edited.display_name),
            customer_users::user_name.eq(edited.user_name.as_string()),
            customer_users::usage_location.eq(edited.usage_location.as_ref().map(|u| u.code())),
            customer_users::org_role.eq(edited.org_role.as_str()),
            customer_users::sign_in_blocked.eq(blocked),
            customer_users::updated_at.eq(now),
        ))
        .execute(conn)?;
        audit::record(
            conn,
            actor,
            Some(customer.id),
            "user_updated",
            json!({"user": edited.user_name.as_string(), "user_ids": [user_id]}),
        )?;
        Ok(Outcome::Done(()))
    });
    match result {
        Err(AppError::Internal(e)) if is_unique_violation(&e) => Ok(refuse("alias", taken_error(&edited.user_name))),
        other => other,
    }
}

/// Releases the seats of customer $1's active users among $2 and marks them deleted at $3 by $4,
/// remembering their licenses in the form [`FormerLicense`] reads back.
const DELETE_USERS: &str = "WITH removed AS ( \
        DELETE FROM licenses l USING subscriptions s \
        WHERE l.customer_id = $1 AND l.user_id = ANY($2) AND s.id = l.subscription_id \
          AND l.user_id IN (SELECT id FROM customer_users WHERE customer_id = $1 AND deleted_at IS NULL) \
        RETURNING l.user_id, s.product_id, l.disabled_plans) \
    UPDATE customer_users u SET deleted_at = $3, deleted_by = $4, updated_at = $3, \
        former_licenses = coalesce((SELECT jsonb_agg(jsonb_build_object('product_id', r.product_id, \
            'disabled_plans', to_jsonb(r.disabled_plans))) FROM removed r WHERE r.user_id = u.id), '[]'::jsonb) \
    WHERE u.customer_id = $1 AND u.id = ANY($2) AND u.deleted_at IS NULL \
    RETURNING u.id";

/// Deletes users: they become inactive, their seats are released at once in the same
/// statement, and their licenses are remembered. The ids as sent are made distinct first, so
/// the statement's work follows the users named. Returns how many were deleted.
pub fn delete(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    sent: &[i64],
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        licenses::lock_for_customer(conn, customer_id)?;
        let ids = selection::distinct(sent.iter().copied(), active_count(conn, customer_id)?);
        let deleted: Vec<i64> = diesel::sql_query(DELETE_USERS)
            .bind::<BigInt, _>(customer_id)
            .bind::<Array<BigInt>, _>(&ids)
            .bind::<Timestamptz, _>(now)
            .bind::<Nullable<BigInt>, _>(Some(actor.staff_id))
            .load::<IdRow>(conn)?
            .into_iter()
            .map(|r| r.id)
            .collect();
        if !deleted.is_empty() {
            audit::record(
                conn,
                actor,
                Some(customer_id),
                "users_deleted",
                json!({"count": deleted.len(), "user_ids": deleted}),
            )?;
        }
        Ok(deleted.len())
    })
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Generates temporary passwords and their hashes for many users, on all cores.
fn new_passwords(count: usize) -> anyhow::Result<Vec<(String, String)>> {
    (0..count)
        .into_par_iter()
        .map(|_| {
            let secret = temp_password::generate();
            password::hash_temporary(&secret).map(|hash| (secret, hash))
        })
        .collect()
}

/// What a restore did, beside the credentials sheet.
pub struct Restored {
    pub sheet_id: Option<Uuid>,
    pub restored: usize,
    /// Users not restored because an active user holds their name: (id, user name).
    pub clashes: Vec<(i64, String)>,
}

/// Restores deleted users still within 30 days: new temporary passwords, and their former
/// licenses back where seats are free (the rest noted). A user whose name an active user now
/// holds is not restored; the result lists it so it can be restored under a new name.
/// [`restore::decide`] makes those choices; this loads, writes and makes the sheet. Passwords
/// are made only for the restorable users among the ids sent, each once.
#[allow(clippy::too_many_arguments)]
pub fn restore(
    conn: &mut PgConnection,
    actor: Actor,
    key: &SheetKey,
    customer: &Customer,
    sent: &[i64],
    renamed: Option<&UserName>,
    now: DateTime<Utc>,
) -> Result<Restored, AppError> {
    let ids = restorable_ids(conn, customer.id, sent, now)?;
    let passwords = new_passwords(ids.len()).map_err(AppError::Internal)?;
    let renamed = renamed.map(UserName::as_string);
    conn.transaction::<_, AppError, _>(|conn| {
        let subscriptions = seats_locked(conn, customer.id)?;
        let candidates = restore_candidates(conn, customer.id, &ids, now)?;
        let wanted: Vec<String> = candidates
            .iter()
            .map(|c| renamed.as_deref().unwrap_or(&c.user_name).to_lowercase())
            .collect();
        let taken = active_names(conn, customer.id, &wanted)?;
        let decisions = restore::decide(&candidates, renamed.as_deref(), &taken, &subscriptions);
        let mut done = Restoring::default();
        for ((candidate, decision), (secret, hash)) in candidates.into_iter().zip(decisions).zip(&passwords) {
            match decision {
                Decision::Clash => done.clash(candidate),
                Decision::Restore {
                    user_name,
                    licenses: back,
                    not_restored,
                } => {
                    reactivate(conn, customer.id, candidate.id, &user_name, hash, now)?;
                    for (subscription, disabled_plans) in &back {
                        licenses::assign(conn, customer.id, *subscription, &[candidate.id], disabled_plans)?;
                    }
                    done.restored(candidate, user_name, secret, not_restored);
                }
            }
        }
        if done.ids.is_empty() && done.clashes.is_empty() {
            return Ok(Restored {
                sheet_id: None,
                restored: 0,
                clashes: done.clashes,
            });
        }
        audit::record(
            conn,
            actor,
            Some(customer.id),
            "users_restored",
            json!({"count": done.ids.len(), "user_ids": done.ids, "not_restored": done.clashes.len()}),
        )?;
        let sheet_id = credentials::create(
            conn,
            &key.lock(),
            actor.staff_id,
            customer.id,
            "restore",
            done.entries,
            &done.notes,
            now,
        )?;
        Ok(Restored {
            sheet_id: Some(sheet_id),
            restored: done.ids.len(),
            clashes: done.clashes,
        })
    })
}

/// The ids sent that name deleted users of the customer still within the restore window, each
/// once ([`selection::distinct`], capped at how many such users there are).
fn restorable_ids(
    conn: &mut PgConnection,
    customer_id: i64,
    sent: &[i64],
    now: DateTime<Utc>,
) -> QueryResult<Vec<i64>> {
    let cap = usize::try_from(deleted_count(conn, customer_id, now)?).unwrap_or(0);
    let ids = selection::distinct(sent.iter().copied(), cap);
    restorable(customer_id, now)
        .filter(customer_users::id.eq_any(&ids))
        .select(customer_users::id)
        .load(conn)
}

/// The deleted users among `ids` still within the restore window, locked, in list order.
/// Former licenses that do not read fail the restore rather than silently coming back empty.
fn restore_candidates(
    conn: &mut PgConnection,
    customer_id: i64,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>, AppError> {
    let rows: Vec<(i64, String, String, serde_json::Value)> = customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::id.eq_any(ids))
        .filter(customer_users::deleted_at.gt(restore_window::purge_cutoff(now)))
        .order((customer_users::display_name, customer_users::id))
        .select((
            customer_users::id,
            customer_users::display_name,
            customer_users::user_name,
            customer_users::former_licenses,
        ))
        .for_update()
        .load(conn)?;
    rows.into_iter()
        .map(|(id, display_name, user_name, stored)| {
            let former = FormerLicense::parse_list(stored)
                .with_context(|| format!("former licenses of deleted user {id} do not read"))
                .map_err(AppError::Internal)?;
            Ok(Candidate {
                id,
                display_name,
                user_name,
                former,
            })
        })
        .collect()
}

/// Which of these lower-cased user names active users of the customer hold.
fn active_names(conn: &mut PgConnection, customer_id: i64, keys: &[String]) -> QueryResult<HashSet<String>> {
    let held: Vec<String> = customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::deleted_at.is_null())
        .filter(lower(customer_users::user_name).eq_any(keys))
        .select(lower(customer_users::user_name))
        .load(conn)?;
    Ok(held.into_iter().collect())
}

/// Makes a deleted user active again under `user_name`, with a new temporary password.
fn reactivate(
    conn: &mut PgConnection,
    customer_id: i64,
    user_id: i64,
    user_name: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        customer_users::table
            .filter(customer_users::customer_id.eq(customer_id))
            .filter(customer_users::id.eq(user_id)),
    )
    .set((
        customer_users::deleted_at.eq(None::<DateTime<Utc>>),
        customer_users::deleted_by.eq(None::<i64>),
        customer_users::user_name.eq(user_name),
        customer_users::password_hash.eq(hash),
        customer_users::must_change_password.eq(true),
        customer_users::former_licenses.eq(json!([])),
        customer_users::updated_at.eq(now),
    ))
    .execute(conn)
}

/// What a restore has done so far: the sheet's entries and notes, and who was restored or not.
#[derive(Default)]
struct Restoring {
    entries: Vec<Credential>,
    notes: Vec<Note>,
    clashes: Vec<(i64, String)>,
    ids: Vec<i64>,
}

impl Restoring {
    fn clash(&mut self, candidate: Candidate) {
        self.notes.push(Note {
            key: "note-name-clash".into(),
            user_id: candidate.id,
            user_name: candidate.user_name.clone(),
            detail: String::new(),
        });
        self.clashes.push((candidate.id, candidate.user_name));
    }

    fn restored(&mut self, candidate: Candidate, user_name: String, secret: &str, not_restored: Vec<String>) {
        for product in not_restored {
            self.notes.push(Note {
                key: "note-license-not-restored".into(),
                user_id: candidate.id,
                user_name: user_name.clone(),
                detail: product,
            });
        }
        self.ids.push(candidate.id);
        self.entries.push(Credential {
            display_name: candidate.display_name,
            user_name,
            password: secret.to_string(),
            status: credentials::STATUS_RESTORED.into(),
            ..Credential::default()
        });
    }
}

/// New temporary passwords for active users; they must change them at next sign-in. Passwords
/// are made only for the customer's active users among the ids sent, each once.
pub fn reset_passwords(
    conn: &mut PgConnection,
    actor: Actor,
    key: &SheetKey,
    customer_id: i64,
    sent: &[i64],
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, AppError> {
    let ids = active_ids(conn, customer_id, sent)?;
    if ids.is_empty() {
        return Ok(None);
    }
    let passwords = new_passwords(ids.len()).map_err(AppError::Internal)?;
    conn.transaction::<_, AppError, _>(|conn| {
        let users: Vec<(i64, String, String)> = customer_users::table
            .filter(customer_users::customer_id.eq(customer_id))
            .filter(customer_users::deleted_at.is_null())
            .filter(customer_users::id.eq_any(&ids))
            .order((customer_users::display_name, customer_users::id))
            .select((
                customer_users::id,
                customer_users::display_name,
                customer_users::user_name,
            ))
            .for_update()
            .load(conn)?;
        if users.is_empty() {
            return Ok(None);
        }
        let mut entries = Vec::with_capacity(users.len());
        for ((id, display_name, user_name), (secret, hash)) in users.iter().zip(&passwords) {
            diesel::update(
                customer_users::table
                    .filter(customer_users::customer_id.eq(customer_id))
                    .filter(customer_users::id.eq(id)),
            )
            .set((
                customer_users::password_hash.eq(hash),
                customer_users::must_change_password.eq(true),
                customer_users::updated_at.eq(now),
            ))
            .execute(conn)?;
            entries.push(Credential {
                display_name: display_name.clone(),
                user_name: user_name.clone(),
                password: secret.clone(),
                status: credentials::STATUS_PASSWORD_RESET.into(),
                ..Credential::default()
            });
        }
        let user_ids: Vec<i64> = users.iter().map(|u| u.0).collect();
        audit::record(
            conn,
            actor,
            Some(customer_id),
            "passwords_reset",
            json!({"count": user_ids.len(), "user_ids": user_ids}),
        )?;
        Ok(Some(credentials::create(
            conn,
            &key.lock(),
            actor.staff_id,
            customer_id,
            "reset",
            entries,
            &[],
            now,
        )?))
    })
}

/// "Delete permanently" before the 30 days are over; the typed name must match.
pub fn purge_one(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    user_id: i64,
    typed_name: &str,
) -> Result<Outcome<(), FieldError>, AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        let user = find(conn, customer_id, user_id)?;
        if user.deleted_at.is_none() {
            return Err(AppError::NotFound);
        }
        if !typed_name.trim().eq_ignore_ascii_case(&user.user_name) {
            return Ok(Outcome::Refused(
                FieldError::new("err-confirm-user-name").with("value", &user.user_name),
            ));
        }
        diesel::delete(
            customer_users::table
                .filter(customer_users::customer_id.eq(customer_id))
                .filter(customer_users::id.eq(user_id)),
        )
        .execute(conn)?;
        audit::record(
            conn,
            actor,
            Some(customer_id),
            "user_purged",
            json!({"user": user.user_name, "user_ids": [user_id]}),
        )?;
        Ok(Outcome::Done(()))
    })
}

/// Removes for good every user deleted more than 30 days ago, one activity entry per customer.
pub fn purge_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    conn.transaction(|conn| {
        #[derive(QueryableByName)]
        struct Purged {
            #[diesel(sql_type = BigInt)]
            customer_id: i64,
            #[diesel(sql_type = BigInt)]
            partner_id: i64,
            #[diesel(sql_type = Array<BigInt>)]
            ids: Vec<i64>,
        }
        let purged: Vec<Purged> = diesel::sql_query(
            "WITH gone AS (DELETE FROM customer_users WHERE deleted_at <= $1 RETURNING customer_id, id) \
             SELECT g.customer_id, c.partner_id, array_agg(g.id ORDER BY g.id) AS ids \
             FROM gone g JOIN customers c ON c.id = g.customer_id GROUP BY g.customer_id, c.partner_id",
        )
        .bind::<Timestamptz, _>(restore_window::purge_cutoff(now))
        .load(conn)?;
        let mut total = 0;
        for p in purged {
            total += p.ids.len();
            audit::record_as(
                conn,
                p.partner_id,
                None,
                Some(p.customer_id),
                "users_purged",
                "success",
                json!({"count": p.ids.len(), "user_ids": p.ids}),
            )?;
        }
        Ok(total)
    })
}
