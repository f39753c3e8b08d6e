-- Live video relayed by linli itself (WHIP in, WHEP out).

-- Whether the host's video reaches the relay: 'none' (not published yet this session),
-- 'on_air', or 'away' (it was, and the connection dropped: the room says 主播暂时离开).
alter table live_sessions add column video_state text not null default 'none'
    check (video_state in ('none', 'on_air', 'away'));
-- SHA-256 (hex) of the session's stream key, for encoders such as OBS that publish with
-- `Authorization: Bearer <key>`; the key itself is shown once, when made.
alter table live_sessions add column stream_key_hash text;
