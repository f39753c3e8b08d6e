//! 付款码 (`/me/pay`): the member shows this at the till to pay from the wallet. A one-time
//! code, valid for a minute; the page fetches a new one every 50 seconds by reloading itself
//! (a meta refresh, so it works before and without the WASM) and on a tap of 刷新.
use crate::orders::pages::LoginFirst;
use crate::shared::{ErrorCode, Fen};
use crate::ui::{use_locale, ErrorNotice, ShelfSkeleton};
use crate::wallet::api::my_pay_code;
use crate::wallet::rules::group_pay_code;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Seconds before the page fetches a fresh code: inside the code's minute, so the one on
/// screen always still pays.
const REFRESH_S: &str = "50";

#[component]
pub fn PayCodePage() -> impl IntoView {
    let locale = use_locale();
    let code = Resource::new(|| (), |_| my_pay_code());
    view! {
        <Title text=locale.pick("付款码", "Pay code")/>
        <Suspense fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match code.await {
                    Err(e) if e.code == ErrorCode::Unauthenticated => view! { <LoginFirst next="/me/pay".to_string()/> }.into_any(),
                    Err(e) => view! {
                        <ErrorNotice error=e/>
                        <a href="/me" class="btn btn-secondary btn-block">{locale.pick("返回我的", "Back to Me")}</a>
                    }.into_any(),
                    Ok(page) => view! {
                        <Meta http_equiv="refresh" content=REFRESH_S/>
                        <section class="card pay-code" data-testid="pay-code">
                            <h1 class="page-title">{locale.pick("付款码", "Pay code")}</h1>
                            <p class="hint">{locale.pick("给收银员扫一下，从储值余额付款", "Let the cashier scan it to pay from your wallet")}</p>
                            <div class="qr" role="img" aria-label=locale.pick("付款码二维码", "Pay code QR") inner_html=page.qr_svg></div>
                            <p class="pay-code-digits num" aria-label=locale.pick("付款码数字", "Pay code digits")>{group_pay_code(&page.code.code)}</p>
                            <p class="muted">{locale.pick("一分钟内有效，只能用一次，每分钟自动刷新", "Valid for a minute, once; a new one comes every minute")}</p>
                            <p class="pay-code-balance">{locale.pick("储值余额", "Wallet balance")} " " <strong class="num">{Fen(page.code.wallet_fen).to_string()}</strong></p>
                            <p class="hint warn">{locale.pick("付款码只给收银员看，不要截图发给别人", "Show it to the cashier only — never send a screenshot to anyone")}</p>
                        </section>
                        <a href="/me/pay" class="btn btn-primary btn-block" rel="external">{locale.pick("刷新付款码", "New code")}</a>
                        <a href="/me" class="btn btn-secondary btn-block">{locale.pick("返回我的", "Back to Me")}</a>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
