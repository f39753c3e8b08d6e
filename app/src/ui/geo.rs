//! The browser's position, asked for only when the resident taps.
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Gets the position and reloads the store list sorted by distance from it.
pub fn locate_and_reload() {
    let Some(window) = web_sys::window() else { return };
    let Ok(geo) = window.navigator().geolocation() else { return };
    let on_ok = Closure::once_into_js(move |pos: web_sys::Position| {
        let c = pos.coords();
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_href(&format!("/stores?lat={:.5}&lng={:.5}", c.latitude(), c.longitude()));
        }
    });
    let opts = web_sys::PositionOptions::new();
    opts.set_maximum_age(300_000);
    opts.set_timeout(10_000);
    let _ = geo.get_current_position_with_error_callback_and_options(on_ok.unchecked_ref(), None, &opts);
}
