//! `linli seed-history --days 365 --orders N`: a realistic past for the demo chain, for the
//! owner's dashboard, the order-list forecast and the insights benchmark. Residents register
//! and join their store's group over the year; orders follow a weekly pattern (weekends busier),
//! holidays (春节 quiet, 国庆 and 双十一 busy) and a slow growth; group buys every few days
//! (most 成团), two live sessions a week per store, the till beside them, 晚市特惠 in the
//! evening, a morning delivery with its purchase cost, 日清 at closing, wallet top-ups.
//!
//! With `--stores N` the chain first grows to N stores (each a copy of a demo store, on a grid
//! over the city, with its opening stock, its manager and clerk, and its 小区), which is how the
//! scale-out simulation gets 50, 100 or 200 stores with a year behind them.
//!
//! The books balance, as the app's own writes keep them: every delivery, sale and 日清 is a
//! stock-ledger row and the shelf ends where the ledger sums; every top-up is a wallet entry
//! and each wallet ends at its last balance.
//!
//! Deterministic (a fixed seed): two runs of the same size give the same history. Rows are
//! written many per statement, a day per transaction, and each store's days are rolled up at
//! the end (the dashboard's job would get there too, a few months a minute).
use linli_app::server::db::{insert_rows, Backend, Cell};
use linli_app::server::Db;
use linli_app::shared::time::{iso_date, local_time, now_ms, weekday, STORE_UTC_OFFSET_MS};
use crate::demo::{OPENING_NOTE, STORE_COUNT};
use std::collections::BTreeMap;

const DAY_MS: i64 = 86_400_000;

/// SplitMix64: small, fast and good enough for made-up shoppers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n
    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n.max(1) as u64) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() as f64 / u64::MAX as f64) < p
    }
}

/// How busy a day is compared with an ordinary weekday.
pub fn day_factor(day: i64, first: i64, last: i64) -> f64 {
    let week = [0.9, 0.85, 0.9, 0.95, 1.1, 1.35, 1.3][weekday(day) as usize];
    let iso = iso_date(day);
    let md = &iso[5..];
    let holiday = if ("02-15".."02-24").contains(&md) {
        0.55 // 春节: many go home
    } else if ("10-01".."10-08").contains(&md) || md == "11-11" || md == "12-31" {
        1.4
    } else {
        1.0
    };
    // The shop grows over the period: the first day sells 70% of the last.
    let growth = if last > first { 0.7 + 0.3 * (day - first) as f64 / (last - first) as f64 } else { 1.0 };
    week * holiday * growth
}

struct Product {
    id: i64,
    price: i64,
    /// Popularity weight.
    weight: i64,
}

/// What was written.
#[derive(Debug, Default)]
pub struct Seeded {
    pub stores: i64,
    pub residents: i64,
    pub orders: i64,
    pub till_sales: i64,
    pub group_buys: i64,
    pub live_sessions: i64,
}

