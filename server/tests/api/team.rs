//! The team: the owner invites a person to a store with a role, the link works once for the
//! number it names, and removing a role or deactivating an account takes effect at the
//! person's very next request.
use crate::helpers::*;
use serde_json::{json, Value};

const OWNER: &str = "13900000000";
const MANAGER: &str = "13900000011";
const STAFF: &str = "13900000021"; // 小赵, first store
const RESIDENT: &str = "13800000001";

fn token_of(url: &str) -> String {
    url.rsplit('/').next().unwrap_or_default().to_string()
}

async fn invite(owner: &reqwest::Client, app: &TestApp, phone: &str, role: &str, store: i64) -> (u16, Value) {
    post(owner, app, "/api/v1/owner/invites", &json!({ "phone": phone, "name": "小周", "role": role, "store_id": store })).await
}

#[tokio::test]
async fn a_new_person_accepts_an_invitation_once_and_works_at_the_store_at_once() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let (status, made) = invite(&owner, &app, "13700000099", "staff", store).await;
    assert_eq!(status, 201, "{made}");
    let url = made["url"].as_str().expect("url");
    assert!(url.starts_with("http://") && url.contains("/join/"), "{url}");
    let token = token_of(url);
    // Only the token's hash is kept.
    let kept = crate::helpers::count(&app, &format!("select count(*) from staff_invites where token_hash = '{token}'")).await;
    assert_eq!(kept, 0);

    let newcomer = client();
    let (status, page) = get(&newcomer, &app, &format!("/api/v1/invites/{token}")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!((page["phone_masked"].as_str(), page["has_account"].as_bool(), page["role"].as_str()), (Some("137****0099"), Some(false), Some("staff")));
    let (status, refused) = post(&newcomer, &app, &format!("/api/v1/invites/{token}/accept"), &json!({ "password": "short" })).await;
    assert_eq!((status, error_code(&refused)), (422, "password_too_short"));
    let (status, me) = post(&newcomer, &app, &format!("/api/v1/invites/{token}/accept"), &json!({ "password": "zhou12345", "name": "周小周" })).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["name"], "周小周");
    assert!(me["roles"].as_array().expect("roles").iter().any(|g| g["role"] == "staff" && g["store_id"] == store), "{me}");
    // Signed in, and working: the store's queue opens.
    assert_eq!(get(&newcomer, &app, &format!("/api/v1/staff/stores/{store}/orders")).await.0, 200);

    // Used once: the link is dead for anyone after.
    let (status, dead) = get(&client(), &app, &format!("/api/v1/invites/{token}")).await;
    assert_eq!((status, error_code(&dead)), (404, "invite_not_valid"));
    let (status, _) = post(&client(), &app, &format!("/api/v1/invites/{token}/accept"), &json!({ "password": "another123" })).await;
    assert_eq!(status, 404);
    assert_eq!(get(&client(), &app, "/api/v1/invites/not-a-token").await.0, 404);
}

#[tokio::test]
async fn an_existing_account_accepts_only_when_signed_in_as_the_invited_number() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let (_, made) = invite(&owner, &app, RESIDENT, "rider", store).await;
    let token = token_of(made["url"].as_str().expect("url"));

    let (status, refused) = post(&client(), &app, &format!("/api/v1/invites/{token}/accept"), &json!({ "password": "whatever1" })).await;
    assert_eq!((status, error_code(&refused)), (403, "login_as_invitee"), "no taking over an account by setting its password");
    let someone_else = logged_in(&app, "13800000002").await;
    assert_eq!(post(&someone_else, &app, &format!("/api/v1/invites/{token}/accept"), &json!({})).await.0, 403);

    let resident = logged_in(&app, RESIDENT).await;
    assert_eq!(get(&resident, &app, "/api/v1/rider/orders").await.0, 403, "not a rider yet");
    let (status, me) = post(&resident, &app, &format!("/api/v1/invites/{token}/accept"), &json!({})).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(get(&resident, &app, "/api/v1/rider/orders").await.0, 200);
    // Invited again for the same role at the same store: already there.
    let (status, body) = invite(&owner, &app, RESIDENT, "rider", store).await;
    assert_eq!((status, error_code(&body)), (409, "already_on_team"));
}

