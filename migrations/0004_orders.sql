-- Residential estates (小区) and streets near the chain's stores, with coordinates: residents
-- find their store by name, and a delivery address starts from one.
create table communities (
    id {{id}},
    chain_id {{i64}} not null references chains(id),
    name text not null,
    district text not null default '',   -- street or area, e.g. 文三路
    lat {{f64}} not null,
    lng {{f64}} not null
);
create index communities_chain on communities (chain_id);

-- Carts, orders and their history.
--
-- A cart belongs to a signed-in resident ('u:<id>', the same on every device) or to a guest
-- browser ('g:<token>' from a cookie, merged into the resident's cart at login). The price
-- at adding is kept so the cart can say when it changed.
create table cart_items (
    cart_key text not null,
    store_id {{i64}} not null references stores(id),
    product_id {{i64}} not null references products(id),
    qty integer not null check (qty > 0),
    price_fen_at_add bigint not null,
    updated_at_ms bigint not null,
    primary key (cart_key, store_id, product_id)
);
create index cart_items_age on cart_items (updated_at_ms);

-- An order's money is fixed when it is placed: every discount and fee is its own column, and
-- total = goods - discount + delivery fee. Stock is reserved at placing (stock.reserved) and
-- leaves the shelf at hand-over.
create table orders (
    id {{id}},
    number text unique,                 -- set from the id right after insert: 26112200042
    store_id {{i64}} not null references stores(id),
    user_id {{i64}} not null references users(id),
    status text not null check (status in ('awaiting_group', 'placed', 'accepted', 'picking', 'ready',
        'out_for_delivery', 'completed', 'cancelled', 'no_show')),
    fulfillment text not null check (fulfillment in ('pickup', 'delivery')),
    pickup_date text,                   -- 'YYYY-MM-DD', store local time (pickup)
    window_from text,                   -- 'HH:MM'; null with window_until for 尽快 (delivery)
    window_until text,
    address text,                       -- delivery only
    lat {{f64}},
    lng {{f64}},
    distance_m integer,
    payment text not null check (payment in ('wallet', 'on_pickup')),
    paid_fen bigint not null default 0 check (paid_fen >= 0),  -- taken from the wallet
    goods_fen bigint not null check (goods_fen >= 0),
    discount_fen bigint not null default 0 check (discount_fen >= 0),
    delivery_fee_fen bigint not null default 0 check (delivery_fee_fen >= 0),
    total_fen bigint not null check (total_fen >= 0),
    note text not null default '',
    pickup_code text not null,
    created_at_ms bigint not null,
    updated_at_ms bigint not null
);
create index orders_user on orders (user_id, id);
create index orders_store_status on orders (store_id, status);
-- A pickup code names one open order at its store; closed orders free their code.
create unique index orders_open_pickup_code on orders (store_id, pickup_code)
    where status not in ('completed', 'cancelled', 'no_show');

-- The lines as sold: name, spec and price are copied, so later catalog edits leave
-- placed orders alone.
create table order_items (
    order_id {{i64}} not null references orders(id),
    product_id {{i64}} not null references products(id),
    name text not null,
    unit text not null,
    price_fen bigint not null check (price_fen >= 0),
    qty integer not null check (qty > 0),
    primary key (order_id, product_id)
);

-- Every status change: who, when, from, to.
create table order_events (
    id {{id}},
    order_id {{i64}} not null references orders(id),
    from_status text,
    to_status text not null,
    by_user_id {{i64}} references users(id),
    reason text not null default '',
    at_ms bigint not null
);
create index order_events_order on order_events (order_id, id);

-- Wallet movements for an order name it; one payment and at most one refund per order,
-- enforced here so a retried cancel can never refund twice.
alter table wallet_entries add column order_id {{i64}} references orders(id);
create unique index wallet_entries_order_kind on wallet_entries (order_id, kind) where order_id is not null;
