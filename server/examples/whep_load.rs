//! Holds N viewers on one live session through linli's relay and reports what reached them.
//!
//!   cargo run --release -p linli --example whep_load -- \
//!       --base http://127.0.0.1:3000 --session 1 --key <stream key> --viewers 100 --seconds 20 --kbps 1000 [--pid <linli's pid>]
//!
//! One publisher (WHIP, the session's stream key) sends a synthetic VP8 stream at `--kbps`;
//! the viewers (WHEP, as guests) connect one after another and then all watch for `--seconds`.
//! Printed: viewers connected, frames the publisher sent during the window, frames each viewer
//! received (min / median / max) and the loss that makes, bytes delivered per second, and —
//! with `--pid` — linli's CPU (share of one core over the window) and memory (RSS) from /proc.
//! Viewers and relay share this machine, so the figures include the viewers' own cost.
use linli_server::relay::probe::{Probe, Stream};
use linli_server::relay::Role;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

struct Args {
    base: String,
    session: i64,
    key: String,
    viewers: usize,
    seconds: u64,
    kbps: u32,
    pid: Option<u32>,
}

fn args() -> Result<Args, String> {
    let mut a = Args { base: "http://127.0.0.1:3000".into(), session: 0, key: String::new(), viewers: 10, seconds: 20, kbps: 1000, pid: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let v = it.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |_| format!("{flag}: not a number: {v}");
        match flag.as_str() {
            "--base" => a.base = v.trim_end_matches('/').to_string(),
            "--session" => a.session = v.parse().map_err(bad)?,
            "--key" => a.key = v,
            "--viewers" => a.viewers = v.parse().map_err(bad)?,
            "--seconds" => a.seconds = v.parse().map_err(bad)?,
            "--kbps" => a.kbps = v.parse().map_err(bad)?,
            "--pid" => a.pid = Some(v.parse().map_err(bad)?),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if a.session == 0 || a.key.is_empty() {
        return Err("--session and --key are required".into());
    }
    Ok(a)
}

async fn connect(http: &reqwest::Client, a: &Args, role: Role) -> Result<Probe, String> {
    let (mut probe, offer) = Probe::offer(role, IpAddr::V4(Ipv4Addr::LOCALHOST)).await.map_err(|e| e.to_string())?;
    let kind = if role == Role::Publisher { "whip" } else { "whep" };
    let mut req = http
        .post(format!("{}/api/v1/live-sessions/{}/{kind}", a.base, a.session))
        .header("content-type", "application/sdp")
        .header("x-requested-with", "linli")
        .body(offer);
    if role == Role::Publisher {
        req = req.header("authorization", format!("Bearer {}", a.key));
    }
    let res = req.send().await.map_err(|e| e.to_string())?;
    let status = res.status();
    let body = res.text().await.map_err(|e| e.to_string())?;
    if status.as_u16() != 201 {
        return Err(format!("{kind}: {status} {body}"));
    }
    probe.answer(&body)?;
    Ok(probe)
}

/// (user+system CPU ticks, RSS in KB) of a process.
fn proc_usage(pid: u32) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some((ticks, rss))
}

#[tokio::main]
async fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("whep_load: {e}");
            std::process::exit(2);
        }
    };
    let http = reqwest::Client::new();
    let mut publisher = match connect(&http, &a, Role::Publisher).await {
        Ok(p) => p,
        Err(e) => {
            eprintln!("whep_load: publish failed: {e}");
            std::process::exit(1);
        }
    };
    let stream = Stream::kbps(a.kbps);
    // The publisher runs from now to the end; viewers join while it does.
    let warmup = Duration::from_secs(3 + a.viewers as u64 / 50);
    let window = Duration::from_secs(a.seconds);
    let started = Instant::now();
    let end = started + warmup + window;
    let publishing = tokio::spawn(async move {
        let ok = publisher.run(end, Some(stream)).await;
        (ok, publisher)
    });
    let mut viewers = Vec::new();
    let mut failed = 0;
    let join_started = Instant::now();
    for _ in 0..a.viewers {
        match connect(&http, &a, Role::Viewer).await {
            Ok(v) => viewers.push(v),
            Err(e) => {
                failed += 1;
                eprintln!("whep_load: a viewer did not connect: {e}");
            }
        }
    }
    let joined_in = join_started.elapsed();
    // Connect and reach the first keyframe, then count from a common start.
    let counting_from = started + warmup;
    let tasks: Vec<_> = viewers
        .into_iter()
        .map(|mut v| {
            tokio::spawn(async move {
                v.run(counting_from, None).await;
                let before = v.frames;
                v.run(end, None).await;
                (v.frames - before, v.bytes, v.connected)
            })
        })
        .collect();
    tokio::time::sleep_until(tokio::time::Instant::from_std(counting_from)).await;
    let cpu_before = a.pid.and_then(proc_usage);
    let window_started = Instant::now();
    let mut got = Vec::new();
    for t in tasks {
        if let Ok(r) = t.await {
            got.push(r);
        }
    }
    let cpu_after = a.pid.and_then(proc_usage);
    let elapsed = window_started.elapsed().as_secs_f64();
    let (_, publisher) = publishing.await.expect("publisher");
    let expected = (stream.fps as f64 * elapsed).round() as u64;
    let mut frames: Vec<u64> = got.iter().map(|(f, _, _)| *f).collect();
    frames.sort_unstable();
    let connected = got.iter().filter(|(_, _, c)| *c).count();
    let total: u64 = frames.iter().sum();
    let pct = |n: u64| if expected == 0 { 0.0 } else { 100.0 * n as f64 / expected as f64 };
    let median = frames.get(frames.len() / 2).copied().unwrap_or(0);
    println!("viewers: {} asked, {} connected, {} refused; all joined in {:.1} s", a.viewers, connected, failed, joined_in.as_secs_f64());
    println!("publisher: {} kbps, {} fps; sent {} frames in all", a.kbps, stream.fps, publisher.frames);
    println!(
        "per viewer over {:.1} s (~{} frames sent): min {} ({:.1}%), median {} ({:.1}%), max {}; delivered {:.1} Mbit/s to all viewers",
        elapsed,
        expected,
        frames.first().copied().unwrap_or(0),
        pct(frames.first().copied().unwrap_or(0)),
        median,
        pct(median),
        frames.last().copied().unwrap_or(0),
        total as f64 * stream.frame_bytes as f64 * 8.0 / elapsed / 1e6
    );
    // A frame or two in flight at either edge of the window can make a viewer count slightly
    // more than the window's share: no loss, not a negative one.
    let loss = if expected == 0 || frames.is_empty() { 0.0 } else { (100.0 - 100.0 * total as f64 / (expected as f64 * frames.len() as f64)).max(0.0) };
    println!("loss: {loss:.2}% of frames");
    if let (Some((t0, _)), Some((t1, rss))) = (cpu_before, cpu_after) {
        let hz = 100.0; // USER_HZ on Linux
        println!("linli: CPU {:.0}% of one core, RSS {} MB", 100.0 * (t1 - t0) as f64 / hz / elapsed, rss / 1024);
    }
}
