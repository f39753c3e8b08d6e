//! The forwarding loop: every WebRTC connection of this instance, one thread, one poll loop.
//!
//! str0m is sans-IO: each `Rtc` is fed datagrams and time, and answers with datagrams to send,
//! the time it next wants to be woken, and events. A publisher's `MediaData` (a whole frame,
//! depacketised) is written to every viewer of the same session as it is — no decoding, no
//! transcoding — and str0m packetises, encrypts and retransmits (NACK) per viewer. A viewer
//! that joins or loses packets asks for a keyframe, which is passed on to the publisher at most
//! twice a second.
use super::record::{Rec, Recorder};
use super::{Opened, RelayError, RelayEvent, Role};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use str0m::change::SdpOffer;
use str0m::media::{Frequency, KeyframeRequestKind, MediaData, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};

/// How often a publisher may be asked for a keyframe: a viewer joining waits at most this
/// long plus one frame; many viewers joining at once cost the host one keyframe, not many.
const KEYFRAME_EVERY: Duration = Duration::from_millis(500);

/// A connection that never completes ICE and DTLS in this long is dropped (a WHEP offer from
/// a browser that went away before connecting).
const CONNECT_WITHIN: Duration = Duration::from_secs(20);

/// Silence after which a connection is taken for gone. A publisher sends media all the time,
/// so a few seconds without a datagram means the phone lost its network (the room says
/// 主播暂时离开 at once rather than after ICE's own timeouts). A viewer with no video to
/// receive (the host away) sends only a consent check every ~5 s.
const PUBLISHER_SILENCE: Duration = Duration::from_secs(3);
const VIEWER_SILENCE: Duration = Duration::from_secs(20);

pub(super) struct Engine {
    /// The addresses this relay announces (one per bound socket), in socket order.
    pub(super) local: Vec<SocketAddr>,
    clients: HashMap<u64, Client>,
    /// (remote, local) → client, learnt from the first datagram a client accepts.
    routes: HashMap<(SocketAddr, SocketAddr), u64>,
    rooms: HashMap<i64, Room>,
    next_id: u64,
    max_viewers: usize,
    viewers: usize,
    events: tokio::sync::mpsc::UnboundedSender<RelayEvent>,
    recorder: Option<Recorder>,
    /// Datagrams to send, drained by the loop after each step.
    pub(super) outbox: Vec<(SocketAddr, SocketAddr, Vec<u8>)>,
    pub(super) stats: Stats,
}

/// Counters the metrics endpoint and the load tool read.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub publishers: usize,
    pub viewers: usize,
    /// Frames (video) and packets (audio) received from publishers.
    pub frames_in: u64,
    /// The same, times each viewer they were written to.
    pub frames_out: u64,
}

struct Client {
    session: i64,
    role: Role,
    rtc: Rtc,
    resource: String,
    /// Media lines and their kinds, as negotiated.
    mids: Vec<(Mid, MediaKind)>,
    connected: bool,
    opened: Instant,
    /// The last datagram from the other end.
    heard: Instant,
    /// When str0m next wants `Input::Timeout`.
    wake: Instant,
}

#[derive(Default)]
struct Room {
    publisher: Option<u64>,
    viewers: Vec<u64>,
    on_air: bool,
    /// Counts publishers: the recorder anchors its clocks again when it changes.
    generation: u64,
    /// What is forwarded is also recorded (while the session is live).
    recording: bool,
    last_keyframe_request: Option<Instant>,
    /// One continuous timeline per kind for the viewers, across publishers: a host who
    /// reconnects starts new RTP clocks, and viewers' players would stall on the jump.
    timelines: [Timeline; 2],
}

#[derive(Default, Clone, Copy)]
struct Timeline {
    /// Added to the current publisher's media time; `None` until its first frame of the kind.
    offset: Option<i64>,
    /// The last time written out and when.
    last: Option<(u64, Instant)>,
}

/// Work one client's output leaves for others, done after its poll so borrows stay simple.
enum Act {
    /// A frame from publisher (client id) of a session.
    Media(u64, i64, MediaData),
    Keyframe(i64),
    Connected(u64),
}

