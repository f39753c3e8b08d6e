-- 忘记密码: a resident asks at the counter; staff who have checked the person issue a one-time
-- reset code (kept only as its hash) that works once within 15 minutes and dies after a few
-- wrong tries. Each row is also the audit: who issued it, at which store, when it was used.
create table password_resets (
    id {{id}},
    user_id {{i64}} not null references users(id),
    store_id {{i64}} not null references stores(id),
    issued_by {{i64}} not null references users(id),
    code_hash text not null,
    tries integer not null default 0,
    created_at_ms bigint not null,
    expires_at_ms bigint not null,
    used_at_ms bigint
);
create index password_resets_user on password_resets (user_id, id);

-- A reset ends every session that began before it: a session is honoured only if it started
-- at or after this moment.
alter table users add column sessions_from_ms bigint not null default 0;
