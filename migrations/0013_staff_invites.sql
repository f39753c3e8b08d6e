-- The owner invites people to work at a store. The link carries a random token; only its
-- SHA-256 is kept, so the table alone opens no door. An invite is used once, before it
-- expires, unless the owner revokes it.
create table staff_invites (
    id {{id}},
    token_hash text not null unique,
    phone text not null,
    name text not null,
    role text not null check (role in ('manager', 'staff', 'rider')),
    store_id {{i64}} not null references stores(id),
    invited_by {{i64}} not null references users(id),
    created_at_ms bigint not null,
    expires_at_ms bigint not null,
    accepted_at_ms bigint,
    accepted_by {{i64}} references users(id),
    revoked_at_ms bigint
);
create index staff_invites_open on staff_invites (expires_at_ms);
