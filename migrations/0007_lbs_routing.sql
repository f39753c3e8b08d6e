-- LBS 分单: when on, a delivery order goes to the chain's store nearest the address among those
-- that deliver there and have every item, instead of the store the resident happened to pick.
-- The owner turns it on or off; off by default (a chain decides to share its orders).
alter table chains add column lbs_routing boolean not null default false;
