//! 晚市特惠 (managers; staff read it): the store's end-of-day markdown rules, the form for a
//! new one, what is left on the shelf of their categories with the 日清报损 button, and
//! today's markdown sales and write-offs. Plain forms: works without JavaScript.
use crate::markdowns::api::{load_markdowns, ChangeMarkdown, ClearOut, SaveMarkdown};
use crate::markdowns::model::{Leftover, MarkdownReport, MarkdownRule, MarkdownsView};
use crate::markdowns::rules::zhe;
use crate::shared::Fen;
use crate::stores::model::StoreChoice;
use crate::ui::form::{form_error, kept, start, successes};
use crate::ui::{store_chips, use_locale, AskFirst, FieldError, FormError, Price, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MarkdownsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let save = ServerAction::<SaveMarkdown>::new();
    let change = ServerAction::<ChangeMarkdown>::new();
    let clear = ServerAction::<ClearOut>::new();
    let (saved, changed, cleared) = (successes(move || save.value().get()), successes(move || change.value().get()), successes(move || clear.value().get()));
    let store = Memo::new(move |_| query.read().get("store").and_then(|s| s.parse::<i64>().ok()));
    let data = Resource::new(move || (store.get(), saved.get(), changed.get(), cleared.get()), |(store, ..)| load_markdowns(store));
    view! {
        <OfficePage title=locale.pick("晚市特惠", "Evening markdowns") data=data let:v>
            <Markdowns view=v save=save change=change clear=clear/>
        </OfficePage>
    }
}

