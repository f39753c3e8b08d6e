-- 一店一群: each store's own neighbourhood group — members, the feed, polls, moderation.

-- A resident in a store's group, shown as display_name(estate): 王阿姨(嘉绿苑). Leaving keeps
-- the row (their posts keep their name) with left_at_ms set; joining again clears it. A
-- member the store removed cannot join again by themselves.
create table community_members (
    store_id {{i64}} not null references stores(id),
    user_id {{i64}} not null references users(id),
    display_name text not null,
    estate text not null,
    joined_at_ms bigint not null,
    left_at_ms bigint,
    removed_at_ms bigint,
    removed_by {{i64}} references users(id),
    -- A mute lets the member read but not write until then, and they are told why.
    muted_until_ms bigint,
    muted_reason text,
    muted_by {{i64}} references users(id),
    last_active_ms bigint not null,
    -- When they last posted and commented: the rate limit is a conditional update of this row,
    -- so two taps at once (on any backend, under any isolation) let one through.
    last_post_ms bigint,
    last_comment_ms bigint,
    -- The bell: the store's announcements, its live sessions going live, new group buys.
    notify_announcements boolean not null default true,
    notify_live boolean not null default true,
    notify_group_buys boolean not null default true,
    primary key (store_id, user_id)
);
create index community_members_user on community_members (user_id);

-- Staff of a store its managers let moderate and post for the store (managers and the owner
-- always may).
create table community_moderators (
    store_id {{i64}} not null references stores(id),
    user_id {{i64}} not null references users(id),
    allowed_by {{i64}} not null references users(id),
    created_at_ms bigint not null,
    primary key (store_id, user_id)
);

-- A post in the feed. kind: post (a resident's, or the store's), announcement (the store's,
-- may be pinned), arrivals (今日鲜货, the store's, lists community_post_products), poll (the
-- store's, with community_polls). Hiding keeps the row: the author still sees it with the
-- reason; nobody else does.
create table community_posts (
    id {{id}},
    store_id {{i64}} not null references stores(id),
    author_id {{i64}} not null references users(id),
    kind text not null check (kind in ('post', 'announcement', 'arrivals', 'poll')),
    -- Written for the store (门店), not as a member.
    by_store boolean not null default false,
    body text not null,
    -- 晒单: the product the author bought at this store.
    product_id {{i64}} references products(id),
    pinned_at_ms bigint,
    created_at_ms bigint not null,
    hidden_at_ms bigint,
    hidden_by {{i64}} references users(id),
    hidden_reason text
);
create index community_posts_feed on community_posts (store_id, id);
create index community_posts_author on community_posts (store_id, author_id, created_at_ms);
create index community_posts_product on community_posts (product_id, id);
-- The pinned few lead every first page: found without walking the feed.
create index community_posts_pinned on community_posts (store_id, pinned_at_ms) where pinned_at_ms is not null;

-- Up to six photos of a post, each stored at the card and the large size. They are the
-- group's, not the shop's: served at /community/photos/{token}/… (an unguessable token, gone
-- with a hidden post), never at /media/{id} (media.private).
create table community_post_photos (
    post_id {{i64}} not null references community_posts(id),
    position integer not null,
    card_media_id {{i64}} not null references media(id),
    large_media_id {{i64}} not null references media(id),
    token text not null unique,
    primary key (post_id, position)
);
alter table media add column private boolean not null default false;

-- 今日鲜货: the products of an arrivals post, in the order they were booked in.
create table community_post_products (
    post_id {{i64}} not null references community_posts(id),
    position integer not null,
    product_id {{i64}} not null references products(id),
    primary key (post_id, position)
);

create table community_comments (
    id {{id}},
    post_id {{i64}} not null references community_posts(id),
    author_id {{i64}} not null references users(id),
    by_store boolean not null default false,
    body text not null,
    created_at_ms bigint not null,
    hidden_at_ms bigint,
    hidden_by {{i64}} references users(id),
    hidden_reason text
);
create index community_comments_post on community_comments (post_id, id);
create index community_comments_author on community_comments (author_id, created_at_ms);

create table community_likes (
    post_id {{i64}} not null references community_posts(id),
    user_id {{i64}} not null references users(id),
    created_at_ms bigint not null,
    primary key (post_id, user_id)
);

create table community_polls (
    post_id {{i64}} primary key references community_posts(id),
    multiple boolean not null,
    closes_at_ms bigint not null
);

create table community_poll_options (
    id {{id}},
    post_id {{i64}} not null references community_polls(post_id),
    position integer not null,
    label text not null
);
create index community_poll_options_post on community_poll_options (post_id, position);

-- One ballot per member per poll (the primary key decides between two taps at once); a
-- ballot's choices are its votes.
create table community_ballots (
    post_id {{i64}} not null references community_polls(post_id),
    user_id {{i64}} not null references users(id),
    created_at_ms bigint not null,
    primary key (post_id, user_id)
);
create table community_votes (
    post_id {{i64}} not null,
    user_id {{i64}} not null,
    option_id {{i64}} not null references community_poll_options(id),
    primary key (post_id, user_id, option_id),
    foreign key (post_id, user_id) references community_ballots(post_id, user_id)
);
create index community_votes_option on community_votes (option_id);

-- A member's report of a post or a comment, for the store's queue. outcome: hidden (the store
-- took it down) or kept.
create table community_reports (
    id {{id}},
    store_id {{i64}} not null references stores(id),
    post_id {{i64}} references community_posts(id),
    comment_id {{i64}} references community_comments(id),
    reporter_id {{i64}} not null references users(id),
    reason text not null,
    created_at_ms bigint not null,
    resolved_at_ms bigint,
    resolved_by {{i64}} references users(id),
    outcome text check (outcome is null or outcome in ('hidden', 'kept')),
    check ((post_id is null) <> (comment_id is null))
);
create index community_reports_open on community_reports (store_id, resolved_at_ms, id);
-- One report per member per post or comment, whatever taps arrive at once.
create unique index community_reports_post_once on community_reports (reporter_id, post_id) where comment_id is null;
create unique index community_reports_comment_once on community_reports (reporter_id, comment_id) where comment_id is not null;

-- The bell also tells members of the store's news, each as the member chose
-- (community_members.notify_*): an announcement (this post), a live session going live
-- (live_session_id), a new group buy (group_buy_id).
alter table notifications add column community_post_id {{i64}} references community_posts(id);

-- News already told to the groups: the job that tells them runs in every instance, and the
-- primary key lets one of them claim each item.
create table community_fanouts (
    kind text not null check (kind in ('live', 'group_buy')),
    ref_id bigint not null,
    created_at_ms bigint not null,
    primary key (kind, ref_id)
);
