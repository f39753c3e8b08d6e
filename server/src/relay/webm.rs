//! A WebM (Matroska) writer for what the relay forwards: VP8 video and Opus audio frames as
//! they came from the host, no decoding. Written as it goes, so a recording cut short by a
//! crash still plays from the start; `finish` then adds what seeking needs (the duration, a
//! cue per video keyframe, the segment's size and a SeekHead pointing at the cues), into
//! places reserved at the start.
use std::io::{self, Seek, SeekFrom, Write};

const EBML: u32 = 0x1A45_DFA3;
const SEGMENT: u32 = 0x1853_8067;
const SEEK_HEAD: u32 = 0x114D_9B74;
const SEEK: u32 = 0x4DBB;
const SEEK_ID: u32 = 0x53AB;
const SEEK_POSITION: u32 = 0x53AC;
const INFO: u32 = 0x1549_A966;
const TIMECODE_SCALE: u32 = 0x2AD7B1;
const DURATION: u32 = 0x4489;
const MUXING_APP: u32 = 0x4D80;
const WRITING_APP: u32 = 0x5741;
const TRACKS: u32 = 0x1654_AE6B;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_NUMBER: u32 = 0xD7;
const TRACK_UID: u32 = 0x73C5;
const TRACK_TYPE: u32 = 0x83;
const CODEC_ID: u32 = 0x86;
const CODEC_PRIVATE: u32 = 0x63A2;
const VIDEO: u32 = 0xE0;
const PIXEL_WIDTH: u32 = 0xB0;
const PIXEL_HEIGHT: u32 = 0xBA;
const AUDIO: u32 = 0xE1;
const SAMPLING_FREQUENCY: u32 = 0xB5;
const CHANNELS: u32 = 0x9F;
const CLUSTER: u32 = 0x1F43_B675;
const TIMECODE: u32 = 0xE7;
const SIMPLE_BLOCK: u32 = 0xA3;
const CUES: u32 = 0x1C53_BB6B;
const CUE_POINT: u32 = 0xBB;
const CUE_TIME: u32 = 0xB3;
const CUE_TRACK_POSITIONS: u32 = 0xB7;
const CUE_TRACK: u32 = 0xF7;
const CUE_CLUSTER_POSITION: u32 = 0xF1;
const VOID: u32 = 0xEC;

pub const VIDEO_TRACK: u8 = 1;
pub const AUDIO_TRACK: u8 = 2;

/// A cluster is closed at the next video keyframe, or after this long (a block's time within
/// its cluster is a 16-bit offset).
const CLUSTER_MS: u64 = 5_000;

/// The SeekHead's reserved room: one entry for the cues, padded with a Void.
const SEEK_HEAD_ROOM: usize = 40;

fn id_bytes(id: u32) -> Vec<u8> {
    let b = id.to_be_bytes();
    let skip = b.iter().position(|x| *x != 0).unwrap_or(3);
    b[skip..].to_vec()
}

/// A size as an 8-byte EBML varint (always 8 bytes, so it can be patched in place).
fn size8(n: u64) -> [u8; 8] {
    let mut b = n.to_be_bytes();
    b[0] = 0x01;
    b
}

/// A size in the fewest bytes.
fn size(n: u64) -> Vec<u8> {
    for len in 1..=8u32 {
        if n < (1u64 << (7 * len)) - 1 {
            let mut v = n.to_be_bytes()[(8 - len as usize)..].to_vec();
            v[0] |= 1 << (8 - len);
            return v;
        }
    }
    size8(n).to_vec()
}

fn element(id: u32, body: &[u8]) -> Vec<u8> {
    let mut v = id_bytes(id);
    v.extend(size(body.len() as u64));
    v.extend_from_slice(body);
    v
}

fn uint(id: u32, n: u64) -> Vec<u8> {
    let b = n.to_be_bytes();
    let skip = b.iter().position(|x| *x != 0).unwrap_or(7);
    element(id, &b[skip..])
}

