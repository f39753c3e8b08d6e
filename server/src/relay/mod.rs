//! The live room's video relay (a selective forwarding unit) inside the `linli` binary.
//!
//! The host's phone (or OBS) publishes with WHIP, residents watch with WHEP: both are one HTTP
//! POST of an SDP offer, answered with the relay's SDP and a resource URL to DELETE. Media then
//! flows over UDP between the browser and this instance, and the relay forwards the host's
//! packets to every viewer without transcoding (`engine`).
//!
//! The engine runs on its own thread with its own single-threaded runtime: it is a tight
//! CPU-bound loop (encrypting every packet once per viewer) that must not take a worker from
//! the pages and API, and it keeps the sans-IO state without locks.
mod engine;
pub mod net;
pub mod probe;
mod record;
pub mod webm;

pub use engine::Stats;
use std::net::SocketAddr;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Publisher,
    Viewer,
}

#[derive(Debug, PartialEq, Eq)]
pub enum RelayError {
    /// Not an SDP offer the relay can answer (no media to send or receive in VP8/Opus).
    BadOffer,
    /// This instance holds as many viewers as it was configured for.
    Full,
    /// The relay thread is gone (the server is shutting down).
    Closed,
}

pub struct Opened {
    pub answer: String,
    pub resource: String,
}

/// What the relay tells the rest of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RelayEvent {
    /// The host's video started or stopped reaching the relay.
    Video { session: i64, on_air: bool },
    /// A recording's file began (`finished: false`) or was closed with its length.
    Recorded { session: i64, file: String, duration_ms: u64, bytes: u64, finished: bool },
}

enum Command {
    Open { session: i64, role: Role, offer: String, reply: oneshot::Sender<Result<Opened, RelayError>> },
    Close { session: i64, resource: String, reply: oneshot::Sender<bool> },
    EndSession { session: i64 },
    Record { session: i64, on: bool },
    Stats { reply: oneshot::Sender<Stats> },
    Sessions { reply: oneshot::Sender<Vec<i64>> },
}

/// The handle handlers use: cheap to clone, talks to the relay thread.
#[derive(Clone)]
pub struct Relay {
    tx: mpsc::UnboundedSender<Command>,
    /// The UDP addresses announced to browsers as ICE candidates.
    pub candidates: Vec<SocketAddr>,
    /// STUN/TURN servers the browser should use (`LINLI_TURN_URL`…), for the page and the
    /// WHIP/WHEP `Link` headers.
    pub ice_servers: Vec<net::IceServer>,
    instance: String,
    /// Where replays are written (`LINLI_RECORDINGS_DIR`); `None` when recording is off.
    pub recordings: Option<std::path::PathBuf>,
}

impl Relay {
    /// Binds the UDP sockets and starts the relay thread. `events` hears when a session's
    /// video starts and stops reaching this instance.
    pub fn start(config: &net::RelayConfig) -> std::io::Result<(Relay, mpsc::UnboundedReceiver<RelayEvent>)> {
        // aws-lc, process-wide (a second call, as in the tests' many apps, is a no-op).
        str0m::crypto::from_feature_flags().install_process_default();
        let sockets = net::bind(config)?;
        let candidates: Vec<SocketAddr> = sockets.iter().map(|(_, announced)| *announced).collect();
        let (tx, rx) = mpsc::unbounded_channel();
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let max_viewers = config.max_viewers;
        let recorder = match &config.recordings {
            Some(dir) => Some(record::Recorder::start(dir.clone(), events_tx.clone())?),
            None => None,
        };
        std::thread::Builder::new().name("linli-relay".into()).spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(rt) => rt,
                Err(e) => return tracing::error!(error = %e, "relay: no runtime"),
            };
            rt.block_on(run(sockets, rx, max_viewers, events_tx, recorder));
        })?;
        tracing::info!(candidates = ?candidates, "video relay listening (UDP)");
        Ok((Relay { tx, candidates, ice_servers: config.ice_servers.clone(), instance: config.instance.clone(), recordings: config.recordings.clone() }, events_rx))
    }

    async fn ask<T>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Command) -> Result<T, RelayError> {
        let (reply, answer) = oneshot::channel();
        self.tx.send(make(reply)).map_err(|_| RelayError::Closed)?;
        answer.await.map_err(|_| RelayError::Closed)
    }

    pub async fn open(&self, session: i64, role: Role, offer: String) -> Result<Opened, RelayError> {
        self.ask(|reply| Command::Open { session, role, offer, reply }).await?
    }

    pub async fn close(&self, session: i64, resource: String) -> Result<bool, RelayError> {
        self.ask(|reply| Command::Close { session, resource, reply }).await
    }

    pub fn record(&self, session: i64, on: bool) {
        let _ = self.tx.send(Command::Record { session, on });
    }

    pub fn end_session(&self, session: i64) {
        let _ = self.tx.send(Command::EndSession { session });
    }

    /// The sessions this instance relays now.
    pub async fn sessions(&self) -> Result<Vec<i64>, RelayError> {
        self.ask(|reply| Command::Sessions { reply }).await
    }

    pub async fn stats(&self) -> Result<Stats, RelayError> {
        self.ask(|reply| Command::Stats { reply }).await
    }
}

