-- End-of-day markdowns (日清 / 晚市特惠): a store's rule marks down some categories from a time
-- of day, in tiers (from 19:00 8折, from 20:30 5折) until a closing time. Each tier row carries
-- its own end (the next tier's start or the rule's end), so the price expression finds the
-- tier in force with one range test.
create table markdown_rules (
    id {{id}},
    store_id {{i64}} not null references stores(id),
    name text not null,
    until_minute integer not null check (until_minute between 1 and 1440),
    active boolean not null default true,
    by_user_id {{i64}} references users(id),
    created_at_ms bigint not null,
    updated_at_ms bigint not null
);
create index markdown_rules_store on markdown_rules (store_id);

create table markdown_rule_categories (
    rule_id {{i64}} not null references markdown_rules(id) on delete cascade,
    category_id {{i64}} not null references categories(id),
    primary key (rule_id, category_id)
);

create table markdown_tiers (
    rule_id {{i64}} not null references markdown_rules(id) on delete cascade,
    from_minute integer not null check (from_minute between 0 and 1439),
    until_minute integer not null check (until_minute between 1 and 1440 and until_minute > from_minute),
    percent_off integer not null check (percent_off between 1 and 90),
    primary key (rule_id, from_minute)
);

-- What a sale was marked down from: null when sold at the shelf price. The day's markdown
-- report reads sales at markdown from these.
alter table order_items add column regular_price_fen bigint;
alter table counter_sale_lines add column regular_price_fen bigint;

-- 日清报损 (clear_out): what was left of the day's fresh goods at closing and thrown away.
-- @sqlite
-- SQLite cannot change a check constraint in place, so the ledger is copied into a table
-- that allows the new reason (nothing references the ledger's rows).
create table stock_movements_new (
    id integer primary key,
    store_id integer not null references stores(id),
    product_id integer not null references products(id),
    delta integer not null check (delta <> 0),
    on_hand_after integer not null check (on_hand_after >= 0),
    reason text not null check (reason in ('receive', 'loss', 'count', 'return', 'counter_sale', 'online_sale', 'no_show_loss', 'clear_out')),
    note text not null default '',
    by_user_id integer references users(id),
    order_id integer references orders(id),
    sale_id integer references counter_sales(id),
    created_at_ms bigint not null
);
insert into stock_movements_new (id, store_id, product_id, delta, on_hand_after, reason, note, by_user_id, order_id, sale_id, created_at_ms)
select id, store_id, product_id, delta, on_hand_after, reason, note, by_user_id, order_id, sale_id, created_at_ms from stock_movements;
drop table stock_movements;
alter table stock_movements_new rename to stock_movements;
create index stock_movements_store on stock_movements (store_id, id);
create index stock_movements_product on stock_movements (store_id, product_id, id);
-- @postgres
alter table stock_movements drop constraint stock_movements_reason_check;
alter table stock_movements add constraint stock_movements_reason_check
    check (reason in ('receive', 'loss', 'count', 'return', 'counter_sale', 'online_sale', 'no_show_loss', 'clear_out'));
-- @end
create index stock_movements_day on stock_movements (store_id, created_at_ms);
