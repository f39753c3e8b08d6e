//! What several instances on one database need. Job leases (linli_app::server::lease): one
//! holder at a time; a lease that runs out or is given up passes to the next instance that
//! asks (the takeover of a killed holder, with the real binary, is in group_buys.rs). Draining:
//! SIGTERM ends the event streams with a quick reconnect, lets the leases go, and exits.
use crate::helpers::*;
use linli_app::server::lease::{store, Lease};
use std::time::Duration;

#[tokio::test]
async fn a_job_lease_has_one_holder_and_passes_on_when_it_runs_out_or_is_given_up() {
    let app = spawn_app_with(false).await;
    let db = &app.db;
    let take = |job: &'static str, holder: &'static str, ttl_ms: i64| store::take(db, job, holder, ttl_ms);
    assert_eq!(take("t", "a", 400).await.expect("take"), Some(1), "free: a takes it");
    assert_eq!(take("t", "b", 400).await.expect("take"), None, "held by a");
    assert_eq!(take("t", "a", 400).await.expect("take"), Some(1), "a renews it, same generation");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(take("t", "b", 400).await.expect("take"), Some(2), "ran out: b takes it over");
    assert_eq!(take("t", "a", 400).await.expect("take"), None, "a has lost it");
    store::give_up(db, "t", "a").await.expect("give up");
    assert_eq!(take("t", "b", 60_000).await.expect("take"), Some(2), "a cannot give up what b holds");
    store::give_up(db, "t", "b").await.expect("give up");
    assert_eq!(take("t", "a", 60_000).await.expect("take"), Some(3), "given up: a takes it at once");
    let leases = store::all(db).await.expect("leases");
    assert_eq!(leases.len(), 1);
    assert_eq!((leases[0].0.as_str(), leases[0].1.as_str(), leases[0].3), ("t", "a", 3));
    assert!(leases[0].2 > 50_000, "runs out in a minute: {}", leases[0].2);
}

#[tokio::test]
async fn sixteen_instances_asking_at_once_give_a_free_job_one_holder() {
    let app = spawn_app_with(false).await;
    let tries = (0..16).map(|i| {
        let db = app.db.clone();
        tokio::spawn(async move { store::take(&db, "race", &format!("instance {i}"), 60_000).await.expect("take") })
    });
    let got: Vec<Option<i64>> = futures::future::join_all(tries).await.into_iter().map(|r| r.expect("task")).collect();
    assert_eq!(got.iter().filter(|g| g.is_some()).count(), 1, "{got:?}");
    assert_eq!(got.into_iter().flatten().collect::<Vec<_>>(), vec![1]);
}

#[tokio::test]
async fn a_holder_stops_running_the_job_when_its_own_clock_says_the_lease_ran_out() {
    let app = spawn_app_with(false).await;
    let ttl = Duration::from_millis(300);
    let (a, b) = (Lease::new("h", "a", ttl), Lease::new("h", "b", ttl));
    assert!(!a.held(), "nothing held before the first renewal");
    assert!(a.renew(&app.db).await && a.held());
    assert!(!b.renew(&app.db).await && !b.held());
    // No renewal (a stalled holder): it stops by itself, before the database lets b in.
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(!a.held());
    assert!(b.renew(&app.db).await && b.held());
    assert!(!a.renew(&app.db).await && !a.held());
    b.give_up(&app.db).await;
    assert!(!b.held());
    assert!(a.renew(&app.db).await);
}

#[tokio::test]
async fn on_sigterm_an_instance_sends_its_streams_elsewhere_lets_its_leases_go_and_exits() {
    let app = spawn_app_with(false).await;
    assert!(linli_server::demo::seed(&app.db).await.expect("seed"));
    let store = first_store(&app).await;
    let (product, price) = group_buy_product(&app).await;
    let id = create_group_buy(&app, &campaign(store, product, price, 5, None, 2)).await;
    let (mut child, base) = start_instance(&app, &[("LINLI_DRAIN_SECS", "5")]);
    wait_ready(&base).await;
    let pid = format!(" pid {} ", child.id());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while store::all(&app.db).await.expect("leases").iter().filter(|l| l.1.contains(&pid) && l.2 > 0).count() < 6 {
        assert!(std::time::Instant::now() < deadline, "the instance never took its jobs");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A resident watching the campaign's progress.
    let mut res = client().get(format!("{base}/api/v1/group-buys/{id}/events")).send().await.expect("stream");
    assert_eq!(res.status().as_u16(), 200);
    let mut buf = String::new();
    let (name, _) = next_event(&mut res, &mut buf, Duration::from_secs(5)).await.expect("the current progress first");
    assert_eq!(name, "progress");

    let term = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill -TERM");
    assert!(term.success());
    let sent = std::time::Instant::now();
    // The stream is told to come back soon (through the proxy, to another instance) and ends,
    // instead of being cut when the process exits.
    loop {
        match tokio::time::timeout(Duration::from_secs(3), res.chunk()).await.expect("the stream ends within 3 s") {
            Ok(Some(chunk)) => buf.push_str(&String::from_utf8_lossy(&chunk)),
            Ok(None) => break,
            Err(e) => panic!("the stream was cut, not ended: {e}; got {buf:?}"),
        }
    }
    let retry: u64 = buf.lines().find_map(|l| l.strip_prefix("retry:")).and_then(|v| v.trim().parse().ok()).unwrap_or_else(|| panic!("a retry: {buf:?}"));
    assert!((500..3000).contains(&retry), "back within half a second to three: {retry}");
    // The process exits by itself, well within its drain limit.
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(sent.elapsed() < Duration::from_secs(10), "still running {:?} after SIGTERM", sent.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
    // Its leases ran out at once: the next instance to ask takes the jobs without waiting.
    let leases = store::all(&app.db).await.expect("leases");
    assert_eq!(leases.len(), 6, "{leases:?}");
    assert!(leases.iter().all(|l| l.1.contains(&pid) && l.2 <= 0), "{leases:?}");
    assert_eq!(store::take(&app.db, "group_buy.deadlines", "next", 1000).await.expect("take"), Some(2));
}

#[tokio::test]
async fn an_older_instance_starts_on_a_database_a_newer_release_has_migrated() {
    let app = spawn_app_with(false).await;
    // A migration this binary does not know, as the first instance of the next release leaves it.
    let newer = match app.db.backend {
        linli_app::server::Backend::Sqlite => "insert into _sqlx_migrations (version, description, success, checksum, execution_time) values (99999, 'from the next release', 1, x'00', 0)",
        linli_app::server::Backend::Postgres => "insert into _sqlx_migrations (version, description, success, checksum, execution_time) values (99999, 'from the next release', true, '\\x00'::bytea, 0)",
    };
    sqlx::query(newer).execute(&app.db.pool).await.expect("a newer migration");
    // This release's instance restarts meanwhile: it starts and serves.
    let old = spawn_instance_of(&app).await;
    let r = reqwest::get(old.url("/readyz")).await.expect("readyz");
    assert_eq!(r.status().as_u16(), 200);
}