/// The relay's side of the session's life: the room hears when the host's video comes and
/// goes, and a session that ended (by the host, on another instance, or by housekeeping) loses
/// its connections within seconds — an encoder still sending reaches nobody.
pub fn spawn_bookkeeping(relay: Relay, db: linli_app::server::Db, mut events: mpsc::UnboundedReceiver<RelayEvent>) {
    use linli_app::live::model::LiveStatus;
    let sweep = relay.clone();
    let sweep_db = db.clone();
    tokio::spawn(async move {
        while let Some(e) = events.recv().await {
            let (session, done) = match e {
                RelayEvent::Video { session, on_air } => (session, linli_app::live::video::video_changed(&db, session, on_air).await),
                RelayEvent::Recorded { session, file, duration_ms, bytes, finished } => {
                    (session, linli_app::live::video::recorded(&db, session, &file, duration_ms as i64, bytes as i64, finished).await)
                }
            };
            if let Err(err) = done {
                tracing::warn!(session, error = %err, "relay news not recorded");
            }
        }
    });
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(2));
        loop {
            every.tick().await;
            if let Ok(st) = sweep.stats().await {
                let at = sweep.instance.clone();
                metrics::gauge!("linli_relay_publishers", "instance" => at.clone()).set(st.publishers as f64);
                metrics::gauge!("linli_relay_viewers", "instance" => at.clone()).set(st.viewers as f64);
                metrics::counter!("linli_relay_frames_in_total", "instance" => at.clone()).absolute(st.frames_in);
                metrics::counter!("linli_relay_frames_out_total", "instance" => at).absolute(st.frames_out);
            }
            let Ok(sessions) = sweep.sessions().await else { return };
            for id in sessions {
                match linli_app::live::video::status(&sweep_db, id).await {
                    // Recorded while live: not the host's check of the picture before the start.
                    Ok(Some(status)) if status != LiveStatus::Ended => sweep.record(id, status == LiveStatus::Live),
                    Ok(_) => sweep.end_session(id),
                    Err(err) => tracing::debug!(session = id, error = %err, "relay sweep"),
                }
            }
        }
    });
}

async fn run(
    sockets: Vec<(tokio::net::UdpSocket, SocketAddr)>,
    mut commands: mpsc::UnboundedReceiver<Command>,
    max_viewers: usize,
    events: mpsc::UnboundedSender<RelayEvent>,
    recorder: Option<record::Recorder>,
) {
    let announced: Vec<SocketAddr> = sockets.iter().map(|(_, a)| *a).collect();
    let mut engine = engine::Engine::new(announced.clone(), max_viewers, events, recorder);
    let sockets: Vec<std::sync::Arc<tokio::net::UdpSocket>> = sockets.into_iter().map(|(s, _)| std::sync::Arc::new(s)).collect();
    // One reader per socket feeds the loop; a burst is drained without a wake-up per datagram.
    let (dgram_tx, mut dgrams) = mpsc::channel::<(SocketAddr, usize, Vec<u8>)>(4096);
    for (i, s) in sockets.iter().enumerate() {
        let (s, tx) = (s.clone(), dgram_tx.clone());
        tokio::spawn(async move {
            let mut buf = vec![0u8; 2048];
            loop {
                match s.recv_from(&mut buf).await {
                    Ok((n, from)) => {
                        if tx.send((from, i, buf[..n].to_vec())).await.is_err() {
                            return;
                        }
                    }
                    // ICMP port unreachable from a viewer that left surfaces here on some
                    // systems; the socket itself is fine.
                    Err(e) => tracing::debug!(error = %e, "relay: recv"),
                }
            }
        });
    }
    loop {
        let wake = tokio::time::Instant::from_std(engine.next_wake(Instant::now()));
        tokio::select! {
            cmd = commands.recv() => {
                let Some(cmd) = cmd else { return };
                let now = Instant::now();
                match cmd {
                    Command::Open { session, role, offer, reply } => {
                        let _ = reply.send(engine.open(session, role, &offer, now));
                    }
                    Command::Close { session, resource, reply } => {
                        let _ = reply.send(engine.close(session, &resource, now));
                    }
                    Command::EndSession { session } => engine.end_session(session, now),
                    Command::Record { session, on } => engine.record(session, on, now),
                    Command::Stats { reply } => {
                        let _ = reply.send(engine.stats);
                    }
                    Command::Sessions { reply } => {
                        let _ = reply.send(engine.sessions());
                    }
                }
            }
            Some((from, i, data)) = dgrams.recv() => {
                engine.receive(from, announced[i], &data, Instant::now());
                // Whatever else already arrived, before sending and sleeping.
                while let Ok((from, i, data)) = dgrams.try_recv() {
                    engine.receive(from, announced[i], &data, Instant::now());
                }
            }
            _ = tokio::time::sleep_until(wake) => {}
        }
        engine.tick(Instant::now());
        for (source, dest, data) in engine.outbox.drain(..) {
            let Some(i) = announced.iter().position(|a| *a == source) else { continue };
            // UDP: a full send buffer drops the datagram, as the network would; str0m
            // retransmits what a viewer reports missing.
            let _ = sockets[i].try_send_to(&data, dest);
        }
    }
}
