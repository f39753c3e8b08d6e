//! Server-sent event streams. A stream subscribes before it reads the current state, so no
//! change can fall between the two; it starts with that state (a reconnecting client is never
//! stale), then forwards the changes for its topic, with a comment line every 15 s so proxies
//! and phones keep the connection open. Each client holds a bounded number of streams, and a
//! stream that needs a role ends when its reader loses it.
//!
//! Logged events carry their id. A browser reconnecting — a lost connection, an instance that
//! restarted or drained — sends the last one (Last-Event-ID) and gets what it missed from the
//! event log, then the current state; when the log cannot say, a `reload` tells the page to
//! fetch afresh.
use crate::api::error::ApiError;
use crate::drain::Drain;
use crate::limits::{Limits, StreamSlot, StreamSlots};
use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use linli_app::accounts::model::Me;
use linli_app::server::{AppState, Db};
use futures::stream::{self, Stream, StreamExt};
use linli_app::server::events::{Event, Resume, Topic};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{error::RecvError, Receiver};

fn to_sse(e: &Event) -> SseEvent {
    let sse = SseEvent::default().event(e.name.clone()).data(e.data.clone());
    match e.id {
        Some(id) => sse.id(id.to_string()),
        None => sse,
    }
}

/// A stream's place in its client's allowance: a signed-in reader counts against the account,
/// anyone else against the address (several households behind one carrier NAT share it, so
/// it allows four times as many).
pub struct Opening {
    _slot: StreamSlot,
    /// Re-checked while the stream is open: the reader must still be an active account and,
    /// when set, still work at this store.
    reader: Option<(i64, Option<i64>)>,
    db: Db,
    recheck: Duration,
    /// A live room's stream counts as a viewer while it is open.
    _watch: Option<linli_app::server::events::Watch>,
    /// Ends the stream when the instance drains.
    drain: Drain,
    /// The last event a reconnecting browser saw (its Last-Event-ID header).
    last_event_id: Option<i64>,
}

/// What opening a stream needs from its request — the client's address and headers (whose
/// allowance it counts against), the limits and the slots — as one extractor, so a stream's
/// handler names only what it streams.
pub struct StreamRequest {
    state: AppState,
    slots: StreamSlots,
    limits: Limits,
    peer: ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    drain: Drain,
}

impl axum::extract::FromRequestParts<AppState> for StreamRequest {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, ApiError> {
        // The layers that provide these wrap every route: missing, it is a server bug.
        let missing = |what: &str| ApiError(linli_app::shared::AppError::internal(format!("stream request without {what}")));
        let slots = parts.extensions.get::<StreamSlots>().cloned().ok_or_else(|| missing("slots"))?;
        let limits = parts.extensions.get::<Limits>().cloned().ok_or_else(|| missing("limits"))?;
        let peer = parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>().cloned().ok_or_else(|| missing("peer address"))?;
        let drain = parts.extensions.get::<Drain>().cloned().ok_or_else(|| missing("drain"))?;
        Ok(StreamRequest { state: state.clone(), slots, limits, peer, headers: parts.headers.clone(), drain })
    }
}

impl StreamRequest {
    /// Takes a stream slot for `me` (or, for a guest, for the address).
    pub fn open(&self, me: Option<&Me>) -> Result<Opening, ApiError> {
        Opening::take(&self.state, &self.slots, &self.limits, me, &self.peer, &self.headers, &self.drain)
    }
}

impl Opening {
    fn take(
        state: &AppState,
        slots: &StreamSlots,
        limits: &Limits,
        me: Option<&Me>,
        peer: &ConnectInfo<std::net::SocketAddr>,
        headers: &HeaderMap,
        drain: &Drain,
    ) -> Result<Opening, ApiError> {
        let (key, max) = match me {
            Some(me) => (format!("u:{}", me.id), limits.streams_per_client),
            None => {
                let ip = linli_app::server::request::client_ip(headers, Some(peer.0.ip()), state.trust_proxy).unwrap_or(peer.0.ip());
                (format!("a:{}", linli_app::accounts::rules::client_bucket(ip)), limits.streams_per_client * 4)
            }
        };
        let slot = slots.take(key, max)?;
        Ok(Opening {
            _slot: slot,
            reader: me.map(|m| (m.id, None)),
            db: state.db.clone(),
            recheck: limits.stream_recheck,
            _watch: None,
            drain: drain.clone(),
            last_event_id: headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok()).filter(|id| *id >= 0),
        })
    }

    /// The stream lasts only while its reader may still see `store_id`'s desk.
    pub fn as_staff_of(mut self, store_id: i64) -> Opening {
        self.reader = self.reader.map(|(uid, _)| (uid, Some(store_id)));
        self
    }

    /// The stream counts as one of a live room's viewers while it is open.
    pub fn watching(mut self, watch: linli_app::server::events::Watch) -> Opening {
        self._watch = Some(watch);
        self
    }

    /// Reads the event log for this stream: call it after subscribing and before reading the
    /// state the stream starts with.
    pub async fn resume(&self, topic: Topic) -> Resume {
        self.db.events.resume(&self.db.pool, topic, self.last_event_id).await
    }

    /// Whether the reader may still read on.
    async fn still_allowed(&self) -> bool {
        let Some((uid, store)) = self.reader else { return true };
        match linli_app::accounts::load_me(&self.db.pool, uid).await {
            Ok(Some(me)) => store.is_none_or(|s| linli_app::orders::flow::desk_may(&me, s)),
            Ok(None) => false,
            // A database hiccup is not a reason to cut a clerk's queue; the next check decides.
            Err(_) => true,
        }
    }
}

