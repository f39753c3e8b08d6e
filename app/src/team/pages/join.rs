//! `/join/{token}`: an invitation to work at a store. The invited number sets a password (or,
//! with an account already, signs in) and accepts; the link works once.
use crate::shared::ErrorCode;
use crate::team::api::{load_invite, AcceptInvite};
use crate::team::model::InvitePage;
use crate::ui::form::{form_error, start};
use crate::ui::{use_locale, ErrorNotice, FieldError, FormError, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn JoinPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let data = Resource::new(move || token.get(), load_invite);
    view! {
        <Title text=locale.pick("加入门店", "Join the store")/>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) if e.code == ErrorCode::InviteNotValid => view! {
                        <section class="card auth-card">
                            <h1 class="page-title">{locale.pick("邀请已失效", "Invitation not valid")}</h1>
                            <p>{e.message(locale)}</p>
                            <a class="btn btn-secondary" href="/">{locale.pick("去首页", "Home")}</a>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(page) => view! { <Join page=page token=token.get_untracked()/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Join(page: InvitePage, token: String) -> impl IntoView {
    let locale = use_locale();
    let accept = ServerAction::<AcceptInvite>::new();
    let error = form_error(move || accept.value().get());
    let role = locale.t(page.role.label());
    let next = format!("/login?next=/join/{token}");
    let body = if page.signed_in_as_invitee {
        view! {
            <ActionForm action=accept attr:class="form">
                <input type="hidden" name="token" value=token.clone()/>
                <FormError error=error/>
                <button type="submit" class="btn btn-primary btn-block">{locale.pick("接受邀请", "Accept")}</button>
            </ActionForm>
        }
        .into_any()
    } else if page.signed_in_as_other {
        view! { <p class="notice notice-error">{ErrorCode::LoginAsInvitee.message(locale)}</p> }.into_any()
    } else if page.has_account {
        view! {
            <p>{locale.pick("这个手机号已经有邻里账号，登录后就能接受。", "This number already has an account — log in to accept.")}</p>
            <a class="btn btn-primary btn-block" href=next>{format!("{} {}", locale.pick("登录", "Log in as"), page.phone_masked)}</a>
        }
        .into_any()
    } else {
        let name = start("name", Some(page.name.clone()), String::new());
        view! {
            <ActionForm action=accept attr:class="form" attr:novalidate=true>
                <input type="hidden" name="token" value=token.clone()/>
                <label class="field">
                    <span class="field-label">{locale.pick("称呼", "Name")}</span>
                    <input type="text" name="name" maxlength="20" value=name aria-describedby="name-error"/>
                    <FieldError error=error field="name"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.pick("设置密码（至少8位）", "Choose a password (at least 8 characters)")}</span>
                    <input type="password" name="password" autocomplete="new-password" required aria-describedby="password-error"/>
                    <FieldError error=error field="password"/>
                </label>
                <FormError error=error/>
                <button type="submit" class="btn btn-primary btn-block">{locale.pick("设置密码并加入", "Set the password and join")}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section class="card auth-card">
            <h1 class="page-title">{locale.pick("加入门店", "Join the store")}</h1>
            <p class="join-lead">
                {match locale {
                    crate::shared::Locale::Zh => format!("{}邀请你加入{}，岗位：", page.invited_by, page.store_name),
                    crate::shared::Locale::En => format!("{} invites you to {} as ", page.invited_by, page.store_name),
                }}
                <strong>{role}</strong>
            </p>
            <p class="muted">{format!("{} {}", locale.pick("受邀手机号", "Invited number"), page.phone_masked)}</p>
            {body}
        </section>
    }
}
