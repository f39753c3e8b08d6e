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
