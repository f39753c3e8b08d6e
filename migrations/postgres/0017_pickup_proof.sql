-- The desk's audit learns two more outcomes: a code that was already collected (a clerk
-- re-entering it is not guessing) and a hand-over proven by the code or phone tail, or a
-- manager's override with its reason (note).
alter table pickup_attempts drop constraint pickup_attempts_outcome_check;
alter table pickup_attempts add constraint pickup_attempts_outcome_check
    check (outcome in ('ok', 'wrong', 'not_ready', 'throttled', 'collected', 'proof', 'override'));
alter table pickup_attempts add column note text not null default '';
create index pickup_attempts_order on pickup_attempts (order_id, at_ms);
