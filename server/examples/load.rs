//! The load harness: the chain's busy evening as scenarios, against one instance or a cluster
//! behind nginx (scripts/cluster.sh, benchmarks/scale.sh).
//!
//!   load <scenario> --base http://127.0.0.1:8080 --db <DATABASE_URL> [--seconds 20]
//!        [--clients 32] [--buyers 200] [--viewers 500] [--units 100] [--store 1]
//!
//! Scenarios (`all` runs them one after another):
//! - `shelf`: guests browsing — the home shelf of every store and category, product pages, the
//!   shelf API — from `clients` connections for `seconds`.
//! - `checkout`: `buyers` residents ordering one unit each of one hot product, again and again,
//!   paying from their wallets, for `seconds`.
//! - `group`: `buyers` households joining one group buy at once, each from its wallet.
//! - `live`: `viewers` open live rooms while the host pins, and `clients` residents comment
//!   (within the room's one-comment-per-3-s floor), for `seconds`.
//! - `flash`: 抢购 — `buyers` residents all ordering a live line of `units` within one second.
//! - `burst`: `buyers` residents all ordering one unit of a product with only `units` on the
//!   shelf within one second (the ordinary checkout).
//! - `owner` (not in `all`): what crosses stores, a third of `seconds` each from `clients`
//!   connections — residents' store finder from anywhere in the city, one store's day on the
//!   dashboard, the owner's chain-wide month.
//!
//! Each prints requests/s, p50/p99 and errors, then checks its invariants in the database: units
//! on orders = stock taken off the shelf (and never more than there was), the stock ledger sums
//! to what is on hand, every wallet equals its ledger, every viewer heard every pin and comment.
//! A broken invariant makes the exit status 1.
//!
//! Set-up goes through the database where the API would be slow and beside the point (buyers
//! are made like the demo resident and signed in through the API; stock is booked in through
//! inventory::apply with its ledger row; wallets are topped up with a ledger entry).
mod common;

use linli_app::server::Db;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use common::{ms, pct, signed_in};
use std::time::{Duration, Instant};

