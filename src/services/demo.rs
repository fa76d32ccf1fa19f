//! A realistic demo partner for trying PartnerDesk: one staff member of each role and five
//! customers with Chinese and European names, domains, subscriptions and a few users with
//! licenses (added as the Add user form adds them). Loading it again adds nothing twice.

use chrono::Utc;
use diesel::prelude::*;

use super::credentials::SheetKey;
use super::customers::{self, CustomerForm};
use super::staff::{self, CreateStaffError};
use super::subscriptions::{self, AddForm};
use super::users::{self, UserForm};
use super::{Actor, Outcome};
use crate::auth::{password, Role};
use crate::db::schema::{customer_domains, products, staff as staff_table};

pub const PARTNER: &str = "Northwind IT Services";
/// Demo sign-ins share one password; the README prints it.
pub const PASSWORD: &str = "Demo-Password-2026";

pub const STAFF: [(&str, Role); 4] = [
    ("admin@northwind.example", Role::GlobalAdmin),
    ("agent@northwind.example", Role::AdminAgent),
    ("sales@northwind.example", Role::SalesAgent),
    ("helpdesk@northwind.example", Role::HelpdeskAgent),
];

struct DemoCustomer {
    name: &'static str,
    domains: &'static str,
    location: &'static str,
    subscriptions: &'static [(&'static str, i32)],
    users: &'static [DemoUser],
}

/// First name, last name, display name, alias (on the customer's last domain), and the SKUs
/// of the licenses it holds.
type DemoUser = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const CUSTOMERS: [DemoCustomer; 5] = [
    DemoCustomer {
        name: "青山數位設計有限公司",
        domains: "qingshan.onmicrosoft.com\nqingshan.com.tw",
        location: "TW",
        subscriptions: &[("O365_BUSINESS_PREMIUM", 25), ("EXCHANGESTANDARD", 10)],
        users: &[
            ("志明", "陳", "陳志明", "chihming.chen", &["O365_BUSINESS_PREMIUM"]),
            (
                "淑芬",
                "林",
                "林淑芬",
                "shufen.lin",
                &["O365_BUSINESS_PREMIUM", "EXCHANGESTANDARD"],
            ),
            (
                "Chien-Hung",
                "Wang",
                "Chien-Hung Wang 王建宏",
                "chienhung.wang",
                &["O365_BUSINESS_PREMIUM"],
            ),
            ("怡君", "李", "李怡君", "yichun.lee", &[]),
        ],
    },
    DemoCustomer {
        name: "晨光貿易股份有限公司",
        domains: "chenguang.onmicrosoft.com\nchenguang-trading.com.tw",
        location: "TW",
        subscriptions: &[("ENTERPRISEPACK", 50), ("VISIOCLIENT", 5)],
        users: &[
            ("雅婷", "黃", "黃雅婷", "yating.huang", &["ENTERPRISEPACK"]),
            (
                "家豪",
                "張",
                "張家豪",
                "chiahao.chang",
                &["ENTERPRISEPACK", "VISIOCLIENT"],
            ),
            ("Mei-Ling", "Tsai", "Mei-Ling Tsai", "meiling.tsai", &["ENTERPRISEPACK"]),
        ],
    },
    DemoCustomer {
        name: "Müller & Söhne GmbH",
        domains: "muellersoehne.onmicrosoft.com\nmueller-soehne.de",
        location: "DE",
        subscriptions: &[("SPB", 40)],
        users: &[
            ("Jürgen", "Müller", "Jürgen Müller", "juergen.mueller", &["SPB"]),
            ("Anna", "Schmidt", "Anna Schmidt", "anna.schmidt", &["SPB"]),
        ],
    },
    DemoCustomer {
        name: "Café Lumière SARL",
        domains: "cafelumiere.onmicrosoft.com",
        location: "FR",
        subscriptions: &[("O365_BUSINESS_ESSENTIALS", 12)],
        users: &[(
            "Élodie",
            "Dubois",
            "Élodie Dubois",
            "elodie.dubois",
            &["O365_BUSINESS_ESSENTIALS"],
        )],
    },
    DemoCustomer {
        name: "Nordlys Energi AS",
        domains: "nordlys.onmicrosoft.com\nnordlys-energi.no",
        location: "NO",
        subscriptions: &[("SPE_E3", 30), ("POWER_BI_PRO", 8)],
        users: &[
            (
                "Ingrid",
                "Hansen",
                "Ingrid Hansen",
                "ingrid.hansen",
                &["SPE_E3", "POWER_BI_PRO"],
            ),
            ("Lars", "Johansen", "Lars Johansen", "lars.johansen", &["SPE_E3"]),
        ],
    },
];

