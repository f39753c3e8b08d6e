//! Server-sent event streams. A stream subscribes before it reads the current state, so no
//! change can fall between the two; it starts with that state (a reconnecting client is never
//! stale), then forwards the changes for its topic, with a comment line every 15 s so proxies
//! and phones keep the connection open.
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::stream::{self, Stream, StreamExt};
use linli_app::server::events::{Event, Topic};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{error::RecvError, Receiver};

fn to_sse(e: &Event) -> SseEvent {
    SseEvent::default().event(e.name.clone()).data(e.data.clone())
}

/// The response: `first` (the current state), then every event for `topic` from `rx`.
pub fn stream(rx: Receiver<Arc<Event>>, topic: Topic, first: Vec<Event>) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    metrics::gauge!("sse_streams_open").increment(1.0);
    let opening = stream::iter(first.into_iter().map(|e| Ok(to_sse(&e))));
    let live = stream::unfold(Feed { rx }, move |mut feed| async move {
        loop {
            match feed.rx.recv().await {
                Ok(e) if e.concerns(topic) => return Some((Ok(to_sse(&e)), feed)),
                Ok(_) => {}
                // The stream fell behind the buffer: tell the page to fetch the state afresh.
                Err(RecvError::Lagged(_)) => return Some((Ok(SseEvent::default().event("reload").data("{}")), feed)),
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(opening.chain(live)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Holds the subscription; dropping it (the client went away) lowers the open-streams gauge.
struct Feed {
    rx: Receiver<Arc<Event>>,
}

impl Drop for Feed {
    fn drop(&mut self) {
        metrics::gauge!("sse_streams_open").decrement(1.0);
    }
}