fn float(id: u32, f: f64) -> Vec<u8> {
    element(id, &f.to_be_bytes())
}

fn void(total: usize) -> Vec<u8> {
    // ID (1 byte) + an 8-byte size + the rest.
    let mut v = id_bytes(VOID);
    v.extend(size8((total - 9) as u64));
    v.resize(total, 0);
    v
}

/// Width and height from a VP8 key frame's header (RFC 6386 §9.1), if it is one.
pub fn vp8_size(frame: &[u8]) -> Option<(u16, u16)> {
    if frame.len() < 10 || frame[0] & 1 != 0 || frame[3..6] != [0x9d, 0x01, 0x2a] {
        return None;
    }
    let w = u16::from_le_bytes([frame[6], frame[7]]) & 0x3fff;
    let h = u16::from_le_bytes([frame[8], frame[9]]) & 0x3fff;
    Some((w, h))
}

pub struct WebmWriter<W: Write + Seek> {
    out: W,
    /// Where the segment's body starts (positions in SeekHead and cues are relative to it).
    segment_data: u64,
    segment_size_at: u64,
    duration_at: u64,
    seek_head_at: u64,
    cluster: Option<(u64, u64)>,
    cues: Vec<(u64, u64)>,
    last_ms: u64,
    pub bytes: u64,
}

impl<W: Write + Seek> WebmWriter<W> {
    /// Starts a file whose video is `width`×`height` VP8 and audio 48 kHz stereo Opus.
    pub fn new(mut out: W, width: u16, height: u16) -> io::Result<Self> {
        let header = [uint(0x4286, 1), uint(0x42F7, 1), uint(0x42F2, 4), uint(0x42F3, 8), element(0x4282, b"webm"), uint(0x4287, 4), uint(0x4285, 2)].concat();
        out.write_all(&element(EBML, &header))?;
        out.write_all(&id_bytes(SEGMENT))?;
        let segment_size_at = out.stream_position()?;
        // Unknown until `finish` (all ones = unknown size, which players accept while live).
        out.write_all(&[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])?;
        let segment_data = out.stream_position()?;
        let seek_head_at = segment_data;
        out.write_all(&void(SEEK_HEAD_ROOM))?;
        let mut info = [uint(TIMECODE_SCALE, 1_000_000), element(MUXING_APP, b"linli"), element(WRITING_APP, b"linli")].concat();
        let info_head = [id_bytes(INFO), size(info.len() as u64 + 11)].concat();
        let duration_at = out.stream_position()? + info_head.len() as u64 + info.len() as u64 + 3;
        info.extend(float(DURATION, 0.0));
        out.write_all(&element(INFO, &info))?;
        let video = [
            uint(TRACK_NUMBER, VIDEO_TRACK as u64),
            uint(TRACK_UID, 1),
            uint(TRACK_TYPE, 1),
            element(CODEC_ID, b"V_VP8"),
            element(VIDEO, &[uint(PIXEL_WIDTH, width as u64), uint(PIXEL_HEIGHT, height as u64)].concat()),
        ]
        .concat();
        let mut opus_head = b"OpusHead".to_vec();
        opus_head.extend([1, 2]);
        opus_head.extend(312u16.to_le_bytes());
        opus_head.extend(48_000u32.to_le_bytes());
        opus_head.extend([0, 0, 0]);
        let audio = [
            uint(TRACK_NUMBER, AUDIO_TRACK as u64),
            uint(TRACK_UID, 2),
            uint(TRACK_TYPE, 2),
            element(CODEC_ID, b"A_OPUS"),
            element(CODEC_PRIVATE, &opus_head),
            element(AUDIO, &[float(SAMPLING_FREQUENCY, 48_000.0), uint(CHANNELS, 2)].concat()),
        ]
        .concat();
        out.write_all(&element(TRACKS, &[element(TRACK_ENTRY, &video), element(TRACK_ENTRY, &audio)].concat()))?;
        let bytes = out.stream_position()?;
        Ok(WebmWriter { out, segment_data, segment_size_at, duration_at, seek_head_at, cluster: None, cues: Vec::new(), last_ms: 0, bytes })
    }

