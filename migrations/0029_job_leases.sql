-- One row per scheduled job (group-buy deadlines, no-show sweep, …): the instance that may run
-- it now and until when. Several instances on one PostgreSQL each try to take or renew every
-- lease with one conditional upsert; the row lets one through, so a job runs in one instance
-- at a time, and when its holder dies the lease runs out and another instance takes it.
-- Times are the database's clock, so instances on machines whose clocks differ still agree.
create table job_leases (
    job text primary key,
    -- Which instance: its address, process id and start time (job::lease::holder_id).
    holder text not null,
    expires_at_ms bigint not null,
    -- When the current holder took it, and how many times it has changed hands (one more
    -- each time another instance takes it: what the takeover test and the operator look at).
    acquired_at_ms bigint not null,
    generation bigint not null
);
