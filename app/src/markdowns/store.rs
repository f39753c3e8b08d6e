//! Markdown SQL: rules with their categories and tiers, what is left on the shelf at closing,
//! and the day's markdown sales and write-offs. The price itself is the catalog's
//! (`catalog::store::PRICE_SQL`), which reads the tiers written here.
use super::model::{Leftover, MarkdownSale, RuleCategory};
use super::rules::{TierSpan, ValidRule};
use crate::catalog::{price_joins, PRICE_SQL, REGULAR_PRICE_SQL};
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

/// A rule's head as stored.
#[derive(FromRow)]
pub struct RuleRow {
    pub id: i64,
    pub store_id: i64,
    pub name: String,
    pub until_minute: i64,
    /// 1 when active (a number: the Any driver cannot read SQLite's booleans).
    pub active: i64,
}

/// A tier row with the rule it belongs to.
#[derive(FromRow)]
pub struct TierRow {
    pub rule_id: i64,
    pub from_minute: i64,
    pub until_minute: i64,
    pub percent_off: i64,
}

impl TierRow {
    pub fn span(&self) -> TierSpan {
        TierSpan { from: self.from_minute, until: self.until_minute, percent_off: self.percent_off }
    }
}

/// A rule's head: active as 1 or 0 (the Any driver cannot read SQLite's booleans).
const RULE_SELECT: &str = "select id, store_id, name, until_minute, case when active then 1 else 0 end as active from markdown_rules";

pub async fn insert_rule(conn: &mut AnyConnection, store_id: i64, rule: &ValidRule, by_user_id: i64) -> Result<i64, AppError> {
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "insert into markdown_rules (store_id, name, until_minute, active, by_user_id, created_at_ms, updated_at_ms)
         values ($1, $2, $3, $4, $5, $6, $6) returning id",
    )
    .bind(store_id)
    .bind(&rule.name)
    .bind(rule.until)
    .bind(true)
    .bind(by_user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for category_id in &rule.category_ids {
        sqlx::query("insert into markdown_rule_categories (rule_id, category_id) values ($1, $2)")
            .bind(id)
            .bind(*category_id)
            .execute(&mut *conn)
            .await?;
    }
    for t in &rule.tiers {
        sqlx::query("insert into markdown_tiers (rule_id, from_minute, until_minute, percent_off) values ($1, $2, $3, $4)")
            .bind(id)
            .bind(t.from)
            .bind(t.until)
            .bind(t.percent_off)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// How many of `ids` are categories in use in the store's chain.
pub async fn usable_categories(conn: &mut AnyConnection, store_id: i64, ids: &[i64]) -> Result<usize, AppError> {
    let sql = format!(
        "select count(*) from categories c join stores st on st.id = $1 and st.chain_id = c.chain_id
         where c.active = $2 and c.id in ({})",
        crate::server::db::placeholders(3, ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64,)>(&sql).bind(store_id).bind(true);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(usize::try_from(q.fetch_one(&mut *conn).await?.0).unwrap_or(0))
}

/// The tiers of the store's active rules (except `except`) covering any of `category_ids`.
pub async fn active_spans(conn: &mut AnyConnection, store_id: i64, category_ids: &[i64], except: Option<i64>) -> Result<Vec<TierSpan>, AppError> {
    let sql = format!(
        "select distinct t.rule_id, t.from_minute, t.until_minute, t.percent_off
         from markdown_tiers t join markdown_rules r on r.id = t.rule_id
         join markdown_rule_categories rc on rc.rule_id = r.id
         where r.store_id = $1 and r.active = $2 and r.id <> $3 and rc.category_id in ({})",
        crate::server::db::placeholders(4, category_ids.len())
    );
    let mut q = sqlx::query_as::<_, TierRow>(&sql).bind(store_id).bind(true).bind(except.unwrap_or(0));
    for id in category_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?.iter().map(TierRow::span).collect())
}

/// The store's rules, oldest first.
pub async fn rules(pool: &AnyPool, store_id: i64) -> Result<Vec<RuleRow>, AppError> {
    Ok(sqlx::query_as(&format!("{RULE_SELECT} where store_id = $1 order by id")).bind(store_id).fetch_all(pool).await?)
}

pub async fn rule(conn: &mut AnyConnection, rule_id: i64) -> Result<Option<RuleRow>, AppError> {
    Ok(sqlx::query_as(&format!("{RULE_SELECT} where id = $1")).bind(rule_id).fetch_optional(&mut *conn).await?)
}

/// The tiers of the store's rules, in order.
pub async fn tiers(pool: &AnyPool, store_id: i64) -> Result<Vec<TierRow>, AppError> {
    Ok(sqlx::query_as(
        "select t.rule_id, t.from_minute, t.until_minute, t.percent_off
         from markdown_tiers t join markdown_rules r on r.id = t.rule_id
         where r.store_id = $1 order by t.rule_id, t.from_minute",
    )
    .bind(store_id)
    .fetch_all(pool)
    .await?)
}

/// One rule's tiers (inside an action's transaction).
pub async fn rule_tiers(conn: &mut AnyConnection, rule_id: i64) -> Result<Vec<TierSpan>, AppError> {
    let rows: Vec<TierRow> = sqlx::query_as("select rule_id, from_minute, until_minute, percent_off from markdown_tiers where rule_id = $1 order by from_minute")
        .bind(rule_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(TierRow::span).collect())
}

/// The categories of the store's rules, as (rule id, category) in the reader's language.
pub async fn rule_categories(pool: &AnyPool, store_id: i64, zh: bool) -> Result<Vec<(i64, RuleCategory)>, AppError> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(&format!(
        "select rc.rule_id, c.id, c.{} from markdown_rule_categories rc
         join markdown_rules r on r.id = rc.rule_id join categories c on c.id = rc.category_id
         where r.store_id = $1 order by rc.rule_id, c.sort, c.id",
        if zh { "name_zh" } else { "name_en" }
    ))
    .bind(store_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(rule, id, name)| (rule, RuleCategory { id, name })).collect())
}

