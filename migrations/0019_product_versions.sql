-- Optimistic product edits: every save bumps the version, and a save based on an older
-- version is refused (409 stale_edit) instead of overwriting a price changed meanwhile.
alter table products add column version {{i64}} not null default 1;
