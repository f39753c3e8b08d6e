-- The desk's audit learns two more outcomes: a code that was already collected (a clerk
-- re-entering it is not guessing) and a hand-over proven by the code or phone tail, or a
-- @sqlite
-- manager's override with its reason (note). SQLite cannot change a check constraint in
-- place, so the audit is copied into a table that allows them.
create table pickup_attempts_new (
    id integer primary key,
    store_id integer not null references stores(id),
    staff_user_id integer not null references users(id),
    code text not null,
    order_id integer references orders(id),
    outcome text not null check (outcome in ('ok', 'wrong', 'not_ready', 'throttled', 'collected', 'proof', 'override')),
    note text not null default '',
    at_ms bigint not null
);
insert into pickup_attempts_new (id, store_id, staff_user_id, code, order_id, outcome, at_ms)
select id, store_id, staff_user_id, code, order_id, outcome, at_ms from pickup_attempts;
drop table pickup_attempts;
alter table pickup_attempts_new rename to pickup_attempts;
create index pickup_attempts_store on pickup_attempts (store_id, id);
-- @postgres
-- manager's override with its reason (note).
alter table pickup_attempts drop constraint pickup_attempts_outcome_check;
alter table pickup_attempts add constraint pickup_attempts_outcome_check
    check (outcome in ('ok', 'wrong', 'not_ready', 'throttled', 'collected', 'proof', 'override'));
alter table pickup_attempts add column note text not null default '';
-- @end
create index pickup_attempts_order on pickup_attempts (order_id, at_ms);
