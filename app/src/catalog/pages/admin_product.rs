//! A product's editor (`/admin/products/{id}`, or `new`): what the shelf says about it, its
//! photos (uploaded by a plain multipart form, so a phone's camera works without the WASM),
//! and taking it off sale. The owner sets prices and categories; a manager edits the rest.
use crate::catalog::admin::{load_product_editor, ChangePhoto, SaveProduct, SetBundle, SetProductOnSale, SetStorePrice};
use crate::catalog::editing::{DESCRIPTION_MAX, NAME_MAX, PART_KEYS, QTY_KEYS, SUGGESTED_TAGS, UNIT_MAX};
use crate::catalog::model::{Photo, ProductAdmin, ProductEditView};
use crate::shared::{Fen, Locale};
use crate::ui::form::{form_error, kept, start, successes};
use crate::ui::{use_locale, FieldError, FormError, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProductEditorPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let save = ServerAction::<SaveProduct>::new();
    let on_sale = ServerAction::<SetProductOnSale>::new();
    let photo = ServerAction::<ChangePhoto>::new();
    let priced = ServerAction::<SetStorePrice>::new();
    let bundled = ServerAction::<SetBundle>::new();
    let rebundled = successes(move || bundled.value().get());
    let (saved, toggled, changed) = (successes(move || save.value().get()), successes(move || on_sale.value().get()), successes(move || photo.value().get()));
    let repriced = successes(move || priced.value().get());
    // "new" (or anything that is not a number) opens an empty form.
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let data = Resource::new(move || (id.get(), saved.get(), toggled.get(), changed.get(), repriced.get(), rebundled.get()), |(id, ..)| load_product_editor(id));
    view! {
        <OfficePage title=locale.pick("编辑商品", "Edit product") data=data let:v>
            <Editor view=v save=save on_sale=on_sale photo=photo priced=priced bundled=bundled/>
        </OfficePage>
    }
}

#[component]
fn Editor(
    view: ProductEditView,
    save: ServerAction<SaveProduct>,
    on_sale: ServerAction<SetProductOnSale>,
    photo: ServerAction<ChangePhoto>,
    priced: ServerAction<SetStorePrice>,
    bundled: ServerAction<SetBundle>,
) -> impl IntoView {
    let locale = use_locale();
    let ProductEditView { product, categories, may_manage, today, parts } = view;
    let title = match &product {
        Some(p) => p.fields.name.clone(),
        None => locale.pick("新建商品", "New product").to_string(),
    };
    // Each part erased on its own: the whole page as one type is too deep for the compiler.
    let head = view! {
        <header class="office-head">
            <h1 class="page-title">{title} {product.as_ref().filter(|p| !p.active).map(|_| view! { " " <span class="badge">{locale.pick("已下架", "Retired")}</span> })}</h1>
            <nav class="office-actions">
                <a class="btn btn-secondary" href="/admin/products">{locale.pick("返回商品", "Back to products")}</a>
                {product.as_ref().filter(|p| p.active).map(|p| view! { <a class="btn btn-secondary" href=format!("/p/{}", p.id)>{locale.pick("看顾客页面", "View as resident")}</a> })}
                {product.as_ref().map(|p| view! { <a class="btn btn-secondary" href=format!("/admin/stock/{}", p.id)>{locale.pick("库存", "Stock")}</a> })}
            </nav>
        </header>
        {(kept("saved") == "1").then(|| view! { <p class="notice notice-ok" role="status">{locale.pick("已保存", "Saved")}</p> })}
    }
    .into_any();
    let photos = product.clone().map(|p| view! { <Photos product=p photo=photo/> }.into_any());
    let bundle = if may_manage {
        product.clone().map(|p| view! { <BundleForm product=p parts=parts bundled=bundled/> }.into_any())
    } else {
        product.as_ref().filter(|p| !p.components.is_empty()).map(|p| {
        view! {
            <section class="office-section">
                <h2 class="section-title">{locale.pick("套餐里有", "In this bundle")}</h2>
                <ul class="plain-list">
                    {p.components.iter().map(|c| view! { <li>{format!("{} {} × {}", c.name, c.unit, c.qty)}</li> }).collect_view()}
                </ul>
            </section>
        }
        .into_any()
        })
    };
    let retire = product.clone().filter(|_| may_manage).map(|p| view! { <OnSale product=p on_sale=on_sale/> }.into_any());
    let store_prices =
        product.clone().filter(|p| p.fields.store_pricing && !p.store_prices.is_empty()).map(|p| view! { <StorePrices product=p priced=priced/> }.into_any());
    let details = view! { <DetailsForm product=product categories=categories may_manage=may_manage today=today save=save/> }.into_any();
    view! { {head} {photos} {store_prices} {details} {bundle} {retire} }
}

