//! The frame of every back-office page: a page is its title, its data and its content.
use crate::shared::{AppError, ErrorCode, Msg};
use crate::ui::{ErrorNotice, ForbiddenNotice, NotFoundNotice, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use serde::{de::DeserializeOwned, Serialize};

/// Shows `title` in the tab (and as the heading with `heading`), waits for `data`, and hands
/// what arrived to the content (`let:view`). A failed load is handled here, the same on every
/// page: signed out → the login page, which brings the person back to exactly this address
/// (path and query: the product, the store, the filter); no such thing, or not theirs → 页面不存在
/// (answered 404); not theirs to open → 没有权限 with the way back to the shop (403); anything
/// else → the error in the reader's language. Reloads after an action
/// keep the old content on screen (Transition) rather than flashing the skeleton.
#[component]
pub fn OfficePage<T, V, F>(
    /// What the tab says.
    title: &'static str,
    /// Also a visible heading above the content (lists; detail pages name their own thing).
    #[prop(optional)]
    heading: bool,
    /// The page's data, from its server function.
    data: Resource<Result<T, AppError>>,
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let location = use_location();
    view! {
        <Title text=title/>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || {
                let content = children.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) if e.code == ErrorCode::Unauthenticated => {
                            let here = super::this_address(&location.pathname.get_untracked(), &location.search.get_untracked());
                            view! { <Redirect path=format!("/login?next={}", crate::shared::url::encode(&here))/> }.into_any()
                        }
                        Err(e) if e.code == ErrorCode::NotFound => view! { <NotFoundNotice body=Msg::NotFoundBody/> }.into_any(),
                        Err(e) if e.code == ErrorCode::Forbidden => view! { <ForbiddenNotice/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        // The heading only over content: a refusal names itself.
                        Ok(v) => view! { {heading.then(|| view! { <h1 class="page-title">{title}</h1> })} {content(v)} }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use crate::ui::this_address as back_here;

    #[test]
    fn login_comes_back_to_the_exact_page_and_query() {
        assert_eq!(back_here("/admin/products/12", ""), "/admin/products/12");
        assert_eq!(back_here("/admin/orders", "?store=2&status=paid"), "/admin/orders?store=2&status=paid");
        assert_eq!(back_here("/admin/orders", "store=2"), "/admin/orders?store=2");
    }
}
