-- Idempotency keys: a retried or double-tapped write returns its first answer instead of
-- acting twice. The row is written in the same transaction as the action it guards, so
-- either both happened or neither did (a failed action leaves the key free to retry).
create table idempotency_keys (
    user_id {{i64}} not null references users(id),
    scope text not null,            -- which action, e.g. 'wallet.top_up'
    key text not null,              -- the client's Idempotency-Key header
    request text not null,          -- the canonical request, to refuse a reused key
    response text not null,         -- the first answer, JSON
    created_at_ms bigint not null,
    primary key (user_id, scope, key)
);
create index idempotency_keys_age on idempotency_keys (created_at_ms);