/// Writes `days` days of history ending yesterday, about `orders` online orders in all.
pub async fn seed(db: &Db, days: i64, orders: i64, grow_to: Option<i64>) -> Result<Seeded, Box<dyn std::error::Error + Send + Sync>> {
    let pool = &db.pool;
    let (chain,): (i64,) = sqlx::query_as("select id from chains order by id limit 1").fetch_one(pool).await?;
    let (older,): (i64,) = sqlx::query_as("select count(*) from orders where created_at_ms < $1").bind(now_ms() - 2 * DAY_MS).fetch_one(pool).await?;
    if older > 0 {
        return Err("history is there already (orders older than two days): seed a fresh database".into());
    }
    if let Some(n) = grow_to {
        grow_chain(db, chain, n).await?;
    }
    let stores: Vec<(i64,)> = sqlx::query_as("select id from stores where active = $1 order by id").bind(true).fetch_all(pool).await?;
    let stores: Vec<i64> = stores.into_iter().map(|(id,)| id).collect();
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "select p.id, p.price_fen from products p join categories c on c.id = p.category_id where p.active = $1 and c.slug <> 'bundles' order by p.id",
    )
    .bind(true)
    .fetch_all(pool)
    .await?;
    let mut rng = Rng(0x11_27_20_26);
    // Zipf-like popularity: a few products sell most.
    let products: Vec<Product> = rows.iter().enumerate().map(|(i, (id, price))| Product { id: *id, price: *price, weight: 1000 / (i as i64 % 17 + 1) }).collect();
    let total_weight: i64 = products.iter().map(|p| p.weight).sum();
    let (owner,): (i64,) = sqlx::query_as("select user_id from user_roles where role = 'owner' order by id limit 1").fetch_one(pool).await?;
    let (hash,): (String,) = sqlx::query_as("select password_hash from users where id = $1").bind(owner).fetch_one(pool).await?;
    let next_id = |table: &'static str| async move {
        let (id,): (i64,) = sqlx::query_as(&format!("select coalesce(max(id), 0) + 1 from {table}")).fetch_one(pool).await?;
        Ok::<i64, sqlx::Error>(id)
    };
    let (user_id, mut order_id, mut sale_id, mut gb_id, mut live_id, mut move_id, mut wallet_id, mut role_id) = (
        next_id("users").await?,
        next_id("orders").await?,
        next_id("counter_sales").await?,
        next_id("group_buys").await?,
        next_id("live_sessions").await?,
        next_id("stock_movements").await?,
        next_id("wallet_entries").await?,
        next_id("user_roles").await?,
    );

    let today = local_time(now_ms()).day;
    let (first, last) = (today - days, today - 1);
    // The shelves as the demo opened them: their 开业备货 moves to the eve of the history, so
    // the ledger reads in order, and every day's deliveries and sales go on from there.
    sqlx::query("update stock_movements set created_at_ms = $1 where reason = 'receive' and note = $2")
        .bind(first * DAY_MS - STORE_UTC_OFFSET_MS - 3_600_000)
        .bind(OPENING_NOTE)
        .execute(pool)
        .await?;
    let shelf: Vec<(i64, i64, i64)> = sqlx::query_as("select store_id, product_id, on_hand from stock").fetch_all(pool).await?;
    let mut on_hand: BTreeMap<(i64, i64), i64> = shelf.into_iter().map(|(s, p, n)| ((s, p), n)).collect();
    let mut balances: BTreeMap<i64, i64> = BTreeMap::new(); // resident → wallet
    let factors: Vec<f64> = (first..=last).map(|d| day_factor(d, first, last)).collect();
    let factor_sum: f64 = factors.iter().sum();
    let mut seeded = Seeded { stores: stores.len() as i64, ..Seeded::default() };
    // Residents: one per ~40 orders of the period, half of them from its start.
    let n_residents = (orders / 40).max(30);
    let mut residents: Vec<(i64, i64)> = Vec::new(); // (user, home store)
    let mut joins: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new(); // day → (user, store)
    for i in 0..n_residents {
        let day = if i < n_residents / 2 { first } else { first + rng.below(days) };
        joins.entry(day).or_default().push((user_id + i, stores[rng.below(stores.len() as i64) as usize]));
    }
    let mut carry = 0.0;
    let mut campaign: Option<(i64, i64, bool, i64)> = None; // (id, product, succeeded, open until day)
    for (k, day) in (first..=last).enumerate() {
        let start = day * DAY_MS - STORE_UTC_OFFSET_MS;
        let hour = |h: i64, rng: &mut Rng| start + h * 3_600_000 + rng.below(3_600_000);
        let mut tx = db.begin_write().await?;
        let (mut users, mut roles, mut members, mut wallet) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (uid, store) in joins.remove(&day).unwrap_or_default() {
            let t = hour(8 + rng.below(12), &mut rng);
            users.push(vec![Cell::Int(uid), Cell::Text(format!("136{:08}", uid % 100_000_000)), Cell::Text(format!("邻居{uid}")), Cell::Text(hash.clone()), Cell::Int(store), Cell::Int(t)]);
            roles.push(vec![Cell::Int(role_id), Cell::Int(uid), Cell::Text("resident".into()), Cell::Null, Cell::Int(t)]);
            role_id += 1;
            if rng.chance(0.6) {
                members.push(vec![Cell::Int(store), Cell::Int(uid), Cell::Text(format!("邻居{}", uid % 1000)), Cell::Text("嘉绿苑".into()), Cell::Int(t), Cell::Int(t)]);
            }
            residents.push((uid, store));
            seeded.residents += 1;
        }

        let conn: &mut sqlx::AnyConnection = &mut tx;
        insert_rows(&mut *conn, "users", &["id", "phone", "name", "password_hash", "home_store_id", "created_at_ms"], &users).await?;
        insert_rows(&mut *conn, "user_roles", &["id", "user_id", "role", "store_id", "created_at_ms"], &roles).await?;
        insert_rows(&mut *conn, "community_members", &["store_id", "user_id", "display_name", "estate", "joined_at_ms", "last_active_ms"], &members).await?;
        if residents.is_empty() {
            tx.commit().await?;
            continue;
        }

        // A chain-wide group buy every third day, decided two days later.
        let mut group_rows = Vec::new();
        if k % 3 == 0 && day + 2 <= last {
            let p = &products[rng.below(products.len() as i64) as usize];
            let ok = rng.chance(0.8);
            let households = if ok { 50 + rng.below(70) } else { 10 + rng.below(35) };
            let decided = start + 2 * DAY_MS + 20 * 3_600_000;
            group_rows.push(vec![
                Cell::Int(gb_id), Cell::Int(chain), Cell::Int(p.id), Cell::Text(format!("团购第{}期", seeded.group_buys + 1)), Cell::Int(p.price * 8 / 10), Cell::Int(p.price),
                Cell::Int(50), Cell::Int(5), Cell::Int(decided), Cell::Text(iso_date(day + 3)), Cell::Text(if ok { "succeeded" } else { "failed" }.into()),
                Cell::Int(households), Cell::Int(households), Cell::Int(owner), Cell::Int(start), Cell::Int(decided), Cell::Int(decided),
            ]);
            campaign = Some((gb_id, p.id, ok, day + 2));
            gb_id += 1;
            seeded.group_buys += 1;
        }
        insert_rows(
            &mut *conn,
            "group_buys",
            &["id", "chain_id", "product_id", "title", "price_fen", "normal_price_fen", "min_households", "per_household_limit", "deadline_ms", "pickup_date", "status", "households", "units_sold", "created_by", "created_at_ms", "updated_at_ms", "decided_at_ms"],
            &group_rows,
        )
        .await?;
        if let Some(g) = group_rows.first().and_then(|r| match r[0] { Cell::Int(id) => Some(id), _ => None }) {
            let gs: Vec<Vec<Cell>> = stores.iter().map(|s| vec![Cell::Int(g), Cell::Int(*s)]).collect();
            insert_rows(&mut *conn, "group_buy_stores", &["group_buy_id", "store_id"], &gs).await?;
        }
        // Live sessions: Tuesday and Friday at 20:00 in every store.
        let mut live_today: BTreeMap<i64, i64> = BTreeMap::new();
        if matches!(weekday(day), 1 | 4) {
            let mut rows = Vec::new();
            for s in &stores {
                let t = start + 20 * 3_600_000;
                rows.push(vec![
                    Cell::Int(live_id), Cell::Int(*s), Cell::Text(format!("{}晚间直播", &iso_date(day)[5..])), Cell::Int(t), Cell::Text("ended".into()),
                    Cell::Int(30 + rng.below(250)), Cell::Int(t), Cell::Int(t + 5_400_000), Cell::Int(owner), Cell::Int(t - DAY_MS),
                ]);
                live_today.insert(*s, live_id);
                live_id += 1;
                seeded.live_sessions += 1;
            }
            insert_rows(&mut *conn, "live_sessions", &["id", "store_id", "title", "starts_at_ms", "status", "viewers_peak", "started_at_ms", "ended_at_ms", "created_by", "created_at_ms"], &rows).await?;
        }

        // Online orders.
        carry += orders as f64 * factors[k] / factor_sum;
        let n = carry.floor() as i64;
        carry -= n as f64;
        let (mut order_rows, mut item_rows) = (Vec::new(), Vec::new());
        let mut sold: BTreeMap<(i64, i64), (i64, i64)> = BTreeMap::new(); // (store, product) → (online, till) units
        for _ in 0..n {
            let (user, home) = residents[rng.below(residents.len() as i64) as usize];
            let store = if rng.chance(0.85) { home } else { stores[rng.below(stores.len() as i64) as usize] };
            let evening = rng.chance(0.35);
            let t = if evening { hour(18 + rng.below(3), &mut rng) } else { hour(8 + rng.below(10), &mut rng) };
            let channel = rng.below(100);
            let (group, live) = match (channel, campaign, live_today.get(&store)) {
                (0..=9, Some((g, _, _, until)), _) if day <= until => (Some(g), None),
                (10..=19, _, Some(l)) if evening => (None, Some(*l)),
                _ => (None, None),
            };
            let pickup = rng.chance(0.65);
            let status = match (group, rng.below(100)) {
                (Some(_), _) if campaign.is_some_and(|c| !c.2) => "cancelled",
                (_, 0..=2) => "cancelled",
                (_, 3..=6) if pickup => "no_show",
                _ => "completed",
            };
            let mut lines: BTreeMap<i64, (i64, i64, Option<i64>)> = BTreeMap::new();
            if let Some((_, p, _, _)) = group.and(campaign) {
                let price = products.iter().find(|x| x.id == p).map_or(1000, |x| x.price * 8 / 10);
                lines.insert(p, (1 + rng.below(3), price, None));
            } else {
                for _ in 0..1 + rng.below(4) {
                    let mut w = rng.below(total_weight);
                    let p = products.iter().find(|p| {
                        w -= p.weight;
                        w < 0
                    });
                    let Some(p) = p else { continue };
                    // After 19:00 a third of the evening's fresh goods sell at 8折.
                    let marked = evening && t >= start + 19 * 3_600_000 && rng.chance(0.33);
                    let price = if marked { p.price * 8 / 10 } else { p.price };
                    lines.insert(p.id, (1 + rng.below(3), price, marked.then_some(p.price)));
                }
            }
            if lines.is_empty() {
                continue;
            }
            let goods: i64 = lines.values().map(|(q, p, _)| q * p).sum();
            let fee = if pickup { 0 } else { 300 + 200 * rng.below(2) };
            for (p, (q, price, regular)) in &lines {
                item_rows.push(vec![Cell::Int(order_id), Cell::Int(*p), Cell::Text(String::new()), Cell::Text(String::new()), Cell::Int(*price), Cell::Int(*q), regular.map_or(Cell::Null, Cell::Int)]);
                if status == "completed" {
                    sold.entry((store, *p)).or_default().0 += q;
                }
            }
            order_rows.push(vec![
                Cell::Int(order_id), Cell::Text(linli_app::shared::time::day_serial(day, order_id)), Cell::Int(store), Cell::Int(user), Cell::Text(status.into()),
                Cell::Text(if pickup { "pickup" } else { "delivery" }.into()), Cell::Text(iso_date(day)), Cell::Text("on_pickup".into()), Cell::Int(goods), Cell::Int(fee),
                Cell::Int(goods + fee), Cell::Text(format!("{:06}", rng.below(1_000_000))), Cell::Int(t), Cell::Int(t + 3_600_000), group.map_or(Cell::Null, Cell::Int), live.map_or(Cell::Null, Cell::Int),
            ]);
            order_id += 1;
            seeded.orders += 1;
        }
        insert_rows(
            &mut *conn,
            "orders",
            &["id", "number", "store_id", "user_id", "status", "fulfillment", "pickup_date", "payment", "goods_fen", "delivery_fee_fen", "total_fen", "pickup_code", "created_at_ms", "updated_at_ms", "group_buy_id", "live_session_id"],
            &order_rows,
        )
        .await?;
        insert_rows(&mut *conn, "order_items", &["order_id", "product_id", "name", "unit", "price_fen", "qty", "regular_price_fen"], &item_rows).await?;
        // Names and specs as the catalog had them.
        let ids = order_rows.first().zip(order_rows.last()).and_then(|(a, b)| match (&a[0], &b[0]) {
            (Cell::Int(a), Cell::Int(b)) => Some((*a, *b)),
            _ => None,
        });
        if let Some((a, b)) = ids {
            sqlx::query(
                "update order_items set name = (select p.name from products p where p.id = order_items.product_id),
                        unit = (select p.unit from products p where p.id = order_items.product_id)
                 where order_id >= $1 and order_id <= $2",
            )
            .bind(a)
            .bind(b)
            .execute(&mut *conn)
            .await?;
        }

        // The till: half as many sales as online orders, a product or two each.
        let (mut sales, mut sale_lines) = (Vec::new(), Vec::new());
        for _ in 0..(n / 2).max(1) {
            let store = stores[rng.below(stores.len() as i64) as usize];
            let t = hour(7 + rng.below(14), &mut rng);
            let mut lines: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
            for _ in 0..1 + rng.below(2) {
                let p = &products[rng.below(products.len() as i64) as usize];
                lines.insert(p.id, (1 + rng.below(2), p.price));
            }
            let total: i64 = lines.values().map(|(q, p)| q * p).sum();
            sales.push(vec![Cell::Int(sale_id), Cell::Int(store), Cell::Int(owner), Cell::Text(["cash", "qr", "qr"][rng.below(3) as usize].into()), Cell::Int(total), Cell::Int(t)]);
            for (p, (q, price)) in lines {
                sale_lines.push(vec![Cell::Int(sale_id), Cell::Int(p), Cell::Text("-".into()), Cell::Text("-".into()), Cell::Int(q), Cell::Int(price)]);
                sold.entry((store, p)).or_default().1 += q;
            }
            sale_id += 1;
            seeded.till_sales += 1;
        }
        insert_rows(&mut *conn, "counter_sales", &["id", "store_id", "by_user_id", "payment", "total_fen", "created_at_ms"], &sales).await?;
        insert_rows(&mut *conn, "counter_sale_lines", &["sale_id", "product_id", "name", "unit", "qty", "price_fen"], &sale_lines).await?;

        // The ledger: the morning's delivery of what the shelf lacks for the day (with its
        // cost, and a unit or two over), the day's sales (one row per channel: a tenth of the
        // app's rows, and nothing reads them one by one), 日清 of the spare at closing, a loss
        // now and then.
        let mut moves = Vec::new();
        for ((store, p), (online, till)) in &sold {
            let price = products.iter().find(|x| x.id == *p).map_or(1000, |x| x.price);
            let shelf = on_hand.entry((*store, *p)).or_insert(0);
            let spare = rng.below(3);
            let received = (online + till - *shelf).max(0) + spare;
            let mut book = |delta: i64, shelf: &mut i64, reason: &str, at: i64, cost: Option<i64>| {
                *shelf += delta;
                moves.push(vec![Cell::Int(move_id), Cell::Int(*store), Cell::Int(*p), Cell::Int(delta), Cell::Int(*shelf), Cell::Text(reason.into()), Cell::Int(owner), Cell::Int(at), cost.map_or(Cell::Null, Cell::Int)]);
                move_id += 1;
            };
            if received > 0 {
                book(received, shelf, "receive", start + 7 * 3_600_000, Some(price * (55 + rng.below(20)) / 100));
            }
            if *online > 0 {
                book(-online, shelf, "online_sale", start + 21 * 3_600_000, None);
            }
            if *till > 0 {
                book(-till, shelf, "counter_sale", start + 21 * 3_600_000 + 60_000, None);
            }
            let left = spare.min(*shelf);
            if left > 0 && rng.chance(0.5) {
                let reason = if rng.chance(0.8) { "clear_out" } else { "loss" };
                book(-left, shelf, reason, start + 21 * 3_600_000 + 1_800_000, None);
            }
        }
        insert_rows(&mut *conn, "stock_movements", &["id", "store_id", "product_id", "delta", "on_hand_after", "reason", "by_user_id", "created_at_ms", "unit_cost_fen"], &moves).await?;

        // Wallet top-ups at the counter (the history's orders are paid on pickup, so what is
        // topped up stays: the balance outstanding).
        for _ in 0..(n / 20) {
            let (user, store) = residents[rng.below(residents.len() as i64) as usize];
            let amount = [5000, 10000, 20000][rng.below(3) as usize];
            let balance = balances.entry(user).or_insert(0);
            *balance += amount;
            wallet.push(vec![Cell::Int(wallet_id), Cell::Int(user), Cell::Int(amount), Cell::Int(*balance), Cell::Text("top_up".into()), Cell::Int(owner), Cell::Int(store), Cell::Int(hour(9 + rng.below(10), &mut rng))]);
            wallet_id += 1;
        }
        insert_rows(&mut *conn, "wallet_entries", &["id", "user_id", "amount_fen", "balance_after_fen", "kind", "by_user_id", "store_id", "created_at_ms"], &wallet).await?;
        tx.commit().await?;
    }

    // The shelves and wallets end where their ledgers sum.
    let mut tx = db.begin_write().await?;
    for ((store, product), n) in &on_hand {
        sqlx::query(
            "insert into stock (store_id, product_id, on_hand, reserved, updated_at_ms) values ($1, $2, $3, 0, $4)
             on conflict (store_id, product_id) do update set on_hand = excluded.on_hand, updated_at_ms = excluded.updated_at_ms",
        )
        .bind(store)
        .bind(product)
        .bind(n)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    for (user, fen) in &balances {
        sqlx::query("update users set wallet_fen = $1 where id = $2").bind(fen).bind(user).execute(&mut *tx).await?;
    }
    tx.commit().await?;

    // Each product's latest purchase cost per store, as booking a delivery keeps it (the demo
    // books no costs, so there is none to replace).
    sqlx::query(
        "insert into product_costs (store_id, product_id, unit_cost_fen, movement_id)
         select m.store_id, m.product_id, m.unit_cost_fen, m.id from stock_movements m
         join (select store_id, product_id, max(id) as id from stock_movements where reason = 'receive' and unit_cost_fen is not null
               group by store_id, product_id) l on l.id = m.id",
    )
    .execute(pool)
    .await?;
    if db.backend == Backend::Postgres {
        // Rows were written with their ids: move each identity on past them.
        for table in ["users", "user_roles", "orders", "counter_sales", "group_buys", "live_sessions", "stock_movements", "wallet_entries"] {
            sqlx::query(&format!("select setval(pg_get_serial_sequence('{table}', 'id'), (select max(id) from {table}))")).execute(pool).await?;
        }
        sqlx::query("analyze").execute(pool).await?;
    }
    // The dashboard's rollups, a month at a time per store.
    for s in &stores {
        let mut d = first;
        while d <= last {
            let to = (d + 30).min(last);
            linli_app::analytics::service::settle(db, *s, d, to).await?;
            d = to + 1;
        }
    }
    Ok(seeded)
}