/// Category ids of one rule.
pub async fn category_ids(conn: &mut AnyConnection, rule_id: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as("select category_id from markdown_rule_categories where rule_id = $1 order by category_id")
        .bind(rule_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn set_active(conn: &mut AnyConnection, rule_id: i64, active: bool) -> Result<(), AppError> {
    sqlx::query("update markdown_rules set active = $2, updated_at_ms = $3 where id = $1")
        .bind(rule_id)
        .bind(active)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, rule_id: i64) -> Result<(), AppError> {
    for sql in [
        "delete from markdown_tiers where rule_id = $1",
        "delete from markdown_rule_categories where rule_id = $1",
        "delete from markdown_rules where id = $1",
    ] {
        sqlx::query(sql).bind(rule_id).execute(&mut *conn).await?;
    }
    Ok(())
}

#[derive(FromRow)]
struct LeftoverRow {
    product_id: i64,
    name: String,
    unit: String,
    available: i64,
    price_fen: i64,
    regular_price_fen: i64,
}

/// What can still be sold of the categories the store's active rules cover (single products:
/// a bundle's stock is its components'), priced at `minute`: what a 日清 would write off.
pub async fn leftovers(pool: &AnyPool, store_id: i64, minute: i64) -> Result<Vec<Leftover>, AppError> {
    let rows: Vec<LeftoverRow> = sqlx::query_as(&format!(
        "select p.id as product_id, p.name, p.unit, s.on_hand - s.reserved as available,
            {PRICE_SQL} as price_fen, {REGULAR_PRICE_SQL} as regular_price_fen
         from stock s
         join products p on p.id = s.product_id
         join categories c on c.id = p.category_id
         {joins}
         where s.store_id = $1 and s.on_hand > s.reserved and p.active = $3
           and p.category_id in (select rc.category_id from markdown_rule_categories rc
                                 join markdown_rules r on r.id = rc.rule_id where r.store_id = $1 and r.active = $3)
         order by c.sort, p.id",
        joins = price_joins("$1", "$2"),
    ))
    .bind(store_id)
    .bind(minute)
    .bind(true)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Leftover { product_id: r.product_id, name: r.name, unit: r.unit, available: r.available, price_fen: r.price_fen, regular_price_fen: r.regular_price_fen })
        .collect())
}

/// Sales at a markdown in [from_ms, to_ms), online (orders not cancelled) and at the counter,
/// per product, most units first.
pub async fn markdown_sales(pool: &AnyPool, store_id: i64, from_ms: i64, to_ms: i64) -> Result<Vec<MarkdownSale>, AppError> {
    // PostgreSQL sums bigints into numeric; the casts keep every backend's answer an integer.
    let rows: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
        "select product_id, name, cast(sum(qty) as bigint), cast(sum(price_fen * qty) as bigint),
                cast(sum((regular_price_fen - price_fen) * qty) as bigint)
         from (select i.product_id, i.name, i.qty, i.price_fen, i.regular_price_fen
               from order_items i join orders o on o.id = i.order_id
               where o.store_id = $1 and o.created_at_ms >= $2 and o.created_at_ms < $3
                 and o.status <> 'cancelled' and i.regular_price_fen is not null
               union all
               select l.product_id, l.name, l.qty, l.price_fen, l.regular_price_fen
               from counter_sale_lines l join counter_sales s on s.id = l.sale_id
               where s.store_id = $1 and s.created_at_ms >= $2 and s.created_at_ms < $3
                 and l.regular_price_fen is not null) sold
         group by product_id, name
         order by 3 desc, product_id",
    )
    .bind(store_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(product_id, name, qty, revenue_fen, discount_fen)| MarkdownSale { product_id, name, qty, revenue_fen, discount_fen })
        .collect())
}

/// Write-offs in [from_ms, to_ms) per product: (id, name, cleared at closing, other losses,
/// today's shelf price).
pub async fn write_offs(pool: &AnyPool, store_id: i64, from_ms: i64, to_ms: i64) -> Result<Vec<(i64, String, i64, i64, i64)>, AppError> {
    Ok(sqlx::query_as(&format!(
        "select m.product_id, p.name,
            cast(sum(case when m.reason = 'clear_out' then -m.delta else 0 end) as bigint),
            cast(sum(case when m.reason <> 'clear_out' then -m.delta else 0 end) as bigint),
            max({REGULAR_PRICE_SQL})
         from stock_movements m
         join products p on p.id = m.product_id
         left join store_prices sp on sp.store_id = $1 and sp.product_id = p.id
         where m.store_id = $1 and m.created_at_ms >= $2 and m.created_at_ms < $3
           and m.reason in ('clear_out', 'loss', 'no_show_loss')
         group by m.product_id, p.name
         order by 3 desc, 4 desc, m.product_id"
    ))
    .bind(store_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(pool)
    .await?)
}