    /// One frame at `ms` since the start. A video keyframe opens a cluster (and a cue), so a
    /// player can start there.
    pub fn frame(&mut self, track: u8, ms: u64, keyframe: bool, data: &[u8]) -> io::Result<()> {
        let video_key = track == VIDEO_TRACK && keyframe;
        let start_new = match self.cluster {
            None => true,
            Some((_, start)) => video_key || ms.saturating_sub(start) >= CLUSTER_MS || ms < start,
        };
        if start_new {
            self.close_cluster()?;
            let at = self.out.stream_position()?;
            self.out.write_all(&id_bytes(CLUSTER))?;
            self.out.write_all(&size8(0))?;
            self.out.write_all(&uint(TIMECODE, ms))?;
            self.cluster = Some((at, ms));
            if video_key {
                self.cues.push((ms, at - self.segment_data));
            }
        }
        let (_, start) = self.cluster.unwrap_or((0, ms));
        let rel = (ms - start) as i16;
        let mut block = vec![0x80 | track];
        block.extend(rel.to_be_bytes());
        block.push(if keyframe { 0x80 } else { 0 });
        block.extend_from_slice(data);
        self.out.write_all(&element(SIMPLE_BLOCK, &block))?;
        self.last_ms = self.last_ms.max(ms);
        self.bytes = self.out.stream_position()?;
        Ok(())
    }

    fn close_cluster(&mut self) -> io::Result<()> {
        if let Some((at, _)) = self.cluster.take() {
            let end = self.out.stream_position()?;
            let id_len = id_bytes(CLUSTER).len() as u64;
            self.out.seek(SeekFrom::Start(at + id_len))?;
            self.out.write_all(&size8(end - at - id_len - 8))?;
            self.out.seek(SeekFrom::Start(end))?;
        }
        Ok(())
    }

