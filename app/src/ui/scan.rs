//! 扫码 with the device camera for a code field (`data-code-input`): the overlay that
//! /code-scan.js opens. The script is plain JavaScript, so scanning works before the WASM
//! arrives; where there is no camera the `scan-only` buttons stay hidden and the code is typed.
use leptos::prelude::*;
use leptos_meta::Script;

/// The camera overlay, with what to tell the person holding the device.
#[component]
pub fn ScanOverlay(hint: &'static str, denied: &'static str, close: &'static str) -> impl IntoView {
    view! {
        <Script src="/code-scan.js" defer="true"/>
        <div class="scan-overlay" data-scan-overlay hidden>
            <video playsinline muted></video>
            <p data-scan-status data-denied=denied>{hint}</p>
            <button type="button" class="btn btn-secondary" data-scan-close>{close}</button>
        </div>
    }
}
