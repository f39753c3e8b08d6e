-- 付款码: the member's consent to one wallet payment at the till. The resident's phone shows a
-- one-time code that lives about a minute; only its SHA-256 is kept. The till redeems it with
-- one conditional update inside the sale's transaction, so a code pays once.
create table pay_codes (
    code_hash text primary key,
    user_id {{i64}} not null references users(id),
    created_at_ms bigint not null,
    expires_at_ms bigint not null,
    used_at_ms bigint,
    store_id {{i64}} references stores(id),
    sale_id {{i64}} references counter_sales(id)
);
create index pay_codes_user on pay_codes (user_id, created_at_ms);
