-- What the live pages were told, kept for a quarter of an hour: each event a stream sends
-- carries its id here, and a browser that reconnects (a lost connection, an instance that
-- restarted or drained) sends the last id it saw and is sent what it missed. Written in the
-- transaction that makes the change, like the event itself, so a rolled-back change leaves
-- nothing to replay. Purged by the housekeeping job.
create table event_log (
    id {{id}},
    at_ms bigint not null,
    name text not null,
    data text not null
);
create index event_log_at on event_log (at_ms);

-- The streams an event goes to ("order:12", "store:3", "live:7", …), for the replay's lookup.
create table event_topics (
    topic text not null,
    event_id bigint not null,
    primary key (topic, event_id)
);
-- The purge deletes by event id.
create index event_topics_event on event_topics (event_id);
