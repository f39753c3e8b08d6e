-- 直播间: a store's live sale. A session's line-up sells at its live price only while the
-- session is live, from units set aside for it: taken off the shelf with a ledger row when the
-- session is scheduled (live_allot) and whatever is left put back when it ends (live_return).
-- Each live order moves its units from the allotment back into the store's stock, held for
-- that order (live_order), so the queue, the desk, cancelling and no-shows treat it as any
-- other order.
create table live_sessions (
    id {{id}},
    store_id {{i64}} not null references stores(id),
    title text not null,
    cover_url text,
    stream_url text,
    starts_at_ms bigint not null,
    status text not null default 'scheduled' check (status in ('scheduled', 'live', 'ended')),
    pinned_product_id {{i64}} references products(id),
    viewers_peak integer not null default 0,
    started_at_ms bigint,
    ended_at_ms bigint,
    created_by {{i64}} not null references users(id),
    created_at_ms bigint not null
);
create index live_sessions_store on live_sessions (store_id, starts_at_ms);
create index live_sessions_status on live_sessions (status, starts_at_ms);

create table live_items (
    session_id {{i64}} not null references live_sessions(id),
    product_id {{i64}} not null references products(id),
    position integer not null,
    live_price_fen bigint not null check (live_price_fen > 0),
    allotted integer not null check (allotted >= 0),
    sold integer not null default 0 check (sold >= 0 and sold <= allotted),
    per_user_limit integer not null check (per_user_limit > 0),
    primary key (session_id, product_id)
);

-- What each resident has bought of each line, for the per-resident limit.
create table live_buyers (
    session_id {{i64}} not null references live_sessions(id),
    product_id {{i64}} not null references products(id),
    user_id {{i64}} not null references users(id),
    units integer not null check (units >= 0),
    primary key (session_id, product_id, user_id)
);

alter table orders add column live_session_id {{i64}} references live_sessions(id);

-- @sqlite
-- The ledger's reasons gain live_allot, live_order and live_return, and a row names its live
-- session; SQLite changes a check only by copying the table.
create table stock_movements_new (
    id integer primary key,
    store_id integer not null references stores(id),
    product_id integer not null references products(id),
    delta integer not null check (delta <> 0),
    on_hand_after integer not null check (on_hand_after >= 0),
    reason text not null check (reason in ('receive', 'loss', 'count', 'return', 'counter_sale', 'online_sale', 'no_show_loss', 'clear_out', 'counter_refund', 'live_allot', 'live_order', 'live_return')),
    note text not null default '',
    by_user_id integer references users(id),
    order_id integer references orders(id),
    sale_id integer references counter_sales(id),
    created_at_ms bigint not null,
    group_buy_id integer references group_buys(id),
    live_session_id integer references live_sessions(id)
);
insert into stock_movements_new (id, store_id, product_id, delta, on_hand_after, reason, note, by_user_id, order_id, sale_id, created_at_ms, group_buy_id)
select id, store_id, product_id, delta, on_hand_after, reason, note, by_user_id, order_id, sale_id, created_at_ms, group_buy_id from stock_movements;
drop table stock_movements;
alter table stock_movements_new rename to stock_movements;
create index stock_movements_store on stock_movements (store_id, id);
create index stock_movements_product on stock_movements (store_id, product_id, id);
create index stock_movements_day on stock_movements (store_id, created_at_ms);
create unique index stock_movements_group_receipt on stock_movements (group_buy_id, store_id, product_id) where group_buy_id is not null;
-- @postgres
alter table stock_movements add column live_session_id bigint references live_sessions(id);
alter table stock_movements drop constraint stock_movements_reason_check;
alter table stock_movements add constraint stock_movements_reason_check
    check (reason in ('receive', 'loss', 'count', 'return', 'counter_sale', 'online_sale', 'no_show_loss', 'clear_out', 'counter_refund', 'live_allot', 'live_order', 'live_return'));
-- @end