/// The response: what a reconnecting browser missed (`resume`, read from the log after
/// subscribing and before the state), the current `state`, the newest event id, then every event
/// for `topic` from `rx`. `backlog` is recent history a new page starts with (a live room's last
/// comments), which a resumed stream already has.
pub fn stream(
    rx: Receiver<Arc<Event>>,
    topic: Topic,
    resume: Resume,
    state: Vec<Event>,
    backlog: Vec<Event>,
    opening: Opening,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let mut first = Vec::new();
    // A resumed stream has had everything up to `newest` (before, or now from the log): what
    // arrives from `rx` up to there is already in what it is sent, or in the state.
    let mut skip_upto = None;
    match resume.missed {
        Some(missed) => {
            metrics::counter!("sse_resumed_total").increment(1);
            first.extend(missed);
            first.extend(state);
            skip_upto = resume.newest;
        }
        None => {
            if opening.last_event_id.is_some() {
                // Back after a gap the log does not cover: the page fetches what it shows.
                first.push(Event::new("reload", vec![topic], &serde_json::json!({})));
            }
            first.extend(state);
            first.extend(backlog);
        }
    }
    let sent: std::collections::HashSet<i64> = first.iter().filter_map(|e| e.id).collect();
    let mut head: Vec<SseEvent> = first.iter().map(to_sse).collect();
    if let Some(newest) = resume.newest {
        // An id without data: the browser takes it as its Last-Event-ID and dispatches nothing.
        head.push(SseEvent::default().id(newest.to_string()));
    }
    metrics::gauge!("sse_streams_open").increment(1.0);
    let start = tokio::time::Instant::now() + opening.recheck;
    let tick = tokio::time::interval_at(start, opening.recheck);
    let head = stream::iter(head.into_iter().map(Ok));
    let draining = Box::pin(opening.drain.started());
    let live = stream::unfold(Feed { rx, opening, tick, draining, ended: false, sent, skip_upto }, move |mut feed| async move {
        if feed.ended {
            return None;
        }
        loop {
            tokio::select! {
                // The instance is going away: the browser reconnects soon, through the proxy to
                // another instance, which sends what it missed since its Last-Event-ID.
                () = &mut feed.draining => {
                    feed.ended = true;
                    return Some((Ok(SseEvent::default().retry(crate::drain::reconnect_after()).comment("draining")), feed));
                }
                got = feed.rx.recv() => match got {
                    Ok(e) if (e.concerns(topic) || e.topics.is_empty()) && !feed.already_sent(&e) => return Some((Ok(to_sse(&e)), feed)),
                    Ok(_) => {}
                    // The stream fell behind the buffer: tell the page to fetch the state afresh.
                    Err(RecvError::Lagged(_)) => return Some((Ok(SseEvent::default().event("reload").data("{}")), feed)),
                    Err(RecvError::Closed) => return None,
                },
                _ = feed.tick.tick() => {
                    if !feed.opening.still_allowed().await {
                        return None;
                    }
                }
            }
        }
    });
    Sse::new(head.chain(live)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Holds the subscription and the client's stream slot; dropping it (the client went away, or
/// the reader lost the right) gives the slot back and lowers the open-streams gauge.
struct Feed {
    rx: Receiver<Arc<Event>>,
    opening: Opening,
    tick: tokio::time::Interval,
    draining: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
    /// The drain's last word was sent: the stream ends.
    ended: bool,
    /// Logged events already sent at the start.
    sent: std::collections::HashSet<i64>,
    /// On a resume, the newest id at the start: everything up to it has been sent or is in the state.
    skip_upto: Option<i64>,
}

impl Feed {
    fn already_sent(&self, e: &Event) -> bool {
        e.id.is_some_and(|id| self.sent.contains(&id) || self.skip_upto.is_some_and(|upto| id <= upto))
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        metrics::gauge!("sse_streams_open").decrement(1.0);
    }
}
