//! The back office's 直播: the sessions (live, upcoming, ended) with a way to schedule one,
//! and for a store the reader manages its live settings — banned words, and which clerks may
//! host. The schedule form: title, start, playback address, and the line-up picked from
//! what the shelf has, each with its live price, units set aside and limit.
use crate::live::api::{load_live_form, load_live_office, SaveBannedWords, SaveHosts, ScheduleLive};
use crate::live::model::{LiveCard, LiveForm, LiveOffice, LiveStatus};
use crate::live::widgets::{start_text, status_word};
use crate::shared::time::local_clock;
use crate::shared::{Fen, Locale};
use crate::ui::form::{form_error, kept, successes};
use crate::ui::{store_chips, use_locale, FieldError, FormError, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LiveOfficePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let words = ServerAction::<SaveBannedWords>::new();
    let hosts = ServerAction::<SaveHosts>::new();
    let saved_words = successes(move || words.value().get());
    let saved_hosts = successes(move || hosts.value().get());
    let data = Resource::new(
        move || (query.read().get("store").and_then(|s| s.parse::<i64>().ok()), saved_words.get(), saved_hosts.get()),
        |(store, _, _)| load_live_office(store),
    );
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("直播", "Live")}</h1>
            <nav class="office-actions"><a class="btn btn-primary" href="/admin/live/new">{locale.pick("安排直播", "Schedule a session")}</a></nav>
        </header>
        <OfficePage title=locale.pick("直播", "Live") data=data let:office>
            <OfficeView office=office words=words hosts=hosts/>
        </OfficePage>
    }
}

#[component]
fn OfficeView(office: LiveOffice, words: ServerAction<SaveBannedWords>, hosts: ServerAction<SaveHosts>) -> impl IntoView {
    let locale = use_locale();
    let now = office.now_ms;
    let words_error = form_error(move || words.value().get());
    let hosts_error = form_error(move || hosts.value().get());
    view! {
        {if office.sessions.is_empty() {
            view! { <p class="empty-state">{locale.pick("还没有直播。安排一场：选好商品、定直播价、留出件数，开播前把链接发到小区群。", "No sessions yet. Schedule one: pick products, set live prices and units, and share the link before it starts.")}</p> }.into_any()
        } else {
            view! {
                <table class="office-table live-table">
                    <thead><tr>
                        <th>{locale.pick("直播", "Session")}</th>
                        <th>{locale.pick("状态", "Status")}</th>
                        <th>{locale.pick("时间", "When")}</th>
                        <th class="num">{locale.pick("商品", "Products")}</th>
                    </tr></thead>
                    <tbody>{office.sessions.into_iter().map(|s| row(locale, s, now)).collect_view()}</tbody>
                </table>
            }.into_any()
        }}
        {office.settings.map(|st| {
            let store_id = st.store_id;
            let stores: Vec<(i64, String)> = office.stores.clone();
            view! {
                <section class="card" id="settings">
                    <h2 class="section-title">{locale.pick("直播间设置", "Live room settings")}</h2>
                    {store_chips(stores, store_id, |id| format!("/admin/live?store={id}#settings"))}
                    <ActionForm action=words attr:class="form">
                        <input type="hidden" name="store_id" value=store_id/>
                        <label class="field">
                            <span class="field-label">{locale.pick("屏蔽词（一行一个或用逗号隔开；含这些词的评论发不出去）", "Banned words (one per line or comma-separated; comments containing them are refused)")}</span>
                            <textarea name="words" rows="3" maxlength="5000">{
                                let k = kept("words");
                                if k.is_empty() { st.banned_words.join("\n") } else { k }
                            }</textarea>
                            <FieldError error=words_error field="words"/>
                        </label>
                        <button type="submit" class="btn btn-secondary">{locale.pick("保存屏蔽词", "Save banned words")}</button>
                    </ActionForm>
                    <ActionForm action=hosts attr:class="form">
                        <input type="hidden" name="store_id" value=store_id/>
                        <fieldset class="field">
                            <legend class="field-label">{locale.pick("哪些店员可以开播（店长和老板随时可以）", "Which clerks may host (managers and the owner always may)")}</legend>
                            {if st.staff.is_empty() {
                                view! { <p class="muted">{locale.pick("这家店还没有店员账号。", "This store has no clerk accounts yet.")}</p> }.into_any()
                            } else {
                                st.staff.iter().enumerate().map(|(i, (uid, name, on))| view! {
                                    <label class="choice"><input type="checkbox" name=format!("user_ids[{i}]") value=*uid checked=*on/>{name.clone()}</label>
                                }).collect_view().into_any()
                            }}
                            <FieldError error=hosts_error field="user_ids"/>
                        </fieldset>
                        <FormError error=hosts_error/>
                        <button type="submit" class="btn btn-secondary">{locale.pick("保存", "Save")}</button>
                    </ActionForm>
                </section>
            }
        })}
    }
}