fn kind_index(kind: MediaKind) -> usize {
    match kind {
        MediaKind::Audio => 0,
        MediaKind::Video => 1,
    }
}

impl Engine {
    pub(super) fn new(local: Vec<SocketAddr>, max_viewers: usize, events: tokio::sync::mpsc::UnboundedSender<RelayEvent>, recorder: Option<Recorder>) -> Engine {
        Engine {
            local,
            clients: HashMap::new(),
            routes: HashMap::new(),
            rooms: HashMap::new(),
            next_id: 1,
            max_viewers,
            viewers: 0,
            events,
            recorder,
            outbox: Vec::new(),
            stats: Stats::default(),
        }
    }

    fn config() -> RtcConfig {
        // ICE-lite: the relay sits on a reachable address and only answers checks. VP8 and Opus
        // only: every browser sends and plays both, and a recording can be written as WebM
        // without transcoding.
        RtcConfig::new().set_ice_lite(true).clear_codecs().enable_vp8(true).enable_opus(true, false)
    }

    /// A WHIP (publish) or WHEP (watch) offer: the answer, and the resource id that ends it.
    pub(super) fn open(&mut self, session: i64, role: Role, offer: &str, now: Instant) -> Result<Opened, RelayError> {
        // A WHIP offer must send something and a WHEP offer receive something, or there is
        // nothing to relay. (str0m names the media lines only once the connection is up.)
        if !offers(offer, role) {
            return Err(RelayError::BadOffer);
        }
        let offer = SdpOffer::from_sdp_string(offer).map_err(|_| RelayError::BadOffer)?;
        if role == Role::Viewer && self.viewers >= self.max_viewers {
            return Err(RelayError::Full);
        }
        let mut rtc = Self::config().build(now);
        for addr in &self.local {
            let c = Candidate::host(*addr, "udp").map_err(|_| RelayError::BadOffer)?;
            rtc.add_local_candidate(c);
        }
        let answer = rtc.sdp_api().accept_offer(offer).map_err(|_| RelayError::BadOffer)?;
        let id = self.next_id;
        self.next_id += 1;
        let resource = linli_app::server::random_token().map_err(|_| RelayError::Closed)?;
        let mut client = Client { session, role, rtc, resource: resource.clone(), mids: Vec::new(), connected: false, opened: now, heard: now, wake: now };
        let mut acts = Vec::new();
        poll(id, &mut client, &mut self.outbox, &mut acts);
        let room = self.rooms.entry(session).or_default();
        match role {
            Role::Publisher => {
                // A new publisher replaces the old one (the host's phone reconnecting after a
                // network drop, before the relay noticed the old connection died).
                if let Some(old) = room.publisher.replace(id) {
                    if let Some(c) = self.clients.get_mut(&old) {
                        c.rtc.disconnect();
                    }
                }
                room.timelines.iter_mut().for_each(|t| t.offset = None);
                room.generation += 1;
                self.stats.publishers += 1;
            }
            Role::Viewer => {
                room.viewers.push(id);
                self.viewers += 1;
                self.stats.viewers = self.viewers;
            }
        }
        self.clients.insert(id, client);
        self.settle(acts, now);
        self.reap(now);
        Ok(Opened { answer: answer.to_sdp_string(), resource })
    }

    /// DELETE on a WHIP/WHEP resource: true if it was this session's.
    pub(super) fn close(&mut self, session: i64, resource: &str, now: Instant) -> bool {
        let found = self.clients.values_mut().find(|c| c.session == session && c.resource == resource);
        let Some(c) = found else { return false };
        c.rtc.disconnect();
        self.reap(now);
        true
    }

    /// Records the session's video from now (`on`), or stops and closes the file.
    pub(super) fn record(&mut self, session: i64, on: bool, now: Instant) {
        let Some(recorder) = &self.recorder else { return };
        let room = self.rooms.entry(session).or_default();
        if room.recording != on {
            room.recording = on;
            recorder.send(if on { Rec::Start { session } } else { Rec::Stop { session } });
            // A file starts at a keyframe, and a browser sends one only when asked.
            if on {
                let mut acts = Vec::new();
                self.ask_keyframe(session, now, &mut acts);
                self.settle(acts, now);
            }
        }
    }