#[tokio::test]
async fn removing_a_role_or_deactivating_takes_effect_at_the_next_request() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let staff = logged_in(&app, STAFF).await;
    let (_, team) = get(&owner, &app, "/api/v1/owner/team").await;
    let zhao = team.as_array().expect("team").iter().find(|m| m["phone"] == STAFF).cloned().expect("小赵");
    let zhao_id = zhao["user_id"].as_i64().expect("id");
    assert_eq!(get(&staff, &app, &format!("/api/v1/staff/stores/{store}/orders")).await.0, 200);

    let (status, _) = post(&owner, &app, &format!("/api/v1/owner/team/{zhao_id}/remove-role"), &json!({ "role": "staff", "store_id": store })).await;
    assert_eq!(status, 204);
    assert_eq!(get(&staff, &app, &format!("/api/v1/staff/stores/{store}/orders")).await.0, 403, "the same session, refused at once");

    assert_eq!(post(&owner, &app, &format!("/api/v1/owner/team/{zhao_id}/deactivate"), &json!({})).await.0, 204);
    assert_eq!(get(&staff, &app, "/api/v1/me").await.0, 401, "an open session stops working");
    // A back-office page sends them to log in (before any of the page is streamed).
    let r = staff.get(app.url("/admin/orders?status=placed")).send().await.expect("page");
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login?next=/admin/orders%3Fstatus%3Dplaced");
    let r = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "phone": STAFF, "password": linli_server::demo::DEMO_PASSWORD }))
        .send()
        .await
        .expect("login");
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!((status, error_code(&body)), (403, "account_disabled"));
    assert_eq!(post(&owner, &app, &format!("/api/v1/owner/team/{zhao_id}/reactivate"), &json!({})).await.0, 204);
    logged_in(&app, STAFF).await;

    // The owner is not changed from here, and nobody but the owner manages the team.
    let (_, me) = get(&owner, &app, "/api/v1/me").await;
    let owner_id = me["id"].as_i64().expect("id");
    let (status, body) = post(&owner, &app, &format!("/api/v1/owner/team/{owner_id}/deactivate"), &json!({})).await;
    assert_eq!((status, error_code(&body)), (409, "owner_untouchable"));
    let manager = logged_in(&app, MANAGER).await;
    assert_eq!(get(&manager, &app, "/api/v1/owner/team").await.0, 403);
    assert_eq!(invite(&manager, &app, "13700000098", "staff", store).await.0, 403);
    assert_eq!(post(&manager, &app, &format!("/api/v1/owner/team/{zhao_id}/deactivate"), &json!({})).await.0, 403);
}

#[tokio::test]
async fn bad_invitations_are_refused_and_a_withdrawn_one_is_dead() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let (status, body) = invite(&owner, &app, "1370000", "staff", store).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_phone"));
    let (status, body) = invite(&owner, &app, "13700000097", "owner", store).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_role"));
    let (status, _) = invite(&owner, &app, "13700000097", "staff", 999_999).await;
    assert_eq!(status, 404);

    let (_, made) = invite(&owner, &app, "13700000097", "manager", store).await;
    let token = token_of(made["url"].as_str().expect("url"));
    let id = made["id"].as_i64().expect("id");
    let r = owner.delete(app.url(&format!("/api/v1/owner/invites/{id}"))).send().await.expect("revoke");
    assert_eq!(r.status().as_u16(), 204);
    let (status, body) = post(&client(), &app, &format!("/api/v1/invites/{token}/accept"), &json!({ "password": "manager123" })).await;
    assert_eq!((status, error_code(&body)), (404, "invite_not_valid"));
    assert_eq!(crate::helpers::count(&app, "select count(*) from users where phone = '13700000097'").await, 0);
}

#[tokio::test]
async fn ten_taps_on_one_invitation_make_one_account_with_one_role() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let owner = logged_in(&app, OWNER).await;
    let (_, made) = invite(&owner, &app, "13700000096", "staff", store).await;
    let token = token_of(made["url"].as_str().expect("url"));
    let taps = (0..10).map(|_| {
        let (app, token) = (&app, token.clone());
        async move { post(&client(), app, &format!("/api/v1/invites/{token}/accept"), &json!({ "password": "zhou12345" })).await }
    });
    let results = futures::future::join_all(taps).await;
    let accepted = results.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(accepted, 1, "{results:?}");
    assert!(results.iter().all(|(s, _)| matches!(s, 200 | 404 | 409)), "the others are refused, never a 500: {results:?}");
    assert_eq!(crate::helpers::count(&app, "select count(*) from users where phone = '13700000096'").await, 1);
    assert_eq!(
        crate::helpers::count(&app, "select count(*) from user_roles r join users u on u.id = r.user_id where u.phone = '13700000096' and r.role = 'staff'").await,
        1
    );
}
