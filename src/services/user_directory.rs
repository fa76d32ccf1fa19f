//! The Users list's directory: one customer's active users, in list order, held in memory.
//!
//! Filtering, searching and paging 100,000 users in SQL cost 10–60 ms a page: counting the
//! matches, OFFSET for deep pages, and substring searches that a trigram index cannot serve for
//! one Chinese character. In memory, a filtered page is a slice of a list made when the
//! directory was built, and a search one pass over one buffer, with exact counts. The directory
//! holds the columns the list shows (about 190 bytes a user), so a page view reads nothing else
//! from the database than its frame (`services::user_list`).
//!
//! A directory is never stale. It keeps the version numbers it was built at (customers'
//! `users_version` and each subscription's `licenses_version`, which triggers move inside the
//! transaction of every change: migration 000006); every page view reads the current numbers in
//! the query it makes anyway, and a directory whose numbers differ is rebuilt before use.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use diesel::connection::DefaultLoadingMode;
use diesel::prelude::*;
use memchr::memmem;

use crate::db::schema::{customer_users, customers, licenses, subscriptions};
use crate::db::views::listed_users;
use crate::db::PgPool;
use crate::domain::paging::Paging;
use crate::domain::user_filter::UserFilter;
use crate::error::AppError;

/// The version numbers a directory was built at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    pub users: i64,
    /// (subscription id, licenses_version), by subscription id.
    pub licenses: Vec<(i64, i64)>,
}

impl Stamp {
    pub fn new(users: i64, mut licenses: Vec<(i64, i64)>) -> Self {
        licenses.sort_unstable();
        Stamp { users, licenses }
    }

    /// The current numbers of a customer, for work that did not read them already.
    pub fn read(conn: &mut PgConnection, customer_id: i64) -> QueryResult<Stamp> {
        let users = customers::table
            .find(customer_id)
            .select(customers::users_version)
            .first::<i64>(conn)?;
        let licenses = subscriptions::table
            .filter(subscriptions::customer_id.eq(customer_id))
            .select((subscriptions::id, subscriptions::licenses_version))
            .load(conn)?;
        Ok(Stamp::new(users, licenses))
    }
}

/// Ends each user's search text; a search term never holds one, so no match spans two users.
const SEPARATOR: char = '\n';

/// The active users of one customer, sorted by display name then id (the database's order).
/// Users are referred to by their position in that order.
#[derive(Debug, Default)]
pub struct Directory {
    stamp: Stamp,
    users: Vec<Entry>,
    /// Each user's display name then user name, back to back, as shown: one buffer rather
    /// than two allocations a user.
    names: String,
    /// The distinct usage locations; an entry names one by its place here.
    locations: Vec<Box<str>>,
    /// When the customer's deleted users were deleted, oldest first (the tab's counter).
    deleted_at: Vec<DateTime<Utc>>,
    /// Every user's search text, "display name user name" in lower case, each followed by
    /// [`SEPARATOR`]: one buffer, searched in one pass.
    text: String,
    /// Where each user's search text ends (the offset of its separator).
    ends: Vec<u32>,
    /// The positions of the users each filter keeps (or, for "unlicensed" and "lacks", leaves
    /// out), in order: a filtered page is a slice, not a walk over every user.
    admins: Vec<u32>,
    blocked: Vec<u32>,
    licensed: Vec<u32>,
    holders: HashMap<i64, Vec<u32>>,
}

/// Which positions a filter keeps.
#[derive(Debug, Clone, Copy)]
enum Kept<'a> {
    Every,
    Only(&'a [u32]),
    AllBut(&'a [u32]),
}

impl Kept<'_> {
    fn keeps(&self, position: u32) -> bool {
        match self {
            Kept::Every => true,
            Kept::Only(list) => list.binary_search(&position).is_ok(),
            Kept::AllBut(list) => list.binary_search(&position).is_err(),
        }
    }
}