    /// The session ended: every connection of it goes, and its recording is closed.
    pub(super) fn end_session(&mut self, session: i64, now: Instant) {
        self.record(session, false, now);
        for c in self.clients.values_mut().filter(|c| c.session == session) {
            c.rtc.disconnect();
        }
        self.reap(now);
        self.rooms.remove(&session);
    }

    /// A datagram on one of our sockets.
    pub(super) fn receive(&mut self, source: SocketAddr, local: SocketAddr, data: &[u8], now: Instant) {
        let Ok(contents) = data.try_into() else { return };
        let input = Input::Receive(now, Receive { proto: Protocol::Udp, source, destination: local, contents });
        let id = match self.routes.get(&(source, local)) {
            Some(id) if self.clients.get(id).is_some_and(|c| c.rtc.accepts(&input)) => *id,
            _ => {
                // First contact (a STUN check naming the connection's ICE credentials).
                let Some((id, _)) = self.clients.iter().find(|(_, c)| c.rtc.accepts(&input)) else { return };
                self.routes.insert((source, local), *id);
                *id
            }
        };
        let mut acts = Vec::new();
        if let Some(c) = self.clients.get_mut(&id) {
            c.heard = now;
            if c.rtc.handle_input(input).is_err() {
                c.rtc.disconnect();
            }
            poll(id, c, &mut self.outbox, &mut acts);
        }
        self.settle(acts, now);
    }

    /// Time passes: every client whose timer is due is woken.
    pub(super) fn tick(&mut self, now: Instant) {
        let due: Vec<u64> = self.clients.iter().filter(|(_, c)| c.wake <= now).map(|(id, _)| *id).collect();
        let mut acts = Vec::new();
        for id in due {
            if let Some(c) = self.clients.get_mut(&id) {
                let silence = if c.role == Role::Publisher { PUBLISHER_SILENCE } else { VIEWER_SILENCE };
                if (!c.connected && now.duration_since(c.opened) > CONNECT_WITHIN) || (c.connected && now.duration_since(c.heard) > silence) {
                    c.rtc.disconnect();
                }
                if c.rtc.handle_input(Input::Timeout(now)).is_err() {
                    c.rtc.disconnect();
                }
                poll(id, c, &mut self.outbox, &mut acts);
            }
        }
        self.settle(acts, now);
        self.reap(now);
    }

    pub(super) fn sessions(&self) -> Vec<i64> {
        self.rooms.keys().copied().collect()
    }

    /// When the loop must next call `tick`.
    pub(super) fn next_wake(&self, now: Instant) -> Instant {
        self.clients.values().map(|c| c.wake).min().unwrap_or(now + Duration::from_secs(1)).max(now)
    }

    fn settle(&mut self, mut acts: Vec<Act>, now: Instant) {
        while let Some(act) = acts.pop() {
            match act {
                Act::Media(from, session, data) => self.forward(from, session, data, now, &mut acts),
                Act::Keyframe(session) => self.ask_keyframe(session, now, &mut acts),
                Act::Connected(id) => {
                    let Some(c) = self.clients.get(&id) else { continue };
                    let (session, role) = (c.session, c.role);
                    match role {
                        Role::Viewer => self.ask_keyframe(session, now, &mut acts),
                        Role::Publisher => {
                            let room = self.rooms.entry(session).or_default();
                            if room.publisher == Some(id) && !room.on_air {
                                room.on_air = true;
                                let _ = self.events.send(RelayEvent::Video { session, on_air: true });
                            }
                            self.ask_keyframe(session, now, &mut acts);
                        }
                    }
                }
            }
        }
    }

