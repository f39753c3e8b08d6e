-- Scenario bundles (烧烤套餐, 快手晚餐): a bundle is a product with its own price whose stock is
-- its components' — available = the least of (component available / quantity in the bundle).
create table bundle_items (
    bundle_id {{i64}} not null references products(id),
    product_id {{i64}} not null references products(id),
    qty integer not null check (qty > 0),
    primary key (bundle_id, product_id),
    check (bundle_id <> product_id)
);
create index bundle_items_product on bundle_items (product_id);

-- What an order holds on the shelf, per stock row: a bundle line reserves its components.
-- Cancelling gives back exactly these, and handing over takes exactly these, whatever
-- happens to the bundle's recipe later.
create table order_reservations (
    order_id {{i64}} not null references orders(id),
    product_id {{i64}} not null references products(id),
    qty integer not null check (qty > 0),
    primary key (order_id, product_id)
);

-- Orders placed before bundles existed reserved their lines one to one.
insert into order_reservations (order_id, product_id, qty)
select i.order_id, i.product_id, i.qty from order_items i join orders o on o.id = i.order_id
where o.status not in ('completed', 'cancelled', 'no_show');
