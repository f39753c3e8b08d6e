//! 我的: who I am, my wallet, my roles, log out; a way into the back office for staff.
use super::{AuthActions, MeResource};
use crate::shared::{Fen, Msg};
use crate::ui::{use_locale, ErrorNotice, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn MePage() -> impl IntoView {
    let locale = use_locale();
    let me = expect_context::<MeResource>();
    let logout = expect_context::<AuthActions>().logout;
    // Arrived from 忘记密码 with a new password.
    let reset_done = crate::ui::form::kept("reset") == "1";
    view! {
        <Title text=locale.t(Msg::TabMe)/>
        <Suspense fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match me.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! {
                        <section class="card auth-card">
                            <h1 class="page-title">{locale.t(Msg::MyAccount)}</h1>
                            <A href="/login?next=/me" attr:class="btn btn-primary btn-block">{locale.t(Msg::Login)}</A>
                            <A href="/register?next=/me" attr:class="btn btn-secondary btn-block">{locale.t(Msg::Register)}</A>
                        </section>
                    }.into_any(),
                    Ok(Some(me)) => {
                        let works_here = me.works_here();
                        let masked = crate::shared::Phone::parse(&me.phone).map(|p| p.masked()).unwrap_or_default();
                        view! {
                            {reset_done.then(|| view! {
                                <p class="notice notice-ok" role="status">{locale.pick("新密码设好了，已经登录。其他手机上的登录都已退出。", "Your new password is set and you are signed in. Other phones have been signed out.")}</p>
                            })}
                            <section class="card profile">
                                <h1 class="profile-name">{me.name.clone()}</h1>
                                <p class="profile-phone">{masked}</p>
                                <dl class="profile-facts">
                                    <div><dt>{locale.t(Msg::WalletBalance)}</dt><dd class="num">{Fen(me.wallet_fen).to_string()}</dd></div>
                                    <div><dt>{locale.t(Msg::MyRoles)}</dt><dd>
                                        {me.roles.iter().map(|g| locale.t(g.role.label())).collect::<Vec<_>>().join(" · ")}
                                    </dd></div>
                                </dl>
                            </section>
                            <a href="/me/pay" class="btn btn-primary btn-block" rel="external">{locale.pick("付款码 · 到店用余额付", "Pay code · pay in store from the wallet")}</a>
                            <Preferences/>
                            <A href="/notifications" attr:class="btn btn-secondary btn-block">{locale.pick("消息通知", "Notifications")}</A>
                            <A href="/community" attr:class="btn btn-secondary btn-block">{locale.pick("邻里群", "Neighbours' group")}</A>
                            {me.has(crate::accounts::Role::Rider).then(|| view! { <A href="/rider" attr:class="btn btn-secondary btn-block">{locale.pick("配送", "Deliveries")}</A> })}
                            {works_here.then(|| view! { <A href="/admin" attr:class="btn btn-secondary btn-block">{locale.t(Msg::BackOffice)}</A> })}
                            <ActionForm action=logout>
                                <button type="submit" class="btn btn-quiet btn-block">{locale.t(Msg::Logout)}</button>
                            </ActionForm>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// 我的偏好: notes the store sees while picking and at the desk (过敏: 坚果, 香蕉要软一点).
#[component]
fn Preferences() -> impl IntoView {
    use crate::accounts::api::{load_my_notes, AddMyNote, RemoveMyNote};
    use crate::ui::form::{form_error, kept};
    use crate::ui::{FieldError, FormError};
    let locale = use_locale();
    let add = ServerAction::<AddMyNote>::new();
    let remove = ServerAction::<RemoveMyNote>::new();
    let notes = Resource::new(move || (add.version().get(), remove.version().get()), |_| load_my_notes());
    let error = form_error(move || add.value().get());
    view! {
        <section class="card">
            <h2 class="section-title">{locale.pick("我的偏好", "My preferences")}</h2>
            <p class="hint">{locale.pick("门店拣货和取货时都会看到，比如：过敏：坚果、香蕉要软一点、无糖", "The store sees these while picking and at the desk, e.g. allergic to nuts, soft bananas")}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    notes.await.map(|list| view! {
                        <ul class="customer-notes">
                            {list.into_iter().map(|n| {
                                let mine = n.kind == "resident";
                                view! {
                                    <li class:allergy=n.is_allergy()>
                                        {(!mine).then(|| view! { <span class="note-by">{locale.pick("店员记", "Staff")}</span> })}
                                        {n.text.clone()}
                                        {mine.then(|| view! {
                                            <ActionForm action=remove attr:class="inline-form">
                                                <input type="hidden" name="id" value=n.id/>
                                                <button type="submit" class="btn btn-quiet btn-small" aria-label=locale.pick("删除", "Remove")>{locale.pick("删除", "Remove")}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                })}
            </Transition>
            <ActionForm action=add attr:class="form inline-form" attr:novalidate=true>
                <FormError error=error/>
                <label class="field">
                    <span class="field-label">{locale.pick("添加一条", "Add one")}</span>
                    <input name="text" maxlength="40" value=kept("text") placeholder=locale.pick("例如：过敏：坚果", "e.g. allergic to nuts")/>
                </label>
                <FieldError error=error field="text"/>
                <button type="submit" class="btn btn-secondary">{locale.pick("保存", "Save")}</button>
            </ActionForm>
        </section>
    }
}