#[derive(Clone)]
struct Args {
    scenario: String,
    base: String,
    db: String,
    seconds: u64,
    clients: usize,
    buyers: usize,
    viewers: usize,
    units: i64,
    store: i64,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let scenario = it.next().ok_or("a scenario: shelf, checkout, group, live, flash, burst, owner or all")?;
    let mut a = Args { scenario, base: "http://127.0.0.1:8080".into(), db: String::new(), seconds: 20, clients: 32, buyers: 200, viewers: 500, units: 100, store: 1 };
    while let Some(flag) = it.next() {
        let v = it.next().ok_or(format!("{flag} needs a value"))?;
        let n = || v.parse::<u64>().map_err(|_| format!("{flag}: not a number: {v}"));
        match flag.as_str() {
            "--base" => a.base = v.trim_end_matches('/').to_string(),
            "--db" => a.db = v.clone(),
            "--seconds" => a.seconds = n()?,
            "--clients" => a.clients = n()? as usize,
            "--buyers" => a.buyers = n()? as usize,
            "--viewers" => a.viewers = n()? as usize,
            "--units" => a.units = n()? as i64,
            "--store" => a.store = n()? as i64,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if a.db.is_empty() {
        a.db = std::env::var("DATABASE_URL").map_err(|_| "--db or DATABASE_URL")?;
    }
    Ok(a)
}

#[tokio::main]
async fn main() {
    let a = args().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let db = Db::connect(&a.db, 8).await.expect("database");
    let h = Harness { a: a.clone(), db, buyers: Mutex::new(Vec::new()), broken: AtomicUsize::new(0) };
    let all = a.scenario == "all";
    let mut ran = false;
    for (name, wanted) in [("shelf", all), ("checkout", all), ("group", all), ("live", all), ("flash", all), ("burst", all), ("owner", false)] {
        if wanted || a.scenario == name {
            ran = true;
            match name {
                "shelf" => h.shelf().await,
                "checkout" => h.checkout().await,
                "group" => h.group().await,
                "live" => h.live().await,
                "flash" => h.flash().await,
                "burst" => h.burst().await,
                _ => h.owner().await,
            }
        }
    }
    if !ran {
        eprintln!("unknown scenario {}", a.scenario);
        std::process::exit(2);
    }
    let broken = h.broken.load(Ordering::SeqCst);
    if broken > 0 {
        eprintln!("{broken} invariant(s) broken");
        std::process::exit(1);
    }
}

struct Harness {
    a: Args,
    db: Db,
    /// Residents made and signed in so far (phone 136…), reused by the next scenario.
    buyers: Mutex<Vec<reqwest::Client>>,
    broken: AtomicUsize,
}

/// Answers of one scenario: each request's status (0: no answer) and time.
#[derive(Default)]
struct Tally {
    times: Vec<Duration>,
    statuses: std::collections::BTreeMap<u16, usize>,
}

impl Tally {
    fn add(&mut self, status: u16, took: Duration) {
        self.times.push(took);
        *self.statuses.entry(status).or_insert(0) += 1;
    }

    fn merge(&mut self, other: Tally) {
        self.times.extend(other.times);
        for (s, n) in other.statuses {
            *self.statuses.entry(s).or_insert(0) += n;
        }
    }

    fn count(&self, status: u16) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    /// One line: requests, rate over `over`, p50/p99/max, answers by status; `expected` are
    /// the statuses that are not errors.
    fn report(&mut self, label: &str, over: Duration, expected: &[u16]) -> usize {
        self.times.sort();
        let errors: usize = self.statuses.iter().filter(|(s, _)| !expected.contains(s)).map(|(_, n)| n).sum();
        println!(
            "{label}: {} requests in {:.1} s = {:.0} req/s; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; answers {:?}; errors {errors}",
            self.times.len(),
            over.as_secs_f64(),
            self.times.len() as f64 / over.as_secs_f64().max(0.001),
            ms(pct(&self.times, 50)),
            ms(pct(&self.times, 99)),
            ms(self.times.last().copied().unwrap_or_default()),
            self.statuses,
        );
        errors
    }
}

/// Where the machine's CPU went during a timed part: linli instances, PostgreSQL, nginx (from
/// /proc, every process whose command line names them), and this harness.
struct Cpu {
    started: Instant,
    ticks: [u64; 4],
}

const WATCHED: [&str; 3] = ["linli serve", "postgres:", "nginx: worker"];

fn cpu_ticks() -> [u64; 4] {
    let mut t = [0u64; 4];
    let me = std::process::id().to_string();
    let Ok(dir) = std::fs::read_dir("/proc") else { return t };
    for entry in dir.flatten() {
        let pid = entry.file_name().to_string_lossy().to_string();
        if !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).map(|c| String::from_utf8_lossy(&c).replace('\0', " ")).unwrap_or_default();
        let slot = if pid == me { Some(3) } else { WATCHED.iter().position(|w| cmd.contains(w)) };
        let Some(slot) = slot else { continue };
        // utime and stime: the 14th and 15th fields, after the parenthesised name.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
        let used = fields.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + fields.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        t[slot] += used;
    }
    t
}

impl Cpu {
    fn start() -> Cpu {
        Cpu { started: Instant::now(), ticks: cpu_ticks() }
    }

    /// The cores each used, and what one of the `requests` answered cost the server side
    /// (linli and PostgreSQL together): the figure that should not grow with the chain.
    fn report(&self, requests: usize) {
        let now = cpu_ticks();
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        // Linux counts in USER_HZ, 100 a second.
        let used = |i: usize| now[i].saturating_sub(self.ticks[i]) as f64 / 100.0;
        let cores = |i: usize| used(i) / secs;
        let per_request = (used(0) + used(1)) * 1000.0 / requests.max(1) as f64;
        println!(
            "  cpu: linli {:.2} cores, postgres {:.2}, nginx {:.2}, this harness {:.2}; {per_request:.2} ms of linli+postgres CPU per request",
            cores(0),
            cores(1),
            cores(2),
            cores(3)
        );
    }
}


/// A small deterministic generator (xorshift): the harness needs spread, not secrecy.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

async fn send(req: reqwest::RequestBuilder) -> (u16, Duration, Value) {
    let sent = Instant::now();
    match req.send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            let body = r.bytes().await.ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or(Value::Null);
            (status, sent.elapsed(), body)
        }
        Err(_) => (0, sent.elapsed(), Value::Null),
    }
}

fn tomorrow() -> String {
    let t = linli_app::shared::time::local_time(linli_app::shared::time::now_ms() + 24 * 3600 * 1000);
    linli_app::shared::time::iso_date(t.day)
}

