//! 分享海报 /g/{id}/poster: the poster as an image. With JavaScript, public/poster.js draws it
//! into a PNG (long-press to save on a phone, or the download button); without, the SVG shows
//! and a screenshot does the same.
use crate::shared::Msg;
use crate::ui::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PosterPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    view! {
        <Title text=locale.pick("分享海报", "Share poster")/>
        <section class="card poster-card">
            <h1 class="page-title">{locale.pick("分享海报", "Share poster")}</h1>
            <p class="hint">{locale.pick("长按图片保存，发到小区群或朋友圈。", "Press and hold the picture to save it, then send it to your group chat.")}</p>
            <img id="poster" class="poster" src=move || format!("/g/{}/poster.svg", id()) alt=locale.pick("团购海报", "Group-buy poster") width="375" height="600"/>
            <p class="poster-actions">
                <a id="poster-download" class="btn btn-primary btn-block" href=move || format!("/g/{}/poster.svg", id()) download=move || format!("linli-group-{}.svg", id())>{locale.pick("保存海报", "Save poster")}</a>
                <a class="btn btn-secondary btn-block" href=move || format!("/g/{}", id())>{locale.t(Msg::Back)}</a>
            </p>
            <script src="/poster.js" defer></script>
        </section>
    }
}
