//! 注册.
use super::AuthActions;
use crate::shared::Msg;
use crate::ui::form::{form_error, kept};
use crate::ui::{use_locale, FieldError, FormError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let locale = use_locale();
    let action = expect_context::<AuthActions>().register;
    let error = form_error(move || action.value().get());
    let next = kept("next");
    view! {
        <Title text=locale.t(Msg::Register)/>
        <section class="auth-card card">
            <h1 class="page-title">{locale.t(Msg::RegisterTitle)}</h1>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error=error/>
                <input type="hidden" name="next" value=next/>
                <label class="field">
                    <span class="field-label">{locale.t(Msg::Phone)}</span>
                    <input type="tel" name="phone" inputmode="numeric" autocomplete="tel" maxlength="20" required
                        placeholder=locale.t(Msg::PhonePlaceholder) value=kept("phone") aria-describedby="phone-error"/>
                    <FieldError error=error field="phone"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.t(Msg::Name)}</span>
                    <input type="text" name="name" autocomplete="nickname" maxlength="20" required
                        placeholder=locale.t(Msg::NamePlaceholder) value=kept("name") aria-describedby="name-error"/>
                    <FieldError error=error field="name"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.t(Msg::Password)}</span>
                    <input type="password" name="password" autocomplete="new-password" minlength="8" required
                        placeholder=locale.t(Msg::PasswordHint) aria-describedby="password-error"/>
                    <FieldError error=error field="password"/>
                </label>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                    {move || locale.t(if action.pending().get() { Msg::Submitting } else { Msg::Register })}
                </button>
            </ActionForm>
            <p class="auth-alt">{locale.t(Msg::HaveAccount)} " " <A href="/login">{locale.t(Msg::GoLogin)}</A></p>
        </section>
    }
}
