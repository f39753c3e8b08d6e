-- The live room's people side: comments and their moderation, reminders, who is watching.

-- A comment in a session's room. Hiding keeps the row (who hid it and when) but takes it out
-- of every room and of the replay a (re)connecting viewer is sent.
create table live_comments (
    id {{id}},
    session_id {{i64}} not null references live_sessions(id),
    user_id {{i64}} not null references users(id),
    body text not null,
    -- Written by a host of the store: the room marks it 主播.
    by_host boolean not null default false,
    created_at_ms bigint not null,
    hidden_at_ms bigint,
    hidden_by {{i64}} references users(id)
);
create index live_comments_session on live_comments (session_id, id);
-- The rate limit looks up a resident's latest comment in the session.
create index live_comments_author on live_comments (session_id, user_id, created_at_ms);

-- A viewer the host muted for the rest of the session.
create table live_mutes (
    session_id {{i64}} not null references live_sessions(id),
    user_id {{i64}} not null references users(id),
    muted_by {{i64}} not null references users(id),
    created_at_ms bigint not null,
    primary key (session_id, user_id)
);

-- A store's banned words: a comment containing one is refused.
create table live_banned_words (
    store_id {{i64}} not null references stores(id),
    word text not null,
    primary key (store_id, word)
);

-- 提醒我: a resident asked to be told when the session goes live; notified_at_ms is set in
-- the transaction that starts it, with the bell's row.
create table live_reminders (
    session_id {{i64}} not null references live_sessions(id),
    user_id {{i64}} not null references users(id),
    created_at_ms bigint not null,
    primary key (session_id, user_id)
);

-- Staff a store's manager lets host its sessions (managers and the owner always may).
create table live_hosts (
    store_id {{i64}} not null references stores(id),
    user_id {{i64}} not null references users(id),
    allowed_by {{i64}} not null references users(id),
    created_at_ms bigint not null,
    primary key (store_id, user_id)
);

-- Viewers now: each instance writes how many of a session's streams it holds every few
-- seconds; the room shows the sum of the fresh rows, so several instances count as one.
create table live_viewers (
    session_id {{i64}} not null references live_sessions(id),
    instance text not null,
    viewers integer not null check (viewers >= 0),
    at_ms bigint not null,
    primary key (session_id, instance)
);

-- One comment per this many seconds per viewer (0: only the room's own floor), and the
-- comment the host pinned under the video.
alter table live_sessions add column slow_mode_secs integer not null default 0;
alter table live_sessions add column pinned_comment_id {{i64}} references live_comments(id);

-- The bell also says a session a resident asked about went live.
alter table notifications add column live_session_id {{i64}} references live_sessions(id);
