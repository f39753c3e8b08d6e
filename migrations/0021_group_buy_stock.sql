-- A succeeded campaign's goods are stock too: when they arrive, each store books them in once
-- (进货 for the campaign); they are held by the campaign's orders from then on, so the till and
-- the storefront cannot sell them, and hand-over takes them out with a ledger row.
alter table group_buy_stores add column received_at_ms bigint;
alter table group_buy_stores add column received_by {{i64}} references users(id);
-- The 进货 rows name their campaign; at most one per store and product.
alter table stock_movements add column group_buy_id {{i64}} references group_buys(id);
create unique index stock_movements_group_receipt on stock_movements (group_buy_id, store_id, product_id) where group_buy_id is not null;
