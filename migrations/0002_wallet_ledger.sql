-- The member wallet (储值): users.wallet_fen is the balance; every movement is a ledger row
-- written in the same transaction, with the balance it left behind.
create table wallet_entries (
    id {{id}},
    user_id {{i64}} not null references users(id),
    amount_fen bigint not null check (amount_fen <> 0),
    balance_after_fen bigint not null check (balance_after_fen >= 0),
    kind text not null check (kind in ('top_up', 'reversal', 'payment', 'refund')),
    by_user_id {{i64}} references users(id),
    store_id {{i64}} references stores(id),
    created_at_ms bigint not null
);
create index wallet_entries_user on wallet_entries (user_id, id);
