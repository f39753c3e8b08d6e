-- Group buys (presales, 满N户成团): a campaign sells one product (or bundle) at a group price
-- to households of one or several stores; it goes ahead only if enough households join by
-- the deadline, otherwise every join is cancelled and refunded.
--
-- The campaign row is its own deadline job: an 'open' campaign whose deadline has passed is
-- decided (succeeded or failed) by one compare-and-set on this row; a decided or cancelled
-- campaign whose orders still wait in 'awaiting_group' is settled order by order until none
-- is left (settled_at_ms). Both are read from here on every pass, so a restart or a kill -9
-- in the middle loses nothing and repeats nothing.
create table group_buys (
    id {{id}},
    chain_id {{i64}} not null references chains(id),
    product_id {{i64}} not null references products(id),
    title text not null,
    story text not null default '',        -- 产地, why this batch
    cover_url text,                        -- a site path; the product's picture when null
    price_fen bigint not null check (price_fen > 0),
    normal_price_fen bigint not null check (normal_price_fen > 0),  -- the shelf price, for comparison
    min_households {{i64}} not null check (min_households > 0),
    max_units {{i64}} check (max_units is null or max_units > 0),
    per_household_limit {{i64}} not null check (per_household_limit > 0),
    deadline_ms bigint not null,
    pickup_date text not null,             -- 'YYYY-MM-DD', store local time
    status text not null check (status in ('draft', 'open', 'succeeded', 'failed', 'cancelled')),
    -- Real counts, kept by the joins and leaves themselves (conditional statements on this row).
    households {{i64}} not null default 0 check (households >= 0),
    units_sold {{i64}} not null default 0 check (units_sold >= 0),
    first_join_at_ms bigint,               -- editing stops here
    deadline_extended {{i64}} not null default 0 check (deadline_extended in (0, 1)),
    cancel_reason text not null default '',
    created_by {{i64}} not null references users(id),
    created_at_ms bigint not null,
    updated_at_ms bigint not null,
    decided_at_ms bigint,
    settled_at_ms bigint,
    check (max_units is null or units_sold <= max_units)
);
create index group_buys_status_deadline on group_buys (status, deadline_ms);

-- The stores a campaign is offered at (pickup there).
create table group_buy_stores (
    group_buy_id {{i64}} not null references group_buys(id),
    store_id {{i64}} not null references stores(id),
    primary key (group_buy_id, store_id)
);

-- Units each household holds in a campaign: the per-household limit is one conditional upsert
-- on this row. A household that left keeps its row at 0 units.
create table group_buy_households (
    group_buy_id {{i64}} not null references group_buys(id),
    user_id {{i64}} not null references users(id),
    units {{i64}} not null check (units >= 0),
    updated_at_ms bigint not null,
    primary key (group_buy_id, user_id)
);

-- What to buy from the supplier, per store and product (a bundle's parts), frozen when the
-- campaign succeeds.
create table group_buy_purchases (
    group_buy_id {{i64}} not null references group_buys(id),
    store_id {{i64}} not null references stores(id),
    product_id {{i64}} not null references products(id),
    name text not null,
    unit text not null,
    units {{i64}} not null check (units > 0),
    households {{i64}} not null,
    primary key (group_buy_id, store_id, product_id)
);

-- A join is an order waiting in 'awaiting_group' that names its campaign.
alter table orders add column group_buy_id {{i64}} references group_buys(id);
create index orders_group_buy on orders (group_buy_id, status);

-- Notifications may be about a campaign as well as an order.
alter table notifications add column group_buy_id {{i64}} references group_buys(id);
