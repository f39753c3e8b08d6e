//! Integration tests: the real app on port 0 with a fresh database.
//! SQLite by default; PostgreSQL when LINLI_TEST_PG_URL is set (e.g.
//! postgres://postgres@127.0.0.1:5432) — each test then gets its own database, dropped after.
mod accounts;
mod cart;
mod catalog;
mod customers;
mod flow;
mod group_buys;
mod helpers;
mod limits;
mod markdowns;
mod orders;
mod platform;
mod products;
mod schema;
mod stock;
mod team;
mod wallet;
