//! 员工 (the owner): who works at which store in which role, open invitations, and the
//! forms to invite, withdraw, remove a role, deactivate. Plain forms: works without JS.
use crate::accounts::model::Role;
use crate::team::api::{load_team, ChangeTeam, InvitePerson};
use crate::team::model::{TeamMember, TeamView};
use crate::ui::form::{form_error, kept, start, successes};
use crate::ui::{use_locale, FieldError, FormError, OfficePage};
use leptos::prelude::*;

#[component]
pub fn TeamPage() -> impl IntoView {
    let locale = use_locale();
    let invite = ServerAction::<InvitePerson>::new();
    let change = ServerAction::<ChangeTeam>::new();
    let (invited, changed) = (successes(move || invite.value().get()), successes(move || change.value().get()));
    let data = Resource::new(move || (invited.get(), changed.get()), |_| load_team());
    view! {
        <OfficePage title=locale.pick("员工", "Team") heading=true data=data let:v>
            <Team view=v invite=invite change=change/>
        </OfficePage>
    }
}

fn role_label(locale: crate::shared::Locale, role: Role) -> &'static str {
    locale.t(role.label())
}

#[component]
fn Team(view: TeamView, invite: ServerAction<InvitePerson>, change: ServerAction<ChangeTeam>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || invite.value().get());
    let change_error = form_error(move || change.value().get());
    // The link of the invitation just made: from the action (JS) or the address (no JS).
    let link = move || invite.value().get().and_then(|r| r.ok()).or_else(|| Some(kept("link")).filter(|l| !l.is_empty()));
    let store_name = {
        let stores = view.stores.clone();
        move |id: Option<i64>| stores.iter().find(|s| Some(s.id) == id).map(|s| s.name.clone()).unwrap_or_default()
    };
    let role_kept = start("role", None, "staff".into());
    let store_kept = start("store_id", None, view.stores.first().map(|s| s.id.to_string()).unwrap_or_default());
    let invites = view.invites.clone();
    let me = view.me;
    let people = view.people.clone();
    let sn = store_name.clone();
    view! {
        {move || link().map(|l| view! { <InviteMade link=l/> })}
        <FormError error=change_error/>
        <section class="office-section">
            <h2 class="section-title">{locale.pick("邀请员工", "Invite someone")}</h2>
            <ActionForm action=invite attr:class="form" attr:novalidate=true>
                <div class="inline-fields">
                    <label class="field">
                        <span class="field-label">{locale.pick("手机号", "Phone")}</span>
                        <input type="tel" name="phone" inputmode="numeric" maxlength="11" required value=kept("phone") aria-describedby="phone-error"/>
                        <FieldError error=error field="phone"/>
                    </label>
                    <label class="field">
                        <span class="field-label">{locale.pick("称呼", "Name")}</span>
                        <input type="text" name="name" maxlength="20" required value=kept("name") placeholder=locale.pick("如：小周", "e.g. Zhou") aria-describedby="name-error"/>
                        <FieldError error=error field="name"/>
                    </label>
                </div>
                <div class="inline-fields">
                    <label class="field">
                        <span class="field-label">{locale.pick("岗位", "Role")}</span>
                        <select name="role">
                            {[Role::Staff, Role::Manager, Role::Rider].into_iter().map(|r| view! {
                                <option value=r.as_str() selected=role_kept == r.as_str()>{role_label(locale, r)}</option>
                            }).collect_view()}
                        </select>
                        <FieldError error=error field="role"/>
                    </label>
                    <label class="field">
                        <span class="field-label">{locale.pick("门店", "Store")}</span>
                        <select name="store_id">
                            {view.stores.iter().map(|s| view! { <option value=s.id selected=store_kept == s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <FormError error=error/>
                <button type="submit" class="btn btn-primary btn-block">{locale.pick("生成邀请链接", "Make the invitation link")}</button>
            </ActionForm>
        </section>
        {(!invites.is_empty()).then(|| view! {
            <section class="office-section">
                <h2 class="section-title">{locale.pick("还没接受的邀请", "Waiting to accept")}</h2>
                <ul class="team-list">
                    {invites.into_iter().map(|i| view! {
                        <li class="team-row">
                            <span class="team-name">{i.name.clone()} " " <small class="muted">{i.phone.clone()}</small></span>
                            <span class="muted">{format!("{} · {}", i.store_name, role_label(locale, i.role))}</span>
                            <ActionForm action=change attr:class="team-action">
                                <input type="hidden" name="action" value="revoke"/>
                                <input type="hidden" name="id" value=i.id/>
                                <button type="submit" class="btn btn-small btn-ghost">{locale.pick("撤销", "Withdraw")}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="office-section">
            <h2 class="section-title">{locale.pick("在岗的人", "People")}</h2>
            <ul class="team-list">
                {people.into_iter().map(|m| view! { <Member member=m me=me change=change store_name=sn.clone()/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Member(member: TeamMember, me: i64, change: ServerAction<ChangeTeam>, store_name: impl Fn(Option<i64>) -> String + 'static) -> impl IntoView {
    let locale = use_locale();
    let fixed = member.owner || member.user_id == me;
    let form = move |action: &'static str, label: &'static str, role: Option<(Role, Option<i64>)>, danger: bool| {
        view! {
            <ActionForm action=change attr:class="team-action">
                <input type="hidden" name="action" value=action/>
                <input type="hidden" name="id" value=member.user_id/>
                {role.map(|(r, s)| view! {
                    <input type="hidden" name="role" value=r.as_str()/>
                    <input type="hidden" name="store_id" value=s.unwrap_or_default()/>
                })}
                <button type="submit" class=if danger { "btn btn-small btn-ghost" } else { "btn btn-small" }>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <li class="team-row" class:retired=!member.active>
            <span class="team-name">
                {member.name.clone()} " " <small class="muted">{member.phone.clone()}</small>
                {member.owner.then(|| view! { " " <span class="badge badge-ok">{locale.pick("老板", "Owner")}</span> })}
                {(!member.active).then(|| view! { " " <span class="badge">{locale.pick("已停用", "Deactivated")}</span> })}
            </span>
            <ul class="team-roles">
                {member.roles.iter().map(|g| view! {
                    <li class="team-role">
                        <span>{format!("{} · {}", store_name(g.store_id), role_label(locale, g.role))}</span>
                        {(!fixed).then(|| form("remove_role", locale.pick("移除", "Remove"), Some((g.role, g.store_id)), true))}
                    </li>
                }).collect_view()}
            </ul>
            {(!fixed).then(|| if member.active {
                form("deactivate", locale.pick("停用账号", "Deactivate"), None, true).into_any()
            } else {
                form("reactivate", locale.pick("恢复账号", "Reactivate"), None, false).into_any()
            })}
        </li>
    }
}

/// The invitation just made: its link to copy into WeChat or an SMS, and its QR code for a
/// new person standing at the counter to scan.
#[component]
fn InviteMade(link: String) -> impl IntoView {
    let locale = use_locale();
    let qr = Resource::new(move || (), {
        let link = link.clone();
        move |_| crate::team::api::invite_qr(link.clone())
    });
    view! {
        <div class="notice notice-ok invite-made" role="status">
            <p>{locale.pick("邀请已生成。把这个链接发给TA（微信或短信），7天内有效，只能用一次：", "Invitation made. Send this link (WeChat or SMS); it works once, for 7 days:")}</p>
            <div class="invite-link-row">
                <input id="invite-link" class="invite-link" type="text" readonly value=link.clone() aria-label=locale.pick("邀请链接", "Invitation link")/>
                <button type="button" class="btn btn-secondary btn-small js-only" data-copy="invite-link" data-copied=locale.pick("已复制", "Copied")>{locale.pick("复制链接", "Copy link")}</button>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    qr.await.ok().map(|svg| view! {
                        <figure class="invite-qr">
                            <div class="qr" role="img" aria-label=locale.pick("邀请二维码", "Invitation QR code") inner_html=svg></div>
                            <figcaption class="hint">{locale.pick("人在店里的话，让TA用手机扫这个码", "In the shop? Let them scan this with their phone")}</figcaption>
                        </figure>
                    })
                })}
            </Suspense>
        </div>
    }
}