/// The position of the `nth` (from 0) of `0..len` that is not in `left_out` (sorted), if any.
fn nth_outside(left_out: &[u32], len: usize, nth: usize) -> Option<usize> {
    // Positions before p that are kept: p - (left-out positions before p), which grows with p.
    let kept_before = |p: usize| p - left_out.partition_point(|&x| (x as usize) < p);
    let (mut lo, mut hi) = (0, len);
    if kept_before(len) <= nth {
        return None;
    }
    // The smallest p with more than `nth` kept positions in 0..=p.
    while lo < hi {
        let mid = (lo + hi) / 2;
        if kept_before(mid + 1) > nth {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

/// One active user, with what the list shows of them: what a directory is built from.
#[derive(Debug, Clone)]
pub struct ListedUser {
    pub id: i64,
    pub display_name: String,
    pub user_name: String,
    pub usage_location: Option<String>,
    /// Holds any admin role.
    pub admin: bool,
    pub sign_in_blocked: bool,
    pub created_at: DateTime<Utc>,
    /// The subscriptions the user holds a license of.
    pub licenses: Vec<i64>,
}

/// One row of the view `listed_users`, read in column order.
#[derive(Queryable, Selectable)]
#[diesel(table_name = listed_users, check_for_backend(diesel::pg::Pg))]
struct ListedRow {
    id: i64,
    display_name: String,
    user_name: String,
    usage_location: Option<String>,
    admin: bool,
    sign_in_blocked: bool,
    created_at: DateTime<Utc>,
}

/// One listed user as a page shows them, borrowed from the directory.
#[derive(Debug, Clone, Copy)]
pub struct Listed<'a> {
    pub id: i64,
    pub display_name: &'a str,
    pub user_name: &'a str,
    pub usage_location: Option<&'a str>,
    pub admin: bool,
    pub sign_in_blocked: bool,
    pub created_at: DateTime<Utc>,
    pub licenses: &'a [i64],
}

impl Listed<'_> {
    pub fn owned(&self) -> ListedUser {
        ListedUser {
            id: self.id,
            display_name: self.display_name.to_string(),
            user_name: self.user_name.to_string(),
            usage_location: self.usage_location.map(str::to_string),
            admin: self.admin,
            sign_in_blocked: self.sign_in_blocked,
            created_at: self.created_at,
            licenses: self.licenses.to_vec(),
        }
    }
}

/// A user as the directory keeps them (56 bytes, plus the names in [`Directory::names`]).
#[derive(Debug)]
struct Entry {
    id: i64,
    created_at: DateTime<Utc>,
    licenses: Box<[i64]>,
    /// Where the display name starts in `names`, where it ends (and the user name starts), and
    /// where the user name ends.
    names: [u32; 3],
    /// 1 + the place in `locations`, or 0 for none.
    location: u16,
    admin: bool,
    sign_in_blocked: bool,
}

/// Lower case, as both the users' texts and the search terms are compared.
fn fold(text: &str) -> String {
    text.to_lowercase()
}

impl Directory {
    /// Builds a directory from users already in list order.
    pub fn new(stamp: Stamp, users: impl IntoIterator<Item = ListedUser>, mut deleted_at: Vec<DateTime<Utc>>) -> Self {
        deleted_at.sort_unstable();
        let mut directory = Directory {
            stamp,
            deleted_at,
            ..Directory::default()
        };
        for user in users {
            directory.push(user);
        }
        directory.finish()
    }

    /// Gives back what the buffers grew by beyond what they hold, once every user is in.
    fn finish(mut self) -> Self {
        self.text.shrink_to_fit();
        self.names.shrink_to_fit();
        self.users.shrink_to_fit();
        self
    }

    /// Adds the next user in list order.
    fn push(&mut self, user: ListedUser) {
        let position = self.users.len() as u32;
        self.text.push_str(&fold(&user.display_name));
        self.text.push(' ');
        self.text.push_str(&fold(&user.user_name));
        self.ends.push(self.text.len() as u32);
        self.text.push(SEPARATOR);
        if user.admin {
            self.admins.push(position);
        }
        if user.sign_in_blocked {
            self.blocked.push(position);
        }
        if !user.licenses.is_empty() {
            self.licensed.push(position);
        }
        let mut licenses = user.licenses;
        licenses.sort_unstable();
        licenses.dedup();
        for subscription in &licenses {
            self.holders.entry(*subscription).or_default().push(position);
        }
        let start = self.names.len() as u32;
        self.names.push_str(&user.display_name);
        let middle = self.names.len() as u32;
        self.names.push_str(&user.user_name);
        let location = match user.usage_location {
            None => 0,
            Some(code) => match self.locations.iter().position(|l| **l == *code) {
                Some(i) => i + 1,
                None => {
                    self.locations.push(code.into());
                    self.locations.len()
                }
            },
        };
        self.users.push(Entry {
            id: user.id,
            created_at: user.created_at,
            licenses: licenses.into(),
            names: [start, middle, self.names.len() as u32],
            location: u16::try_from(location).unwrap_or(0),
            admin: user.admin,
            sign_in_blocked: user.sign_in_blocked,
        });
    }

    /// The user at a position, as a page shows them.
    fn listed(&self, position: u32) -> Listed<'_> {
        let entry = &self.users[position as usize];
        let [start, middle, end] = entry.names.map(|at| at as usize);
        Listed {
            id: entry.id,
            display_name: &self.names[start..middle],
            user_name: &self.names[middle..end],
            usage_location: (entry.location > 0).then(|| &*self.locations[entry.location as usize - 1]),
            admin: entry.admin,
            sign_in_blocked: entry.sign_in_blocked,
            created_at: entry.created_at,
            licenses: &entry.licenses,
        }
    }

    /// Reads a customer's users, licenses and version numbers in one snapshot. The users' columns
    /// are the view `listed_users`, made of the database's `listed_user()` (migration 000007),
    /// which the trigger that moves the version numbers compares too: what the list shows is
    /// defined there once.
    pub fn load(conn: &mut PgConnection, customer_id: i64) -> QueryResult<Directory> {
        conn.build_transaction().read_only().repeatable_read().run(|conn| {
            let stamp = Stamp::read(conn, customer_id)?;
            let mut held: HashMap<i64, Vec<i64>> = HashMap::new();
            for (user_id, subscription_id) in licenses::table
                .filter(licenses::customer_id.eq(customer_id))
                .select((licenses::user_id, licenses::subscription_id))
                .load::<(i64, i64)>(conn)?
            {
                held.entry(user_id).or_default().push(subscription_id);
            }
            let deleted_at = customer_users::table
                .filter(customer_users::customer_id.eq(customer_id))
                .filter(customer_users::deleted_at.is_not_null())
                .select(customer_users::deleted_at.assume_not_null())
                .load(conn)?;
            let mut directory = Directory::new(stamp, [], deleted_at);
            let rows = listed_users::table
                .filter(listed_users::customer_id.eq(customer_id))
                .filter(listed_users::deleted_at.is_null())
                .order((listed_users::display_name, listed_users::id))
                .select(ListedRow::as_select())
                .load_iter::<ListedRow, DefaultLoadingMode>(conn)?;
            for row in rows {
                let row = row?;
                directory.push(ListedUser {
                    licenses: held.remove(&row.id).unwrap_or_default(),
                    id: row.id,
                    display_name: row.display_name,
                    user_name: row.user_name,
                    usage_location: row.usage_location,
                    admin: row.admin,
                    sign_in_blocked: row.sign_in_blocked,
                    created_at: row.created_at,
                });
            }
            Ok(directory.finish())
        })
    }

    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    pub fn len(&self) -> usize {
        self.users.len()
    }

    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    /// Deleted users still within the restore window: deleted after `cutoff`.
    pub fn deleted_since(&self, cutoff: DateTime<Utc>) -> i64 {
        (self.deleted_at.len() - self.deleted_at.partition_point(|&at| at <= cutoff)) as i64
    }

    fn kept(&self, filter: UserFilter) -> Kept<'_> {
        let holders = |id: i64| self.holders.get(&id).map(Vec::as_slice).unwrap_or(&[]);
        match filter {
            UserFilter::All => Kept::Every,
            UserFilter::Licensed => Kept::Only(&self.licensed),
            UserFilter::Unlicensed => Kept::AllBut(&self.licensed),
            UserFilter::HasProduct(id) => Kept::Only(holders(id)),
            UserFilter::LacksProduct(id) => Kept::AllBut(holders(id)),
            UserFilter::Admins => Kept::Only(&self.admins),
            UserFilter::SignInBlocked => Kept::Only(&self.blocked),
        }
    }

    /// Calls `visit` with the position of each user the search term matches and the filter
    /// keeps, in order.
    fn each_found(&self, kept: Kept, term: &str, mut visit: impl FnMut(u32)) {
        let finder = memmem::Finder::new(term.as_bytes());
        let text = self.text.as_bytes();
        let mut from = 0;
        while let Some(found) = finder.find(&text[from..]) {
            let at = from + found;
            // The user whose text holds the match: the first whose text ends after it.
            let position = self.ends.partition_point(|&end| (end as usize) <= at);
            if kept.keeps(position as u32) {
                visit(position as u32);
            }
            from = self.ends[position] as usize + 1; // on to the next user
        }
    }

    /// The search term as the texts are compared: lower case, no separator, trimmed.
    fn term(search: &str) -> String {
        fold(search.trim()).replace(SEPARATOR, " ")
    }

    /// The users on the requested page of what the filter and search match, with the paging
    /// (the page clamped to the last one).
    pub fn page(
        &self,
        filter: UserFilter,
        search: &str,
        page: Option<i64>,
        size: Option<i64>,
    ) -> (Vec<Listed<'_>>, Paging) {
        let kept = self.kept(filter);
        let term = Self::term(search);
        if !term.is_empty() {
            let mut found = Vec::new();
            self.each_found(kept, &term, |p| found.push(p));
            let paging = Paging::new(page, size, found.len() as i64);
            return (self.users_at(found.iter().copied(), paging), paging);
        }
        let len = self.len();
        match kept {
            Kept::Every => {
                let paging = Paging::new(page, size, len as i64);
                (self.users_at(0..len as u32, paging), paging)
            }
            Kept::Only(list) => {
                let paging = Paging::new(page, size, list.len() as i64);
                (self.users_at(list.iter().copied(), paging), paging)
            }
            Kept::AllBut(left_out) => {
                let paging = Paging::new(page, size, (len - left_out.len()) as i64);
                let Some(first) = nth_outside(left_out, len, paging.offset() as usize) else {
                    return (Vec::new(), paging);
                };
                let rest = (first as u32..len as u32).filter(|p| left_out.binary_search(p).is_err());
                let users = rest.take(paging.size as usize).map(|p| self.listed(p)).collect();
                (users, paging)
            }
        }
    }

    /// The users of one page out of the kept positions, in order.
    fn users_at(&self, positions: impl Iterator<Item = u32>, paging: Paging) -> Vec<Listed<'_>> {
        positions
            .skip(paging.offset() as usize)
            .take(paging.size as usize)
            .map(|p| self.listed(p))
            .collect()
    }

    /// Every id the filter and search match, in list order ("select all N users that match").
    pub fn all(&self, filter: UserFilter, search: &str) -> Vec<i64> {
        let kept = self.kept(filter);
        let term = Self::term(search);
        let mut ids = Vec::new();
        if term.is_empty() {
            let every = (0..self.len() as u32).filter(|&p| kept.keeps(p));
            ids.extend(every.map(|p| self.users[p as usize].id));
        } else {
            self.each_found(kept, &term, |p| ids.push(self.users[p as usize].id));
        }
        ids
    }

    /// What it counts for against the cache's budget, which is in users (an empty directory
    /// counts as one).
    fn weight(&self) -> usize {
        self.len().max(1)
    }
}

