//! Changes fanned out to open event streams (server-sent events): an order's tracking page,
//! a store's queue, a resident's bell.
//!
//! An event is staged inside the transaction that makes the change, so a stream never
//! announces something that was rolled back:
//! - PostgreSQL (several stateless instances): `pg_notify` in the transaction; PostgreSQL
//!   delivers it at commit to every instance listening, this one included.
//! - SQLite (one instance): the event is handed to this process's subscribers after commit.
//!
//! Each staged event is also written to the event log (`store::append`, same transaction) and
//! carries that row's id: a stream sends it as the SSE id, and a browser that reconnects sends
//! the last one back (Last-Event-ID) to be sent what it missed (server/src/api/events.rs).
pub mod store;

use super::db::Backend;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// How long the event log keeps an event for reconnecting streams (housekeeping purges older
/// ones every ten minutes): a phone that lost its connection for longer reloads its page.
pub const LOG_KEEP_MS: i64 = 15 * 60_000;

/// The PostgreSQL notification channel.
const PG_CHANNEL: &str = "linli_events";
/// Events a slow stream may fall behind by before it is told to reload (see `Lagged`).
const BUFFER: usize = 4096;

/// Where an event goes: streams subscribe to one topic each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "t", content = "id")]
pub enum Topic {
    /// One order (its resident's tracking page).
    Order(i64),
    /// One store's queue and desk.
    Store(i64),
    /// One resident's bell.
    User(i64),
    /// One group buy's join page (its live progress).
    GroupBuy(i64),
    /// One live session's room and host console.
    Live(i64),
}

impl Topic {
    /// The topic's name in the event log: "order:12", "store:3".
    pub fn key(&self) -> String {
        match self {
            Topic::Order(id) => format!("order:{id}"),
            Topic::Store(id) => format!("store:{id}"),
            Topic::User(id) => format!("user:{id}"),
            Topic::GroupBuy(id) => format!("group_buy:{id}"),
            Topic::Live(id) => format!("live:{id}"),
        }
    }
}

/// One event: its id in the event log (None for news that is not logged: an instance's own
/// viewer count, a stream's current state), its SSE name ("status"), the topics it concerns,
/// its JSON data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub name: String,
    pub topics: Vec<Topic>,
    pub data: String,
}

impl Event {
    pub fn new(name: &str, topics: Vec<Topic>, data: &impl Serialize) -> Event {
        Event { id: None, name: name.to_string(), topics, data: serde_json::to_string(data).unwrap_or_else(|_| "{}".to_string()) }
    }

    pub fn concerns(&self, topic: Topic) -> bool {
        self.topics.contains(&topic)
    }
}

/// What the event log says to an opening stream: its newest id (the stream's first batch ends
/// on it, so the browser's Last-Event-ID is current even on a quiet topic) and, for a browser
/// that came back with Last-Event-ID, what it missed on the stream's topic, oldest first — None
/// when the log cannot say (purged past it, too much to replay, unreadable): the page reloads.
pub struct Resume {
    pub newest: Option<i64>,
    pub missed: Option<Vec<Event>>,
}

#[derive(Clone, Debug)]
pub struct Hub {
    backend: Backend,
    url: Arc<str>,
    tx: broadcast::Sender<Arc<Event>>,
    listening: Arc<AtomicBool>,
    /// Live rooms' streams open on this instance, by session (see [`Hub::watch_live`]).
    watching: Arc<Mutex<HashMap<i64, usize>>>,
    /// This process's name among the instances sharing the database.
    instance: Arc<str>,
}

/// A live room's stream counted as one viewer while it is held.
pub struct Watch {
    session_id: i64,
    watching: Arc<Mutex<HashMap<i64, usize>>>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Ok(mut w) = self.watching.lock() {
            if let Some(n) = w.get_mut(&self.session_id) {
                *n = n.saturating_sub(1);
            }
        }
    }
}

impl Hub {
    pub fn new(backend: Backend, url: &str) -> Hub {
        let (tx, _) = broadcast::channel(BUFFER);
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let instance = format!("{}-{}-{:x}", hostname(), std::process::id(), started);
        Hub {
            backend,
            url: url.into(),
            tx,
            listening: Arc::new(AtomicBool::new(false)),
            watching: Arc::new(Mutex::new(HashMap::new())),
            instance: instance.into(),
        }
    }

    /// Counts a live room's stream as a viewer until the guard is dropped.
    pub fn watch_live(&self, session_id: i64) -> Watch {
        if let Ok(mut w) = self.watching.lock() {
            *w.entry(session_id).or_default() += 1;
        }
        Watch { session_id, watching: self.watching.clone() }
    }

    /// Viewers held here per session. A session whose last viewer left is reported once more
    /// with 0 (so its count is written down) and then forgotten.
    pub fn live_watched(&self) -> Vec<(i64, usize)> {
        let Ok(mut w) = self.watching.lock() else { return Vec::new() };
        let now: Vec<(i64, usize)> = w.iter().map(|(k, v)| (*k, *v)).collect();
        w.retain(|_, n| *n > 0);
        now
    }

    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Hands `event` to this instance's streams only: news every instance works out for
    /// itself (viewer counts), which would arrive N times over through PostgreSQL.
    pub fn local(&self, event: Event) {
        let _ = self.tx.send(Arc::new(event));
    }

