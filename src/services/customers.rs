//! Customers of a partner: the list with search and paging, adding one with its domains, and
//! the lookup every customer page starts with (another partner's customer is "not found").

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::forms::FormErrors;
use super::{audit, Actor, Outcome};
use crate::db::functions::lower;
use crate::db::schema::{customer_domains, customer_users, customers};
use crate::domain::company::CompanyName;
use crate::domain::country::UsageLocation;
use crate::domain::domain_name::{parse_domain_list, DomainName};
use crate::domain::paging::Paging;
use crate::domain::FieldError;
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: i64,
    pub partner_id: i64,
    pub company_name: String,
    pub default_usage_location: String,
    pub created_at: DateTime<Utc>,
    /// In order; the first is the initial domain.
    pub domains: Vec<String>,
}

impl Customer {
    pub fn initial_domain(&self) -> &str {
        self.domains.first().map(String::as_str).unwrap_or("")
    }
}

/// The customer, if it belongs to this partner. Anything else is `NotFound`, so a customer
/// of another partner cannot even be shown to exist.
pub fn find_for_partner(conn: &mut PgConnection, partner_id: i64, customer_id: i64) -> Result<Customer, AppError> {
    let (id, partner_id, company_name, default_usage_location, created_at) = customers::table
        .filter(customers::id.eq(customer_id))
        .filter(customers::partner_id.eq(partner_id))
        .select((
            customers::id,
            customers::partner_id,
            customers::company_name,
            customers::default_usage_location,
            customers::created_at,
        ))
        .first::<(i64, i64, String, String, DateTime<Utc>)>(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let domains = customer_domains::table
        .filter(customer_domains::customer_id.eq(id))
        .order(customer_domains::position)
        .select(customer_domains::name)
        .load(conn)?;
    Ok(Customer {
        id,
        partner_id,
        company_name,
        default_usage_location,
        created_at,
        domains,
    })
}

#[derive(Debug, Clone)]
pub struct ListRow {
    pub id: i64,
    pub company_name: String,
    pub initial_domain: String,
    pub active_users: i64,
    pub created_at: DateTime<Utc>,
}

/// A page of the partner's customers by name; `search` matches company names and domains.
pub fn list(
    conn: &mut PgConnection,
    partner_id: i64,
    search: &str,
    page: Option<i64>,
    size: Option<i64>,
) -> QueryResult<(Vec<ListRow>, Paging)> {
    let pattern = format!("%{}%", escape_like(&search.trim().to_lowercase()));
    let has_search = !search.trim().is_empty();
    let build = || {
        let mut query = customers::table
            .filter(customers::partner_id.eq(partner_id))
            .into_boxed();
        if has_search {
            let domain_match = customer_domains::table
                .filter(customer_domains::name.like(pattern.clone()))
                .select(customer_domains::customer_id);
            query = query.filter(
                lower(customers::company_name)
                    .like(pattern.clone())
                    .or(customers::id.eq_any(domain_match)),
            );
        }
        query
    };
    let total: i64 = build().count().get_result(conn)?;
    let paging = Paging::new(page, size, total);
    let rows: Vec<(i64, String, DateTime<Utc>)> = build()
        .order((lower(customers::company_name), customers::id))
        .limit(paging.size)
        .offset(paging.offset())
        .select((customers::id, customers::company_name, customers::created_at))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let domains: Vec<(i64, String)> = customer_domains::table
        .filter(customer_domains::customer_id.eq_any(&ids))
        .filter(customer_domains::position.eq(0))
        .select((customer_domains::customer_id, customer_domains::name))
        .load(conn)?;
    let counts: Vec<(i64, i64)> = customer_users::table
        .filter(customer_users::customer_id.eq_any(&ids))
        .filter(customer_users::deleted_at.is_null())
        .group_by(customer_users::customer_id)
        .select((customer_users::customer_id, diesel::dsl::count_star()))
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(|(id, company_name, created_at)| ListRow {
            id,
            company_name,
            initial_domain: domains
                .iter()
                .find(|d| d.0 == id)
                .map(|d| d.1.clone())
                .unwrap_or_default(),
            active_users: counts.iter().find(|c| c.0 == id).map(|c| c.1).unwrap_or(0),
            created_at,
        })
        .collect();
    Ok((rows, paging))
}

/// Escapes `%`, `_` and `\` so a search for "50%" means those characters.
pub fn escape_like(value: &str) -> String {
    value.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The "Add customer" form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CustomerForm {
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub domains: String,
    #[serde(default)]
    pub default_usage_location: String,
}

pub struct NewCustomer {
    pub company_name: CompanyName,
    pub domains: Vec<DomainName>,
    pub default_usage_location: UsageLocation,
}

impl CustomerForm {
    pub fn parse(&self) -> Result<NewCustomer, FormErrors> {
        let mut errors = FormErrors::new();
        let company_name = errors.check("company_name", CompanyName::parse(&self.company_name));
        let domains = errors.check("domains", parse_domain_list(&self.domains));
        let location = errors.check(
            "default_usage_location",
            UsageLocation::parse(&self.default_usage_location),
        );
        match (company_name, domains, location) {
            (Some(company_name), Some(domains), Some(default_usage_location)) if errors.is_empty() => Ok(NewCustomer {
                company_name,
                domains,
                default_usage_location,
            }),
            _ => Err(errors),
        }
    }
}

/// Adds a customer with its domains. A domain another customer already has is reported on the
/// Domains field and nothing is written.
pub fn create(conn: &mut PgConnection, actor: Actor, new: &NewCustomer) -> Result<Outcome<i64, FormErrors>, AppError> {
    let result = conn.transaction::<_, AppError, _>(|conn| {
        let names: Vec<&str> = new.domains.iter().map(|d| d.as_str()).collect();
        let taken: Option<String> = customer_domains::table
            .filter(customer_domains::name.eq_any(&names))
            .select(customer_domains::name)
            .first(conn)
            .optional()?;
        if let Some(taken) = taken {
            return Ok(Outcome::Refused(taken));
        }
        let id: i64 = diesel::insert_into(customers::table)
            .values((
                customers::partner_id.eq(actor.partner_id),
                customers::company_name.eq(new.company_name.as_str()),
                customers::default_usage_location.eq(new.default_usage_location.code()),
            ))
            .returning(customers::id)
            .get_result(conn)?;
        let rows: Vec<_> = new
            .domains
            .iter()
            .enumerate()
            .map(|(position, d)| {
                (
                    customer_domains::customer_id.eq(id),
                    customer_domains::name.eq(d.as_str()),
                    customer_domains::position.eq(position as i32),
                )
            })
            .collect();
        diesel::insert_into(customer_domains::table)
            .values(&rows)
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Some(id),
            "customer_created",
            json!({"company": new.company_name.as_str(), "domains": names.join(", ")}),
        )?;
        Ok(Outcome::Done(id))
    });
    match result {
        Ok(Outcome::Done(id)) => Ok(Outcome::Done(id)),
        Ok(Outcome::Refused(taken)) => Ok(Outcome::Refused(domain_taken(&taken))),
        // Two people adding the same domain at once: the unique index decides.
        Err(AppError::Internal(e)) if is_unique_violation(&e) => Ok(Outcome::Refused(domain_taken(""))),
        Err(e) => Err(e),
    }
}

fn domain_taken(domain: &str) -> FormErrors {
    let mut errors = FormErrors::new();
    errors.add("domains", FieldError::new("err-domain-taken").with("value", domain));
    errors
}

pub fn is_unique_violation(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<diesel::result::Error>(),
        Some(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _
        ))
    )
}

