//! Form pieces: errors shown in place under the field, in the reader's language.
//!
//! An error reaches a form two ways: from the action (JavaScript on) or from the query string
//! after a plain form post bounced back (JavaScript off, see server::form). These helpers read
//! both, so a page needs no two code paths.
use super::use_locale;
use crate::shared::{AppError, ErrorCode};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The form's current error: the action's latest result, else the bounced-back query.
pub fn form_error<T: 'static>(
    value: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> Signal<Option<AppError>> {
    let query = use_query_map();
    let error = Signal::derive(move || match value() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => {
            let q = query.read();
            let code = ErrorCode::from_code(&q.get("err")?)?;
            // The other fields refused with it: `also=unit.invalid_unit,price.invalid_price`.
            let also: Vec<serde_json::Value> = q
                .get("also")
                .unwrap_or_default()
                .split(',')
                .filter_map(|fc| fc.split_once('.'))
                .map(|(f, c)| serde_json::json!({ "field": f, "code": c }))
                .collect();
            let field = q.get("field");
            let details = (!also.is_empty()).then(|| serde_json::json!({ "fields": also }));
            Some(AppError { code, field, details })
        }
    });
    // A refused form brings its first problem into view: the message may be below the fold
    // (the no-JS bounce does the same with a #fragment).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if error.get().is_some_and(|e| e.field.is_some()) {
            request_animation_frame(|| {
                if let Some(el) = document().query_selector(".field-error").ok().flatten() {
                    el.scroll_into_view_with_bool(true);
                }
            });
        }
    });
    error
}

/// Counts an action's successes. Pages reload their data on this rather than on the
/// action's version, which also moves on a failure: a refused form then stays as it was,
/// with what was typed and the key it was sent with (so a retap after a lost answer
/// replays the first result instead of acting twice).
pub fn successes<T: 'static>(value: impl Fn() -> Option<Result<T, AppError>> + 'static) -> ReadSignal<u32> {
    let count = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(value(), Some(Ok(_))) {
            count.update(|n| *n += 1);
        }
    });
    count.read_only()
}

/// A value the user typed, bounced back in the query after a no-JS post.
pub fn kept(key: &'static str) -> String {
    use_query_map().read_untracked().get(key).unwrap_or_default()
}

/// A field's starting value: what the user typed (after a no-JS bounce), else the saved
/// one, else the default.
pub fn start(key: &'static str, current: Option<String>, default: String) -> String {
    let k = kept(key);
    if !k.is_empty() {
        k
    } else {
        current.unwrap_or(default)
    }
}

/// The message under one field, if the error is about it.
#[component]
pub fn FieldError(error: Signal<Option<AppError>>, #[prop(into)] field: String) -> impl IntoView {
    let locale = use_locale();
    move || {
        error.get().and_then(|e| e.code_for(&field)).map(|code| {
            view! { <p class="field-error" role="alert" id=format!("{field}-error")>{code.message(locale)}</p> }
        })
    }
}

/// The message for errors that belong to no single field.
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let locale = use_locale();
    move || {
        error.get().filter(|e| e.field.is_none()).map(|e| {
            view! { <p class="notice notice-error" role="alert">{e.message(locale)}</p> }
        })
    }
}

/// A labelled input with its error underneath: label above the field, message in place.
#[component]
pub fn TextField(
    /// The form field's name, also the key its errors and bounced-back value come under.
    name: &'static str,
    label: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    /// Refill what the user typed after a no-JS round trip (never for passwords).
    #[prop(optional)]
    keep: bool,
) -> impl IntoView {
    let value = if keep { kept(name) } else { String::new() };
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input type=kind name=name required placeholder=placeholder autocomplete=autocomplete
                inputmode=inputmode maxlength=maxlength value=value aria-describedby=format!("{name}-error")/>
            <FieldError error=error field=name/>
        </label>
    }
}

