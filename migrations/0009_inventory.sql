-- Stock per store as one ledger shared by the counter, online orders and group buys: every
-- change of a store's on-hand count is a row here, written in the same transaction as the
-- change, with who, why and what it left on hand (同库存: the till and the storefront move
-- the same stock row). Reservations are not movements: an online order's units leave the
-- shelf when it is handed over, delivered or written off.

-- A walk-in customer's purchase at the till.
create table counter_sales (
    id {{id}},
    store_id {{i64}} not null references stores(id),
    by_user_id {{i64}} not null references users(id),
    customer_id {{i64}} references users(id),        -- a member paying from the wallet
    payment text not null check (payment in ('cash', 'qr', 'wallet')),
    total_fen bigint not null check (total_fen > 0),
    created_at_ms bigint not null
);
create index counter_sales_store on counter_sales (store_id, id);

create table counter_sale_lines (
    sale_id {{i64}} not null references counter_sales(id),
    product_id {{i64}} not null references products(id),
    name text not null,
    unit text not null,
    qty integer not null check (qty > 0),
    price_fen bigint not null check (price_fen > 0),
    primary key (sale_id, product_id)
);

create table stock_movements (
    id {{id}},
    store_id {{i64}} not null references stores(id),
    product_id {{i64}} not null references products(id),
    delta integer not null check (delta <> 0),
    on_hand_after integer not null check (on_hand_after >= 0),
    -- receive 进货 · loss 损耗/报废 · count 盘点 · return 退回供应商 · counter_sale 门店销售 ·
    -- online_sale 线上订单交付 · no_show_loss 逾期未取报损
    reason text not null check (reason in ('receive', 'loss', 'count', 'return', 'counter_sale', 'online_sale', 'no_show_loss')),
    note text not null default '',
    by_user_id {{i64}} references users(id),
    order_id {{i64}} references orders(id),
    sale_id {{i64}} references counter_sales(id),
    created_at_ms bigint not null
);
create index stock_movements_store on stock_movements (store_id, id);
create index stock_movements_product on stock_movements (store_id, product_id, id);

-- The low-stock alert: available at or below this many units (null: the default, 5).
alter table stock add column low_at integer check (low_at is null or low_at >= 0);

-- A member paying at the till from the wallet: the ledger row names the sale.
alter table wallet_entries add column sale_id {{i64}} references counter_sales(id);
create unique index wallet_entries_sale_kind on wallet_entries (sale_id, kind) where sale_id is not null;

-- Stock that was on the shelf before the ledger existed opens it, so every product's ledger
-- sums to its on-hand count from the first day.
insert into stock_movements (store_id, product_id, delta, on_hand_after, reason, note, created_at_ms)
select store_id, product_id, on_hand, on_hand, 'count', '启用库存流水时的结存', updated_at_ms from stock where on_hand > 0;
