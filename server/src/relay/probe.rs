//! A WHIP/WHEP client in Rust (str0m, like the relay): the integration tests publish and watch
//! with it, and `examples/whep_load.rs` holds hundreds of viewers with it. It speaks plain
//! HTTP for the offer/answer and UDP for media, as a browser would.
//!
//! A probe publisher sends a synthetic VP8 stream: frames of a chosen size at a chosen rate, a
//! keyframe (a VP8 key frame's first byte has bit 0 clear) every `keyframe_every` frames and
//! whenever asked. The relay never decodes, so the bytes need only look like VP8 frames.
use super::Role;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};

pub struct Probe {
    rtc: Rtc,
    socket: tokio::net::UdpSocket,
    local: SocketAddr,
    pending: Option<SdpPendingOffer>,
    video: Mid,
    pub connected: bool,
    /// Frames received (viewer) or sent (publisher), keyframes among them, and bytes.
    pub frames: u64,
    pub keyframes: u64,
    pub bytes: u64,
    /// When the first frame arrived (viewer).
    pub first_frame: Option<Instant>,
    pub keyframe_requests: u64,
    sent: u64,
    force_keyframe: bool,
}

/// What a publisher sends.
#[derive(Clone, Copy, Debug)]
pub struct Stream {
    pub fps: u32,
    pub frame_bytes: usize,
    pub keyframe_every: u64,
}

impl Stream {
    /// About `kbps` of video at 30 frames a second, a keyframe every 2 s.
    pub fn kbps(kbps: u32) -> Stream {
        Stream { fps: 30, frame_bytes: (kbps as usize * 1000 / 8 / 30).max(10), keyframe_every: 60 }
    }
}

impl Probe {
    /// A new peer on `ip` (any port) and its SDP offer: sendonly video+audio to publish,
    /// recvonly to watch.
    pub async fn offer(role: Role, ip: std::net::IpAddr) -> std::io::Result<(Probe, String)> {
        str0m::crypto::from_feature_flags().install_process_default();
        let socket = tokio::net::UdpSocket::bind(SocketAddr::new(ip, 0)).await?;
        let local = socket.local_addr()?;
        let mut rtc = Rtc::builder().clear_codecs().enable_vp8(true).enable_opus(true, false).build(Instant::now());
        let c = Candidate::host(local, "udp").map_err(std::io::Error::other)?;
        rtc.add_local_candidate(c);
        let dir = if role == Role::Publisher { Direction::SendOnly } else { Direction::RecvOnly };
        let mut api = rtc.sdp_api();
        let video = api.add_media(MediaKind::Video, dir, None, None, None);
        api.add_media(MediaKind::Audio, dir, None, None, None);
        let (offer, pending) = api.apply().ok_or_else(|| std::io::Error::other("no offer"))?;
        let probe = Probe {
            rtc,
            socket,
            local,
            pending: Some(pending),
            video,
            connected: false,
            frames: 0,
            keyframes: 0,
            bytes: 0,
            first_frame: None,
            keyframe_requests: 0,
            sent: 0,
            force_keyframe: true,
        };
        Ok((probe, offer.to_sdp_string()))
    }

    pub fn answer(&mut self, sdp: &str) -> Result<(), String> {
        let answer = SdpAnswer::from_sdp_string(sdp).map_err(|e| e.to_string())?;
        let pending = self.pending.take().ok_or("answered twice")?;
        self.rtc.sdp_api().accept_answer(pending, answer).map_err(|e| e.to_string())
    }

    /// Runs the connection until `until` (publishing `stream` if a publisher); false if it
    /// died on the way.
    pub async fn run(&mut self, until: Instant, stream: Option<Stream>) -> bool {
        let mut buf = vec![0u8; 2048];
        let frame_gap = stream.map(|s| Duration::from_secs(1) / s.fps.max(1));
        let started = Instant::now();
        let mut next_frame = Instant::now();
        loop {
            let wake = match self.pump() {
                Some(t) => t,
                None => return false,
            };
            let now = Instant::now();
            if now >= until {
                return true;
            }
            if let (Some(s), Some(gap), true) = (stream, frame_gap, self.connected) {
                if now >= next_frame {
                    self.send_frame(s, now, started);
                    next_frame += gap;
                    continue;
                }
            }
            let mut deadline = wake.min(until);
            if self.connected && frame_gap.is_some() {
                deadline = deadline.min(next_frame);
            }
            let sleep = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline.max(now)));
            tokio::select! {
                r = self.socket.recv_from(&mut buf) => {
                    if let Ok((n, source)) = r {
                        if let Ok(contents) = buf[..n].try_into() {
                            let input = Input::Receive(Instant::now(), Receive { proto: Protocol::Udp, source, destination: self.local, contents });
                            if self.rtc.handle_input(input).is_err() {
                                return false;
                            }
                        }
                    }
                }
                _ = sleep => {
                    if self.rtc.handle_input(Input::Timeout(Instant::now())).is_err() {
                        return false;
                    }
                }
            }
        }
    }

    /// Polls until str0m only has a timer left; `None` once the connection is dead.
    fn pump(&mut self) -> Option<Instant> {
        loop {
            if !self.rtc.is_alive() {
                return None;
            }
            match self.rtc.poll_output().ok()? {
                Output::Timeout(t) => return Some(t),
                Output::Transmit(t) => {
                    let _ = self.socket.try_send_to(&t.contents, t.destination);
                }
                Output::Event(e) => match e {
                    Event::Connected => self.connected = true,
                    Event::MediaData(d) if d.mid == self.video => {
                        self.frames += 1;
                        self.bytes += d.data.len() as u64;
                        self.first_frame.get_or_insert_with(Instant::now);
                        if d.data.first().is_some_and(|b| b & 1 == 0) {
                            self.keyframes += 1;
                        }
                    }
                    Event::KeyframeRequest(_) => {
                        self.keyframe_requests += 1;
                        self.force_keyframe = true;
                    }
                    _ => {}
                },
            }
        }
    }

    fn send_frame(&mut self, s: Stream, now: Instant, started: Instant) {
        let key = self.force_keyframe || self.sent % s.keyframe_every.max(1) == 0;
        self.force_keyframe = false;
        let mut frame = vec![0x55u8; s.frame_bytes.max(10)];
        // VP8 frame tag: bit 0 is the inverse key frame flag; a key frame then has the start
        // code and its size (640×360), which the recorder reads.
        frame[0] = if key { 0x10 } else { 0x11 };
        if key {
            frame[1..10].copy_from_slice(&[0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01]);
        }
        let Some(writer) = self.rtc.writer(self.video) else { return };
        let Some(pt) = writer.payload_params().next().map(|p| p.pt()) else { return };
        let ticks = now.duration_since(started).as_micros() as u64 * 90 / 1000;
        let Some(hz) = Frequency::new(90_000) else { return };
        if writer.write(pt, now, MediaTime::new(ticks, hz), frame).is_ok() {
            self.sent += 1;
            self.frames += 1;
            self.bytes += s.frame_bytes as u64;
            if key {
                self.keyframes += 1;
            }
        }
    }

    /// Closes the connection at once (as a tab closing would, without a DELETE).
    pub fn drop_connection(&mut self) {
        self.rtc.disconnect();
    }
}
