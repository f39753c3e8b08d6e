//! The replay: the relay records what it forwards while a session is live — the host's own
//! VP8 and Opus frames into a WebM file, no transcoding, nothing more asked of the host's
//! phone (a MediaRecorder upload would double its upload and miss OBS). Chosen over recording
//! in the browser for that reason; the cost is one file write per frame, done on this thread,
//! not the forwarding one.
//!
//! A file starts at the first video keyframe after recording is switched on. Each clock (audio,
//! video) is anchored at its first frame's arrival and runs on its RTP time from there, so the
//! two stay in step; a host who reconnects (new clocks) is anchored again, and their video
//! waits for its first keyframe. A file cut short by a crash still plays from the start.
use super::webm::{vp8_size, WebmWriter, AUDIO_TRACK, VIDEO_TRACK};
use super::RelayEvent;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Instant;
use str0m::media::MediaTime;

pub(super) enum Rec {
    Start { session: i64 },
    Frame { session: i64, video: bool, generation: u64, arrival: Instant, time: MediaTime, data: Arc<[u8]> },
    Stop { session: i64 },
}

/// The relay's side: never blocks (a full queue drops the frame, as a network would).
#[derive(Clone)]
pub(super) struct Recorder {
    tx: mpsc::SyncSender<Rec>,
}

impl Recorder {
    pub(super) fn start(dir: PathBuf, events: tokio::sync::mpsc::UnboundedSender<RelayEvent>) -> std::io::Result<Recorder> {
        std::fs::create_dir_all(&dir)?;
        // About ten seconds of a 30 fps stream with its audio.
        let (tx, rx) = mpsc::sync_channel(1024);
        std::thread::Builder::new().name("linli-recorder".into()).spawn(move || run(dir, rx, events))?;
        Ok(Recorder { tx })
    }

    pub(super) fn send(&self, rec: Rec) {
        let _ = self.tx.try_send(rec);
    }
}

struct Recording {
    file: String,
    since: Instant,
    writer: Option<WebmWriter<BufWriter<File>>>,
    /// Per clock (audio, video): the generation (publisher) it is anchored to, its RTP time
    /// then, and the file's time then (ms).
    anchors: [Option<(u64, MediaTime, u64)>; 2],
    want_keyframe: bool,
}

impl Recording {
    fn at_ms(&mut self, video: bool, generation: u64, arrival: Instant, time: MediaTime) -> u64 {
        let i = usize::from(video);
        let anchor = match self.anchors[i] {
            Some(a) if a.0 == generation => a,
            _ => {
                let a = (generation, time, arrival.saturating_duration_since(self.since).as_millis() as u64);
                self.anchors[i] = Some(a);
                a
            }
        };
        let (_, t0, ms0) = anchor;
        let hz = time.frequency().get().max(1) as i128;
        let delta = (time.numer() as i128 - t0.numer() as i128) * 1000 / hz;
        (ms0 as i128 + delta).max(0) as u64
    }
}

fn run(dir: PathBuf, rx: mpsc::Receiver<Rec>, events: tokio::sync::mpsc::UnboundedSender<RelayEvent>) {
    let mut recordings: HashMap<i64, Recording> = HashMap::new();
    let finish = |session: i64, r: Recording, events: &tokio::sync::mpsc::UnboundedSender<RelayEvent>| {
        if let Some(w) = r.writer {
            match w.finish() {
                Ok((duration_ms, bytes)) => {
                    let _ = events.send(RelayEvent::Recorded { session, file: r.file, duration_ms, bytes, finished: true });
                }
                Err(e) => tracing::warn!(session, error = %e, "recording not finished"),
            }
        }
    };
    while let Ok(rec) = rx.recv() {
        match rec {
            Rec::Start { session } => {
                recordings.entry(session).or_insert_with(|| Recording { file: String::new(), since: Instant::now(), writer: None, anchors: [None, None], want_keyframe: true });
            }
            Rec::Stop { session } => {
                if let Some(r) = recordings.remove(&session) {
                    finish(session, r, &events);
                }
            }
            Rec::Frame { session, video, generation, arrival, time, data } => {
                let Some(r) = recordings.get_mut(&session) else { continue };
                let key = video && data.first().is_some_and(|b| b & 1 == 0);
                // A new publisher's video starts at its first keyframe.
                if video && r.anchors[1].is_some_and(|a| a.0 != generation) {
                    r.want_keyframe = true;
                }
                if video && r.want_keyframe {
                    if !key {
                        continue;
                    }
                    r.want_keyframe = false;
                }
                if r.writer.is_none() {
                    // The file begins with a picture; audio before it is not kept.
                    let Some((w, h)) = vp8_size(&data).filter(|_| key) else { continue };
                    let name = format!("{session}-{}-{}.webm", linli_app::shared::time::now_ms(), linli_app::server::random_token().unwrap_or_default().get(..8).unwrap_or("0"));
                    match File::create(dir.join(&name)).and_then(|f| WebmWriter::new(BufWriter::new(f), w, h)) {
                        Ok(w) => {
                            r.writer = Some(w);
                            r.file = name.clone();
                            r.since = arrival;
                            r.anchors = [None, None];
                            let _ = events.send(RelayEvent::Recorded { session, file: name, duration_ms: 0, bytes: 0, finished: false });
                        }
                        Err(e) => {
                            tracing::warn!(session, error = %e, "recording: cannot open a file");
                            continue;
                        }
                    }
                }
                let ms = r.at_ms(video, generation, arrival, time);
                if let Some(w) = r.writer.as_mut() {
                    let track = if video { VIDEO_TRACK } else { AUDIO_TRACK };
                    if let Err(e) = w.frame(track, ms, key || !video, &data) {
                        tracing::warn!(session, error = %e, "recording stopped: write failed");
                        r.writer = None;
                    }
                }
            }
        }
    }
    for (session, r) in recordings.drain() {
        finish(session, r, &events);
    }
}