fn row(locale: Locale, s: LiveCard, now: i64) -> impl IntoView {
    let when = match s.status {
        LiveStatus::Ended => s.ended_at.as_deref().map(local_clock).unwrap_or_default(),
        _ => start_text(locale, s.starts_at_ms, now),
    };
    view! {
        <tr>
            <td><a href=format!("/admin/live/{}", s.id)>{s.title.clone()}</a></td>
            <td><span class="live-badge" data-live=s.status.as_str()>{status_word(locale, s.status)}</span></td>
            <td class="num">{when}</td>
            <td class="num">{s.products}</td>
        </tr>
    }
}

#[component]
pub fn NewLivePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("store").and_then(|s| s.parse::<i64>().ok()), load_live_form);
    view! {
        <OfficePage title=locale.pick("安排直播", "Schedule a session") heading=true data=data let:form>
            <ScheduleForm form=form/>
        </OfficePage>
    }
}

#[component]
fn ScheduleForm(form: LiveForm) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<ScheduleLive>::new();
    let error = form_error(move || save.value().get());
    let query = use_query_map();
    let back = move |k: String| query.read_untracked().get(&k).unwrap_or_default();
    let title = kept("title");
    let start = {
        let k = kept("starts_at");
        if k.is_empty() { form.default_start.clone() } else { k }
    };
    let stream = kept("stream_url");
    let store_id = form.store_id;
    let shelf_empty = form.products.is_empty();
    view! {
        {store_chips(form.stores.clone(), store_id, |id| format!("/admin/live/new?store={id}"))}
        <ActionForm action=save attr:class="form live-form">
            <FormError error=error/>
            <input type="hidden" name="store_id" value=store_id/>
            <label class="field">
                <span class="field-label">{locale.pick("标题（最多30个字）", "Title (up to 30 characters)")}</span>
                <input type="text" name="title" maxlength="30" required value=title placeholder=locale.pick("果园直击·今晚丑橘", "e.g. Tonight: ugly tangerines from the orchard") aria-describedby="title-error"/>
                <FieldError error=error field="title"/>
            </label>
            <label class="field field-wide">
                <span class="field-label">{locale.pick("开播时间", "Starts at")}</span>
                <input type="datetime-local" name="starts_at" required value=start aria-describedby="starts_at-error"/>
                <FieldError error=error field="starts_at"/>
            </label>
            <label class="field">
                <span class="field-label">{locale.pick("播放地址（选填，https:// 开头的 .m3u8；没有就只卖货不放画面）", "Playback address (optional, an https:// .m3u8)")}</span>
                <input type="url" name="stream_url" value=stream inputmode="url" placeholder="https://…/live.m3u8" aria-describedby="stream_url-error"/>
                <FieldError error=error field="stream_url"/>
            </label>
            <fieldset class="field live-pick" id="items">
                <legend class="field-label">{locale.pick("上哪些商品（勾选后填直播价、留给直播的件数、每人限购）", "Line-up (tick, then set the live price, units set aside and the limit)")}</legend>
                <FieldError error=error field="items"/>
                <FieldError error=error field="live_price"/>
                <FieldError error=error field="stock"/>
                {shelf_empty.then(|| view! { <p class="muted">{locale.pick("货架上现在没有可以留给直播的货，先去进货。", "Nothing on the shelf to set aside — receive goods first.")}</p> })}
                {form.products.iter().enumerate().map(|(row, p)| {
                    let pid = p.id;
                    let on = !back(format!("on_{pid}")).is_empty();
                    let price = back(format!("price_{pid}"));
                    let stock = back(format!("stock_{pid}"));
                    let limit = { let l = back(format!("limit_{pid}")); if l.is_empty() { "2".to_string() } else { l } };
                    let usual = Fen(p.usual_price_fen).to_string();
                    view! {
                        <div class="live-pick-row">
                            <input type="hidden" name=format!("items[{row}][product_id]") value=pid/>
                            <label class="choice">
                                <input type="checkbox" name=format!("items[{row}][on]") value="1" checked=on/>
                                <span>{p.name.clone()}" "<small class="muted">{p.unit.clone()} " · " {usual.clone()} " · "
                                    {match locale { Locale::Zh => format!("可留{}件", p.available), Locale::En => format!("{} free", p.available) }}</small></span>
                            </label>
                            <div class="live-pick-fields">
                                <label class="field"><span class="field-label">{locale.pick("直播价（元）", "Live price (¥)")}</span>
                                    <input type="text" inputmode="decimal" name=format!("items[{row}][price]") value=price placeholder=usual.trim_start_matches('¥').to_string()/></label>
                                <label class="field"><span class="field-label">{locale.pick("留几件", "Units")}</span>
                                    <input type="number" min="1" max=p.available inputmode="numeric" name=format!("items[{row}][stock]") value=stock/></label>
                                <label class="field"><span class="field-label">{locale.pick("每人限购", "Limit each")}</span>
                                    <input type="number" min="1" max="99" inputmode="numeric" name=format!("items[{row}][limit]") value=limit/></label>
                            </div>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <p class="hint">{locale.pick("留出的件数马上从货架上扣下、记入库存流水，直播结束没卖完的自动回到货架。", "The units are taken off the shelf now (a ledger row) and what is not sold goes back when the session ends.")}</p>
            <button type="submit" class="btn btn-primary btn-block" disabled=move || save.pending().get()>{locale.pick("安排直播", "Schedule")}</button>
        </ActionForm>
    }
}