    fn forward(&mut self, from: u64, session: i64, data: MediaData, now: Instant, acts: &mut Vec<Act>) {
        let Some(room) = self.rooms.get_mut(&session) else { return };
        // A replaced publisher's last frames are not mixed into the new one's timeline.
        if room.publisher != Some(from) {
            return;
        }
        let Some(kind) = self.clients.get(&from).and_then(|p| p.mids.iter().find(|(m, _)| *m == data.mid)).map(|(_, k)| *k) else {
            return;
        };
        let line = &mut room.timelines[kind_index(kind)];
        let ticks = data.time.numer() as i64;
        let hz = data.time.frequency();
        let offset = *line.offset.get_or_insert_with(|| match line.last {
            // Continue where the previous publisher left off, plus the time that passed.
            Some((last, at)) => last as i64 + ticks_in(now.duration_since(at), hz) + 1 - ticks,
            None => 0,
        });
        let out = (ticks + offset).max(0) as u64;
        line.last = Some((out, now));
        let time = MediaTime::new(out, hz);
        if room.recording {
            if let Some(r) = &self.recorder {
                r.send(Rec::Frame { session, video: kind == MediaKind::Video, generation: room.generation, arrival: data.network_time, time: data.time, data: data.data.clone() });
            }
        }
        let viewers = room.viewers.clone();
        self.stats.frames_in += 1;
        for v in viewers {
            let Some(c) = self.clients.get_mut(&v) else { continue };
            if !c.connected {
                continue;
            }
            let Some(mid) = c.mids.iter().find(|(_, k)| *k == kind).map(|(m, _)| *m) else { continue };
            let Some(writer) = c.rtc.writer(mid) else { continue };
            let Some(pt) = writer.match_params(data.params) else { continue };
            if writer.write(pt, data.network_time, time, data.data.clone()).is_err() {
                c.rtc.disconnect();
            }
            self.stats.frames_out += 1;
            poll(v, c, &mut self.outbox, acts);
        }
    }

    /// Ask the session's publisher for a keyframe (PLI), at most every `KEYFRAME_EVERY`.
    fn ask_keyframe(&mut self, session: i64, now: Instant, acts: &mut Vec<Act>) {
        let Some(room) = self.rooms.get_mut(&session) else { return };
        if room.last_keyframe_request.is_some_and(|t| now.duration_since(t) < KEYFRAME_EVERY) {
            return;
        }
        let Some(id) = room.publisher else { return };
        let Some(p) = self.clients.get_mut(&id) else { return };
        let Some(mid) = p.mids.iter().find(|(_, k)| *k == MediaKind::Video).map(|(m, _)| *m) else { return };
        if let Some(mut writer) = p.rtc.writer(mid) {
            if writer.request_keyframe(None, KeyframeRequestKind::Pli).is_ok() {
                room.last_keyframe_request = Some(now);
            }
        }
        poll(id, p, &mut self.outbox, acts);
    }

    /// Drops connections that ended; tells the room when its publisher went.
    fn reap(&mut self, _now: Instant) {
        let dead: Vec<u64> = self.clients.iter().filter(|(_, c)| !c.rtc.is_alive()).map(|(id, _)| *id).collect();
        for id in dead {
            let Some(c) = self.clients.remove(&id) else { continue };
            self.routes.retain(|_, v| *v != id);
            let Some(room) = self.rooms.get_mut(&c.session) else { continue };
            match c.role {
                Role::Viewer => {
                    room.viewers.retain(|v| *v != id);
                    self.viewers -= 1;
                    self.stats.viewers = self.viewers;
                }
                Role::Publisher => {
                    self.stats.publishers -= 1;
                    if room.publisher == Some(id) {
                        room.publisher = None;
                        if room.on_air {
                            room.on_air = false;
                            let _ = self.events.send(RelayEvent::Video { session: c.session, on_air: false });
                        }
                    }
                }
            }
        }
    }
}

/// Whether an SDP offer has an audio or video line that sends (to publish) or receives (to
/// watch). Lines default to sendrecv; a rejected line (port 0) does not count.
fn offers(sdp: &str, role: Role) -> bool {
    let wanted = match role {
        Role::Publisher => ["a=sendonly", "a=sendrecv"],
        Role::Viewer => ["a=recvonly", "a=sendrecv"],
    };
    let mut found = false;
    for section in sdp.split("\nm=").skip(1) {
        let head = section.lines().next().unwrap_or_default();
        let mut words = head.split_whitespace();
        let (kind, port) = (words.next().unwrap_or_default(), words.next().unwrap_or_default());
        if !matches!(kind, "audio" | "video") || port == "0" {
            continue;
        }
        let dirs: Vec<&str> = section.lines().map(str::trim).filter(|l| matches!(*l, "a=sendonly" | "a=recvonly" | "a=sendrecv" | "a=inactive")).collect();
        found |= match dirs.first() {
            Some(d) => wanted.contains(d),
            None => wanted.contains(&"a=sendrecv"),
        };
    }
    found
}

