-- Deadline jobs never stop on one item. An item that fails (a campaign to decide, a join to
-- settle, an order to sweep) is remembered here with its attempts and when to try it again;
-- every other item goes on, and a later pass retries it with backoff. Success deletes the row.
create table job_retries (
    job text not null,
    item_id bigint not null,
    attempts bigint not null,
    next_at_ms bigint not null,
    last_error text not null,
    updated_at_ms bigint not null,
    primary key (job, item_id)
);
