//! Draining an instance (SIGTERM, a rolling restart): it stops taking connections, `/readyz`
//! answers 503, every open event stream is told to reconnect (the browser's EventSource does,
//! after the `retry` it is given, and the proxy sends it to another instance) and ends, its job
//! leases go to the other instances, and the requests in flight finish — up to
//! `LINLI_DRAIN_SECS`, after which it exits anyway.
use std::sync::Arc;
use tokio::sync::watch;

/// How soon a drained stream's browser reconnects (to another instance, through the proxy):
/// between half a second and three, spread so a thousand streams do not all arrive at once.
pub fn reconnect_after() -> std::time::Duration {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    // Spread, not secrecy: a counter stepped by a large odd number visits every slot.
    let n = NEXT.fetch_add(0x9e37_79b9, Ordering::Relaxed);
    std::time::Duration::from_millis(500 + n % 2_500)
}

#[derive(Clone)]
pub struct Drain(Arc<watch::Sender<bool>>);

impl Default for Drain {
    fn default() -> Self {
        Drain(Arc::new(watch::channel(false).0))
    }
}

impl Drain {
    pub fn start(&self) {
        self.0.send_replace(true);
    }

    pub fn is_draining(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once draining has started (at once if it has).
    pub fn started(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.0.subscribe();
        async move {
            // The sender lives as long as the app; an error means it is gone, which is an end too.
            let _ = rx.wait_for(|draining| *draining).await;
        }
    }
}
