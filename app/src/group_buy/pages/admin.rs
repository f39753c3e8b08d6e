//! The back office's group buys: the list, the campaign form (new, or edit before anyone
//! joins), and a campaign's page — households and units by store, time left, publish, extend
//! once, cancel; after success the supplier purchase summary (CSV) and the pick list.
use crate::group_buy::api::{load_campaign_form, load_campaign_report, load_campaigns, CampaignAction, SaveCampaign};
use crate::group_buy::model::{CampaignForm, GroupBuy, GroupBuyReport, GroupBuyStatus};
use crate::group_buy::widgets::{status_word, Countdown, GroupProgress};
use crate::shared::AppError;
use crate::shared::time::local_clock;
use crate::shared::{Fen, Locale};
use crate::ui::form::{form_error, kept, start};
use crate::ui::{use_locale, FieldError, FormError, OfficePage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |()| load_campaigns());
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("团购活动", "Group buys")}</h1>
            <nav class="office-actions"><a class="btn btn-primary" href="/admin/group-buys/new">{locale.pick("发起团购", "New group buy")}</a></nav>
        </header>
        <OfficePage title=locale.pick("团购活动", "Group buys") data=data let:list>
            {if list.is_empty() {
                view! {
                    <p class="empty-state">{locale.pick("还没有团购。发起一个：选商品、定团购价和成团户数，发到小区群。", "No group buys yet. Start one: a product, a group price and a threshold, then share it.")}</p>
                }.into_any()
            } else {
                view! {
                    <table class="office-table gb-table">
                        <thead><tr>
                            <th>{locale.pick("活动", "Campaign")}</th>
                            <th>{locale.pick("状态", "Status")}</th>
                            <th class="num">{locale.pick("户数", "Households")}</th>
                            <th class="num">{locale.pick("份数", "Units")}</th>
                            <th>{locale.pick("截止", "Deadline")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|g| row(locale, g)).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </OfficePage>
    }
}

fn row(locale: Locale, g: GroupBuy) -> impl IntoView {
    view! {
        <tr>
            <td><a href=format!("/admin/group-buys/{}", g.id)>{g.title.clone()}</a>
                <br/><small class="muted">{g.stores.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join("、")}</small></td>
            <td><span class="status" data-gb-status=g.status.as_str()>{status_word(locale, g.status)}</span></td>
            <td class="num">{g.households} "/" {g.min_households}</td>
            <td class="num">{g.units_sold}{g.max_units.map(|m| format!("/{m}"))}</td>
            <td class="num">{local_clock(&g.deadline)}</td>
        </tr>
    }
}

#[component]
pub fn NewCampaignPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |()| load_campaign_form());
    view! {
        <OfficePage title=locale.pick("发起团购", "New group buy") heading=true data=data let:form>
            <CampaignFormView form=form current=None/>
        </OfficePage>
    }
}