    /// Stages `event` inside the caller's transaction: logs it (giving it its id) and, on
    /// PostgreSQL, notifies it; pass it to [`Hub::committed`] once the transaction has committed.
    /// Stage last, just before the commit, and inside a transaction: on PostgreSQL staging takes
    /// the lock that keeps event ids in commit order (`store::append`) until the commit.
    pub async fn stage(&self, conn: &mut AnyConnection, event: &mut Event) -> Result<(), sqlx::Error> {
        event.id = Some(store::append(conn, self.backend, event, crate::shared::time::now_ms()).await?);
        if self.backend == Backend::Postgres {
            let payload = serde_json::to_string(event).unwrap_or_default();
            sqlx::query("select pg_notify($1, $2)").bind(PG_CHANNEL).bind(payload).execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// After commit: on SQLite the event goes to this process's streams now (on PostgreSQL
    /// the listener brings it back from the database).
    pub fn committed(&self, events: impl IntoIterator<Item = Event>) {
        if self.backend == Backend::Sqlite {
            for e in events {
                // No open stream is not an error.
                let _ = self.tx.send(Arc::new(e));
            }
        }
    }

    /// On PostgreSQL, starts this instance's listener and returns once it LISTENs, so a stream
    /// opened from then on hears every change committed after it subscribed (an instance does
    /// this before it serves: the first streams after a restart are the reconnecting ones).
    pub async fn listen_now(&self) {
        if self.backend != Backend::Postgres || self.listening.swap(true, Ordering::SeqCst) {
            return;
        }
        match connect_listener(&self.url).await {
            Ok(listener) => {
                tokio::spawn(listen(listener, self.url.clone(), self.tx.clone()));
            }
            Err(e) => {
                tracing::error!(error = %e, "event listener could not start; retrying with the first stream");
                self.listening.store(false, Ordering::SeqCst);
            }
        }
    }

    /// A new stream's feed. On PostgreSQL the first subscriber starts this instance's listener
    /// if [`Hub::listen_now`] has not.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        let rx = self.tx.subscribe();
        if self.backend == Backend::Postgres && !self.listening.load(Ordering::SeqCst) {
            let hub = self.clone();
            tokio::spawn(async move { hub.listen_now().await });
        }
        rx
    }

    /// What the event log tells a stream that is opening (read after subscribing and before
    /// reading the state it starts with, so nothing falls between the three).
    pub async fn resume(&self, pool: &sqlx::AnyPool, topic: Topic, after: Option<i64>) -> Resume {
        const MOST: i64 = 500;
        let read = async {
            let (oldest, newest) = store::bounds(pool).await?;
            let missed = match (after, oldest, newest) {
                // Ids may skip (a rolled-back transaction's on PostgreSQL): a gap just after
                // `after` reads as purged, and the page reloads — never a silent loss. An id
                // beyond the newest is from another database (a restore): reload too.
                (Some(after), Some(oldest), Some(newest)) if oldest <= after.saturating_add(1) && after <= newest => {
                    let events = store::since(pool, topic, after, MOST + 1).await?;
                    (events.len() as i64 <= MOST).then_some(events)
                }
                _ => None,
            };
            Ok::<_, crate::shared::AppError>(Resume { newest, missed })
        };
        match read.await {
            Ok(r) => r,
            Err(e) => {
                // The stream still opens, starting from the state; the page reloads if it asked.
                tracing::warn!(error = ?e, "event log unreadable for a stream");
                Resume { newest: None, missed: None }
            }
        }
    }

    /// Streams open on this instance.
    pub fn subscribers(&self) -> usize {
        self.tx.receiver_count()
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "linli".into())
}

async fn connect_listener(url: &str) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(PG_CHANNEL).await?;
    Ok(listener)
}

/// Forwards PostgreSQL notifications to this instance's streams. What is sent while the
/// connection is lost cannot be had again, so once a new connection LISTENs, every stream is
/// told to `reload` (an event with no topic reaches every stream) and the page fetches afresh.
async fn listen(mut listener: sqlx::postgres::PgListener, url: Arc<str>, tx: broadcast::Sender<Arc<Event>>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => match serde_json::from_str::<Event>(n.payload()) {
                Ok(e) => {
                    let _ = tx.send(Arc::new(e));
                }
                Err(e) => tracing::warn!(error = %e, "unreadable event notification"),
            },
            Ok(None) | Err(_) => {
                tracing::warn!("event listener lost its connection; reconnecting");
                listener = loop {
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    match connect_listener(&url).await {
                        Ok(l) => break l,
                        Err(e) => tracing::warn!(error = %e, "event listener could not reconnect; retrying"),
                    }
                };
                let _ = tx.send(Arc::new(Event { id: None, name: "reload".into(), topics: Vec::new(), data: "{}".into() }));
            }
        }
    }
}