/// Hands the memory freed after a build (the rows as read, about as much again as the
/// directory) back to the system, instead of keeping it in the allocator's arenas.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Recently used directories, up to a number of users in all (about 190 bytes each: 19 MB
/// for a customer of 100,000).
pub struct DirectoryCache {
    slots: Mutex<HashMap<i64, Slot>>,
    budget_users: usize,
    clock: AtomicU64,
}

#[derive(Default)]
struct Slot {
    directory: Option<Arc<Directory>>,
    /// Held while this customer's directory is being built, so concurrent page views wait for
    /// one build instead of each making their own (an async lock: waiting holds no thread).
    building: Arc<tokio::sync::Mutex<()>>,
    used: u64,
}

impl DirectoryCache {
    pub fn new(budget_users: usize) -> Self {
        DirectoryCache {
            slots: Mutex::new(HashMap::new()),
            budget_users,
            clock: AtomicU64::new(0),
        }
    }

    /// The customer's directory as of `stamp` (the numbers this request read), built anew when
    /// the cached one is older or missing. Views that arrive during a build wait for it without
    /// a thread or a pooled connection: only the build itself takes a connection.
    pub async fn get(&self, pool: &PgPool, customer_id: i64, stamp: &Stamp) -> Result<Arc<Directory>, AppError> {
        let building = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            let slot = slots.entry(customer_id).or_default();
            slot.used = self.clock.fetch_add(1, Ordering::Relaxed);
            match &slot.directory {
                Some(directory) if directory.stamp == *stamp => return Ok(directory.clone()),
                _ => slot.building.clone(),
            }
        };
        let _building = building.lock().await;
        if let Some(directory) = self.cached(customer_id).filter(|d| d.stamp == *stamp) {
            return Ok(directory); // built by the view this one waited for
        }
        let started = std::time::Instant::now();
        let directory = crate::db::run(pool, move |conn| {
            let directory = Directory::load(conn, customer_id)?;
            release_free_memory();
            Ok(Arc::new(directory))
        })
        .await?;
        self.keep(customer_id, directory.clone());
        tracing::debug!(
            customer_id,
            users = directory.len(),
            ms = started.elapsed().as_millis() as u64,
            "built the users directory"
        );
        Ok(directory)
    }

    fn cached(&self, customer_id: i64) -> Option<Arc<Directory>> {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.get(&customer_id).and_then(|slot| slot.directory.clone())
    }

    /// Stores a directory and drops the least recently used others beyond the budget.
    fn keep(&self, customer_id: i64, directory: Arc<Directory>) {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.entry(customer_id).or_default().directory = Some(directory);
        loop {
            let held: usize = slots
                .values()
                .filter_map(|s| s.directory.as_ref())
                .map(|d| d.weight())
                .sum();
            if held <= self.budget_users {
                break;
            }
            let oldest = slots
                .iter()
                .filter(|(id, slot)| **id != customer_id && slot.directory.is_some())
                .min_by_key(|(_, slot)| slot.used)
                .map(|(id, _)| *id);
            match oldest {
                Some(id) => {
                    slots.remove(&id);
                }
                None => break, // only this one is left: kept, however large
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, display_name: &str, user_name: &str) -> ListedUser {
        ListedUser {
            id,
            display_name: display_name.into(),
            user_name: user_name.into(),
            usage_location: Some("TW".into()),
            admin: false,
            sign_in_blocked: false,
            created_at: DateTime::UNIX_EPOCH,
            licenses: vec![],
        }
    }

    fn ids(users: Vec<Listed>) -> Vec<i64> {
        users.iter().map(|u| u.id).collect()
    }

    fn sample() -> Directory {
        let mut users = vec![
            user(1, "Amy Chen", "amy.chen@contoso.example"),
            user(2, "Ben Li", "ben@contoso.example"),
            user(3, "陳志明", "chihming.chen@contoso.example"),
            user(4, "Dora Smith", "dora@contoso.example"),
            user(5, "林淑芬", "shufen.lin@contoso.example"),
        ];
        users[1].admin = true;
        users[3].sign_in_blocked = true;
        users[0].licenses = vec![10, 20];
        users[2].licenses = vec![10];
        Directory::new(Stamp::new(1, vec![(20, 1), (10, 4)]), users, vec![])
    }

    #[test]
    fn pages_every_user_in_order() {
        let d = sample();
        let (users, paging) = d.page(UserFilter::All, "", None, None);
        assert_eq!(ids(users), vec![1, 2, 3, 4, 5]);
        assert_eq!(paging.total, 5);
    }

    #[test]
    fn searches_display_and_user_names_without_case() {
        let d = sample();
        assert_eq!(d.all(UserFilter::All, "CHEN"), vec![1, 3]);
        assert_eq!(d.all(UserFilter::All, "陳"), vec![3]);
        assert_eq!(d.all(UserFilter::All, " contoso.example "), vec![1, 2, 3, 4, 5]);
        assert_eq!(d.all(UserFilter::All, "nobody"), Vec::<i64>::new());
    }

    #[test]
    fn a_match_never_spans_two_users() {
        let d = sample();
        // "example" ends user 1's text and "ben" starts user 2's.
        assert_eq!(d.all(UserFilter::All, "example ben"), Vec::<i64>::new());
        assert_eq!(d.all(UserFilter::All, "example\nben"), Vec::<i64>::new());
    }

    #[test]
    fn counts_each_user_once_however_often_the_term_occurs() {
        let d = sample();
        // "chen" occurs twice in Amy's text.
        let (users, paging) = d.page(UserFilter::All, "chen", None, None);
        assert_eq!((ids(users), paging.total), (vec![1, 3], 2));
    }

    #[test]
    fn filters_combine_with_search() {
        let d = sample();
        assert_eq!(d.all(UserFilter::Licensed, ""), vec![1, 3]);
        assert_eq!(d.all(UserFilter::Unlicensed, ""), vec![2, 4, 5]);
        assert_eq!(d.all(UserFilter::HasProduct(20), ""), vec![1]);
        assert_eq!(d.all(UserFilter::LacksProduct(10), ""), vec![2, 4, 5]);
        assert_eq!(d.all(UserFilter::Admins, ""), vec![2]);
        assert_eq!(d.all(UserFilter::SignInBlocked, ""), vec![4]);
        assert_eq!(d.all(UserFilter::HasProduct(10), "chen"), vec![1, 3]);
        assert_eq!(d.all(UserFilter::Unlicensed, "contoso"), vec![2, 4, 5]);
    }

    #[test]
    fn pages_are_clamped_to_the_last_one() {
        let users: Vec<ListedUser> = (1..=60)
            .map(|i| ListedUser {
                admin: i % 2 == 0,
                ..user(i, "User", "user@contoso.example")
            })
            .collect();
        let d = Directory::new(Stamp::default(), users, vec![]);
        let (users, paging) = d.page(UserFilter::All, "", Some(3), Some(25));
        assert_eq!((users.len(), paging.page), (10, 3));
        let (users, paging) = d.page(UserFilter::All, "", Some(99), Some(25));
        assert_eq!((users.first().map(|u| u.id), paging.page), (Some(51), 3));
        let (users, paging) = d.page(UserFilter::Admins, "", Some(99), Some(25));
        assert_eq!(
            (ids(users), paging.page, paging.total),
            ((52..=60).step_by(2).collect(), 2, 30)
        );
    }

    #[test]
    fn finds_the_nth_position_outside_a_list() {
        let left_out = [0, 1, 4, 5, 6, 9];
        let kept: Vec<usize> = (0..10usize).filter(|p| !left_out.contains(&(*p as u32))).collect();
        assert_eq!(kept, vec![2, 3, 7, 8]);
        for (nth, position) in kept.iter().enumerate() {
            assert_eq!(nth_outside(&left_out, 10, nth), Some(*position));
        }
        assert_eq!(nth_outside(&left_out, 10, 4), None);
        assert_eq!(nth_outside(&[], 3, 2), Some(2));
        assert_eq!(nth_outside(&[0, 1, 2], 3, 0), None);
    }

    /// Every filter's pages, at every size, are the list of all matches cut into pages.
    #[test]
    fn pages_of_every_filter_agree_with_the_whole_list() {
        let names = ["Chen", "Lin", "Wang", "Smith"];
        let users: Vec<ListedUser> = (0..203)
            .map(|i: i64| ListedUser {
                admin: i % 7 == 0,
                sign_in_blocked: i % 11 == 0,
                licenses: match i % 5 {
                    0 => vec![],
                    1 => vec![10],
                    2 => vec![20],
                    _ => vec![10, 20],
                },
                ..user(1000 + i, names[(i % 4) as usize], "u@contoso.example")
            })
            .collect();
        let d = Directory::new(Stamp::default(), users, vec![]);
        let filters = [
            UserFilter::All,
            UserFilter::Licensed,
            UserFilter::Unlicensed,
            UserFilter::HasProduct(10),
            UserFilter::LacksProduct(10),
            UserFilter::HasProduct(99),
            UserFilter::LacksProduct(99),
            UserFilter::Admins,
            UserFilter::SignInBlocked,
        ];
        for filter in filters {
            for search in ["", "chen", "contoso"] {
                let all = d.all(filter, search);
                for size in [25, 50] {
                    let pages = all.len().div_ceil(size).max(1);
                    for page in 1..=pages {
                        let (users, paging) = d.page(filter, search, Some(page as i64), Some(size as i64));
                        let expected: Vec<i64> = all.iter().copied().skip((page - 1) * size).take(size).collect();
                        assert_eq!(ids(users), expected, "{filter:?} {search:?} page {page} of {size}");
                        assert_eq!(paging.total, all.len() as i64);
                    }
                }
            }
        }
        assert_eq!(d.all(UserFilter::Unlicensed, "").len(), 41);
        assert_eq!(d.all(UserFilter::HasProduct(10), "").len(), 41 + 80);
    }

    #[test]
    fn an_empty_directory_has_one_empty_page() {
        let d = Directory::new(Stamp::default(), Vec::new(), Vec::new());
        let (users, paging) = d.page(UserFilter::All, "", Some(5), None);
        assert!(users.is_empty());
        assert_eq!((paging.page, paging.total), (1, 0));
        assert!(d.all(UserFilter::All, "x").is_empty());
    }

    #[test]
    fn keeps_names_and_locations_as_given() {
        let mut users = vec![
            user(1, "陳志明", "chihming.chen@contoso.example"),
            user(2, "Ben", "ben@x.example"),
        ];
        users[1].usage_location = Some("JP".into());
        users.push(ListedUser {
            usage_location: None,
            ..user(3, "Cy", "cy@x.example")
        });
        let d = Directory::new(Stamp::default(), users, vec![]);
        let (shown, _) = d.page(UserFilter::All, "", None, None);
        let shown: Vec<_> = shown
            .iter()
            .map(|u| (u.display_name, u.user_name, u.usage_location))
            .collect();
        assert_eq!(
            shown,
            [
                ("陳志明", "chihming.chen@contoso.example", Some("TW")),
                ("Ben", "ben@x.example", Some("JP")),
                ("Cy", "cy@x.example", None)
            ]
        );
        assert_eq!(d.locations.len(), 2, "each location kept once");
        assert!(std::mem::size_of::<Entry>() <= 56);
    }

    #[test]
    fn counts_the_deleted_users_still_within_the_window() {
        let at = |days: i64| DateTime::UNIX_EPOCH + chrono::Duration::days(days);
        let d = Directory::new(Stamp::default(), vec![], vec![at(5), at(1), at(3), at(3)]);
        assert_eq!(d.deleted_since(at(0)), 4);
        assert_eq!(d.deleted_since(at(3)), 1); // deleted exactly at the cutoff: gone
        assert_eq!(d.deleted_since(at(5)), 0);
    }

    #[test]
    fn stamps_compare_whatever_order_the_subscriptions_came_in() {
        assert_eq!(Stamp::new(3, vec![(2, 1), (1, 5)]), Stamp::new(3, vec![(1, 5), (2, 1)]));
        assert_ne!(Stamp::new(3, vec![(1, 5)]), Stamp::new(3, vec![(1, 6)]));
        assert_ne!(Stamp::new(3, vec![(1, 5)]), Stamp::new(4, vec![(1, 5)]));
    }

    #[test]
    fn the_cache_keeps_recent_directories_within_its_budget() {
        let cache = DirectoryCache::new(8);
        let five = |n: i64| {
            Arc::new(Directory::new(
                Stamp::new(n, vec![]),
                (0..5).map(|i| user(i, "U", "u@x.example")),
                vec![],
            ))
        };
        cache.keep(1, five(1));
        cache.keep(2, five(2));
        // 10 users over a budget of 8: the least recently used (customer 1) goes.
        assert!(cache.cached(1).is_none());
        assert_eq!(cache.cached(2).map(|d| d.stamp().users), Some(2));
    }
}
