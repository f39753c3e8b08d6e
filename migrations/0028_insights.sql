-- Insights: the owner's figures of the 店-群-播 model and tomorrow's order list (以销定采).

-- What a delivery cost the store (进货价 per unit), booked with the 进货 row; and the latest
-- per store and product, kept in the same transaction, which margins and the order list read
-- (looking it up in the ledger grows with every delivery ever booked).
alter table stock_movements add column unit_cost_fen bigint;
create table product_costs (
    store_id bigint not null references stores(id),
    product_id bigint not null references products(id),
    unit_cost_fen bigint not null,
    movement_id bigint not null references stock_movements(id),
    primary key (store_id, product_id)
);

-- Daily rollups, materialised on a schedule (analytics::service::settle_days): a store's
-- figures for one store-local day (days since 1970-01-01), one row per metric, so a new
-- figure needs no new column. A day is written whole in one transaction together with its
-- row in insight_settled; the dashboard reads settled days from here and computes the rest
-- (today, and any day the job has not reached) from the ledgers, with the same SQL.
create table insight_days (
    store_id bigint not null references stores(id),
    day bigint not null,
    metric text not null,
    value bigint not null,
    primary key (store_id, day, metric)
);

-- Units and takings per product and day (online orders not cancelled, and the till).
create table insight_product_days (
    store_id bigint not null references stores(id),
    day bigint not null,
    product_id bigint not null references products(id),
    qty bigint not null,
    revenue_fen bigint not null,
    -- Of qty, the units group buys sold: one-off campaigns the order list's forecast leaves out.
    group_qty bigint not null default 0,
    primary key (store_id, day, product_id)
);
create index insight_product_days_product on insight_product_days (store_id, product_id, day);

-- Which days of a store are materialised, and when: a day stays open to recomputation for a
-- week after it ends (orders placed that day are still handed over, cancelled or missed).
create table insight_settled (
    store_id bigint not null references stores(id),
    day bigint not null,
    computed_at_ms bigint not null,
    primary key (store_id, day)
);

-- Products bought together in one online order over the last four weeks, per store, kept by
-- the same job (a self-join of order lines is too slow to run per page view). When each store's
-- pairs were last counted is its own row, locked by the instance counting them.
create table insight_pairs_counted (
    store_id bigint primary key references stores(id),
    computed_at_ms bigint not null
);
create table insight_pairs (
    store_id bigint not null references stores(id),
    product_a bigint not null references products(id),
    product_b bigint not null references products(id),
    orders bigint not null,
    computed_at_ms bigint not null,
    primary key (store_id, product_a, product_b)
);

-- Tomorrow's order list as the manager edited it: the quantity to buy per product for a day,
-- where it differs from the suggestion.
create table purchase_plan_lines (
    store_id bigint not null references stores(id),
    for_day bigint not null,
    product_id bigint not null references products(id),
    qty bigint not null check (qty >= 0),
    by_user_id bigint not null references users(id),
    updated_at_ms bigint not null,
    primary key (store_id, for_day, product_id)
);

-- The ledgers read by day for a store.
create index counter_sales_day on counter_sales (store_id, created_at_ms);
create index counter_refunds_day on counter_refunds (store_id, created_at_ms);
create index wallet_entries_store_day on wallet_entries (store_id, created_at_ms);
create index orders_live_session on orders (live_session_id);
-- Orders that changed since their day was rolled up (handed over, missed, a group decided).
create index orders_store_updated on orders (store_id, updated_at_ms);
-- A resident's earlier orders at a store: the 30-day repeat rate.
create index orders_user_store_created on orders (user_id, store_id, created_at_ms);
create index community_members_joined on community_members (store_id, joined_at_ms);
create index users_home_store_created on users (home_store_id, created_at_ms);
