//! The live room's video through linli's own relay: the host publishes with WHIP, viewers
//! watch with WHEP, media flows over UDP through the app — here with the Rust probe client
//! (`linli_server::relay::probe`) in place of browsers.
use crate::helpers::*;
use linli_server::relay::probe::{Probe, Stream};
use linli_server::relay::Role;
use serde_json::{json, Value};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

const MANAGER_A: &str = "13900000011"; // 刘店长, first store
const MANAGER_B: &str = "13900000012"; // 周店长, second store
const STAFF_A: &str = "13900000021"; // a clerk of the first store, not a host
const RESIDENT: &str = "13800000003";
const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// A session at the first store, live now unless `start` is false: its id.
async fn session(app: &TestApp, start: bool) -> i64 {
    let store = first_store(app).await;
    let (product, _) = stocked_product(app, store).await;
    receive(app, store, product, 20).await;
    let host = logged_in(app, MANAGER_A).await;
    let starts_at = linli_app::shared::time::rfc3339(linli_app::shared::time::now_ms() + 3_600_000);
    let (s, v) = post(&host, app, "/api/v1/live-sessions", &json!({"store_id": store, "title": "今晚的菜", "starts_at": starts_at,
        "items": [{"product_id": product, "live_price_fen": 1, "stock": 5, "per_user_limit": 1}]})).await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().expect("id");
    if start {
        let (s, v) = post(&host, app, &format!("/api/v1/live-sessions/{id}/start"), &json!({})).await;
        assert_eq!(s, 200, "{v}");
    }
    id
}

/// POSTs an SDP offer: (status, Location, body).
async fn offer(c: &reqwest::Client, app: &TestApp, id: i64, kind: &str, sdp: &str, bearer: Option<&str>) -> (u16, Option<String>, String) {
    let mut r = c.post(app.url(&format!("/api/v1/live-sessions/{id}/{kind}"))).header("content-type", "application/sdp").body(sdp.to_string());
    if let Some(key) = bearer {
        r = r.header("authorization", format!("Bearer {key}"));
    }
    let res = r.send().await.expect("offer");
    let status = res.status().as_u16();
    if status == 201 {
        assert_eq!(res.headers()["content-type"], "application/sdp");
    }
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(String::from);
    (status, location, res.text().await.unwrap_or_default())
}

/// A probe connected through the relay: the probe and its resource's address.
async fn connect(c: &reqwest::Client, app: &TestApp, id: i64, role: Role) -> (Probe, String) {
    let (mut probe, sdp) = Probe::offer(role, LOCAL).await.expect("probe");
    let kind = if role == Role::Publisher { "whip" } else { "whep" };
    let (status, location, answer) = offer(c, app, id, kind, &sdp, None).await;
    assert_eq!(status, 201, "{answer}");
    probe.answer(&answer).expect("answer accepted");
    (probe, location.expect("Location"))
}

async fn video_of(app: &TestApp, id: i64) -> String {
    let (_, v) = get(&app.api, app, &format!("/api/v1/live-sessions/{id}")).await;
    v["video"].as_str().unwrap_or_default().to_string()
}

