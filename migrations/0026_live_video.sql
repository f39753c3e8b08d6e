-- Live video relayed by linli itself (WHIP in, WHEP out).

-- Whether the host's video reaches the relay: 'none' (not published yet this session),
-- 'on_air', or 'away' (it was, and the connection dropped: the room says 主播暂时离开).
alter table live_sessions add column video_state text not null default 'none'
    check (video_state in ('none', 'on_air', 'away'));
-- The instance whose relay holds the host's connection (its internal URL, LINLI_INSTANCE_URL):
-- viewers who reach another instance are answered through it, so all watch one relay.
alter table live_sessions add column video_relay text;
-- SHA-256 (hex) of the session's stream key, for encoders such as OBS that publish with
-- `Authorization: Bearer <key>`; the key itself is shown once, when made.
alter table live_sessions add column stream_key_hash text;

-- The replay: files the relay wrote while the session was live (one per stretch — a restart
-- of the instance starts another). `file` is the name under LINLI_RECORDINGS_DIR of the
-- instance that wrote it; `ended_at_ms` stays null for a file cut short (it still plays).
create table live_recordings (
    id {{id}},
    session_id {{i64}} not null references live_sessions(id),
    file text not null unique,
    started_at_ms bigint not null,
    ended_at_ms bigint,
    duration_ms bigint not null default 0,
    bytes bigint not null default 0
);
create index live_recordings_session on live_recordings (session_id, id);
