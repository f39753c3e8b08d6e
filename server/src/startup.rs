//! Building the app: database, router, listener. `main` and the tests both go through here.
use crate::config::Config;
use crate::drain::Drain;
use crate::{api, csrf, jobs, media, observability};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use linli_app::app::{shell, App};
use linli_app::server::sessions_store::DbSessionStore;
use linli_app::server::{session, AppState, Db};
use linli_app::shared::i18n::LOCALE_COOKIE;
use linli_app::shared::Locale;
use std::collections::HashMap;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

pub struct Application {
    port: u16,
    listener: tokio::net::TcpListener,
    router: Router,
    limits: crate::limits::Limits,
    jobs: Option<jobs::Jobs>,
    drain: Drain,
}

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Application {
    /// Connects, migrates and binds (port 0 picks a free port, as the tests do).
    pub async fn build(config: Config) -> Result<Application, BoxError> {
        let db = Db::connect(&config.database_url, config.max_db_connections).await?;
        db.migrate().await?;
        // Listening before serving: a restarted instance's first streams are reconnecting ones,
        // and must hear every change committed after they subscribe.
        db.events.listen_now().await;
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let port = listener.local_addr()?.port();
        let mut config = config;
        if config.public_url.is_none() {
            config.public_url = Some(format!("http://{}", listener.local_addr()?));
        }
        let relay_config = crate::relay::net::RelayConfig::from_env(crate::config::var, listener.local_addr()?, &config.database_url)?;
        let relay = match crate::relay::Relay::start(&relay_config) {
            Ok((relay, events)) => {
                crate::relay::spawn_bookkeeping(relay.clone(), db.clone(), events);
                Some(relay)
            }
            // The shop still sells without video: the room shows the cover and says so.
            Err(e) => {
                tracing::error!(error = %e, "video relay: could not open its UDP port; live video is off");
                None
            }
        };
        // How the other instances reach this one (viewers' offers are passed to the instance
        // holding the session's host).
        let instance = crate::config::var("LINLI_INSTANCE_URL").map(|u| u.trim_end_matches('/').to_string()).unwrap_or_else(|| {
            let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
            format!("http://{addr}")
        });
        let jobs = config.run_jobs.then(|| jobs::spawn(db.clone(), DbSessionStore::new(db.pool.clone()), &linli_app::server::lease::holder_id(&instance)));
        let drain = Drain::default();
        let router = router(&config, db, api::live_video::VideoRelay::new(relay, instance), drain.clone());
        Ok(Application { port, listener, router, limits: config.limits, jobs, drain })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or Ctrl-C, then drains (crate::drain): stops taking connections at
    /// once, tells the event streams to reconnect elsewhere, lets its job leases go (the other
    /// instances take the jobs at their next renewal) while the requests in flight finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (jobs, drain) = (self.jobs, self.drain);
        let (leases_tx, leases_rx) = tokio::sync::oneshot::channel();
        let stopping = async move {
            shutdown_signal().await;
            drain.start();
            // Beside the drain, bounded: a database that does not answer lets the leases run out
            // by themselves instead.
            let leases = tokio::spawn(async move {
                if let Some(jobs) = jobs {
                    if tokio::time::timeout(std::time::Duration::from_secs(5), jobs.give_up()).await.is_err() {
                        tracing::warn!("job leases not given up within 5 s; they run out by themselves");
                    }
                }
            });
            let _ = leases_tx.send(leases);
        };
        let served = crate::limits::serve(self.listener, self.router, &self.limits, stopping).await;
        if let Ok(leases) = leases_rx.await {
            let _ = leases.await;
        }
        served
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("linli")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(if config.leptos_env_prod { leptos::config::Env::PROD } else { leptos::config::Env::DEV })
        .build()
}

pub fn router(config: &Config, db: Db, relay: api::live_video::VideoRelay, drain: Drain) -> Router {
    let leptos_options = leptos_options(config);
    // Install the metrics recorder before the first request is counted.
    let _ = observability::prometheus();
    let state = AppState {
        db: db.clone(),
        leptos_options: leptos_options.clone(),
        trust_proxy: config.trust_proxy,
        secure_cookies: config.secure_cookies,
        public_url: config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.addr)),
        ice_servers: relay.relay.as_ref().and_then(|r| serde_json::to_string(&r.ice_servers).ok()).unwrap_or_else(|| "[]".into()),
    };
    let session_store = DbSessionStore::new(db.pool.clone());
    // Not a job: every instance that holds rooms counts them.
    jobs::spawn_viewer_count(db.clone());
    let sessions = SessionManagerLayer::new(session_store)
        .with_name("linli_sid")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(session::IDLE_DAYS)));
    let routes = generate_route_list(App);
    let pkg_dir = format!("{}/pkg", config.site_root);

    Router::new()
        .nest("/api/v1", api::router())
        .route("/api/openapi.json", get(api::openapi::serve))
        // Every server function is a POST; no GET may reach one.
        .route("/api/{*fn_name}", axum::routing::post(server_fn_handler))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/media/{id}", get(media::serve))
        .route(
            "/admin/products/{id}/photos",
            axum::routing::post(media::upload_from_page).layer(axum::extract::DefaultBodyLimit::max(api::products::UPLOAD_LIMIT)),
        )
        .route(
            "/admin/live/{id}/cover",
            axum::routing::post(media::cover_from_page).layer(axum::extract::DefaultBodyLimit::max(api::products::UPLOAD_LIMIT)),
        )
        .route(
            "/community/{store_id}/posts",
            axum::routing::post(media::community_post_from_page).layer(axum::extract::DefaultBodyLimit::max(api::community::POST_LIMIT)),
        )
        .route("/community/photos/{token}/{size}", get(media::community_photo))
        .route("/g/{id}/poster.svg", get(media::poster))
        .route("/live/{id}/replay/{name}", get(api::live_video::replay))
        .route("/lang/{code}", get(switch_language))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .route_layer(axum::middleware::from_fn(observability::track))
        // The bundle's names carry no hash, so browsers revalidate (a cheap 304) instead of
        // caching blindly across deploys.
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
                // A release build ships .br/.gz beside each file (scripts/precompress.sh);
                // without them, the compression layer below compresses on the fly.
                .service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            shell,
        ))
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), back_office_login))
        .layer(axum::middleware::from_fn(csrf::reject_cross_site_writes))
        .layer(sessions)
        .layer(CompressionLayer::new().compress_when(compress_when(config.leptos_env_prod)))
        // Pages send their own, with their nonce (linli_app::server::csp); everything else this.
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp_default()))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(axum::Extension(crate::limits::StreamSlots::default()))
        .layer(axum::Extension(relay))
        .layer(axum::Extension(drain))
        .layer(axum::Extension(config.limits.clone()))
        // Outside the sessions and the compression: a kept page costs neither.
        .layer(axum::middleware::from_fn_with_state(crate::page_cache::PageCache::default(), crate::page_cache::serve))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(config.limits.body_idle))
        .layer(axum::middleware::from_fn_with_state(crate::limits::Guard::new(config.limits.clone()), crate::limits::guard))
        .with_state(state)
}


