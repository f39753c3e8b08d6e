//! 商品 (owner, managers): the chain's products with their photo, price and whether they are
//! on sale; filters and search stay in the URL. Plain links and a GET form: works without
//! JavaScript.
use crate::catalog::admin::load_products_admin;
use crate::catalog::model::{ProductAdmin, ProductsAdminView};
use crate::shared::Fen;
use crate::ui::{chip, use_locale, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, PartialEq)]
struct Filter {
    q: Option<String>,
    category: Option<i64>,
    status: Option<String>,
}

impl Filter {
    /// The list's address with one thing changed, the rest kept.
    fn href(&self, category: Option<i64>, status: Option<&str>) -> String {
        let mut parts = Vec::new();
        if let Some(c) = category {
            parts.push(format!("category={c}"));
        }
        if let Some(s) = status.filter(|s| *s != "on") {
            parts.push(format!("status={s}"));
        }
        if let Some(q) = &self.q {
            parts.push(format!("q={}", crate::shared::url::encode(q)));
        }
        if parts.is_empty() { "/admin/products".into() } else { format!("/admin/products?{}", parts.join("&")) }
    }
}

#[component]
pub fn ProductsAdminPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        Filter { q: q.get("q").filter(|s| !s.trim().is_empty()), category: q.get("category").and_then(|c| c.parse().ok()), status: q.get("status") }
    });
    let data = Resource::new(move || filter.get(), |f| load_products_admin(f.q, f.category, f.status));
    view! {
        <OfficePage title=locale.pick("商品", "Products") data=data let:v>
            <ProductsAdmin view=v filter=filter.get_untracked()/>
        </OfficePage>
    }
}

#[component]
fn ProductsAdmin(view: ProductsAdminView, filter: Filter) -> impl IntoView {
    let locale = use_locale();
    let status = filter.status.clone().unwrap_or_else(|| "on".into());
    let zh = locale == crate::shared::Locale::Zh;
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("商品", "Products")}</h1>
            <nav class="office-actions">
                <a class="btn btn-secondary" href="/admin/categories">{locale.pick("分类", "Categories")}</a>
                {view.may_manage.then(|| view! { <a class="btn btn-primary" href="/admin/products/new">{locale.pick("新建商品", "New product")}</a> })}
            </nav>
        </header>
        <nav class="chips" aria-label=locale.pick("状态", "Status")>
            {[("on", locale.pick("在卖", "On sale")), ("retired", locale.pick("已下架", "Retired")), ("all", locale.pick("全部", "All"))]
                .into_iter()
                .map(|(s, label)| chip(filter.href(filter.category, Some(s)), status == s, label.to_string()))
                .collect_view()}
        </nav>
        <nav class="chips" aria-label=locale.pick("分类", "Category")>
            {chip(filter.href(None, Some(&status)), filter.category.is_none(), locale.pick("全部分类", "All categories").to_string())}
            {view.categories.iter().filter(|c| c.active).map(|c| {
                chip(filter.href(Some(c.id), Some(&status)), filter.category == Some(c.id), if zh { c.name_zh.clone() } else { c.name_en.clone() })
            }).collect_view()}
        </nav>
        <form method="get" action="/admin/products" class="search-form" role="search">
            {filter.category.map(|c| view! { <input type="hidden" name="category" value=c/> })}
            {filter.status.clone().map(|s| view! { <input type="hidden" name="status" value=s/> })}
            <input type="search" name="q" value=filter.q.clone().unwrap_or_default() placeholder=locale.pick("搜商品名、产地或生产者", "Search name, origin or producer") aria-label=locale.pick("搜索", "Search")/>
            <button type="submit" class="btn btn-secondary">{locale.pick("搜索", "Search")}</button>
        </form>
        {if view.products.is_empty() {
            view! { <p class="empty-state">{locale.pick("没有符合条件的商品", "No products match")}</p> }.into_any()
        } else {
            view! { <ul class="admin-products">{view.products.into_iter().map(|p| view! { <ProductRow p=p/> }).collect_view()}</ul> }.into_any()
        }}
    }
}

#[component]
fn ProductRow(p: ProductAdmin) -> impl IntoView {
    let locale = use_locale();
    view! {
        <li class="admin-product" class:retired=!p.active>
            <a href=format!("/admin/products/{}", p.id) class="admin-product-link">
                {match p.image_url.clone() {
                    Some(src) => view! { <img class="admin-thumb" src=src alt="" width="56" height="56" loading="lazy"/> }.into_any(),
                    None => view! { <span class="admin-thumb admin-thumb-empty" aria-hidden="true">{p.fields.name.chars().next().map(String::from)}</span> }.into_any(),
                }}
                <span class="admin-product-name">
                    {p.fields.name.clone()} " " <small class="muted">{p.fields.unit.clone()}</small>
                    <small class="muted admin-product-meta">{p.category.clone()} {(!p.fields.origin.is_empty()).then(|| format!(" · {}", p.fields.origin))}</small>
                </span>
                <span class="admin-product-price num">{Fen(p.fields.price_fen).to_string()}</span>
                {(!p.active).then(|| view! { <span class="badge">{locale.pick("已下架", "Retired")}</span> })}
            </a>
        </li>
    }
}