/// Adds a domain to an existing customer.
pub fn add_domain(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    raw: &str,
) -> Result<Outcome<String, FieldError>, AppError> {
    let domain = match DomainName::parse(raw) {
        Ok(d) => d,
        Err(e) => return Ok(Outcome::Refused(e)),
    };
    let taken = || Outcome::Refused(FieldError::new("err-domain-taken").with("value", domain.as_str()));
    let result = conn.transaction::<_, AppError, _>(|conn| {
        let held: i64 = customer_domains::table
            .filter(customer_domains::name.eq(domain.as_str()))
            .count()
            .get_result(conn)?;
        if held > 0 {
            return Ok(taken());
        }
        let next: Option<i32> = customer_domains::table
            .filter(customer_domains::customer_id.eq(customer_id))
            .select(diesel::dsl::max(customer_domains::position))
            .first(conn)?;
        diesel::insert_into(customer_domains::table)
            .values((
                customer_domains::customer_id.eq(customer_id),
                customer_domains::name.eq(domain.as_str()),
                customer_domains::position.eq(next.map_or(0, |n| n + 1)),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Some(customer_id),
            "domain_added",
            json!({"domain": domain.as_str()}),
        )?;
        Ok(Outcome::Done(domain.as_str().to_string()))
    });
    match result {
        // A submit at the same moment added it between the check and the insert.
        Err(AppError::Internal(e)) if is_unique_violation(&e) => Ok(taken()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn form_reports_every_bad_field_at_once() {
        let form = CustomerForm {
            company_name: " ".into(),
            domains: "bad".into(),
            default_usage_location: "ZZ".into(),
        };
        let errors = form.parse().err().unwrap();
        assert!(errors.has("company_name") && errors.has("domains") && errors.has("default_usage_location"));
    }

    #[test]
    fn form_parses_a_good_customer() {
        let form = CustomerForm {
            company_name: "青山數位設計有限公司".into(),
            domains: "qingshan.onmicrosoft.com\nqingshan.com.tw".into(),
            default_usage_location: "TW".into(),
        };
        let new = form.parse().ok().unwrap();
        assert_eq!(new.domains.len(), 2);
        assert_eq!(new.default_usage_location.code(), "TW");
    }
}
