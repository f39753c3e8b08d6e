//! Slow and greedy clients: a request head or body that dawdles is cut off, live streams are
//! bounded per client, and a clerk's open queue stream ends when the clerk loses the role.
use crate::helpers::*;
use linli_server::Limits;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const OWNER: &str = "13900000000";
const STAFF: &str = "13900000021"; // 小赵, first store
const RESIDENT: &str = "13800000001";

/// Reads until the server closes the connection (or `limit` passes): what it sent, and whether
/// it closed.
async fn read_until_closed(tcp: &mut tokio::net::TcpStream, limit: Duration) -> (String, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
        }
    }
}

#[tokio::test]
async fn a_request_head_that_never_ends_is_cut_off() {
    let limits = Limits { header_read: Duration::from_secs(1), ..Limits::default() };
    let app = spawn_app_limited(false, limits).await;
    let addr = app.address.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.expect("write");
    let (_, closed) = read_until_closed(&mut tcp, Duration::from_secs(5)).await;
    assert!(closed, "a half-sent head holds the connection past the header timeout");

    // A whole request on a fresh connection is served as usual.
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.expect("write");
    let (answer, _) = read_until_closed(&mut tcp, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_request_body_that_stalls_is_refused() {
    let limits = Limits { body_idle: Duration::from_secs(1), ..Limits::default() };
    let app = spawn_app_limited(false, limits).await;
    let addr = app.address.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Requested-With: linli\r\nContent-Length: 200\r\n\r\n";
    tcp.write_all(head.as_bytes()).await.expect("head");
    tcp.write_all(br#"{"phone":"1380"#).await.expect("some body");
    let started = std::time::Instant::now();
    let (answer, _) = read_until_closed(&mut tcp, Duration::from_secs(6)).await;
    assert!(started.elapsed() < Duration::from_secs(5), "the stalled body was waited for too long");
    let status: u16 = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    assert!((400..500).contains(&status), "a stalled body answers 4xx, got: {answer}");
}

#[tokio::test]
async fn live_streams_are_bounded_per_account_and_given_back() {
    let app = spawn_demo_limited(Limits { streams_per_client: 2, ..Limits::default() }).await;
    let resident = logged_in(&app, RESIDENT).await;
    let (product, price) = crate::helpers::group_buy_product(&app).await;
    let id = crate::helpers::create_group_buy(&app, &crate::helpers::campaign(first_store(&app).await, product, price - 50, 3, None, 2)).await;
    let url = app.url(&format!("/api/v1/group-buys/{id}/events"));
    let first = resident.get(&url).send().await.expect("first");
    let second = resident.get(&url).send().await.expect("second");
    assert_eq!((first.status().as_u16(), second.status().as_u16()), (200, 200));
    let third = resident.get(&url).send().await.expect("third");
    let status = third.status().as_u16();
    let body: Value = third.json().await.unwrap_or(Value::Null);
    assert_eq!((status, error_code(&body)), (429, "too_many_streams"));
    // Someone else is not affected.
    assert_eq!(logged_in(&app, OWNER).await.get(&url).send().await.expect("owner").status().as_u16(), 200);
    // Closing one gives its place back.
    drop(first);
    let mut again = 0;
    for _ in 0..20 {
        again = resident.get(&url).send().await.expect("again").status().as_u16();
        if again == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(again, 200, "a closed stream's place is given back");
}

#[tokio::test]
async fn a_clerks_open_queue_stream_ends_when_the_role_is_removed() {
    let app = spawn_demo_limited(Limits { stream_recheck: Duration::from_millis(300), ..Limits::default() }).await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let staff = logged_in(&app, STAFF).await;
    let mut queue = staff.get(app.url(&format!("/api/v1/staff/stores/{store}/events"))).send().await.expect("queue stream");
    assert_eq!(queue.status().as_u16(), 200);
    let mut buf = String::new();
    // Still open after a few checks.
    assert!(next_event(&mut queue, &mut buf, Duration::from_secs(1)).await.is_none());
    assert!(tokio::time::timeout(Duration::from_millis(100), queue.chunk()).await.is_err(), "the stream is still open");

    let (_, team) = get(&owner, &app, "/api/v1/owner/team").await;
    let zhao_id = team.as_array().and_then(|t| t.iter().find(|m| m["phone"] == STAFF)).and_then(|m| m["user_id"].as_i64()).expect("小赵");
    let (status, _) = post(&owner, &app, &format!("/api/v1/owner/team/{zhao_id}/remove-role"), &json!({ "role": "staff", "store_id": store })).await;
    assert_eq!(status, 204);
    let ended = tokio::time::timeout(Duration::from_secs(3), async {
        loop {
            match queue.chunk().await {
                Ok(Some(_)) => continue, // keep-alive comments
                _ => return,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the removed clerk's stream is still open");
}
