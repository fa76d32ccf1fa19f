//! The product catalogue (data/products.csv, copied from Microsoft's licensing reference) and
//! the plans that exclude each other (data/exclusive-plans.csv). Loaded at start-up with
//! upserts, so loading it again changes nothing.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::upsert::excluded;
use uuid::Uuid;

use crate::db::schema::{exclusive_plans, products, service_plans};

const PRODUCTS_CSV: &str = include_str!("../../data/products.csv");
const EXCLUSIVE_CSV: &str = include_str!("../../data/exclusive-plans.csv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CataloguePlan {
    pub name: String,
    pub guid: Uuid,
    pub friendly_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueProduct {
    pub name: String,
    pub sku_part_number: String,
    pub sku_guid: Uuid,
    pub plans: Vec<CataloguePlan>,
}

/// Reads the shipped catalogue: one product per SKU with its plans in file order.
pub fn shipped_products() -> anyhow::Result<Vec<CatalogueProduct>> {
    let mut reader = csv::Reader::from_reader(PRODUCTS_CSV.as_bytes());
    let mut by_sku: BTreeMap<String, CatalogueProduct> = BTreeMap::new();
    for row in reader.records() {
        let row = row?;
        let product = by_sku.entry(row[1].to_string()).or_insert_with(|| CatalogueProduct {
            name: row[0].to_string(),
            sku_part_number: row[1].to_string(),
            sku_guid: row[2].parse().unwrap_or_default(),
            plans: Vec::new(),
        });
        product.plans.push(CataloguePlan {
            name: row[3].to_string(),
            guid: row[4].parse()?,
            friendly_name: row[5].to_string(),
        });
    }
    Ok(by_sku.into_values().collect())
}

pub fn shipped_exclusive_pairs() -> anyhow::Result<Vec<(String, String)>> {
    let mut reader = csv::Reader::from_reader(EXCLUSIVE_CSV.as_bytes());
    let mut pairs = Vec::new();
    for row in reader.records() {
        let row = row?;
        pairs.push((row[0].to_string(), row[1].to_string()));
    }
    Ok(pairs)
}

/// Upserts the shipped catalogue in one transaction.
pub fn load(conn: &mut PgConnection) -> anyhow::Result<usize> {
    let catalogue = shipped_products()?;
    let pairs = shipped_exclusive_pairs()?;
    conn.transaction::<_, anyhow::Error, _>(|conn| {
        for product in &catalogue {
            let product_id: i64 = diesel::insert_into(products::table)
                .values((
                    products::sku_part_number.eq(&product.sku_part_number),
                    products::sku_guid.eq(product.sku_guid),
                    products::name.eq(&product.name),
                ))
                .on_conflict(products::sku_part_number)
                .do_update()
                .set((
                    products::name.eq(excluded(products::name)),
                    products::sku_guid.eq(excluded(products::sku_guid)),
                ))
                .returning(products::id)
                .get_result(conn)?;
            for (position, plan) in product.plans.iter().enumerate() {
                diesel::insert_into(service_plans::table)
                    .values((
                        service_plans::product_id.eq(product_id),
                        service_plans::name.eq(&plan.name),
                        service_plans::guid.eq(plan.guid),
                        service_plans::friendly_name.eq(&plan.friendly_name),
                        service_plans::position.eq(position as i32),
                    ))
                    .on_conflict((service_plans::product_id, service_plans::name))
                    .do_update()
                    .set((
                        service_plans::guid.eq(excluded(service_plans::guid)),
                        service_plans::friendly_name.eq(excluded(service_plans::friendly_name)),
                        service_plans::position.eq(excluded(service_plans::position)),
                    ))
                    .execute(conn)?;
            }
        }
        for (a, b) in &pairs {
            diesel::insert_into(exclusive_plans::table)
                .values((exclusive_plans::plan_a.eq(a), exclusive_plans::plan_b.eq(b)))
                .on_conflict_do_nothing()
                .execute(conn)?;
        }
        Ok(catalogue.len())
    })
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub sku_part_number: String,
}

pub fn products(conn: &mut PgConnection) -> QueryResult<Vec<Product>> {
    Ok(products::table
        .order(products::name)
        .select((products::id, products::name, products::sku_part_number))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, sku_part_number)| Product {
            id,
            name,
            sku_part_number,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_sixteen_products_with_their_plans() {
        let products = shipped_products().unwrap();
        assert_eq!(products.len(), 16);
        assert_eq!(products.iter().map(|p| p.plans.len()).sum::<usize>(), 316);
        let e3 = products.iter().find(|p| p.sku_part_number == "ENTERPRISEPACK").unwrap();
        assert_eq!(e3.name, "Office 365 E3");
        assert!(e3.plans.iter().any(|p| p.name == "SHAREPOINTENTERPRISE"));
    }

    #[test]
    fn ships_the_sharepoint_conflict() {
        assert_eq!(
            shipped_exclusive_pairs().unwrap(),
            vec![("SHAREPOINTSTANDARD".to_string(), "SHAREPOINTENTERPRISE".to_string())]
        );
    }
}