fn ticks_in(d: Duration, hz: Frequency) -> i64 {
    (d.as_micros() as i64).saturating_mul(hz.get() as i64) / 1_000_000
}

/// Polls one client until it only has a timer left: datagrams go to the outbox, events become
/// work for others.
fn poll(id: u64, c: &mut Client, outbox: &mut Vec<(SocketAddr, SocketAddr, Vec<u8>)>, acts: &mut Vec<Act>) {
    loop {
        if !c.rtc.is_alive() {
            c.wake = Instant::now();
            return;
        }
        match c.rtc.poll_output() {
            Ok(Output::Timeout(t)) => {
                c.wake = t;
                return;
            }
            Ok(Output::Transmit(t)) => outbox.push((t.source, t.destination, t.contents.into())),
            Ok(Output::Event(e)) => match e {
                Event::Connected => {
                    c.connected = true;
                    acts.push(Act::Connected(id));
                }
                Event::IceConnectionStateChange(IceConnectionState::Disconnected) => c.rtc.disconnect(),
                Event::MediaAdded(m) => c.mids.push((m.mid, m.kind)),
                Event::MediaData(data) if c.role == Role::Publisher => acts.push(Act::Media(id, c.session, data)),
                Event::KeyframeRequest(_) if c.role == Role::Viewer => acts.push(Act::Keyframe(c.session)),
                _ => {}
            },
            Err(e) => {
                tracing::debug!(error = ?e, "relay: connection failed");
                c.rtc.disconnect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relay::probe::Probe;
    use std::net::{IpAddr, Ipv4Addr};

    fn engine() -> (Engine, tokio::sync::mpsc::UnboundedReceiver<RelayEvent>) {
        str0m::crypto::from_feature_flags().install_process_default();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (Engine::new(vec!["127.0.0.1:40000".parse().unwrap()], 2, tx, None), rx)
    }

    #[tokio::test]
    async fn offers_are_answered_by_role_and_viewers_are_capped() {
        let (mut e, _rx) = engine();
        let now = Instant::now();
        let (_, publish) = Probe::offer(Role::Publisher, IpAddr::V4(Ipv4Addr::LOCALHOST)).await.unwrap();
        let (_, watch) = Probe::offer(Role::Viewer, IpAddr::V4(Ipv4Addr::LOCALHOST)).await.unwrap();
        let opened = e.open(1, Role::Publisher, &publish, now).map_err(|err| format!("{err:?}")).unwrap();
        assert!(opened.answer.contains("a=candidate") && opened.answer.contains("127.0.0.1 40000"), "{}", opened.answer);
        assert!(opened.answer.contains("VP8"), "{}", opened.answer);
        assert_eq!(e.open(1, Role::Publisher, &watch, now).err(), Some(RelayError::BadOffer), "a watch offer is no publish");
        assert_eq!(e.open(1, Role::Viewer, &publish, now).err(), Some(RelayError::BadOffer), "a publish offer is no watch");
        assert_eq!(e.open(1, Role::Viewer, "v=0", now).err(), Some(RelayError::BadOffer));
        assert!(e.open(1, Role::Viewer, &watch, now).is_ok());
        assert!(e.open(2, Role::Viewer, &watch, now).is_ok());
        assert_eq!(e.open(2, Role::Viewer, &watch, now).err(), Some(RelayError::Full));
        assert_eq!(e.stats.viewers, 2);
        assert_eq!(e.stats.publishers, 1);
        // A second publisher replaces the first.
        assert!(e.open(1, Role::Publisher, &publish, now).is_ok());
        e.tick(now);
        assert_eq!(e.stats.publishers, 1);
        assert!(e.close(2, &e.clients.values().find(|c| c.session == 2).unwrap().resource.clone(), now));
        assert_eq!(e.stats.viewers, 1);
        assert!(!e.close(2, "nope", now));
    }
}