#[component]
fn CampaignFormView(form: CampaignForm, current: Option<GroupBuy>) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveCampaign>::new();
    let error = form_error(move || save.value().get());
    let c = current.clone();
    let scope = start(
        "scope",
        c.as_ref().map(|g| if g.stores.len() == 1 { g.stores[0].id.to_string() } else { "all".into() }),
        form.stores.first().map(|s| s.id.to_string()).unwrap_or_default(),
    );
    let product = start("product_id", c.as_ref().map(|g| g.product_id.to_string()), String::new());
    let title = start("title", c.as_ref().map(|g| g.title.clone()), String::new());
    let story = start("story", c.as_ref().map(|g| g.story.clone()), String::new());
    let price = start("price", c.as_ref().map(|g| Fen(g.price_fen).to_string().trim_start_matches('¥').to_string()), String::new());
    let min = start("min_households", c.as_ref().map(|g| g.min_households.to_string()), "50".into());
    let cap = start("max_units", c.as_ref().map(|g| g.max_units.map(|m| m.to_string()).unwrap_or_default()), String::new());
    let limit = start("per_household_limit", c.as_ref().map(|g| g.per_household_limit.to_string()), "2".into());
    let deadline = start(
        "deadline",
        c.as_ref().and_then(|g| crate::shared::time::parse_instant(&g.deadline)).map(crate::shared::time::local_input),
        form.default_deadline.clone(),
    );
    let pickup = start("pickup_date", c.as_ref().map(|g| g.pickup_date.clone()), form.default_pickup_date.clone());
    let draft_only = c.as_ref().is_some_and(|g| g.status == GroupBuyStatus::Draft);
    let editing = c.is_some();
    view! {
        <ActionForm action=save attr:class="form campaign-form">
            <FormError error=error/>
            {c.as_ref().map(|g| view! { <input type="hidden" name="id" value=g.id/> })}
            <label class="field">
                <span class="field-label">{locale.pick("门店", "Stores")}</span>
                <select name="scope">
                    {form.stores.iter().map(|s| {
                        let v = s.id.to_string();
                        view! { <option value=v.clone() selected=scope == v>{s.name.clone()}</option> }
                    }).collect_view()}
                    {(form.stores.len() > 1).then(|| view! { <option value="all" selected=scope == "all">{locale.pick("我管理的所有门店", "All my stores")}</option> })}
                </select>
                <FieldError error=error field="stores"/>
            </label>
            <label class="field">
                <span class="field-label">{locale.pick("商品", "Product")}</span>
                <select name="product_id" required>
                    <option value="">{locale.pick("请选择", "Choose")}</option>
                    {form.products.iter().map(|p| {
                        let v = p.id.to_string();
                        view! { <option value=v.clone() selected=product == v>{format!("{} {} · {}", p.name, p.unit, Fen(p.price_fen))}</option> }
                    }).collect_view()}
                </select>
                <FieldError error=error field="product_id"/>
            </label>
            <label class="field">
                <span class="field-label">{locale.pick("标题（选填，默认「商品名·团购」）", "Title (optional)")}</span>
                <input type="text" name="title" maxlength="30" value=title placeholder=locale.pick("赣南脐橙产地直发", "e.g. Navel oranges from Gannan")/>
                <FieldError error=error field="title"/>
            </label>
            <label class="field">
                <span class="field-label">{locale.pick("团品故事（产地、为什么是这一批）", "Story (origin, why this batch)")}</span>
                <textarea name="story" maxlength="300" rows="3">{story}</textarea>
                <FieldError error=error field="story"/>
            </label>
            <div class="field-row">
                <label class="field">
                    <span class="field-label">{locale.pick("团购价（元）", "Group price (¥)")}</span>
                    <input type="text" name="price" inputmode="decimal" required value=price placeholder="39.90"/>
                    <FieldError error=error field="price"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.pick("成团户数", "Households needed")}</span>
                    <input type="number" name="min_households" min="1" max="10000" required value=min/>
                    <FieldError error=error field="min_households"/>
                </label>
            </div>
            <div class="field-row">
                <label class="field">
                    <span class="field-label">{locale.pick("每户限购", "Per household")}</span>
                    <input type="number" name="per_household_limit" min="1" max="99" required value=limit/>
                    <FieldError error=error field="per_household_limit"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.pick("总量上限（选填）", "Cap in units (optional)")}</span>
                    <input type="number" name="max_units" min="1" value=cap/>
                    <FieldError error=error field="max_units"/>
                </label>
            </div>
            <div class="field-row">
                <label class="field">
                    <span class="field-label">{locale.pick("截止时间", "Deadline")}</span>
                    <input type="datetime-local" name="deadline" required value=deadline/>
                    <FieldError error=error field="deadline"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.pick("提货日", "Pickup day")}</span>
                    <input type="date" name="pickup_date" required value=pickup/>
                    <FieldError error=error field="pickup_date"/>
                </label>
            </div>
            <p class="hint">{locale.pick("有人参团后就不能再改了，只能延期一次或取消（全部退款）。", "Once someone joins, only one extension or a cancellation (all refunded) is possible.")}</p>
            <div class="form-actions">
                {(!editing || draft_only).then(|| view! {
                    <button type="submit" name="publish" value="0" class="btn btn-secondary" disabled=move || save.pending().get()>{locale.pick("存为草稿", "Save draft")}</button>
                })}
                <button type="submit" name="publish" value="1" class="btn btn-primary" disabled=move || save.pending().get()>
                    {if editing && !draft_only { locale.pick("保存", "Save") } else { locale.pick("发布", "Publish") }}
                </button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let action = ServerAction::<CampaignAction>::new();
    let data = Resource::new(
        move || (id(), action.version().get()),
        |(id, _)| async move {
            let report = load_campaign_report(id.ok_or_else(AppError::not_found)?).await?;
            // The edit form's choices only while nobody has joined.
            let edit = if report.editable { load_campaign_form().await.ok() } else { None };
            Ok((report, edit))
        },
    );
    view! {
        <OfficePage title=locale.pick("团购活动", "Group buy") data=data let:v>
            {let (r, edit) = v; view! { <ReportView r=r action=action edit_form=edit/> }}
        </OfficePage>
    }
}

