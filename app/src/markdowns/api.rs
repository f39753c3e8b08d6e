//! Markdown server functions for the 晚市特惠 page; the JSON API calls the same service. Each
//! form bounces back with its error and what was typed when JavaScript is off.
// A server function's arguments are its form's fields: the rule form has ten.
#![allow(clippy::too_many_arguments)]
use super::model::{ClearedOut, MarkdownsView};
use crate::shared::AppError;
use leptos::prelude::*;

/// The page: the store's rules, what is left of their categories now, today's report.
#[server(prefix = "/api", endpoint = "staff_markdowns")]
pub async fn load_markdowns(store: Option<i64>) -> Result<MarkdownsView, AppError> {
    use super::model::CategoryChoice;
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let zh = crate::server::request::page_zh()?;
    let (stores, chosen) = crate::stores::api::working_stores(&state.db, &me, crate::inventory::STOCK_ROLES, store).await?;
    let categories = crate::catalog::categories(&state.db.pool)
        .await?
        .into_iter()
        .filter(|c| c.slug != "bundles")
        .map(|c| CategoryChoice { id: c.id, name: if zh { c.name_zh } else { c.name_en } })
        .collect();
    Ok(MarkdownsView {
        rules: super::service::list(&state.db, &me, chosen.id, zh).await?,
        leftovers: super::service::leftovers(&state.db, &me, chosen.id).await?,
        report: super::service::report(&state.db, &me, chosen.id, None).await?,
        may_edit: super::service::may_edit(&me, chosen.id),
        closes_at: chosen.closes_at,
        stores,
        store_id: chosen.id,
        store_name: chosen.name,
        categories,
        key: crate::server::random_token()?,
    })
}

/// A new rule from the form: categories as `category_ids[i]` check boxes, up to three tier
/// rows of a start time and a discount in 折.
#[server(prefix = "/api", endpoint = "staff_markdown_save")]
pub async fn save_markdown(
    store_id: i64,
    name: String,
    category_ids: Option<Vec<i64>>,
    from_0: String,
    zhe_0: String,
    from_1: String,
    zhe_1: String,
    from_2: String,
    zhe_2: String,
    until: String,
) -> Result<i64, AppError> {
    let category_ids = category_ids.unwrap_or_default();
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let tiers = super::rules::tiers_from_form(&[(&from_0, &zhe_0), (&from_1, &zhe_1), (&from_2, &zhe_2)])?;
        let input = super::model::RuleInput { name: name.clone(), category_ids: category_ids.clone(), tiers, until: until.clone() };
        Ok::<_, AppError>(super::service::create(&state.db, &me, store_id, &input, crate::server::request::page_zh()?).await?.id)
    }
    .await;
    match &result {
        Ok(_) => leptos_axum::redirect(&format!("/admin/markdowns?store={store_id}&saved=1")),
        Err(e) => {
            let cats = category_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            crate::server::form::bounce_back(
                e,
                &[
                    ("form", "rule"),
                    ("name", &name),
                    ("cats", &cats),
                    ("from_0", &from_0),
                    ("zhe_0", &zhe_0),
                    ("from_1", &from_1),
                    ("zhe_1", &zhe_1),
                    ("from_2", &from_2),
                    ("zhe_2", &zhe_2),
                    ("until", &until),
                ],
            );
        }
    }
    result
}

/// 暂停 / 恢复 (`active` = "1" resumes) or 删除 (`delete` = "1") a rule.
#[server(prefix = "/api", endpoint = "staff_markdown_change")]
pub async fn change_markdown(store_id: i64, rule_id: i64, active: String, delete: Option<String>) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        if delete.as_deref() == Some("1") {
            super::service::delete(&state.db, &me, store_id, rule_id).await
        } else {
            super::service::set_active(&state.db, &me, store_id, rule_id, active == "1", crate::server::request::page_zh()?).await.map(|_| ())
        }
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect(&format!("/admin/markdowns?store={store_id}&saved=1")),
        Err(e) => crate::server::form::bounce_back(e, &[]),
    }
    result
}

/// 日清报损 of what the page listed (`items` = "product:units,…"), once the box saying so is
/// ticked: one tap in the morning must not throw away the day's stock.
#[server(prefix = "/api", endpoint = "staff_clear_out")]
pub async fn clear_out(store_id: i64, key: String, items: String, confirm: Option<String>) -> Result<ClearedOut, AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        if confirm.as_deref() != Some("1") {
            return Err(AppError::field(crate::shared::ErrorCode::ClearOutUnconfirmed, "confirm"));
        }
        let items = super::rules::parse_clear_out(&items)?;
        super::service::clear_out(&state.db, &me, store_id, &items, &key).await
    }
    .await;
    match &result {
        Ok(done) => leptos_axum::redirect(&format!("/admin/markdowns?store={store_id}&cleared={}", done.units)),
        Err(e) => crate::server::form::bounce_back(e, &[]),
    }
    result
}