/// What is compressed on the fly: what tower-http would (not images, not event streams), and
/// outside production not the WASM — a debug build's is 20 MB, which brotli takes seconds over
/// for every new browser (the browser tests open dozens), while loopback carries it in
/// milliseconds. A release build's WASM is sent as the .br beside it (scripts/precompress.sh).
fn compress_when(prod: bool) -> impl Predicate {
    let skip = if prod { NotForContentType::GRPC } else { NotForContentType::const_new("application/wasm") };
    DefaultPredicate::new().and(skip)
}

fn csp_default() -> HeaderValue {
    HeaderValue::from_str(&linli_app::server::csp::policy(None)).expect("the policy is ASCII")
}

/// A signed-out visit to a back-office page (or the rider's) goes to the login page, and back
/// after. The pages redirect too, but only once their data has loaded: without JavaScript the
/// streamed page has begun by then, and an expired session would see an empty page.
async fn back_office_login(State(state): State<AppState>, session: tower_sessions::Session, req: Request, next: axum::middleware::Next) -> Response {
    let path = req.uri().path();
    let staff_page = path == "/admin" || path.starts_with("/admin/") || path == "/rider";
    if req.method() == axum::http::Method::GET && staff_page && matches!(session::user_of(&state.db, &session).await, Ok(None)) {
        let back = req.uri().path_and_query().map_or(path, |pq| pq.as_str());
        return Redirect::to(&format!("/login?next={}", linli_app::shared::url::encode(back))).into_response();
    }
    next.run(req).await
}

async fn server_fn_handler(State(state): State<AppState>, req: Request) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

/// Server functions answer every error with 500. Ours carry an `AppError` (JSON), whose
/// code knows the right status: 401, 409, 422… so a bad request is not logged, counted or
/// retried as a server failure. (A layer, because leptos_axum routes each server function
/// itself.)
async fn server_fn_error_status(req: Request, next: axum::middleware::Next) -> Response {
    let is_server_fn = req.uri().path().starts_with("/api/") && !req.uri().path().starts_with("/api/v1/");
    let res = next.run(req).await;
    if !is_server_fn || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<linli_app::shared::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Whether a proxy should send this instance new requests: its database answers and it is not
/// draining. (`/healthz` says only that the process and its database are alive.)
async fn readyz(State(state): State<AppState>, axum::Extension(drain): axum::Extension<Drain>) -> Response {
    if drain.is_draining() {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining").into_response();
    }
    healthz(State(state)).await
}

async fn metrics() -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"))],
        observability::prometheus().render(),
    )
        .into_response()
}

/// `/lang/en?next=/stores`: remembers the language in a cookie and goes back. A plain link,
/// so it works before the WASM arrives.
async fn switch_language(Path(code): Path<String>, Query(q): Query<HashMap<String, String>>) -> Response {
    let locale = Locale::from_code(&code).unwrap_or_default();
    let next = linli_app::server::form::safe_next(q.get("next").map(String::as_str));
    let cookie = format!("{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", locale.code());
    let mut res = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}
