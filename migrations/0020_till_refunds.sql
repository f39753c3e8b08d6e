-- 退款 at the till: a counter sale is refunded at most once (whole or some of its lines), by
-- the store's manager, to the way it was paid; the goods go back on the shelf with a ledger row.
create table counter_refunds (
    id {{id}},
    sale_id {{i64}} not null unique references counter_sales(id),
    store_id {{i64}} not null references stores(id),
    by_user_id {{i64}} not null references users(id),
    amount_fen bigint not null check (amount_fen > 0),
    note text not null default '',
    created_at_ms bigint not null
);
create index counter_refunds_store on counter_refunds (store_id, id);

create table counter_refund_lines (
    refund_id {{i64}} not null references counter_refunds(id),
    product_id {{i64}} not null references products(id),
    qty integer not null check (qty > 0),
    price_fen bigint not null check (price_fen > 0),
    primary key (refund_id, product_id)
);

-- @sqlite
-- The ledger's reasons gain counter_refund; SQLite changes a check only by copying the table.
create table stock_movements_new (
    id integer primary key,
    store_id integer not null references stores(id),
    product_id integer not null references products(id),
    delta integer not null check (delta <> 0),
    on_hand_after integer not null check (on_hand_after >= 0),
    reason text not null check (reason in ('receive', 'loss', 'count', 'return', 'counter_sale', 'online_sale', 'no_show_loss', 'clear_out', 'counter_refund')),
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
create index stock_movements_day on stock_movements (store_id, created_at_ms);
-- @postgres
alter table stock_movements drop constraint stock_movements_reason_check;
alter table stock_movements add constraint stock_movements_reason_check
    check (reason in ('receive', 'loss', 'count', 'return', 'counter_sale', 'online_sale', 'no_show_loss', 'clear_out', 'counter_refund'));
-- @end