/// Streets for the stores the chain grows by, a few kilometres apart around the demo's three.
const STREETS: [&str; 30] = [
    "莫干山路", "湖墅南路", "体育场路", "凤起路", "延安路", "解放路", "秋涛路", "钱江路", "江南大道", "滨盛路",
    "西兴路", "天目山路", "文一西路", "紫金港路", "余杭塘路", "五常大道", "良睦路", "丰潭路", "登云路", "石祥路",
    "东新路", "德胜路", "新塘路", "景芳路", "九堡大道", "杭海路", "下沙路", "学林街", "之江路", "转塘街",
];
const SURNAMES: [&str; 15] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡"];
const ESTATES: [&str; 7] = ["新村", "花园", "家园", "嘉苑", "公寓", "小区", "嘉园"];

/// Grows the chain to `n` stores. The k-th new store copies demo store k mod 3 (hours, fees,
/// pickup discount, its opening stock as a delivery in the ledger) and stands on a grid about
/// 1.5 km apart over the city (15 to a row), on a street of its own (二店, 三店… when the streets
/// come round again), with a manager and a clerk (phones 1391…, 1392…; the demo password) and
/// a 小区 beside it so residents find it by name.
async fn grow_chain(db: &Db, chain: i64, n: i64) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let pool = &db.pool;
    let templates: Vec<(i64, f64, f64)> = sqlx::query_as("select id, lat, lng from stores where active = $1 order by id").bind(true).fetch_all(pool).await?;
    let (owner,): (i64,) = sqlx::query_as("select user_id from user_roles where role = 'owner' order by id limit 1").fetch_one(pool).await?;
    let (hash,): (String,) = sqlx::query_as("select password_hash from users where id = $1").bind(owner).fetch_one(pool).await?;
    let Some(&(_, lat0, lng0)) = templates.first() else { return Err("no store to copy: seed the demo chain first".into()) };
    let numerals = ["", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let mut tx = db.begin_write().await?;
    for k in templates.len() as i64..n {
        let (template, _, _) = templates[(k % STORE_COUNT as i64) as usize % templates.len()];
        let nth_new = (k as usize).saturating_sub(STORE_COUNT);
        let (street, round) = (STREETS[nth_new % STREETS.len()], nth_new / STREETS.len());
        let name = match numerals.get(round) {
            Some(nth) => format!("绿源生活·{street}{nth}店"),
            None => format!("绿源生活·{street}{}号店", round + 1),
        };
        let (row, col) = (k / 15, k % 15);
        let (lat, lng) = (lat0 + 0.03 - 0.0135 * row as f64, lng0 + 0.1 - 0.0156 * col as f64);
        let now = now_ms();
        let (store,): (i64,) = sqlx::query_as(
            "insert into stores (chain_id, name, address, phone, lat, lng, opens_at, closes_at, pickup_from, pickup_until,
                delivery_radius_m, delivery_fee_rule, pickup_discount_rule, min_order_fen, created_at_ms)
             select chain_id, $2, $3, $4, $5, $6, opens_at, closes_at, pickup_from, pickup_until,
                delivery_radius_m, delivery_fee_rule, pickup_discount_rule, min_order_fen, $7 from stores where id = $1
             returning id",
        )
        .bind(template)
        .bind(&name)
        .bind(format!("杭州市{street}{}号", 100 + 2 * k))
        .bind(format!("0571-8822{:04}", k))
        .bind(lat)
        .bind(lng)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("insert into stock (store_id, product_id, on_hand, reserved, updated_at_ms) select $1, product_id, on_hand, 0, $3 from stock where store_id = $2")
            .bind(store)
            .bind(template)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "insert into stock_movements (store_id, product_id, delta, on_hand_after, reason, note, created_at_ms)
             select store_id, product_id, on_hand, on_hand, 'receive', $2, updated_at_ms from stock where store_id = $1 and on_hand > 0",
        )
        .bind(store)
        .bind(OPENING_NOTE)
        .execute(&mut *tx)
        .await?;
        let base = ["大道", "路", "街"].iter().find_map(|end| street.strip_suffix(end)).unwrap_or(street);
        let estate = format!("{base}{}", ESTATES[k as usize % ESTATES.len()]);
        let estate = if round == 0 { estate } else { format!("{estate}{}期", round + 1) };
        linli_app::stores::store::insert_community(&mut tx, chain, &estate, street, lat + 0.002, lng - 0.002).await?;
        let surname = |i: usize| SURNAMES[i % SURNAMES.len()];
        for (prefix, person, role) in [("1391", format!("{}店长", surname(k as usize)), "manager"), ("1392", format!("小{}", surname(k as usize + 7)), "staff")] {
            let (user,): (i64,) = sqlx::query_as("insert into users (phone, name, password_hash, created_at_ms) values ($1, $2, $3, $4) returning id")
                .bind(format!("{prefix}{k:07}"))
                .bind(&person)
                .bind(&hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("insert into user_roles (user_id, role, store_id, created_at_ms) values ($1, $2, $3, $4)")
                .bind(user)
                .bind(role)
                .bind(store)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The first day of the history `days` long ending yesterday (for messages).
pub fn first_day(days: i64) -> String {
    iso_date(local_time(now_ms()).day - days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_app::shared::time::parse_iso_date;

    #[test]
    fn weekends_and_holidays_shape_the_days() {
        let d = |s: &str| parse_iso_date(s).expect("day");
        let (first, last) = (d("2026-01-01"), d("2026-12-31"));
        // A Saturday sells more than the Monday before it; 春节 less, 国庆 more.
        assert!(day_factor(d("2026-06-13"), first, last) > day_factor(d("2026-06-08"), first, last));
        assert!(day_factor(d("2026-02-17"), first, last) < 0.7);
        assert!(day_factor(d("2026-10-02"), first, last) > 1.3);
    }
}