/// Loads the demo partner; returns the sign-ins (email, role) to print.
pub fn load(conn: &mut PgConnection) -> anyhow::Result<Vec<(String, Role)>> {
    let hash = password::hash(PASSWORD)?;
    let mut admin_id = None;
    for (email, role) in STAFF {
        match staff::create(conn, PARTNER, email, role, &hash, false) {
            Ok(member) => {
                if role == Role::GlobalAdmin {
                    admin_id = Some(member.id);
                }
            }
            Err(CreateStaffError::EmailTaken(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let (admin_id, partner_id): (i64, i64) = match admin_id {
        Some(id) => staff_table::table
            .find(id)
            .select((staff_table::id, staff_table::partner_id))
            .first(conn)?,
        None => staff_table::table
            .filter(staff_table::email.eq(STAFF[0].0))
            .select((staff_table::id, staff_table::partner_id))
            .first(conn)?,
    };
    // A two-minute look: the demo partner signs in with the password alone (a partner made
    // with create-staff requires a second factor).
    diesel::update(crate::db::schema::partners::table.find(partner_id))
        .set((
            crate::db::schema::partners::second_factor_required.eq(false),
            // The demo partner is in Taiwan, as most partners are.
            crate::db::schema::partners::time_zone.eq("Asia/Taipei"),
        ))
        .execute(conn)?;
    let actor = Actor {
        partner_id,
        staff_id: admin_id,
    };
    for demo in &CUSTOMERS {
        let initial = demo.domains.lines().next().unwrap_or_default();
        let exists: i64 = customer_domains::table
            .filter(customer_domains::name.eq(initial))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            continue;
        }
        let form = CustomerForm {
            company_name: demo.name.into(),
            domains: demo.domains.into(),
            default_usage_location: demo.location.into(),
        };
        let new = form
            .parse()
            .map_err(|_| anyhow::anyhow!("demo customer {} does not parse", demo.name))?;
        let Outcome::Done(customer_id) = customers::create(conn, actor, &new).map_err(|e| anyhow::anyhow!("{e}"))?
        else {
            anyhow::bail!("demo customer {} was refused", demo.name);
        };
        for (sku, quantity) in demo.subscriptions {
            let product_id: i64 = products::table
                .filter(products::sku_part_number.eq(sku))
                .select(products::id)
                .first(conn)?;
            let form = AddForm {
                product_id: product_id.to_string(),
                quantity: quantity.to_string(),
            };
            let added = subscriptions::add(conn, actor, customer_id, &form).map_err(|e| anyhow::anyhow!("{e}"))?;
            if let Outcome::Refused(_) = added {
                anyhow::bail!("demo subscription {sku} was refused");
            }
        }
        add_users(conn, actor, customer_id, demo)?;
    }
    Ok(STAFF.iter().map(|(e, r)| (e.to_string(), *r)).collect())
}

/// The customer's demo users, through the service the Add user form uses. Their temporary
/// passwords go into a credentials page that no one can open.
fn add_users(conn: &mut PgConnection, actor: Actor, customer_id: i64, demo: &DemoCustomer) -> anyhow::Result<()> {
    let customer = customers::find_for_partner(conn, actor.partner_id, customer_id)?;
    let domain = customer.domains.last().cloned().unwrap_or_default();
    let subscriptions = subscriptions::list_for_customer(conn, customer_id)?;
    let key = SheetKey::discarded();
    for (first_name, last_name, display_name, alias, skus) in demo.users {
        let form = UserForm {
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            display_name: display_name.to_string(),
            alias: alias.to_string(),
            domain: domain.clone(),
            usage_location: demo.location.into(),
            org_role: "user".into(),
            ..UserForm::default()
        };
        let new = form
            .parse(&customer)
            .map_err(|_| anyhow::anyhow!("demo user {alias} does not parse"))?;
        let products: Vec<i64> = skus
            .iter()
            .filter_map(|sku| subscriptions.iter().find(|s| s.sku_part_number == *sku).map(|s| s.id))
            .collect();
        let created = users::create(conn, actor, &key, &customer, &new, &products, None, Utc::now())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Outcome::Refused(_) = created {
            anyhow::bail!("demo user {alias} was refused");
        }
    }
    Ok(())
}
