//! Integration tests: the real app on port 0 with a fresh database.
//! SQLite by default; PostgreSQL when LINLI_TEST_PG_URL is set (e.g.
//! postgres://postgres@127.0.0.1:5432) — each test then gets its own database, dropped after.
mod accounts;
mod analytics;
mod cart;
mod catalog;
mod community;
mod customers;
mod delivery;
mod flow;
mod group_buys;
mod insights;
mod instances;
mod helpers;
mod limits;
mod live;
mod video;
mod markdowns;
mod orders;
mod pickup;
mod platform;
mod products;
mod schema;
mod stock;
mod stores;
mod team;
mod wallet;
