//! Live updates in the browser: a server-sent event stream that calls back on each event, and
//! the staff's audible cue. Browser-only; pages render and work without them.
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// An open stream; closing happens when it is dropped (the page is left).
pub struct Live {
    source: web_sys::EventSource,
    _handlers: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Opens `url` and calls `on_event(name, data)` for each of the named events. The browser
/// reconnects by itself after a network drop or when an instance drains, sending the id of the
/// last event it saw; the server sends what was missed and the current state (or `reload` when
/// it cannot say), so a page that was offline catches up.
pub fn listen(url: &str, names: &[&str], on_event: impl Fn(&str, String) + Clone + 'static) -> Option<Live> {
    let source = web_sys::EventSource::new(url).ok()?;
    let mut handlers = Vec::new();
    for name in names.iter().copied().chain(["reload"]) {
        let f = on_event.clone();
        let n = name.to_string();
        let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            f(&n, e.data().as_string().unwrap_or_default());
        });
        let _ = source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
        handlers.push(handler);
    }
    Some(Live { source, _handlers: handlers })
}

/// The new-order chime (public/sounds/new-order.wav). Browsers allow sound only after the
/// person has touched the page once; a refused play is ignored (the badge and title still show).
pub fn chime() {
    if let Ok(audio) = web_sys::HtmlAudioElement::new_with_src("/sounds/new-order.wav") {
        let _ = audio.play();
    }
}

/// Sets the tab's title, e.g. "(2) 订单 · 邻里" while new orders wait.
pub fn set_title(title: &str) {
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        d.set_title(title);
    }
}