#[component]
fn Markdowns(view: MarkdownsView, save: ServerAction<SaveMarkdown>, change: ServerAction<ChangeMarkdown>, clear: ServerAction<ClearOut>) -> impl IntoView {
    let locale = use_locale();
    let MarkdownsView { stores, store_id, store_name, closes_at, rules, categories, may_edit, leftovers, report, key } = view;
    let change_error = form_error(move || change.value().get());
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("晚市特惠", "Evening markdowns")} " · " {store_name}</h1>
        </header>
        {store_chips(stores.iter().map(StoreChoice::pair).collect(), store_id, |id| format!("/admin/markdowns?store={id}"))}
        <p class="hint">
            {locale.pick(
                "到了时段，这些分类里还有货的商品自动按特惠价卖：商城、购物车、下单和门店收银都是同一个价，时段一过恢复原价。",
                "In the window, what is left in these categories sells at the markdown — storefront, carts, checkout and the till alike — and goes back to the shelf price afterwards.",
            )}
        </p>
        <FormError error=change_error/>
        <section class="office-section">
            <h2 class="section-title">{locale.pick("特惠规则", "Rules")}</h2>
            {if rules.is_empty() {
                view! { <p class="empty-state">{locale.pick("还没有规则", "No rules yet")}</p> }.into_any()
            } else {
                view! {
                    <ul class="markdown-rules">
                        {rules.into_iter().map(|r| view! { <RuleCard rule=r may_edit=may_edit change=change/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {may_edit.then(|| view! { <RuleForm store_id=store_id closes_at=closes_at categories=categories save=save/> })}
        <ClearOutSection store_id=store_id leftovers=leftovers key=key clear=clear/>
        <ReportSection report=report/>
    }
}

#[component]
fn RuleCard(rule: MarkdownRule, may_edit: bool, change: ServerAction<ChangeMarkdown>) -> impl IntoView {
    let locale = use_locale();
    let status = match (rule.active, rule.now_percent_off) {
        (false, _) => view! { <span class="badge">{locale.pick("已暂停", "Paused")}</span> }.into_any(),
        (true, Some(off)) => view! { <span class="badge badge-live">{format!("{} {}", locale.pick("正在特惠", "On now"), zhe(off))}</span> }.into_any(),
        (true, None) => view! { <span class="badge badge-quiet">{locale.pick("不在时段内", "Not in its window")}</span> }.into_any(),
    };
    let categories = rule.categories.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(locale.pick("、", ", "));
    let tiers = rule
        .tiers
        .iter()
        .map(|t| format!("{}{} {}", t.from, locale.pick("起", " on"), zhe(t.percent_off)))
        .chain(std::iter::once(format!("{}{}", locale.pick("至", "until "), rule.until)))
        .collect::<Vec<_>>()
        .join(" · ");
    let (store_id, rule_id, active) = (rule.store_id, rule.id, rule.active);
    view! {
        <li class="markdown-rule" class:paused=!active>
            <p class="markdown-rule-head"><strong>{rule.name.clone()}</strong> " " {status}</p>
            <p class="markdown-rule-cats">{categories}</p>
            <p class="markdown-rule-tiers num">{tiers}</p>
            {may_edit.then(|| view! {
                <div class="markdown-rule-actions">
                    <ActionForm action=change attr:class="inline-form">
                        <input type="hidden" name="store_id" value=store_id/>
                        <input type="hidden" name="rule_id" value=rule_id/>
                        <input type="hidden" name="active" value=if active { "0" } else { "1" }/>
                        <button type="submit" class="btn btn-small btn-secondary">{if active { locale.pick("暂停", "Pause") } else { locale.pick("恢复", "Resume") }}</button>
                    </ActionForm>
                    <AskFirst label=locale.pick("删除", "Delete").to_string() class="btn-small" question=format!("{}{}{}", locale.pick("删除「", "Delete “"), rule.name, locale.pick("」？货架上马上不再按它打折，删了不能恢复（只想先停用就点暂停）。", "”? The shelf stops using it at once and it cannot be brought back (to stop it for now, use Pause).")) >
                        <ActionForm action=change>
                            <input type="hidden" name="store_id" value=store_id/>
                            <input type="hidden" name="rule_id" value=rule_id/>
                            <input type="hidden" name="active" value="0"/>
                            <input type="hidden" name="delete" value="1"/>
                            <button type="submit" class="btn btn-small btn-danger">{locale.pick("确定删除", "Yes, delete")}</button>
                        </ActionForm>
                    </AskFirst>
                </div>
            })}
        </li>
    }
}

#[component]
fn RuleForm(store_id: i64, closes_at: String, categories: Vec<crate::markdowns::model::CategoryChoice>, save: ServerAction<SaveMarkdown>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || save.value().get());
    // Only this form's own refusal brings typed values back (another form's leaves it fresh).
    let bounced = !kept("err").is_empty() && kept("form") == "rule";
    // After a no-JS bounce the boxes the manager ticked come back ticked; a fresh form
    // starts with nothing ticked.
    let ticked: Vec<i64> = kept("cats").split(',').filter_map(|s| s.parse().ok()).collect();
    let name = start("name", None, locale.pick("晚市特惠", "Evening markdown").to_string());
    let until = start("until", None, closes_at);
    // The usual evening: from 19:00 8折, from 20:30 5折 — unless the manager typed otherwise.
    let tier = move |i: usize, from_key: &'static str, zhe_key: &'static str, from: &str, z: &str| {
        let (f, d) = if bounced { (kept(from_key), kept(zhe_key)) } else { (from.to_string(), z.to_string()) };
        view! {
            <div class="tier-row">
                <label class="field">
                    <span class="field-label">{match locale { crate::shared::Locale::Zh => format!("第{}档 开始时间", i + 1), _ => format!("Tier {} from", i + 1) }}</span>
                    <input type="time" name=from_key value=f/>
                </label>
                <label class="field">
                    <span class="field-label">{match locale { crate::shared::Locale::Zh => format!("第{}档 打几折", i + 1), _ => format!("Tier {} discount (折)", i + 1) }}</span>
                    <span class="input-suffix">
                        <input type="text" name=zhe_key inputmode="decimal" maxlength="4" size="4" value=d placeholder="8"/>
                        <span>{locale.pick("折", "折")}</span>
                    </span>
                </label>
            </div>
        }
    };
    view! {
        <section class="office-section">
            <h2 class="section-title">{locale.pick("新建规则", "New rule")}</h2>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <input type="hidden" name="store_id" value=store_id/>
                <FormError error=error/>
                <label class="field">
                    <span class="field-label">{locale.pick("名称", "Name")}</span>
                    <input type="text" name="name" maxlength="12" value=name aria-describedby="name-error"/>
                    <FieldError error=error field="name"/>
                </label>
                <fieldset class="field">
                    <legend class="field-label">{locale.pick("哪些分类打折", "Categories")}</legend>
                    <div class="choices">
                        {categories.into_iter().enumerate().map(|(i, c)| view! {
                            <label class="choice">
                                <input type="checkbox" name=format!("category_ids[{i}]") value=c.id checked=ticked.contains(&c.id)/>
                                " " {c.name}
                            </label>
                        }).collect_view()}
                    </div>
                    <FieldError error=error field="categories"/>
                </fieldset>
                {tier(0, "from_0", "zhe_0", "19:00", "8")}
                {tier(1, "from_1", "zhe_1", "20:30", "5")}
                {tier(2, "from_2", "zhe_2", "", "")}
                <FieldError error=error field="tiers"/>
                <label class="field">
                    <span class="field-label">{locale.pick("结束时间（一般是关门时间；00:00 即到午夜）", "Ends at (usually closing time; 00:00 is midnight)")}</span>
                    <input type="time" name="until" value=until aria-describedby="until-error"/>
                    <FieldError error=error field="until"/>
                </label>
                <button type="submit" class="btn btn-primary btn-block">{locale.pick("保存规则", "Save rule")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ClearOutSection(store_id: i64, leftovers: Vec<Leftover>, key: String, clear: ServerAction<ClearOut>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || clear.value().get());
    let just_cleared = move || clear.value().get().and_then(|r| r.ok()).map(|d| d.units).or_else(|| kept("cleared").parse().ok());
    let units: i64 = leftovers.iter().map(|l| l.available).sum();
    let items = leftovers.iter().map(|l| format!("{}:{}", l.product_id, l.available)).collect::<Vec<_>>().join(",");
    view! {
        <section class="office-section">
            <h2 class="section-title">{locale.pick("日清：还剩下的", "Clear-out: what is left")}</h2>
            {move || just_cleared().map(|n| view! {
                <p class="notice notice-ok" role="status">{format!("{} {n} {}", locale.pick("已记日清报损", "Written off at closing:"), locale.pick("件，库存流水里能看到", "units — see the stock ledger"))}</p>
            })}
            <FormError error=error/>
            {if leftovers.is_empty() {
                view! { <p class="empty-state">{locale.pick("规则里的分类都卖完了", "Nothing left in the rules' categories")}</p> }.into_any()
            } else {
                view! {
                    <ul class="leftovers">
                        {leftovers.into_iter().map(|l| view! {
                            <li class="leftover">
                                <span>{l.name} " " <small class="muted">{l.unit}</small></span>
                                <span class="num">{format!("{} {}", locale.pick("剩", "left"), l.available)}</span>
                                <Price fen=l.price_fen was_fen=Some(l.regular_price_fen)/>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="hint">{locale.pick("关门时把卖不掉的生鲜一次记为日清报损（线上订单占着的货不动）。", "At closing, write off what did not sell in one go (units held for online orders stay).")}</p>
                    <ActionForm action=clear attr:class="form">
                        <input type="hidden" name="store_id" value=store_id/>
                        <input type="hidden" name="key" value=key/>
                        <input type="hidden" name="items" value=items/>
                        <label class="choice confirm-line">
                            <input type="checkbox" name="confirm" value="1" aria-describedby="confirm-error"/>
                            " " {locale.pick("确认：这些货今天卖不掉了，要报损", "Yes: these will not sell today and are to be written off")}
                        </label>
                        <FieldError error=error field="confirm"/>
                        <button type="submit" class="btn btn-danger btn-block">{format!("{} {units} {}", locale.pick("把这", "Write off these"), locale.pick("件记为日清报损", "units at closing"))}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ReportSection(report: MarkdownReport) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="office-section">
            <h2 class="section-title">{locale.pick("今天的特惠账", "Today's markdown report")} " " <small class="muted num">{report.date.clone()}</small></h2>
            <dl class="figures">
                <div><dt>{locale.pick("特惠卖出", "Sold at markdown")}</dt><dd class="num">{Fen(report.revenue_fen).to_string()}</dd></div>
                <div><dt>{locale.pick("让利", "Given away")}</dt><dd class="num">{Fen(report.discount_fen).to_string()}</dd></div>
                <div><dt>{locale.pick("报损件数", "Units written off")}</dt><dd class="num">{report.wasted_units}</dd></div>
                <div><dt>{locale.pick("报损货值", "Value written off")}</dt><dd class="num">{Fen(report.wasted_value_fen).to_string()}</dd></div>
            </dl>
            {(!report.sold.is_empty()).then(|| view! {
                <h3 class="sub-title">{locale.pick("特惠卖出的商品", "Sold at markdown")}</h3>
                <ul class="report-lines">
                    {report.sold.into_iter().map(|s| view! {
                        <li><span>{s.name}</span> <span class="num">{format!("× {}", s.qty)}</span> <span class="num">{Fen(s.revenue_fen).to_string()}</span> <small class="muted num">{format!("{} {}", locale.pick("让利", "off"), Fen(s.discount_fen))}</small></li>
                    }).collect_view()}
                </ul>
            })}
            {(!report.wasted.is_empty()).then(|| view! {
                <h3 class="sub-title">{locale.pick("报损的商品", "Written off")}</h3>
                <ul class="report-lines">
                    {report.wasted.into_iter().map(|w| view! {
                        <li><span>{w.name}</span> <span class="num">{format!("{} {} · {} {}", locale.pick("日清", "closing"), w.cleared, locale.pick("其他损耗", "other"), w.spoiled)}</span> <span class="num">{Fen(w.value_fen).to_string()}</span></li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