/// The product's fields: starting from what was typed (after a refusal), else what is saved.
#[component]
fn DetailsForm(product: Option<ProductAdmin>, categories: Vec<crate::catalog::model::CategoryAdmin>, may_manage: bool, today: String, save: ServerAction<SaveProduct>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || save.value().get());
    let f = product.as_ref().map(|p| &p.fields);
    let name = start("name", f.map(|f| f.name.clone()), String::new());
    let unit = start("unit", f.map(|f| f.unit.clone()), String::new());
    let price = start("price", f.map(|f| Fen(f.price_fen).to_string().trim_start_matches('¥').to_string()), String::new());
    let category = start("category_id", f.map(|f| f.category_id.to_string()), String::new());
    let origin = start("origin", f.map(|f| f.origin.clone()), String::new());
    let producer = start("producer", f.map(|f| f.producer.clone()), String::new());
    let harvest = start("harvest_date", f.and_then(|f| f.harvest_date.clone()), String::new());
    let shelf_life = start("shelf_life_days", f.and_then(|f| f.shelf_life_days.map(|d| d.to_string())), String::new());
    let description = start("description", f.map(|f| f.description.clone()), String::new());
    let tags: Vec<String> = f.map(|f| f.tags.clone()).unwrap_or_default();
    let bounced = !kept("err").is_empty();
    let store_pricing = if bounced { kept("store_pricing") == "1" } else { f.is_some_and(|f| f.store_pricing) };
    let picked: Vec<String> = if bounced { crate::catalog::rules::parse_tags(&kept("picked")) } else { tags.clone() };
    let other = start("tags_other", Some(tags.iter().filter(|t| !SUGGESTED_TAGS.contains(&t.as_str())).cloned().collect::<Vec<_>>().join("，")), String::new());
    let zh = locale == Locale::Zh;
    let product_id = product.as_ref().map(|p| p.id);
    let version: Option<i64> = start("version", product.as_ref().map(|p| p.version.to_string()), String::new()).parse().ok();
    // With JavaScript the page does not reload after a stale save: the next save goes on from
    // the version the refusal named.
    let version = move || {
        let after = save.value().get().and_then(|r| r.err()).and_then(|e| crate::catalog::editing::version_after(&e, version));
        after.or(version).map(|v| v.to_string()).unwrap_or_default()
    };
    let category_name = categories.iter().find(|c| c.id.to_string() == category).map(|c| if zh { c.name_zh.clone() } else { c.name_en.clone() }).unwrap_or_default();
    view! {
        <section class="office-section">
            <h2 class="section-title">{locale.pick("商品信息", "Details")}</h2>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                {product_id.map(|id| view! { <input type="hidden" name="id" value=id/> <input type="hidden" name="version" value=version/> })}
                <label class="field">
                    <span class="field-label">{locale.pick("商品名", "Name")}</span>
                    <input type="text" name="name" required maxlength=NAME_MAX.to_string() value=name placeholder=locale.pick("如：本地土鸡蛋", "e.g. Free-range eggs") aria-describedby="name-error"/>
                    <FieldError error=error field="name"/>
                </label>
                <div class="inline-fields">
                    <label class="field">
                        <span class="field-label">{locale.pick("规格", "Spec")}</span>
                        <input type="text" name="unit" required maxlength=UNIT_MAX.to_string() value=unit placeholder="500g/份" aria-describedby="unit-error"/>
                        <FieldError error=error field="unit"/>
                    </label>
                    <label class="field">
                        <span class="field-label">{locale.pick("售价（元）", "Price (¥)")}</span>
                        <input type="text" name="price" inputmode="decimal" required value=price readonly=!may_manage aria-describedby="price-error"/>
                        <FieldError error=error field="price"/>
                    </label>
                </div>
                {(!may_manage).then(|| view! { <p class="hint">{locale.pick("售价和分类全店统一，由老板来定", "Price and category are the same in every store and set by the owner")}</p> })}
                <label class="field">
                    <span class="field-label">{locale.pick("分类", "Category")}</span>
                    {if may_manage {
                        view! {
                            <select name="category_id" required aria-describedby="category_id-error">
                                <option value="">{locale.pick("请选择", "Choose")}</option>
                                {categories.iter().filter(|c| c.active || c.id.to_string() == category).map(|c| {
                                    let v = c.id.to_string();
                                    view! { <option value=v.clone() selected=category == v>{if zh { c.name_zh.clone() } else { c.name_en.clone() }}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    } else {
                        view! { <input type="hidden" name="category_id" value=category.clone()/> <span class="field-static">{category_name}</span> }.into_any()
                    }}
                    <FieldError error=error field="category_id"/>
                </label>
                <fieldset class="choice-row">
                    <legend class="field-label">{locale.pick("标签", "Tags")}</legend>
                    {SUGGESTED_TAGS.iter().enumerate().map(|(i, t)| {
                        view! { <label class="choice"><input type="checkbox" name=format!("tag_{i}") value=*t checked=picked.iter().any(|p| p == t)/> {*t}</label> }
                    }).collect_view()}
                </fieldset>
                <label class="field">
                    <span class="field-label">{locale.pick("其他标签（用逗号隔开，可不填）", "Other tags (comma separated, optional)")}</span>
                    <input type="text" name="tags_other" maxlength="60" value=other placeholder=locale.pick("如：高山，现摘", "e.g. hill-grown, just picked") aria-describedby="tags-error"/>
                    <FieldError error=error field="tags"/>
                </label>
                {if may_manage {
                    view! {
                        <label class="choice">
                            <input type="checkbox" name="store_pricing" value="1" checked=store_pricing/>
                            " " {locale.pick("允许各门店自己定价（店长在这里改本店售价）", "Let each store set its own price (managers change it here)")}
                        </label>
                    }.into_any()
                } else {
                    view! { {store_pricing.then(|| view! { <input type="hidden" name="store_pricing" value="1"/> })} }.into_any()
                }}
                <h3 class="field-group-title">{locale.pick("溯源信息", "Traceability")}</h3>
                <div class="inline-fields">
                    <label class="field">
                        <span class="field-label">{locale.pick("产地", "Origin")}</span>
                        <input type="text" name="origin" maxlength="20" value=origin placeholder=locale.pick("如：临安", "e.g. Lin'an") aria-describedby="origin-error"/>
                        <FieldError error=error field="origin"/>
                    </label>
                    <label class="field">
                        <span class="field-label">{locale.pick("生产者", "Producer")}</span>
                        <input type="text" name="producer" maxlength="30" value=producer placeholder=locale.pick("如：王家农场", "e.g. Wang family farm") aria-describedby="producer-error"/>
                        <FieldError error=error field="producer"/>
                    </label>
                </div>
                <div class="inline-fields">
                    <label class="field">
                        <span class="field-label">{locale.pick("采摘/生产日期", "Harvested / made on")}</span>
                        <input type="date" name="harvest_date" max=today value=harvest aria-describedby="harvest_date-error"/>
                        <FieldError error=error field="harvest_date"/>
                    </label>
                    <label class="field">
                        <span class="field-label">{locale.pick("保质期（天）", "Shelf life (days)")}</span>
                        <input type="number" name="shelf_life_days" inputmode="numeric" min="1" max="3650" value=shelf_life aria-describedby="shelf_life_days-error"/>
                        <FieldError error=error field="shelf_life_days"/>
                    </label>
                </div>
                <label class="field">
                    <span class="field-label">{locale.pick("介绍（顾客在商品页看到）", "Description (shown on the product page)")}</span>
                    <textarea name="description" rows="4" maxlength=DESCRIPTION_MAX.to_string() aria-describedby="description-error">{description}</textarea>
                    <FieldError error=error field="description"/>
                </label>
                <FormError error=error/>
                <button type="submit" class="btn btn-primary btn-block">{if product_id.is_some() { locale.pick("保存", "Save") } else { locale.pick("创建商品", "Create product") }}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn OnSale(product: ProductAdmin, on_sale: ServerAction<SetProductOnSale>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || on_sale.value().get());
    view! {
        <section class="office-section">
            <h2 class="section-title">{if product.active { locale.pick("下架", "Retire") } else { locale.pick("重新上架", "Put back on sale") }}</h2>
            <p class="hint">
                {if product.active {
                    locale.pick("下架后各门店的顾客都看不到、也买不了；已经下的订单照常处理。", "Residents of every store stop seeing and buying it; orders already placed go ahead.")
                } else {
                    locale.pick("重新上架后，各门店有库存就能卖。", "Back on sale wherever a store has stock.")
                }}
            </p>
            <ActionForm action=on_sale attr:class="form">
                <input type="hidden" name="id" value=product.id/>
                <input type="hidden" name="active" value=if product.active { "0" } else { "1" }/>
                <FormError error=error/>
                <FieldError error=error field="category_id"/>
                <button type="submit" class=if product.active { "btn btn-danger" } else { "btn btn-primary" }>
                    {if product.active { locale.pick("下架这个商品", "Retire this product") } else { locale.pick("重新上架", "Put back on sale") }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Photos(product: ProductAdmin, photo: ServerAction<ChangePhoto>) -> impl IntoView {
    let locale = use_locale();
    // Upload errors come back in the query (a plain form post), like a no-JS bounce.
    let error = form_error(move || photo.value().get());
    let full = product.photos.len() as i64 >= crate::catalog::editing::PHOTOS_MAX;
    view! {
        <section class="office-section" id="photos">
            <h2 class="section-title">{locale.pick("照片", "Photos")} " " <small class="muted">{format!("{}/{}", product.photos.len(), crate::catalog::editing::PHOTOS_MAX)}</small></h2>
            {(kept("photo") == "added").then(|| view! { <p class="notice notice-ok" role="status">{locale.pick("照片已上传", "Photo uploaded")}</p> })}
            {if product.photos.is_empty() {
                view! { <p class="empty-state">{locale.pick("还没有照片。拍一张实物照，顾客更放心。", "No photos yet — a real photo earns trust.")}</p> }.into_any()
            } else {
                view! { <ul class="photo-grid">{product.photos.iter().cloned().map(|ph| view! { <PhotoTile product_id=product.id photo=ph action=photo/> }).collect_view()}</ul> }.into_any()
            }}
            <FormError error=error/>
            {(!full).then(|| view! {
                <form method="post" action=format!("/admin/products/{}/photos", product.id) enctype="multipart/form-data" class="form upload-form">
                    <label class="field">
                        <span class="field-label">{locale.pick("上传照片（JPG、PNG、WebP，10MB以内）", "Upload a photo (JPG, PNG or WebP, up to 10 MB)")}</span>
                        <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" required aria-describedby="photo-error"/>
                        <FieldError error=error field="photo"/>
                    </label>
                    <button type="submit" class="btn btn-secondary">{locale.pick("上传", "Upload")}</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn PhotoTile(product_id: i64, photo: Photo, action: ServerAction<ChangePhoto>) -> impl IntoView {
    let locale = use_locale();
    let hidden = move |cover: &'static str| {
        view! {
            <input type="hidden" name="product_id" value=product_id/>
            <input type="hidden" name="photo_id" value=photo.id/>
            <input type="hidden" name="cover" value=cover/>
        }
    };
    view! {
        <li class="photo-tile" class:cover=photo.cover>
            <a href=photo.large_url.clone()><img src=photo.card_url.clone() alt=locale.pick("商品照片", "Product photo") width="160" height="160" loading="lazy"/></a>
            {if photo.cover {
                view! { <span class="badge badge-ok">{locale.pick("封面", "Cover")}</span> }.into_any()
            } else {
                view! { <ActionForm action=action attr:class="photo-action">{hidden("1")}<button type="submit" class="btn btn-small">{locale.pick("设为封面", "Make cover")}</button></ActionForm> }.into_any()
            }}
            <ActionForm action=action attr:class="photo-action">{hidden("0")}<button type="submit" class="btn btn-small btn-ghost">{locale.pick("删除", "Delete")}</button></ActionForm>
        </li>
    }
}

/// 本店售价: each store the reader manages, its own price or the chain's.
#[component]
fn StorePrices(product: ProductAdmin, priced: ServerAction<SetStorePrice>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || priced.value().get());
    let chain_price = Fen(product.fields.price_fen).to_string();
    let bounced_store = kept("price_store");
    view! {
        <section class="office-section" id="store-prices">
            <h2 class="section-title">{locale.pick("本店售价", "Store prices")}</h2>
            <p class="hint">{format!("{} {chain_price}{}", locale.pick("统一价", "Chain price"), locale.pick("；空着就按统一价卖。门店价对线上和收银台都生效。", " — leave empty to sell at it. A store price applies online and at the till."))}</p>
            <FormError error=error/>
            {product.store_prices.iter().cloned().map(|sp| {
                let placeholder = chain_price.trim_start_matches('¥').to_string();
                let typed = if bounced_store == sp.store_id.to_string() { kept("store_price") } else { sp.price_fen.map(|f| Fen(f).to_string().trim_start_matches('¥').to_string()).unwrap_or_default() };
                view! {
                    <ActionForm action=priced attr:class="form inline-fields store-price-form" attr:novalidate=true>
                        <input type="hidden" name="product_id" value=product.id/>
                        <input type="hidden" name="store_id" value=sp.store_id/>
                        <label class="field">
                            <span class="field-label">{sp.store_name.clone()}</span>
                            <input type="text" name="price" inputmode="decimal" value=typed placeholder=placeholder/>
                        </label>
                        <button type="submit" class="btn btn-secondary">{locale.pick("保存", "Save")}</button>
                    </ActionForm>
                }
            }).collect_view()}
            <FieldError error=error field="price"/>
        </section>
    }
}


/// 套餐内容 (the owner): which single products the bundle holds and how many of each; its
/// stock is then theirs. Folded away unless the product already is a bundle.
#[component]
fn BundleForm(product: ProductAdmin, parts: Vec<(i64, String, String)>, bundled: ServerAction<SetBundle>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || bundled.value().get());
    let bounced = !kept("err").is_empty() && !kept("part_0").is_empty();
    let is_bundle = !product.components.is_empty();
    let rows: Vec<(String, String)> = (0..PART_KEYS.len())
        .map(|i| {
            if bounced {
                (kept(PART_KEYS[i]), kept(QTY_KEYS[i]))
            } else {
                product.components.get(i).map(|c| (c.product_id.to_string(), c.qty.to_string())).unwrap_or_default()
            }
        })
        .collect();
    let id = product.id;
    view! {
        <details class="office-section" id="bundle" open=is_bundle || bounced>
            <summary class="section-title">{if is_bundle { locale.pick("套餐里有", "In this bundle") } else { locale.pick("做成套餐（由几样单品组成）", "Make it a bundle of single products") }}</summary>
            <p class="hint">{locale.pick("套餐的库存就是这几样单品的库存：能凑出几份就卖几份，下单时占用的是单品。全部留空即改回单品。", "A bundle's stock is its parts': it sells as many as the parts make up, and an order holds the parts. Leave every row empty to make it a single product again.")}</p>
            <ActionForm action=bundled attr:class="form" attr:novalidate=true>
                <input type="hidden" name="product_id" value=id/>
                <FormError error=error/>
                {rows.into_iter().enumerate().map(|(i, (part, qty))| {
                    let options = parts.iter().filter(|(pid, ..)| *pid != id).map(|(pid, name, unit)| {
                        let v = pid.to_string();
                        let selected = v == part;
                        view! { <option value=v selected=selected>{format!("{name} {unit}")}</option> }
                    }).collect_view();
                    view! {
                        <div class="tier-row part-row">
                            <label class="field">
                                <span class="field-label">{match locale { Locale::Zh => format!("第{}样", i + 1), _ => format!("Part {}", i + 1) }}</span>
                                <select name=PART_KEYS[i]>
                                    <option value="">{locale.pick("（不选）", "(none)")}</option>
                                    {options}
                                </select>
                            </label>
                            <label class="field">
                                <span class="field-label">{match locale { Locale::Zh => format!("第{}样 几份", i + 1), _ => format!("Part {} quantity", i + 1) }}</span>
                                <input type="text" name=QTY_KEYS[i] inputmode="numeric" maxlength="2" size="3" value=qty placeholder="1"/>
                            </label>
                        </div>
                    }
                }).collect_view()}
                <FieldError error=error field="components"/>
                <button type="submit" class="btn btn-primary btn-block">{locale.pick("保存套餐内容", "Save the bundle")}</button>
            </ActionForm>
        </details>
    }
}