    /// Closes the file: cues, duration, sizes. The length in milliseconds.
    pub fn finish(mut self) -> io::Result<(u64, u64)> {
        self.close_cluster()?;
        let cues_at = self.out.stream_position()?;
        let points: Vec<u8> = self
            .cues
            .iter()
            .flat_map(|(ms, pos)| {
                element(CUE_POINT, &[uint(CUE_TIME, *ms), element(CUE_TRACK_POSITIONS, &[uint(CUE_TRACK, VIDEO_TRACK as u64), uint(CUE_CLUSTER_POSITION, *pos)].concat())].concat())
            })
            .collect();
        if !points.is_empty() {
            self.out.write_all(&element(CUES, &points))?;
        }
        let end = self.out.stream_position()?;
        // The reserved room becomes a SeekHead naming the cues, and a Void for the rest.
        if !points.is_empty() {
            let seek = element(SEEK_HEAD, &element(SEEK, &[element(SEEK_ID, &id_bytes(CUES)), uint(SEEK_POSITION, cues_at - self.segment_data)].concat()));
            if seek.len() + 9 <= SEEK_HEAD_ROOM {
                self.out.seek(SeekFrom::Start(self.seek_head_at))?;
                self.out.write_all(&seek)?;
                self.out.write_all(&void(SEEK_HEAD_ROOM - seek.len()))?;
            }
        }
        self.out.seek(SeekFrom::Start(self.duration_at))?;
        self.out.write_all(&(self.last_ms as f64).to_be_bytes())?;
        self.out.seek(SeekFrom::Start(self.segment_size_at))?;
        self.out.write_all(&size8(end - self.segment_data))?;
        self.out.seek(SeekFrom::Start(end))?;
        self.out.flush()?;
        Ok((self.last_ms, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn key_frame(w: u16, h: u16) -> Vec<u8> {
        let mut f = vec![0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a];
        f.extend(w.to_le_bytes());
        f.extend(h.to_le_bytes());
        f.extend([0u8; 20]);
        f
    }

    /// Reads one element's (id, size, body start) at `pos`.
    fn read_element(b: &[u8], pos: usize) -> (u32, u64, usize) {
        let first = b[pos];
        let id_len = first.leading_zeros() as usize + 1;
        let id = b[pos..pos + id_len].iter().fold(0u32, |a, x| (a << 8) | *x as u32);
        let s = b[pos + id_len];
        let len = s.leading_zeros() as usize + 1;
        let mut n = (s as u64) & ((1u64 << (8 - len)) - 1);
        for x in &b[pos + id_len + 1..pos + id_len + len] {
            n = (n << 8) | *x as u64;
        }
        (id, n, pos + id_len + len)
    }

    #[test]
    fn sizes_are_ebml_varints() {
        assert_eq!(size(0), vec![0x80]);
        assert_eq!(size(126), vec![0xFE]);
        assert_eq!(size(127), vec![0x40, 0x7F]);
        assert_eq!(size8(5), [0x01, 0, 0, 0, 0, 0, 0, 5]);
        assert_eq!(vp8_size(&key_frame(1280, 720)), Some((1280, 720)));
        assert_eq!(vp8_size(&[0x11, 0, 0, 0x9d, 0x01, 0x2a, 0, 5, 0, 5]), None, "not a key frame");
    }

    #[test]
    fn the_layout_reads_back() {
        let mut cur = Cursor::new(Vec::new());
        {
            let mut w = WebmWriter::new(&mut cur, 320, 240).unwrap();
            for i in 0..70u64 {
                let key = i == 0 || i == 60;
                let data = if key { key_frame(320, 240) } else { vec![0x11; 10] };
                w.frame(VIDEO_TRACK, i * 100, key, &data).unwrap();
            }
            w.finish().unwrap();
        }
        let b = cur.into_inner();
        let (id, _, body) = read_element(&b, 0);
        assert_eq!(id, EBML);
        let (_, ebml_len, _) = read_element(&b, 0);
        let seg_pos = body + ebml_len as usize;
        let (id, seg_len, seg_body) = read_element(&b, seg_pos);
        assert_eq!(id, SEGMENT);
        assert_eq!(seg_body + seg_len as usize, b.len(), "the segment's size covers the file");
        // Top-level children: SeekHead, Void, Info, Tracks, Clusters…, Cues.
        let mut pos = seg_body;
        let mut seen = Vec::new();
        let mut cues_at = 0;
        let mut seek_to = 0;
        while pos < b.len() {
            let (id, len, body) = read_element(&b, pos);
            if id == CUES {
                cues_at = pos - seg_body;
            }
            if id == SEEK_HEAD {
                let (_, _, seek_body) = read_element(&b, body);
                let (_, _, id_body) = read_element(&b, seek_body);
                let (_, _, pos_body) = read_element(&b, id_body + 4);
                let (_, plen, _) = read_element(&b, id_body + 4);
                seek_to = b[pos_body..pos_body + plen as usize].iter().fold(0usize, |a, x| (a << 8) | *x as usize);
            }
            if id == INFO {
                // The duration is the last frame's time.
                let dur_pos = b.windows(2).position(|w| w == [0x44, 0x89]).unwrap();
                let f = f64::from_be_bytes(b[dur_pos + 3..dur_pos + 11].try_into().unwrap());
                assert_eq!(f, 6900.0);
            }
            seen.push(id);
            pos = body + len as usize;
        }
        assert_eq!(pos, b.len());
        // Keyframes at 0 and 6 s, and 5 s without one: three clusters.
        assert_eq!(seen.iter().filter(|i| **i == CLUSTER).count(), 3);
        assert_eq!(seen.first(), Some(&SEEK_HEAD));
        assert_eq!(seen.last(), Some(&CUES));
        assert_eq!(seek_to, cues_at, "the SeekHead points at the cues");
    }
}