async fn wait_for_video(app: &TestApp, id: i64, want: &str) {
    let until = Instant::now() + Duration::from_secs(15);
    while video_of(app, id).await != want {
        assert!(Instant::now() < until, "video never became {want}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_hosts_video_reaches_every_viewer_and_the_room_hears_when_it_goes() {
    let app = spawn_app_with_demo().await;
    let id = session(&app, true).await;
    assert_eq!(video_of(&app, id).await, "none");
    let mut room = app.api.get(app.url(&format!("/api/v1/live-sessions/{id}/events"))).send().await.expect("stream");
    let host = logged_in(&app, MANAGER_A).await;
    let (mut publisher, whip) = connect(&host, &app, id, Role::Publisher).await;
    assert!(whip.starts_with(&format!("/api/v1/live-sessions/{id}/whip/")), "{whip}");
    let guest = client();
    let (mut a, _) = connect(&guest, &app, id, Role::Viewer).await;
    let (mut b, whep_b) = connect(&guest, &app, id, Role::Viewer).await;

    // Four seconds of 1 Mbps at 30 frames a second, watched by two.
    let until = Instant::now() + Duration::from_secs(4);
    let started = Instant::now();
    let (alive_p, alive_a, alive_b) = tokio::join!(publisher.run(until, Some(Stream::kbps(1000))), a.run(until, None), b.run(until, None));
    assert!(alive_p && alive_a && alive_b);
    assert!(publisher.frames >= 90, "sent {}", publisher.frames);
    for (name, v) in [("a", &a), ("b", &b)] {
        // Everything from the first keyframe on: a viewer starts at one (the relay asks the
        // host for it) and loses nothing on loopback.
        assert!(v.frames >= 60, "viewer {name} got {} of {}", v.frames, publisher.frames);
        assert!(v.keyframes >= 1, "viewer {name} got no keyframe");
        let first = v.first_frame.expect("a first frame").duration_since(started);
        assert!(first < Duration::from_secs(2), "viewer {name}'s first frame after {first:?}");
    }
    assert!(publisher.keyframe_requests >= 1, "the relay never asked for a keyframe");
    assert_eq!(video_of(&app, id).await, "on_air");
    let mut buf = String::new();
    let mut saw_on_air = false;
    while let Some((name, data)) = next_event(&mut room, &mut buf, Duration::from_secs(2)).await {
        if name == "state" && data["video"] == "on_air" {
            saw_on_air = true;
            break;
        }
    }
    assert!(saw_on_air, "the room was not told the video is on");

    // A viewer hangs up: its resource is gone; a second DELETE is 404.
    let r = guest.delete(app.url(&whep_b)).send().await.expect("delete");
    assert_eq!(r.status(), 200);
    let r = guest.delete(app.url(&whep_b)).send().await.expect("delete again");
    assert_eq!(r.status(), 404);

    // The host stops: the room says 主播暂时离开 (away), and a new publish brings it back.
    let r = host.delete(app.url(&whip)).send().await.expect("unpublish");
    assert_eq!(r.status(), 200);
    wait_for_video(&app, id, "away").await;
    let (mut again, _) = connect(&host, &app, id, Role::Publisher).await;
    let frames_before = a.frames;
    let until = Instant::now() + Duration::from_secs(3);
    let (p, v) = tokio::join!(again.run(until, Some(Stream::kbps(500))), a.run(until, None));
    assert!(p && v);
    assert!(a.frames >= frames_before + 30, "the first viewer did not get the new publish: {} → {}", frames_before, a.frames);
    assert_eq!(video_of(&app, id).await, "on_air");
}

#[tokio::test]
async fn only_the_host_publishes_and_viewers_watch_only_while_live() {
    let app = spawn_app_with_demo().await;
    let id = session(&app, false).await;
    let (_, sdp) = Probe::offer(Role::Publisher, LOCAL).await.expect("probe");

    // Who may publish.
    let (s, _, _) = offer(&client(), &app, id, "whip", &sdp, None).await;
    assert_eq!(s, 401);
    let (s, _, body) = offer(&logged_in(&app, RESIDENT).await, &app, id, "whip", &sdp, None).await;
    assert_eq!(s, 404, "{body}");
    let (s, _, body) = offer(&logged_in(&app, MANAGER_B).await, &app, id, "whip", &sdp, None).await;
    assert_eq!(s, 404, "{body}");
    let (s, _, body) = offer(&logged_in(&app, STAFF_A).await, &app, id, "whip", &sdp, None).await;
    assert_eq!(s, 403, "{body}");

    // What an offer must be.
    let host = logged_in(&app, MANAGER_A).await;
    let r = host.post(app.url(&format!("/api/v1/live-sessions/{id}/whip"))).json(&json!({"sdp": sdp})).send().await.expect("json");
    assert_eq!(r.status(), 415);
    let v: Value = r.json().await.expect("json");
    assert_eq!(error_code(&v), "sdp_required");
    let (s, _, body) = offer(&host, &app, id, "whip", "v=0\r\nnot an offer\r\n", None).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.contains("bad_offer"), "{body}");
    let (_, watch_sdp) = Probe::offer(Role::Viewer, LOCAL).await.expect("probe");
    let (s, _, body) = offer(&host, &app, id, "whip", &watch_sdp, None).await;
    assert_eq!(s, 422, "a receive-only offer is not a publish: {body}");

    // Before the start the host may preview; viewers wait for the start.
    let (s, _, body) = offer(&host, &app, id, "whip", &sdp, None).await;
    assert_eq!(s, 201, "{body}");
    let (s, _, body) = offer(&client(), &app, id, "whep", &watch_sdp, None).await;
    assert_eq!(s, 409, "{body}");
    assert!(body.contains("not_live"), "{body}");

    // An encoder's stream key: shown once, replaced by the next; no cookie, no CSRF header.
    let (s, key) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/stream-key"), &json!({})).await;
    assert_eq!(s, 201, "{key}");
    assert!(key["whip_url"].as_str().unwrap_or_default().ends_with(&format!("/api/v1/live-sessions/{id}/whip")));
    let key = key["stream_key"].as_str().expect("key").to_string();
    let encoder = reqwest::Client::new();
    let (s, _, _) = offer(&encoder, &app, id, "whip", &sdp, Some("wrong")).await;
    assert_eq!(s, 403);
    let (s, location, body) = offer(&encoder, &app, id, "whip", &sdp, Some(&key)).await;
    assert_eq!(s, 201, "{body}");
    let (s, _) = post(&logged_in(&app, STAFF_A).await, &app, &format!("/api/v1/live-sessions/{id}/stream-key"), &json!({})).await;
    assert_eq!(s, 403);
    let (s, _) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/stream-key"), &json!({})).await;
    assert_eq!(s, 201);
    let (s, _, _) = offer(&encoder, &app, id, "whip", &sdp, Some(&key)).await;
    assert_eq!(s, 403, "the old key stopped working");
    // Someone else's resource, or a made-up one: 404.
    // (An encoder hangs up with its key, as it published.)
    let resource = location.unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string();
    let hang_up = |session: i64, resource: &str| encoder.delete(app.url(&format!("/api/v1/live-sessions/{session}/whip/{resource}"))).bearer_auth(&key).send();
    assert_eq!(hang_up(id + 1, &resource).await.expect("delete").status(), 404);
    assert_eq!(hang_up(id, "made-up").await.expect("delete").status(), 404);
    assert_eq!(hang_up(id, &resource).await.expect("delete").status(), 200);

    // Live: viewers may watch. Ended: nobody publishes or watches.
    let (s, _) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/start"), &json!({})).await;
    assert_eq!(s, 200);
    let (s, _, body) = offer(&client(), &app, id, "whep", &watch_sdp, None).await;
    assert_eq!(s, 201, "{body}");
    let (s, _) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/end"), &json!({})).await;
    assert_eq!(s, 200);
    let (s, _, _) = offer(&client(), &app, id, "whep", &watch_sdp, None).await;
    assert_eq!(s, 409);
    let (s, _, _) = offer(&host, &app, id, "whip", &sdp, None).await;
    assert_eq!(s, 409);
}

#[tokio::test]
async fn an_ended_session_loses_its_viewers_and_a_dropped_host_is_noticed() {
    let app = spawn_app_with_demo().await;
    let id = session(&app, true).await;
    let host = logged_in(&app, MANAGER_A).await;
    let (mut publisher, _) = connect(&host, &app, id, Role::Publisher).await;
    let (mut viewer, _) = connect(&client(), &app, id, Role::Viewer).await;
    let until = Instant::now() + Duration::from_secs(2);
    let _ = tokio::join!(publisher.run(until, Some(Stream::kbps(300))), viewer.run(until, None));
    assert!(viewer.frames > 0);
    wait_for_video(&app, id, "on_air").await;

    // The host's phone loses its network (no DELETE): the relay notices by itself. The
    // viewer stays connected meanwhile (and through the end below, so only the end can drop it).
    publisher.drop_connection();
    let until = Instant::now() + Duration::from_secs(30);
    let watching = tokio::spawn(async move {
        viewer.run(until, None).await;
        viewer
    });
    wait_for_video(&app, id, "away").await;

    // The end takes the relay's connections with it within seconds.
    let (s, _) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/end"), &json!({})).await;
    assert_eq!(s, 200);
    let until = Instant::now() + Duration::from_secs(10);
    let gauge = format!("linli_relay_viewers{{instance=\"{}\"}} ", app.address.trim_start_matches("http://"));
    loop {
        let metrics = app.api.get(app.url("/metrics")).send().await.expect("metrics").text().await.unwrap_or_default();
        if metrics.lines().any(|l| l.starts_with(&gauge) && l.ends_with(" 0")) {
            break;
        }
        assert!(Instant::now() < until, "viewers still held after the end:\n{}", metrics.lines().filter(|l| l.contains("relay")).collect::<Vec<_>>().join("\n"));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    watching.abort();
}

#[tokio::test]
async fn a_live_session_is_recorded_and_its_replay_plays_after_the_end() {
    let app = spawn_app_with_demo().await;
    let id = session(&app, true).await;
    let host = logged_in(&app, MANAGER_A).await;
    let (mut publisher, _) = connect(&host, &app, id, Role::Publisher).await;
    // Long enough for the relay to learn the session is live (every 2 s) and for a keyframe.
    assert!(publisher.run(Instant::now() + Duration::from_secs(6), Some(Stream::kbps(500))).await);
    let (_, v) = get(&app.api, &app, &format!("/api/v1/live-sessions/{id}")).await;
    assert_eq!(v["replays"], json!([]), "no replay while live");
    let (s, _) = post(&host, &app, &format!("/api/v1/live-sessions/{id}/end"), &json!({})).await;
    assert_eq!(s, 200);

    // The file is closed at the end and its length recorded.
    let until = Instant::now() + Duration::from_secs(15);
    let replay = loop {
        let (_, v) = get(&app.api, &app, &format!("/api/v1/live-sessions/{id}")).await;
        if v["replays"][0]["duration_ms"].as_i64().unwrap_or(0) > 0 {
            break v["replays"][0].clone();
        }
        assert!(Instant::now() < until, "no finished replay: {v}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let ms = replay["duration_ms"].as_i64().expect("duration");
    assert!((1_000..=6_000).contains(&ms), "{ms} ms recorded of ~6 s (recording starts within 2 s of going live)");
    let url = replay["url"].as_str().expect("url").to_string();
    assert_eq!(url, format!("/live/{id}/replay/{}.webm", replay["id"]));

    // Anyone may watch it, from the start or from anywhere in it.
    let r = client().get(app.url(&url)).send().await.expect("replay");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "video/webm");
    let body = r.bytes().await.expect("bytes");
    assert_eq!(&body[..4], &[0x1A, 0x45, 0xDF, 0xA3], "a WebM (EBML) file");
    assert!(body.len() > 100_000, "{} bytes for ~{ms} ms at 500 kbps", body.len());
    let r = client().get(app.url(&url)).header("range", "bytes=100-199").send().await.expect("range");
    assert_eq!(r.status(), 206);
    assert_eq!(r.bytes().await.expect("bytes").len(), 100);
    // Someone else's session's number, or a name that is not a recording: 404.
    assert_eq!(client().get(app.url(&format!("/live/{}/replay/{}.webm", id + 1, replay["id"]))).send().await.expect("other").status(), 404);
    assert_eq!(client().get(app.url(&format!("/live/{id}/replay/..%2Flinli.db"))).send().await.expect("traversal").status(), 404);
}

#[tokio::test]
async fn viewers_on_another_instance_watch_through_the_hosts_relay() {
    let a = spawn_app_with_demo().await;
    let b = spawn_instance_of(&a).await;
    let id = session(&a, true).await;
    // The host publishes at A; a guest's offer reaches B, which passes it to A: the answer
    // names A's relay, and the media flows from A.
    let (mut publisher, _) = connect(&logged_in(&a, MANAGER_A).await, &a, id, Role::Publisher).await;
    let guest = client();
    let (mut viewer, whep) = connect(&guest, &b, id, Role::Viewer).await;
    let until = Instant::now() + Duration::from_secs(3);
    let (p, v) = tokio::join!(publisher.run(until, Some(Stream::kbps(500))), viewer.run(until, None));
    assert!(p && v);
    assert!(viewer.frames >= 45, "the viewer at B got {} frames", viewer.frames);
    // Hanging up at B closes the connection at A.
    assert_eq!(guest.delete(b.url(&whep)).send().await.expect("delete").status(), 200);
    assert_eq!(guest.delete(b.url(&whep)).send().await.expect("delete again").status(), 404);

    // The host's reconnect reaching B is passed to A too: the viewers stay on one relay.
    let (mut again, _) = connect(&logged_in(&b, MANAGER_A).await, &b, id, Role::Publisher).await;
    let (mut second, _) = connect(&client(), &a, id, Role::Viewer).await;
    let until = Instant::now() + Duration::from_secs(3);
    let (p, v) = tokio::join!(again.run(until, Some(Stream::kbps(500))), second.run(until, None));
    assert!(p && v);
    assert!(second.frames >= 45, "a viewer at A got {} frames of the host who came in through B", second.frames);
}
