-- Foundation: chain, stores, catalog, per-store stock, accounts, sessions, throttling, media.
-- @sqlite
-- Money is integer fen; times are unix milliseconds. Same tables as migrations/postgres.
-- @postgres
-- Money is integer fen; times are unix milliseconds. Same tables as migrations/sqlite.
-- @end

create table chains (
    id {{id}},
    name text not null,
    created_at_ms bigint not null
);

create table media (
    id {{id}},
    content_type text not null,
    bytes {{bytes}} not null,
    width integer,
    height integer,
    created_at_ms bigint not null
);

create table stores (
    id {{id}},
    chain_id {{i64}} not null references chains(id),
    name text not null,
    address text not null,
    phone text not null default '',
-- @sqlite
    lat real not null,
    lng real not null,
    opens_at text not null,            -- 'HH:MM' local time
    closes_at text not null,
    pickup_from text not null,         -- pickup window each day
    pickup_until text not null,
    delivery_radius_m integer not null check (delivery_radius_m >= 0),
    delivery_fee_rule text not null,   -- JSON, see stores::model::DeliveryFeeRule
    pickup_discount_rule text not null,-- JSON, see stores::model::PickupDiscount
-- @postgres
    lat double precision not null,
    lng double precision not null,
    opens_at text not null,
    closes_at text not null,
    pickup_from text not null,
    pickup_until text not null,
    delivery_radius_m integer not null check (delivery_radius_m >= 0),
    delivery_fee_rule text not null,
    pickup_discount_rule text not null,
-- @end
    min_order_fen bigint not null default 0 check (min_order_fen >= 0),
    active boolean not null default true,
    created_at_ms bigint not null
);

create table categories (
    id {{id}},
    chain_id {{i64}} not null references chains(id),
    slug text not null,
    name_zh text not null,
    name_en text not null,
    sort integer not null default 0,
    unique (chain_id, slug)
);

create table products (
    id {{id}},
    chain_id {{i64}} not null references chains(id),
    category_id {{i64}} not null references categories(id),
    name text not null,
-- @sqlite
    unit text not null,                -- spec as sold: 500g/份, 1只, 12枚/盒
    price_fen bigint not null check (price_fen > 0),
    origin text not null default '',   -- 产地
    producer text not null default '', -- 生产者
    harvest_date text,                 -- ISO date, 采摘/生产日期
    shelf_life_days integer,
    description text not null default '',
    tags text not null default '',     -- comma separated: 今日到货,有机,本地直供
    image_id integer references media(id),
-- @postgres
    unit text not null,
    price_fen bigint not null check (price_fen > 0),
    origin text not null default '',
    producer text not null default '',
    harvest_date text,
    shelf_life_days integer,
    description text not null default '',
    tags text not null default '',
    image_id bigint references media(id),
-- @end
    active boolean not null default true,
    created_at_ms bigint not null
);
create index products_chain_category on products (chain_id, category_id);

create table stock (
    store_id {{i64}} not null references stores(id),
    product_id {{i64}} not null references products(id),
    on_hand integer not null default 0 check (on_hand >= 0),
    reserved integer not null default 0 check (reserved >= 0),
    updated_at_ms bigint not null,
    primary key (store_id, product_id),
    check (reserved <= on_hand)
);

create table users (
    id {{id}},
    phone text not null unique,
    name text not null,
    password_hash text not null,
    home_store_id {{i64}} references stores(id),
    wallet_fen bigint not null default 0 check (wallet_fen >= 0),
    active boolean not null default true,
    created_at_ms bigint not null
);

create table user_roles (
    id {{id}},
    user_id {{i64}} not null references users(id),
    role text not null check (role in ('owner', 'manager', 'staff', 'rider', 'resident')),
    store_id {{i64}} references stores(id),
    created_at_ms bigint not null
);
create unique index user_roles_unique on user_roles (user_id, role, coalesce(store_id, 0));

create table sessions (
    id text primary key,
    data {{bytes}} not null,
    expiry_ms bigint not null
);
create index sessions_expiry on sessions (expiry_ms);

-- @sqlite
-- Failed logins (and later, wrong pickup codes), counted per scope and key in a time window.
-- @end
create table auth_failures (
    id {{id}},
    scope text not null,
    key text not null,
    at_ms bigint not null
);
create index auth_failures_lookup on auth_failures (scope, key, at_ms);
