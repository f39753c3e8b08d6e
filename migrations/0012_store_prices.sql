-- A store's own shelf price for a product, only where the owner allows it for that product
-- (products.store_pricing). The storefront, checkout, carts and the till all read the price
-- through one expression, so a store's residents and its counter pay the same.
alter table products add column store_pricing boolean not null default false;

create table store_prices (
    store_id {{i64}} not null references stores(id),
    product_id {{i64}} not null references products(id),
    price_fen bigint not null check (price_fen > 0),
    set_by {{i64}} references users(id),
    updated_at_ms bigint not null,
    primary key (store_id, product_id)
);
