//! 忘记密码: there is no SMS here, so the store is the way back in — staff at the counter check
//! who is asking and give a one-time code; with it the resident sets a new password.
use super::AuthActions;
use crate::shared::Msg;
use crate::ui::form::{form_error, TextField};
use crate::ui::{use_locale, FormError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn ResetPage() -> impl IntoView {
    let locale = use_locale();
    let action = expect_context::<AuthActions>().reset;
    let error = form_error(move || action.value().get());
    view! {
        <Title text=locale.pick("忘记密码", "Forgot password")/>
        <section class="auth-card card">
            <h1 class="page-title">{locale.pick("忘记密码", "Forgot your password")}</h1>
            <ol class="reset-steps">
                <li>{locale.pick("带上手机到门店收银台，说忘记密码了。", "Bring your phone to the store's counter and say you forgot your password.")}</li>
                <li>{locale.pick("店员核对是您本人后，会给您一个8位重置码，15分钟内有效，只能用一次。", "Once staff have checked it is you, they give you an 8-digit reset code. It works once, for 15 minutes.")}</li>
                <li>{locale.pick("在下面填手机号、重置码和新密码。改好后，其他手机上的登录会退出。", "Enter your number, the code and a new password below. Other phones signed in to your account are signed out.")}</li>
            </ol>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error=error/>
                <TextField name="phone" label=locale.t(Msg::Phone) error=error kind="tel" inputmode="numeric"
                    autocomplete="tel" maxlength=20 placeholder=locale.t(Msg::PhonePlaceholder) keep=true/>
                <TextField name="code" label=locale.pick("重置码", "Reset code") error=error inputmode="numeric"
                    autocomplete="one-time-code" maxlength=12 placeholder=locale.pick("店员给的8位数字", "8 digits from the counter")/>
                <TextField name="password" label=locale.pick("新密码", "New password") error=error kind="password" autocomplete="new-password"
                    placeholder=locale.pick("至少8位", "At least 8 characters")/>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { locale.t(Msg::Submitting) } else { locale.pick("设置新密码并登录", "Set the new password and sign in") }}
                </button>
            </ActionForm>
            <p class="auth-alt"><A href="/login">{locale.pick("想起来了，去登录", "Remembered it? Sign in")}</A></p>
        </section>
    }
}
