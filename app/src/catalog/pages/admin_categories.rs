//! 分类 (the owner keeps them; managers look): rename, reorder, add, retire once empty.
use crate::catalog::admin::{load_categories, SaveCategory, SetCategoryInUse};
use crate::catalog::model::CategoryAdmin;
use crate::ui::form::{form_error, kept, successes};
use crate::ui::{use_locale, OfficePage};
use leptos::prelude::*;

#[component]
pub fn CategoriesPage() -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveCategory>::new();
    let toggle = ServerAction::<SetCategoryInUse>::new();
    let (saved, toggled) = (successes(move || save.value().get()), successes(move || toggle.value().get()));
    let data = Resource::new(move || (saved.get(), toggled.get()), |_| load_categories());
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("分类", "Categories")}</h1>
            <nav class="office-actions"><a class="btn btn-secondary" href="/admin/products">{locale.pick("返回商品", "Back to products")}</a></nav>
        </header>
        <OfficePage title=locale.pick("分类", "Categories") data=data let:v>
            {let (list, may_manage) = v; view! { <Categories list=list may_manage=may_manage save=save toggle=toggle/> }}
        </OfficePage>
    }
}

#[component]
fn Categories(list: Vec<CategoryAdmin>, may_manage: bool, save: ServerAction<SaveCategory>, toggle: ServerAction<SetCategoryInUse>) -> impl IntoView {
    let locale = use_locale();
    let save_error = form_error(move || save.value().get());
    let toggle_error = form_error(move || toggle.value().get());
    // One place for a refusal, above the list: the rows are short forms of two or three
    // fields, and the message names what was wrong (分类名最多8个字…).
    let refusal = move || {
        save_error.get().or_else(|| toggle_error.get()).map(|e| view! { <p class="notice notice-error" role="alert">{e.message(locale)}</p> })
    };
    view! {
        {(kept("saved") == "1").then(|| view! { <p class="notice notice-ok" role="status">{locale.pick("已保存", "Saved")}</p> })}
        {refusal}
        <p class="hint">{locale.pick("排序数字越小越靠前。分类里没有在卖的商品时才能停用。", "Smaller numbers come first. A category can be retired once nothing on sale is in it.")}</p>
        <ul class="category-list">
            {list.into_iter().map(|c| {
                view! {
                    <li class="category-row" class:retired=!c.active>
                        {if may_manage {
                            view! {
                                <ActionForm action=save attr:class="inline-fields category-form">
                                    <input type="hidden" name="id" value=c.id/>
                                    <label class="field"><span class="field-label">{locale.pick("名称", "Name")}</span>
                                        <input type="text" name="name_zh" maxlength="8" required value=c.name_zh.clone()/></label>
                                    <label class="field"><span class="field-label">"English"</span>
                                        <input type="text" name="name_en" maxlength="24" value=c.name_en.clone()/></label>
                                    <label class="field field-narrow"><span class="field-label">{locale.pick("排序", "Order")}</span>
                                        <input type="number" name="sort" min="0" max="999" inputmode="numeric" value=c.sort/></label>
                                    <button type="submit" class="btn btn-secondary">{locale.pick("保存", "Save")}</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! { <span class="category-name">{c.name_zh.clone()} " · " {c.name_en.clone()}</span> }.into_any()
                        }}
                        <span class="muted category-count">
                            {format!("{} {}", c.products, locale.pick("个在卖", "on sale"))}
                            {(!c.active).then(|| view! { " " <span class="badge">{locale.pick("已停用", "Retired")}</span> })}
                        </span>
                        {may_manage.then(|| view! {
                            <ActionForm action=toggle attr:class="category-toggle">
                                <input type="hidden" name="id" value=c.id/>
                                <input type="hidden" name="active" value=if c.active { "0" } else { "1" }/>
                                <button type="submit" class="btn btn-small btn-ghost">{if c.active { locale.pick("停用", "Retire") } else { locale.pick("恢复", "Restore") }}</button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {may_manage.then(|| {
            let bounced_new = kept("which") == "new";
            let keep = move |k: &'static str| if bounced_new { kept(k) } else { String::new() };
            view! {
                <section class="office-section">
                    <h2 class="section-title">{locale.pick("新增分类", "Add a category")}</h2>
                    <ActionForm action=save attr:class="form inline-fields" attr:novalidate=true>
                        <label class="field"><span class="field-label">{locale.pick("名称", "Name")}</span>
                            <input type="text" name="name_zh" maxlength="8" required value=keep("name_zh") placeholder=locale.pick("如：豆制品", "e.g. 豆制品") aria-describedby="name_zh-error"/>
</label>
                        <label class="field"><span class="field-label">{locale.pick("英文名（可不填）", "English name (optional)")}</span>
                            <input type="text" name="name_en" maxlength="24" value=keep("name_en") placeholder="Tofu" aria-describedby="name_en-error"/>
</label>
                        <label class="field field-narrow"><span class="field-label">{locale.pick("排序", "Order")}</span>
                            <input type="number" name="sort" min="0" max="999" inputmode="numeric" value=keep("sort") aria-describedby="sort-error"/>
</label>
                        <button type="submit" class="btn btn-primary">{locale.pick("添加", "Add")}</button>
                    </ActionForm>
                </section>
            }
        })}
    }
}
