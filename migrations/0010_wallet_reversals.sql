-- A mistaken counter top-up is corrected by a reversing entry that names it, never by
-- editing it: the unique index lets each top-up be reversed at most once, even when two
-- staff tap 冲正 at the same moment.
alter table wallet_entries add column reverses_id {{i64}} references wallet_entries(id);
create unique index wallet_entries_reverses on wallet_entries (reverses_id) where reverses_id is not null;
