-- Foundation: chain, stores, catalog, per-store stock, accounts, sessions, throttling, media.
-- Money is integer fen; times are unix milliseconds. Same tables as migrations/postgres.

create table chains (
    id integer primary key,
    name text not null,
    created_at_ms bigint not null
);

create table media (
    id integer primary key,
    content_type text not null,
    bytes blob not null,
    width integer,
    height integer,
    created_at_ms bigint not null
);

create table stores (
    id integer primary key,
    chain_id integer not null references chains(id),
    name text not null,
    address text not null,
    phone text not null default '',
    lat real not null,
    lng real not null,
    opens_at text not null,            -- 'HH:MM' local time
    closes_at text not null,
    pickup_from text not null,         -- pickup window each day
    pickup_until text not null,
    delivery_radius_m integer not null check (delivery_radius_m >= 0),
    delivery_fee_rule text not null,   -- JSON, see stores::model::DeliveryFeeRule
    pickup_discount_rule text not null,-- JSON, see stores::model::PickupDiscount
    min_order_fen bigint not null default 0 check (min_order_fen >= 0),
    active boolean not null default true,
    created_at_ms bigint not null
);

create table categories (
    id integer primary key,
    chain_id integer not null references chains(id),
    slug text not null,
    name_zh text not null,
    name_en text not null,
    sort integer not null default 0,
    unique (chain_id, slug)
);

create table products (
    id integer primary key,
    chain_id integer not null references chains(id),
    category_id integer not null references categories(id),
    name text not null,
    unit text not null,                -- spec as sold: 500g/份, 1只, 12枚/盒
    price_fen bigint not null check (price_fen > 0),
    origin text not null default '',   -- 产地
    producer text not null default '', -- 生产者
    harvest_date text,                 -- ISO date, 采摘/生产日期
    shelf_life_days integer,
    description text not null default '',
    tags text not null default '',     -- comma separated: 今日到货,有机,本地直供
    image_id integer references media(id),
    active boolean not null default true,
    created_at_ms bigint not null
);
create index products_chain_category on products (chain_id, category_id);

create table stock (
    store_id integer not null references stores(id),
    product_id integer not null references products(id),
    on_hand integer not null default 0 check (on_hand >= 0),
    reserved integer not null default 0 check (reserved >= 0),
    updated_at_ms bigint not null,
    primary key (store_id, product_id),
    check (reserved <= on_hand)
);

create table users (
    id integer primary key,
    phone text not null unique,
    name text not null,
    password_hash text not null,
    home_store_id integer references stores(id),
    wallet_fen bigint not null default 0 check (wallet_fen >= 0),
    active boolean not null default true,
    created_at_ms bigint not null
);

create table user_roles (
    id integer primary key,
    user_id integer not null references users(id),
    role text not null check (role in ('owner', 'manager', 'staff', 'rider', 'resident')),
    store_id integer references stores(id),
    created_at_ms bigint not null
);
create unique index user_roles_unique on user_roles (user_id, role, coalesce(store_id, 0));

create table sessions (
    id text primary key,
    data blob not null,
    expiry_ms bigint not null
);
create index sessions_expiry on sessions (expiry_ms);

-- Failed logins (and later, wrong pickup codes), counted per scope and key in a time window.
create table auth_failures (
    id integer primary key,
    scope text not null,
    key text not null,
    at_ms bigint not null
);
create index auth_failures_lookup on auth_failures (scope, key, at_ms);