#[component]
fn ReportView(r: GroupBuyReport, action: ServerAction<CampaignAction>, edit_form: Option<CampaignForm>) -> impl IntoView {
    let locale = use_locale();
    let g = r.group.clone();
    let error = form_error(move || action.value().get());
    let households = Signal::derive({
        let h = g.households;
        move || h
    });
    let open = crate::group_buy::rules::is_joinable(g.status, g.deadline_ms, r.now_ms);
    let total_units: i64 = r.purchases.iter().map(|p| p.units).sum();
    view! {
        <Title text=g.title.clone()/>
        <header class="office-head">
            <h1 class="page-title">{g.title.clone()}</h1>
            <nav class="office-actions">
                <a class="btn btn-secondary" href=format!("/g/{}", g.id)>{locale.pick("团购页", "Join page")}</a>
                <a class="btn btn-secondary" href=format!("/g/{}/poster", g.id)>{locale.pick("海报", "Poster")}</a>
            </nav>
        </header>
        <FormError error=error/>
        <section class="card">
            <p><span class="status" data-gb-status=g.status.as_str()>{status_word(locale, g.status)}</span>
                {open.then(|| view! { " · " <Countdown deadline_ms=g.deadline_ms now_ms=r.now_ms/> })}
                {(r.unsettled_orders > 0).then(|| view! { <span class="muted">{match locale {
                    Locale::Zh => format!(" · 还有{}单在处理", r.unsettled_orders),
                    Locale::En => format!(" · {} joins being settled", r.unsettled_orders),
                }}</span> })}
            </p>
            <GroupProgress households=households min_households=g.min_households closed={matches!(g.status, GroupBuyStatus::Succeeded | GroupBuyStatus::Failed | GroupBuyStatus::Cancelled)}/>
            <dl class="facts">
                <div><dt>{locale.pick("团购价", "Group price")}</dt><dd>{Fen(g.price_fen).to_string()} <s class="muted">{Fen(g.normal_price_fen).to_string()}</s> "/" {g.unit.clone()}</dd></div>
                <div><dt>{locale.pick("已售", "Sold")}</dt><dd class="num">{g.units_sold}{g.max_units.map(|m| format!(" / {m}"))} {locale.pick("份", "")}</dd></div>
                <div><dt>{locale.pick("每户限购", "Per household")}</dt><dd class="num">{g.per_household_limit}</dd></div>
                <div><dt>{locale.pick("截止", "Deadline")}</dt><dd class="num">{local_clock(&g.deadline)}{g.deadline_extended.then(|| locale.pick("（已延期）", " (extended)"))}</dd></div>
                <div><dt>{locale.pick("提货日", "Pickup day")}</dt><dd class="num">{g.pickup_date.clone()}</dd></div>
                {(!g.cancel_reason.is_empty()).then(|| view! { <div><dt>{locale.pick("取消原因", "Reason")}</dt><dd>{g.cancel_reason.clone()}</dd></div> })}
            </dl>
        </section>

        <section class="card">
            <h2 class="section-title">{locale.pick("各门店", "By store")}</h2>
            {if r.by_store.is_empty() {
                view! { <p class="muted">{locale.pick("还没有人参团", "Nobody has joined yet")}</p> }.into_any()
            } else {
                view! {
                    <table class="office-table">
                        <thead><tr><th>{locale.pick("门店", "Store")}</th><th class="num">{locale.pick("户数", "Households")}</th><th class="num">{locale.pick("份数", "Units")}</th></tr></thead>
                        <tbody>{r.by_store.iter().map(|t| view! { <tr><td>{t.store_name.clone()}</td><td class="num">{t.households}</td><td class="num">{t.units}</td></tr> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>

        {(g.status == GroupBuyStatus::Succeeded).then(|| view! {
            <section class="card">
                <h2 class="section-title">{locale.pick("采购汇总（以销定采）", "Supplier purchase summary")}</h2>
                <table class="office-table purchase-table">
                    <thead><tr><th>{locale.pick("门店", "Store")}</th><th>{locale.pick("商品", "Product")}</th><th class="num">{locale.pick("数量", "Units")}</th><th class="num">{locale.pick("户数", "Households")}</th></tr></thead>
                    <tbody>{r.purchases.iter().map(|p| view! {
                        <tr><td>{p.store_name.clone()}</td><td>{p.name.clone()} <span class="muted">{p.unit.clone()}</span></td><td class="num">{p.units}</td><td class="num">{p.households}</td></tr>
                    }).collect_view()}</tbody>
                    <tfoot><tr><td colspan="2">{locale.pick("合计", "Total")}</td><td class="num">{total_units}</td><td></td></tr></tfoot>
                </table>
                <h3 class="field-group-title">{locale.pick("到货入库", "Goods arrived")}</h3>
                <p class="muted">{locale.pick("货到店后点一下：货记进本店库存，专门留给参团的订单，不会被门店或线上卖掉", "Tap when the goods reach the store: they are booked into its stock, kept for the group's orders and not sold at the till or online")}</p>
                <ul class="arrivals">
                    {r.arrivals.clone().into_iter().map(|a| view! {
                        <li class="arrival">
                            <span>{a.store_name.clone()}</span>
                            {match (a.received_at, a.may_receive) {
                                (Some(at), _) => view! { <span class="badge badge-ok">{locale.pick("已入库 ", "Booked in ")}{local_clock(&at)}</span> }.into_any(),
                                (None, true) => view! {
                                    <ActionForm action=action attr:class="inline-form">
                                        <input type="hidden" name="id" value=g.id/>
                                        <input type="hidden" name="action" value="receive"/>
                                        <input type="hidden" name="store_id" value=a.store_id/>
                                        <button type="submit" class="btn btn-primary">{locale.pick("到货入库", "Goods arrived")}</button>
                                    </ActionForm>
                                }.into_any(),
                                (None, false) => view! { <span class="muted">{locale.pick("未入库", "Not yet")}</span> }.into_any(),
                            }}
                        </li>
                    }).collect_view()}
                </ul>
                <p class="office-actions">
                    <a class="btn btn-primary" href=format!("/api/v1/group-buys/{}/purchase.csv", g.id) download="">{locale.pick("下载采购单 CSV", "Download CSV")}</a>
                    {g.stores.iter().map(|s| view! {
                        <a class="btn btn-secondary" href=format!("/admin/picklist?store={}&date={}", s.id, g.pickup_date)>{locale.pick("拣货单 · ", "Pick list · ")}{s.name.clone()}</a>
                    }).collect_view()}
                </p>
            </section>
        })}

        {(g.status == GroupBuyStatus::Draft).then(|| view! {
            <section class="card">
                <ActionForm action=action attr:class="form">
                    <input type="hidden" name="id" value=g.id/>
                    <input type="hidden" name="action" value="publish"/>
                    <button type="submit" class="btn btn-primary btn-block">{locale.pick("发布团购", "Publish")}</button>
                </ActionForm>
            </section>
        })}

        {r.can_extend.then(|| view! {
            <section class="card">
                <h2 class="section-title">{locale.pick("延期（只能一次）", "Extend the deadline (once)")}</h2>
                <ActionForm action=action attr:class="form">
                    <input type="hidden" name="id" value=g.id/>
                    <input type="hidden" name="action" value="extend"/>
                    <label class="field">
                        <span class="field-label">{locale.pick("新的截止时间", "New deadline")}</span>
                        <input type="datetime-local" name="deadline" required value={
                            let k = kept("deadline");
                            if k.is_empty() { crate::shared::time::local_input(g.deadline_ms + 86_400_000) } else { k }
                        }/>
                        <FieldError error=error field="deadline"/>
                    </label>
                    <button type="submit" class="btn btn-secondary">{locale.pick("延期", "Extend")}</button>
                </ActionForm>
            </section>
        })}

        {matches!(g.status, GroupBuyStatus::Draft | GroupBuyStatus::Open).then(|| view! {
            <section class="card">
                <h2 class="section-title">{locale.pick("取消团购", "Cancel")}</h2>
                <ActionForm action=action attr:class="form">
                    <input type="hidden" name="id" value=g.id/>
                    <input type="hidden" name="action" value="cancel"/>
                    <label class="field">
                        <span class="field-label">{locale.pick("原因（参团的邻居会看到）", "Reason (households will see it)")}</span>
                        <input type="text" name="reason" maxlength="60" required value=kept("reason") placeholder=locale.pick("产地天气原因，这批货品质不达标", "The batch did not meet our standard")/>
                        <FieldError error=error field="reason"/>
                    </label>
                    <p class="hint">{locale.pick("取消后所有参团订单自动取消，储值付款原路退回。", "Every join is cancelled and wallet payments are refunded.")}</p>
                    <button type="submit" class="btn btn-danger">{locale.pick("取消这个团", "Cancel this group buy")}</button>
                </ActionForm>
            </section>
        })}

        {edit_form.map(|f| view! {
            <section class="card">
                <h2 class="section-title">{locale.pick("修改（还没有人参团）", "Edit (nobody has joined yet)")}</h2>
                <CampaignFormView form=f current=Some(g.clone())/>
            </section>
        })}
    }
}