fn pickup() -> Value {
    json!({"type": "pickup", "pickup_date": tomorrow(), "window": "17:00-18:00"})
}

impl Harness {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.a.base)
    }

    fn check(&self, what: &str, ok: bool, detail: String) {
        println!("  invariant: {what}: {} ({detail})", if ok { "holds" } else { "BROKEN" });
        if !ok {
            self.broken.fetch_add(1, Ordering::SeqCst);
        }
    }

    async fn one(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&self.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        n
    }

    async fn product(&self, skip: i64) -> (i64, i64) {
        sqlx::query_as("select id, price_fen from products where active = $1 and price_fen > 100 order by id limit 1 offset $2")
            .bind(true)
            .bind(skip)
            .fetch_one(&self.db.pool)
            .await
            .expect("a product")
    }

    /// Books `n` units in (进货) with their ledger row, as a delivery would.
    async fn receive(&self, product: i64, n: i64) {
        let mut conn = self.db.pool.acquire().await.expect("conn");
        let m = linli_app::inventory::Move {
            store_id: self.a.store,
            product_id: product,
            delta: n,
            reason: linli_app::inventory::model::StockReason::Receive,
            note: "load harness",
            by_user_id: None,
            order_id: None,
            sale_id: None,
        };
        linli_app::inventory::apply(&mut conn, &m).await.expect("receive").expect("received");
    }

    /// The stock ledger of (store, product) sums to what is on hand.
    async fn ledger_sums(&self, product: i64) {
        let (store, p) = (self.a.store, product);
        let on_hand = self.one(&format!("select on_hand from stock where store_id = {store} and product_id = {p}")).await;
        let ledger = self.one(&format!("select coalesce(sum(delta), 0) from stock_movements where store_id = {store} and product_id = {p}")).await;
        self.check("the stock ledger sums to what is on hand", ledger == on_hand, format!("ledger {ledger}, on hand {on_hand}"));
    }

    async fn wallets_match_ledgers(&self) {
        let bad = self.one("select count(*) from users u where u.wallet_fen <> coalesce((select sum(e.amount_fen) from wallet_entries e where e.user_id = u.id), 0)").await;
        let users = self.one("select count(*) from users").await;
        self.check("every wallet equals its ledger", bad == 0, format!("{bad} of {users} differ"));
    }

    /// `n` residents (136…, the demo resident's password), each with at least ¥1,000 in the
    /// wallet (a top-up in the ledger), signed in eight at a time.
    async fn buyers(&self, n: usize) -> Vec<reqwest::Client> {
        let have = self.buyers.lock().expect("buyers").len();
        for i in have..n {
            let phone = format!("136{i:08}");
            let mut tx = self.db.pool.begin().await.expect("tx");
            sqlx::query(
                "insert into users (phone, name, password_hash, created_at_ms) select $1, $2, password_hash, 0 from users u
                 where u.phone = '13800000001' and not exists (select 1 from users where phone = $1)",
            )
            .bind(&phone)
            .bind(format!("邻居{i}"))
            .execute(&mut *tx)
            .await
            .expect("buyer");
            sqlx::query(
                "insert into user_roles (user_id, role, store_id, created_at_ms) select id, 'resident', null, 0 from users u
                 where u.phone = $1 and not exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'resident')",
            )
            .bind(&phone)
            .execute(&mut *tx)
            .await
            .expect("role");
            sqlx::query(
                "insert into wallet_entries (user_id, amount_fen, balance_after_fen, kind, created_at_ms)
                 select id, 100000, wallet_fen + 100000, 'top_up', $2 from users where phone = $1 and wallet_fen < 100000",
            )
            .bind(&phone)
            .bind(linli_app::shared::time::now_ms())
            .execute(&mut *tx)
            .await
            .expect("top-up");
            sqlx::query("update users set wallet_fen = wallet_fen + 100000 where phone = $1 and wallet_fen < 100000").bind(&phone).execute(&mut *tx).await.expect("wallet");
            tx.commit().await.expect("commit");
        }
        let started = Instant::now();
        let made = common::sign_in_all(&self.a.base, (have..n).map(|i| format!("136{i:08}")).collect()).await;
        if !made.is_empty() {
            println!("  ({} residents signed in in {:.1} s)", made.len(), started.elapsed().as_secs_f64());
        }
        let mut all = self.buyers.lock().expect("buyers");
        all.extend(made);
        all[..n].to_vec()
    }

    async fn as_manager(&self) -> reqwest::Client {
        let (phone,): (String,) = sqlx::query_as("select u.phone from users u join user_roles r on r.user_id = u.id where r.role = 'manager' and r.store_id = $1 order by u.id limit 1")
            .bind(self.a.store)
            .fetch_one(&self.db.pool)
            .await
            .expect("the store's manager");
        signed_in(&self.a.base, &phone).await
    }

    // ---- shelf ----

    async fn shelf(&self) {
        println!("== shelf: {} guests' connections for {} s", self.a.clients, self.a.seconds);
        let products: Vec<(i64,)> = sqlx::query_as("select id from products where active = $1").bind(true).fetch_all(&self.db.pool).await.expect("products");
        let stores: Vec<(i64,)> = sqlx::query_as("select id from stores").fetch_all(&self.db.pool).await.expect("stores");
        let cats: Vec<(String,)> = sqlx::query_as("select slug from categories").fetch_all(&self.db.pool).await.expect("categories");
        let (products, stores, cats) = (Arc::new(products), Arc::new(stores), Arc::new(cats));
        let until = Instant::now() + Duration::from_secs(self.a.seconds);
        let started = Instant::now();
        let cpu = Cpu::start();
        let tasks: Vec<_> = (0..self.a.clients)
            .map(|c| {
                let (products, stores, cats, base) = (products.clone(), stores.clone(), cats.clone(), self.a.base.clone());
                tokio::spawn(async move {
                    // A guest: no cookie jar, the store chosen by its cookie as the page sets it.
                    let http = reqwest::Client::new();
                    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (c as u64 + 1));
                    let mut t = Tally::default();
                    while Instant::now() < until {
                        let store = stores[rng.below(stores.len())].0;
                        let path = match rng.below(10) {
                            0..=3 => "/".to_string(),
                            4..=5 => format!("/?category={}", cats[rng.below(cats.len())].0),
                            6..=8 => format!("/p/{}", products[rng.below(products.len())].0),
                            _ => format!("/api/v1/stores/{store}/products"),
                        };
                        let (s, took, _) = send(http.get(format!("{base}{path}")).header("cookie", format!("linli_store={store}")).header("accept-encoding", "br")).await;
                        t.add(s, took);
                    }
                    t
                })
            })
            .collect();
        let mut all = gather(tasks).await;
        let errors = all.report("shelf", started.elapsed(), &[200]);
        cpu.report(all.times.len());
        self.check("every page answered 200", errors == 0, format!("{errors} did not"));
    }

    // ---- owner: the queries that cross stores ----

    async fn owner(&self) {
        let stores: Vec<(i64, f64, f64)> = sqlx::query_as("select id, lat, lng from stores where active = $1").bind(true).fetch_all(&self.db.pool).await.expect("stores");
        println!("== owner: {} connections, {} s each: the store finder, a store's day, the chain's month ({} stores)", self.a.clients, self.a.seconds / 3, stores.len());
        let owner = signed_in(&self.a.base, "13900000000").await;
        let stores = Arc::new(stores);
        let phases: [(&str, fn(&mut Rng, &[(i64, f64, f64)]) -> String); 3] = [
            ("store finder", |rng, stores| {
                // Somewhere near a store, as a resident's phone would place them.
                let (_, lat, lng) = stores[rng.below(stores.len())];
                format!("/api/v1/stores?lat={:.5}&lng={:.5}", lat + (rng.below(200) as f64 - 100.0) * 1e-4, lng + (rng.below(200) as f64 - 100.0) * 1e-4)
            }),
            ("a store's day", |rng, stores| format!("/api/v1/insights?store_id={}&span=day", stores[rng.below(stores.len())].0)),
            ("the chain's month", |_, _| "/api/v1/insights?span=month".to_string()),
        ];
        for (c, (label, path)) in phases.into_iter().enumerate() {
            let until = Instant::now() + Duration::from_secs((self.a.seconds / 3).max(1));
            let started = Instant::now();
            let cpu = Cpu::start();
            let tasks: Vec<_> = (0..self.a.clients)
                .map(|k| {
                    let (stores, base, http) = (stores.clone(), self.a.base.clone(), owner.clone());
                    tokio::spawn(async move {
                        let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ ((c * 1000 + k) as u64 + 1));
                        let mut t = Tally::default();
                        while Instant::now() < until {
                            let (s, took, _) = send(http.get(format!("{base}{}", path(&mut rng, &stores)))).await;
                            t.add(s, took);
                        }
                        t
                    })
                })
                .collect();
            let mut all = gather(tasks).await;
            let errors = all.report(label, started.elapsed(), &[200]);
            cpu.report(all.times.len());
            self.check(&format!("{label}: every answer 200"), errors == 0, format!("{errors} did not"));
        }
    }

    // ---- checkout ----

    async fn checkout(&self) {
        let buyers = self.buyers(self.a.buyers).await;
        let (product, _) = self.product(0).await;
        let store = self.a.store;
        println!("== checkout: {} residents ordering product {product} at store {store}, wallet, for {} s", buyers.len(), self.a.seconds);
        self.receive(product, 1_000_000).await;
        let units_sql = format!("select coalesce(sum(i.qty), 0) from order_items i join orders o on o.id = i.order_id where i.product_id = {product} and o.store_id = {store}");
        let reserved_sql = format!("select reserved from stock where store_id = {store} and product_id = {product}");
        let (units_before, reserved_before) = (self.one(&units_sql).await, self.one(&reserved_sql).await);
        let run = linli_app::shared::time::now_ms();
        let until = Instant::now() + Duration::from_secs(self.a.seconds);
        let started = Instant::now();
        let cpu = Cpu::start();
        let tasks: Vec<_> = buyers
            .into_iter()
            .enumerate()
            .map(|(b, c)| {
                let url = self.url("/api/v1/orders");
                let body = json!({"store_id": store, "items": [{"product_id": product, "qty": 1}], "fulfillment": pickup(), "payment": "wallet"});
                tokio::spawn(async move {
                    let mut t = Tally::default();
                    let mut n = 0;
                    while Instant::now() < until {
                        n += 1;
                        let (s, took, _) = send(c.post(&url).header("idempotency-key", format!("load-{run}-{b}-{n}")).json(&body)).await;
                        t.add(s, took);
                    }
                    t
                })
            })
            .collect();
        let mut all = gather(tasks).await;
        let errors = all.report("checkout", started.elapsed(), &[201]);
        cpu.report(all.times.len());
        let units = self.one(&units_sql).await - units_before;
        let reserved = self.one(&reserved_sql).await - reserved_before;
        let created = all.count(201) as i64;
        self.check("units on new orders = units taken off the shelf = orders answered 201", units == reserved && units == created, format!("{units} on orders, {reserved} reserved, {created} answered 201; {errors} errors"));
        self.ledger_sums(product).await;
        self.wallets_match_ledgers().await;
    }

    // ---- group buy ----

    async fn group(&self) {
        let buyers = self.buyers(self.a.buyers).await;
        let (product, price) = self.product(1).await;
        let manager = self.as_manager().await;
        let deadline = linli_app::shared::time::now_ms() + 86_400_000;
        let cap = (buyers.len() as i64 * 3 / 4).max(1);
        let body = json!({
            "store_id": self.a.store, "product_id": product, "price_fen": price - 50, "min_households": 2,
            "max_units": cap, "per_household_limit": 1,
            "deadline": linli_app::shared::time::local_input(deadline),
            "pickup_date": linli_app::shared::time::iso_date(linli_app::shared::time::local_time(deadline).day + 1),
            "title": "压测团购", "story": "负载测试"
        });
        let (s, _, g) = send(manager.post(self.url("/api/v1/group-buys")).json(&body)).await;
        assert_eq!(s, 201, "campaign: {g}");
        let id = g["id"].as_i64().expect("campaign id");
        println!("== group: {} households joining campaign {id} (capped at {cap} units) at once, wallet", buyers.len());
        let url = self.url(&format!("/api/v1/group-buys/{id}/join"));
        let (mut all, over) = arriving_within(Duration::ZERO, buyers, url, &format!("load-join-{id}"), json!({"qty": 1, "payment": "wallet"})).await;
        let errors = all.report("group joins", over, &[201, 409]);
        let (sold, households): (i64, i64) = sqlx::query_as("select units_sold, households from group_buys where id = $1").bind(id).fetch_one(&self.db.pool).await.expect("campaign");
        let orders = self.one(&format!("select count(*) from orders where group_buy_id = {id}")).await;
        let joined = all.count(201) as i64;
        self.check(
            "joins answered 201 = units sold = households = orders, never above the cap",
            joined == sold && sold == households && sold == orders && sold <= cap,
            format!("{joined} joined, {sold} units, {households} households, {orders} orders, cap {cap}; {errors} errors"),
        );
        self.wallets_match_ledgers().await;
    }

    // ---- live room ----

    /// A live session at the store, started, selling `units` of each (product, price) at half
    /// price, one each (the units booked in first).
    async fn live_session(&self, manager: &reqwest::Client, line_up: &[(i64, i64)], units: i64) -> i64 {
        let mut items = Vec::new();
        for (product, price) in line_up {
            self.receive(*product, units).await;
            items.push(json!({"product_id": product, "live_price_fen": (price / 2).max(1), "stock": units, "per_user_limit": 1}));
        }
        let starts = linli_app::shared::time::rfc3339(linli_app::shared::time::now_ms() + 600_000);
        let body = json!({"store_id": self.a.store, "title": "压测直播", "starts_at": starts, "items": items});
        let (s, _, v) = send(manager.post(self.url("/api/v1/live-sessions")).json(&body)).await;
        assert_eq!(s, 201, "session: {v}");
        let id = v["id"].as_i64().expect("session id");
        let (s, _, v) = send(manager.post(self.url(&format!("/api/v1/live-sessions/{id}/start"))).json(&json!({}))).await;
        assert_eq!(s, 200, "start: {v}");
        id
    }

    async fn live(&self) {
        let commenters = self.buyers(self.a.clients.min(self.a.buyers.max(1))).await;
        let manager = self.as_manager().await;
        let line_up = [self.product(2).await, self.product(4).await];
        let id = self.live_session(&manager, &line_up, 10).await;
        println!("== live: {} viewers in room {id}, the host pinning every 2 s, {} residents commenting every 3.5 s, for {} s", self.a.viewers, commenters.len(), self.a.seconds);
        // The viewers: each holds the room's stream and counts what it hears.
        let heard_pins = Arc::new(Mutex::new(Vec::<Vec<Instant>>::new()));
        let comments_heard = Arc::new(AtomicUsize::new(0));
        let opened = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let viewers: Vec<_> = (0..self.a.viewers)
            .map(|_| {
                let (url, heard_pins, comments_heard, opened, mut stopped) = (self.url(&format!("/api/v1/live-sessions/{id}/events")), heard_pins.clone(), comments_heard.clone(), opened.clone(), stopped.clone());
                tokio::spawn(async move {
                    let http = reqwest::Client::new();
                    let Ok(mut res) = http.get(url).send().await else { return false };
                    if res.status() != 200 {
                        return false;
                    }
                    opened.fetch_add(1, Ordering::SeqCst);
                    let (mut buf, mut pins, mut first) = (String::new(), Vec::new(), true);
                    // Held to the end: a stream the server ends or cuts early counts as cut off.
                    let mut whole = false;
                    loop {
                        tokio::select! {
                            chunk = res.chunk() => match chunk {
                                Ok(Some(c)) => buf.push_str(&String::from_utf8_lossy(&c)),
                                _ => break,
                            },
                            _ = stopped.wait_for(|s| *s) => {
                                whole = true;
                                break;
                            }
                        }
                        while let Some(end) = buf.find("\n\n") {
                            let block: String = buf.drain(..end + 2).collect();
                            if block.contains("event: state") {
                                // The first state is the room as it was; each later one a pin.
                                if !first {
                                    pins.push(Instant::now());
                                }
                                first = false;
                            } else if block.contains("event: comment") {
                                comments_heard.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                    heard_pins.lock().expect("pins").push(pins);
                    whole
                })
            })
            .collect();
        // All in the room before the show starts.
        let wait = Instant::now();
        while opened.load(Ordering::SeqCst) < self.a.viewers && wait.elapsed() < Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let in_room = opened.load(Ordering::SeqCst);
        let started = Instant::now();
        let cpu = Cpu::start();
        let until = started + Duration::from_secs(self.a.seconds);
        let talkers: Vec<_> = commenters
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let url = self.url(&format!("/api/v1/live-sessions/{id}/comments"));
                tokio::spawn(async move {
                    // Spread over the first 3.5 s, then one every 3.5 s each.
                    tokio::time::sleep(Duration::from_millis(3500 * i as u64 / 64 % 3500)).await;
                    let mut t = Tally::default();
                    let mut n = 0;
                    while Instant::now() < until {
                        n += 1;
                        let (s, took, _) = send(c.post(&url).json(&json!({"text": format!("第{n}次问：还有货吗")}))).await;
                        t.add(s, took);
                        tokio::time::sleep(Duration::from_millis(3500)).await;
                    }
                    t
                })
            })
            .collect();
        let mut pins_sent = Vec::new();
        let mut host = Tally::default();
        let pin_url = self.url(&format!("/api/v1/live-sessions/{id}/pin"));
        while Instant::now() < until {
            // One line, then the other: each pin is a change every viewer must hear.
            let body = json!({"product_id": line_up[pins_sent.len() % 2].0});
            let sent = Instant::now();
            let (s, took, _) = send(manager.post(&pin_url).json(&body)).await;
            host.add(s, took);
            if s == 200 {
                pins_sent.push(sent);
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        let mut comments = gather(talkers).await;
        cpu.report(comments.times.len() + host.times.len());
        // Let the last events arrive, then close the rooms.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let _ = stop.send(true);
        let mut closed_early = 0;
        for v in viewers {
            closed_early += usize::from(!v.await.unwrap_or(false));
        }
        let over = Duration::from_secs(self.a.seconds);
        host.report("host's pins", over, &[200]);
        let comment_errors = comments.report("comments", over, &[201, 429]);
        let heard = heard_pins.lock().expect("pins").clone();
        let mut delays: Vec<Duration> = Vec::new();
        let mut complete = 0;
        for pins in &heard {
            if pins.len() == pins_sent.len() {
                complete += 1;
            }
            for (got, sent) in pins.iter().zip(&pins_sent) {
                delays.push(got.saturating_duration_since(*sent));
            }
        }
        delays.sort();
        println!(
            "pins reaching the rooms: {} pins × {in_room} rooms, {} heard; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            pins_sent.len(),
            delays.len(),
            ms(pct(&delays, 50)),
            ms(pct(&delays, 99)),
            ms(delays.last().copied().unwrap_or_default())
        );
        let posted = comments.count(201);
        let expect_comments = posted * in_room;
        let got_comments = comments_heard.load(Ordering::SeqCst);
        self.check("every viewer got into the room", in_room == self.a.viewers && closed_early == 0, format!("{in_room} of {} opened, {closed_early} cut off", self.a.viewers));
        self.check("every room heard every pin, once", complete == heard.len() && delays.len() == pins_sent.len() * heard.len(), format!("{complete} of {} rooms complete", heard.len()));
        self.check("every room heard every comment posted", got_comments == expect_comments, format!("{got_comments} heard of {posted} × {in_room} = {expect_comments}; {comment_errors} comment errors"));
        let (s, _, _) = send(manager.post(self.url(&format!("/api/v1/live-sessions/{id}/end"))).json(&json!({}))).await;
        if s != 200 {
            println!("  (ending the session answered {s})");
        }
    }

    // ---- 抢购 ----

    async fn flash(&self) {
        let buyers = self.buyers(self.a.buyers).await;
        let manager = self.as_manager().await;
        let (product, price) = self.product(3).await;
        let units = self.a.units;
        let id = self.live_session(&manager, &[(product, price)], units).await;
        println!("== flash: {} residents ordering one of {units} live units in room {id} within 1 s, wallet", buyers.len());
        let reserved_sql = format!("select reserved from stock where store_id = {} and product_id = {product}", self.a.store);
        let reserved_before = self.one(&reserved_sql).await;
        let n = buyers.len();
        let body = json!({"product_id": product, "qty": 1, "payment": "wallet", "fulfillment": pickup()});
        let (mut all, over) = arriving_within(Duration::from_secs(1), buyers, self.url(&format!("/api/v1/live-sessions/{id}/orders")), &format!("load-flash-{id}"), body).await;
        let errors = all.report("flash orders", over, &[201, 409]);
        let bought = all.count(201) as i64;
        let orders = self.one(&format!("select count(*) from orders where live_session_id = {id}")).await;
        let lines = self.one(&format!("select coalesce(sum(i.qty), 0) from order_items i join orders o on o.id = i.order_id where o.live_session_id = {id}")).await;
        let sold = self.one(&format!("select coalesce(sum(sold), 0) from live_items where session_id = {id}")).await;
        self.check(
            "exactly the live units sold: answered 201 = orders = units on them = sold on the line = units",
            bought == orders && orders == lines && lines == sold && sold == units.min(n as i64),
            format!("{bought} answered 201, {orders} orders, {lines} units, {sold} sold of {units}; {errors} errors"),
        );
        let held = self.one(&reserved_sql).await - reserved_before;
        self.check("the units sold are held for their orders until hand-over", held == sold, format!("{held} held, {sold} sold"));
        self.ledger_sums(product).await;
        self.wallets_match_ledgers().await;
        let _ = send(manager.post(self.url(&format!("/api/v1/live-sessions/{id}/end"))).json(&json!({}))).await;
    }

    // ---- the burst ----

    async fn burst(&self) {
        let buyers = self.buyers(self.a.buyers).await;
        let (product, _) = self.product(5).await;
        let (store, units, n) = (self.a.store, self.a.units, buyers.len());
        println!("== burst: {n} residents ordering one each of product {product} with {units} on the shelf, within 1 s, wallet");
        self.receive(product, 1).await;
        // Exactly `units` free on the shelf, set by booking the difference in (or out) with its ledger row.
        let free = self.one(&format!("select on_hand - reserved from stock where store_id = {store} and product_id = {product}")).await;
        if free != units {
            let mut conn = self.db.pool.acquire().await.expect("conn");
            let reason = if units > free { linli_app::inventory::model::StockReason::Receive } else { linli_app::inventory::model::StockReason::Loss };
            let m = linli_app::inventory::Move { store_id: store, product_id: product, delta: units - free, reason, note: "load harness", by_user_id: None, order_id: None, sale_id: None };
            linli_app::inventory::apply(&mut conn, &m).await.expect("stock").expect("stock set");
        }
        let reserved_sql = format!("select reserved from stock where store_id = {store} and product_id = {product}");
        let reserved_before = self.one(&reserved_sql).await;
        let run = linli_app::shared::time::now_ms();
        let body = json!({"store_id": store, "items": [{"product_id": product, "qty": 1}], "fulfillment": pickup(), "payment": "wallet"});
        let (mut all, over) = arriving_within(Duration::from_secs(1), buyers, self.url("/api/v1/orders"), &format!("load-burst-{run}"), body).await;
        let errors = all.report("burst orders", over, &[201, 409]);
        let created = all.count(201) as i64;
        let held = self.one(&reserved_sql).await - reserved_before;
        let free_now = self.one(&format!("select on_hand - reserved from stock where store_id = {store} and product_id = {product}")).await;
        self.check(
            "exactly the stock sold: answered 201 = units held = units, none left",
            created == held && held == units.min(n as i64) && free_now == units - held,
            format!("{created} answered 201, {held} held, {units} were free, {free_now} free now; {errors} errors"),
        );
        self.ledger_sums(product).await;
        self.wallets_match_ledgers().await;
    }
}

/// The tallies of the scenario's tasks as one.
async fn gather(tasks: Vec<tokio::task::JoinHandle<Tally>>) -> Tally {
    let mut all = Tally::default();
    for t in tasks {
        all.merge(t.await.expect("task"));
    }
    all
}

/// Each buyer posts `body` to `url` once, the arrivals spread evenly over `window` (zero: all
/// at once); the answers and the time from the first request to the last answer.
async fn arriving_within(window: Duration, buyers: Vec<reqwest::Client>, url: String, key: &str, body: Value) -> (Tally, Duration) {
    let started = Instant::now();
    let cpu = Cpu::start();
    let n = buyers.len().max(1);
    let tasks: Vec<_> = buyers
        .into_iter()
        .enumerate()
        .map(|(b, c)| {
            let (url, body, key) = (url.clone(), body.clone(), format!("{key}-{b}"));
            let at = started + window.mul_f64(b as f64 / n as f64);
            tokio::spawn(async move {
                tokio::time::sleep_until(at.into()).await;
                send(c.post(url).header("idempotency-key", key).json(&body)).await
            })
        })
        .collect();
    let mut all = Tally::default();
    for t in tasks {
        let (s, took, _) = t.await.expect("task");
        all.add(s, took);
    }
    let over = started.elapsed();
    cpu.report(all.times.len());
    (all, over)
}
