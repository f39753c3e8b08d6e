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
    /// Stage last, just before the commit: on PostgreSQL ids are handed out in the order events
    /// are staged and delivered in the order their transactions commit, and the nearer the two,
    /// the smaller the chance a reconnecting stream's Last-Event-ID skips one.
    pub async fn stage(&self, conn: &mut AnyConnection, event: &mut Event) -> Result<(), sqlx::Error> {
        event.id = Some(store::append(conn, event, crate::shared::time::now_ms()).await?);
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

    /// A new stream's feed. On PostgreSQL the first subscriber starts this instance's listener.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        let rx = self.tx.subscribe();
        if self.backend == Backend::Postgres && !self.listening.swap(true, Ordering::SeqCst) {
            tokio::spawn(listen(self.url.clone(), self.tx.clone(), self.listening.clone()));
        }
        rx
    }

    /// What a stream reconnecting with `Last-Event-ID: after` missed on `topic`, oldest first;
    /// None when the log cannot say (it no longer reaches back that far, or the gap is longer
    /// than a page would want replayed) and the page should fetch its state afresh instead.
    pub async fn missed(&self, pool: &sqlx::AnyPool, topic: Topic, after: i64) -> Result<Option<Vec<Event>>, crate::shared::AppError> {
        const MOST: i64 = 500;
        match store::oldest(pool).await? {
            // Ids may skip (a rolled-back transaction's on PostgreSQL): a gap just after `after`
            // reads as purged, and the page reloads — never a silent loss.
            Some(oldest) if oldest <= after.saturating_add(1) => {
                let events = store::since(pool, topic, after, MOST + 1).await?;
                Ok((events.len() as i64 <= MOST).then_some(events))
            }
            _ => Ok(None),
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

/// Forwards PostgreSQL notifications to this instance's streams. `PgListener` reconnects by
/// itself; notifications sent while it was away are lost, which streams tolerate because
/// each (re)connecting client is first sent the current state.
async fn listen(url: Arc<str>, tx: broadcast::Sender<Arc<Event>>, listening: Arc<AtomicBool>) {
    let mut listener = match sqlx::postgres::PgListener::connect(&url).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "event listener could not connect");
            listening.store(false, Ordering::SeqCst);
            return;
        }
    };
    if let Err(e) = listener.listen(PG_CHANNEL).await {
        tracing::error!(error = %e, "event listener could not LISTEN");
        listening.store(false, Ordering::SeqCst);
        return;
    }
    loop {
        match listener.recv().await {
            Ok(n) => match serde_json::from_str::<Event>(n.payload()) {
                Ok(e) => {
                    let _ = tx.send(Arc::new(e));
                }
                Err(e) => tracing::warn!(error = %e, "unreadable event notification"),
            },
            Err(e) => {
                tracing::warn!(error = %e, "event listener lost its connection; reconnecting");
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        }
    }
}
