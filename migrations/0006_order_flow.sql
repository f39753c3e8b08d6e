-- The order's way from the shelf to the resident: shelf slots at the desk, riders, what
-- became of the stock of an order nobody collected, notes that travel with the resident,
-- an audit of every pickup-code check, and the resident's notifications.

-- A ready pickup order waits in a shelf slot ("A-12"); no two ready orders of a store share one.
alter table orders add column shelf_slot text;
create unique index orders_ready_shelf_slot on orders (store_id, shelf_slot)
    where status = 'ready' and shelf_slot is not null;
-- The rider who claimed a delivery order.
alter table orders add column rider_id {{i64}} references users(id);
-- When the order left the reserved state: 'sold' (handed over or delivered), 'returned' (back on
-- the shelf: cancelled, or a no-show the staff put back) or 'loss' (a no-show written off).
-- Null while the order still holds its reservation, including a no-show awaiting that choice.
alter table orders add column stock_outcome text check (stock_outcome in ('sold', 'returned', 'loss'));
create index orders_store_created on orders (store_id, created_at_ms);
-- Orders cancelled before this column existed gave their stock back then.
update orders set stock_outcome = 'returned' where status = 'cancelled';
update orders set stock_outcome = 'sold' where status = 'completed';

-- Taking the next shelf slot locks the store's row with this counter first, so two staff
-- marking orders ready at once never pick the same free slot (PostgreSQL: row lock until commit).
alter table stores add column shelf_seq {{i64}} not null default 0;

-- 过敏: 坚果 · 香蕉要软一点 · 无糖: written by the resident ('resident') or by staff ('staff'),
-- shown while picking and at the desk. Removing keeps the row (who wrote what stays known).
create table customer_notes (
    id {{serial_id}},
    user_id {{i64}} not null references users(id),
    kind text not null check (kind in ('resident', 'staff')),
    text text not null,
    by_user_id {{i64}} not null references users(id),
    store_id {{i64}} references stores(id),
    created_at_ms bigint not null,
    removed_at_ms bigint
);
create index customer_notes_user on customer_notes (user_id, id);

-- Every pickup-code check at a desk: who tried which code where, and what it matched.
create table pickup_attempts (
    id {{serial_id}},
    store_id {{i64}} not null references stores(id),
    staff_user_id {{i64}} not null references users(id),
    code text not null,
    order_id {{i64}} references orders(id),
    outcome text not null check (outcome in ('ok', 'wrong', 'not_ready', 'throttled')),
    at_ms bigint not null
);
create index pickup_attempts_store on pickup_attempts (store_id, id);

-- The resident's bell: accepted, ready, out for delivery, delivered, cancelled by the store.
create table notifications (
    id {{serial_id}},
    user_id {{i64}} not null references users(id),
    order_id {{i64}} references orders(id),
    kind text not null,
    created_at_ms bigint not null,
    read_at_ms bigint
);
create index notifications_user on notifications (user_id, id);
