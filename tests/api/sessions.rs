//! Site sessions: the demo sign-in (only with the development secret), the cookie, rotation at
//! sign-in, sign-out, idle and absolute ends, and forms refused without this session's token or
//! from another site.

use chrono::{Duration, Utc};
use entity::session;
use registry::people::session::hash;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::{Browser, database, spawn_app, spawn_app_with, spawn_demo_app};

/// The stored session of a `name=value` cookie.
async fn stored(app: &crate::helpers::TestApp, cookie: &str) -> Option<session::Model> {
    let token = cookie.split_once('=').expect("name=value").1;
    let db = database(app).await;
    session::Entity::find().filter(session::Column::TokenHash.eq(hash(token))).one(&db).await.expect("read sessions")
}

#[tokio::test]
async fn the_demo_sign_in_is_offered_with_the_development_secret_and_names_the_person_on_every_page() {
    let app = spawn_demo_app(&[]).await;
    let mut browser = Browser::new(&app);
    let form = browser.get("/aanmelden").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Demo: aanmelden als demopersoon"), "clearly marked: {}", form.body);
    assert!(form.body.contains("Sanne Jansen (demo)"));
    let before = browser.cookie.clone().expect("the sign-in page starts a session for its form token");

    browser.sign_in_as_demo("redacteur-zoetermeer").await;
    let after = browser.cookie.clone().expect("signed in");
    assert_ne!(before, after, "signing in starts a new session");

    let home = browser.get("/").await;
    assert!(home.body.contains("Aangemeld als <strong>Sanne Jansen (demo)</strong>"), "{}", home.body);
    assert!(home.body.contains("Bibliotheek Zoetermeer, redacteur"), "the header names the membership");
    assert!(home.body.contains("action=\"/afmelden\""), "a sign-out button");
    let english = browser.get("/en").await;
    assert!(english.body.contains("Signed in as <strong>Sanne Jansen (demo)</strong>"));
    assert!(english.body.contains("Bibliotheek Zoetermeer, editor"));

    // The session from before the sign-in opens nothing.
    let mut stale = Browser::new(&app);
    stale.cookie = Some(before);
    let page = stale.get("/").await;
    assert!(!page.body.contains("Aangemeld als"), "the pre-sign-in session is gone");
    assert!(page.body.contains("href=\"/aanmelden\""));
}

#[tokio::test]
async fn the_demo_sign_in_does_not_exist_with_a_configured_secret() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let form = browser.get("/aanmelden").await;
    assert_eq!(form.status, 200);
    assert!(!form.body.contains("demopersoon"), "{}", form.body);
    assert!(form.body.contains("niet ingesteld"), "no way in without a provider");
    assert!(form.input("csrf").is_none() && browser.cookie.is_none(), "no form, so no session for its token");
    let refused = browser.post("/aanmelden/demo", &[("csrf", "whatever"), ("persoon", "netwerkbeheerder-kb")]).await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    assert!(browser.get("/").await.body.contains("href=\"/aanmelden\""), "still anonymous");
}

#[tokio::test]
async fn the_cookie_is_http_only_lax_and_secure_except_on_this_machine_over_plain_http() {
    let app = spawn_demo_app(&[]).await;
    let mut browser = Browser::new(&app);
    browser.get("/aanmelden").await;
    let page = browser.sign_in_as_demo("lezer").await;
    let cookie = page.set_cookies().into_iter().next().expect("a session cookie");
    assert!(cookie.starts_with("registry-session="), "{cookie}");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP on localhost cannot keep a Secure cookie: {cookie}");
    let token = browser.cookie.as_ref().unwrap().split_once('=').unwrap().1.to_string();
    let row = stored(&app, browser.cookie.as_ref().unwrap()).await.expect("stored");
    assert_ne!(row.token_hash, token, "only a hash of the token is stored");
    assert_eq!(row.token_hash.len(), 64);

    let public = spawn_demo_app(&[("server.public_url", "https://register.example.nl")]).await;
    let mut browser = Browser::new(&public);
    let page = browser.get("/aanmelden").await;
    let cookie = page.set_cookies().into_iter().next().expect("a session cookie");
    assert!(cookie.starts_with("__Host-registry-session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test]
async fn signing_out_ends_the_session_and_its_token_opens_nothing() {
    let app = spawn_demo_app(&[]).await;
    let mut browser = Browser::new(&app);
    browser.sign_in_as_demo("adviseur-probiblio").await;
    let cookie = browser.cookie.clone().unwrap();
    let csrf = browser.csrf().await;
    let out = browser.post("/afmelden", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), "/");
    assert!(out.set_cookies().iter().any(|c| c.contains("Max-Age=0")), "the cookie is cleared");
    assert!(stored(&app, &cookie).await.is_none(), "the session is gone from the database");
    let mut replay = Browser::new(&app);
    replay.cookie = Some(cookie);
    assert!(!replay.get("/").await.body.contains("Aangemeld als"));
    let account = replay.get("/account").await;
    assert_eq!(account.status, 303, "the account page sends an anonymous visitor to sign in");
    assert!(account.header("location").starts_with("/aanmelden?terug="));
}

#[tokio::test]
async fn a_session_ends_when_idle_too_long_and_at_its_absolute_lifetime() {
    let app = spawn_demo_app(&[("session.idle_timeout_secs", "600"), ("session.absolute_lifetime_secs", "3600")]).await;
    let db = database(&app).await;

    let mut idle = Browser::new(&app);
    idle.sign_in_as_demo("lezer").await;
    assert!(idle.get("/").await.body.contains("Aangemeld als"));
    let row = stored(&app, idle.cookie.as_ref().unwrap()).await.unwrap();
    session::ActiveModel {
        id: Set(row.id),
        last_seen_at: Set(Utc::now() - Duration::seconds(601)),
        ..Default::default()
    }
    .update(&db)
    .await
    .unwrap();
    assert!(!idle.get("/").await.body.contains("Aangemeld als"), "idle past the timeout");
    assert!(session::Entity::find_by_id(row.id).one(&db).await.unwrap().is_none(), "and removed");

    let mut used = Browser::new(&app);
    used.sign_in_as_demo("lezer").await;
    let row = stored(&app, used.cookie.as_ref().unwrap()).await.unwrap();
    assert_eq!((row.expires_at - row.created_at).num_seconds(), 3600);
    // Used a moment ago, but signed in more than the absolute lifetime ago.
    session::ActiveModel { id: Set(row.id), expires_at: Set(Utc::now() - Duration::seconds(1)), ..Default::default() }
        .update(&db)
        .await
        .unwrap();
    assert!(!used.get("/").await.body.contains("Aangemeld als"), "past the absolute lifetime");

    // Use within the idle timeout keeps a session going.
    let mut active = Browser::new(&app);
    active.sign_in_as_demo("lezer").await;
    let row = stored(&app, active.cookie.as_ref().unwrap()).await.unwrap();
    session::ActiveModel {
        id: Set(row.id),
        last_seen_at: Set(Utc::now() - Duration::seconds(300)),
        ..Default::default()
    }
    .update(&db)
    .await
    .unwrap();
    assert!(active.get("/").await.body.contains("Aangemeld als"));
    let touched = session::Entity::find_by_id(row.id).one(&db).await.unwrap().unwrap();
    assert!(touched.last_seen_at > Utc::now() - Duration::seconds(60), "its use is noted");
}

#[tokio::test]
async fn a_forged_cross_site_form_is_refused_and_so_is_one_without_the_sessions_token() {
    let app = spawn_demo_app(&[]).await;
    let mut browser = Browser::new(&app);
    browser.sign_in_as_demo("redacteur-zoetermeer").await;
    let csrf = browser.csrf().await;

    // Another site's page posting the sign-out form, even knowing the token, is refused.
    let forged = browser.post_from(Some("https://evil.example"), "/afmelden", &[("csrf", &csrf)]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(forged.body.contains("Formulier geweigerd"));
    let null_origin = browser.post_from(Some("null"), "/afmelden", &[("csrf", &csrf)]).await;
    assert_eq!(null_origin.status, 403);
    // Without the token, or with another session's, from this very site.
    assert_eq!(browser.post("/afmelden", &[]).await.status, 403);
    assert_eq!(browser.post("/afmelden", &[("csrf", "x")]).await.status, 403);
    let mut other = Browser::new(&app);
    let other_token = other.get("/aanmelden").await.input("csrf").unwrap();
    assert_eq!(browser.post("/afmelden", &[("csrf", &other_token)]).await.status, 403);
    // A forged sign-in (login CSRF) is refused too.
    let login = other
        .post_from(Some("https://evil.example"), "/aanmelden/demo", &[("csrf", &other_token), ("persoon", "lezer")])
        .await;
    assert_eq!(login.status, 403);

    assert!(browser.get("/").await.body.contains("Aangemeld als"), "still signed in after all that");
    let db = database(&app).await;
    assert_eq!(session::Entity::find().filter(session::Column::PersonId.is_not_null()).count(&db).await.unwrap(), 1);
    // The real form, from this site, works (a browser without Origin sends Referer).
    let out = browser.post("/afmelden", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
}

#[tokio::test]
async fn a_person_with_several_memberships_chooses_the_one_to_act_in() {
    let app = spawn_demo_app(&[]).await;
    let mut browser = Browser::new(&app);
    browser.sign_in_as_demo("redacteur-flevoland").await;
    let account = browser.get("/account").await;
    assert_eq!(account.status, 200, "{}", account.body);
    assert!(
        account.body.contains("U werkt nu als <strong>De Nieuwe Bibliotheek Almere, redacteur</strong>"),
        "{}",
        account.body
    );
    let lelystad = account.input("lidmaatschap").expect("a form to act in the other membership");
    let csrf = account.input("csrf").unwrap();
    let chosen = browser.post("/account/rol", &[("csrf", &csrf), ("lidmaatschap", &lelystad)]).await;
    assert_eq!(chosen.status, 303, "{}", chosen.body);
    let home = browser.get("/").await;
    assert!(home.body.contains("FlevoMeer Bibliotheek, redacteur"), "{}", home.body);
    // Someone else's membership cannot be chosen.
    let mut other = Browser::new(&app);
    other.sign_in_as_demo("lezer").await;
    let csrf = other.csrf().await;
    assert_eq!(other.post("/account/rol", &[("csrf", &csrf), ("lidmaatschap", &lelystad)]).await.status, 404);
}

#[tokio::test]
async fn pages_ask_the_registry_as_the_signed_in_person() {
    let app = spawn_demo_app(&[]).await;
    // A draft of Zoetermeer: not found for anyone else, shown to its own editor signed in.
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let created = app
        .graphql(
            crate::helpers::CREATE_PROPOSITION,
            crate::helpers::new_proposition(&org, "Concept: leesclub Engels"),
            Some(&app.editor("bibliotheek-zoetermeer")),
        )
        .await;
    let id = created["data"]["createProposition"]["proposition"]["id"].as_str().expect("created").to_string();
    let (_, number) = registry::kernel::ids::parse(&async_graphql::ID(id)).expect("a global id");
    let path = format!("/aanbod/{number}");
    let mut anonymous = Browser::new(&app);
    assert_eq!(anonymous.get(&path).await.status, 404);
    let mut editor = Browser::new(&app);
    editor.sign_in_as_demo("redacteur-zoetermeer").await;
    let page = editor.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Concept: leesclub Engels"));
    let mut elsewhere = Browser::new(&app);
    elsewhere.sign_in_as_demo("redacteur-flevoland").await;
    assert_eq!(elsewhere.get(&path).await.status, 404, "another library's editor does not see the draft");
    let mut reader = Browser::new(&app);
    reader.sign_in_as_demo("lezer").await;
    assert_eq!(reader.get(&path).await.status, 404, "without a membership a person reads what anyone reads");
}

#[tokio::test]
async fn the_sign_in_page_returns_only_to_pages_of_this_site() {
    let app = spawn_app_with(&[]).await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/aanmelden?terug=https://evil.example/").await;
    assert_eq!(page.input("terug"), None, "no provider and no demo: no form");
    let demo = spawn_demo_app(&[]).await;
    let mut browser = Browser::new(&demo);
    for (asked, kept) in
        [("//evil.example/x", "/account"), ("https://evil.example/", "/account"), ("/zoeken?q=taal", "/zoeken?q=taal")]
    {
        let page = browser.get(&format!("/aanmelden?terug={}", urlencode(asked))).await;
        assert_eq!(page.input("terug").as_deref(), Some(kept), "{asked}");
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn the_sign_in_and_account_pages_are_accessible_and_self_contained_like_every_page() {
    use crate::pages::{Page as Parsed, assert_accessible_and_self_contained};
    let app = spawn_demo_app(&[]).await;
    let mut browser = Browser::new(&app);
    let parse = |page: crate::helpers::Page| Parsed {
        status: page.status,
        headers: page.headers,
        html: scraper::Html::parse_document(&page.body),
    };
    let sign_in = parse(browser.get("/aanmelden").await);
    assert_eq!(sign_in.status, 200);
    assert_accessible_and_self_contained(&app, "/aanmelden", &sign_in).await;
    assert_eq!(sign_in.header("cache-control"), "no-store", "a page with a form token is not cached");
    browser.sign_in_as_demo("beheerder-zoetermeer").await;
    let account = parse(browser.get("/account").await);
    assert_eq!(account.status, 200);
    assert_accessible_and_self_contained(&app, "/account", &account).await;
    assert_eq!(account.header("cache-control"), "no-store");
    // Every form field has a label, and every button says what it does.
    for id in account.attributes("main input:not([type=hidden])", "id") {
        assert_eq!(account.texts(&format!("label[for='{id}']")).len(), 1, "a label for {id}");
    }
    assert!(account.texts("main button").iter().all(|b| !b.is_empty()));
    let english = browser.get("/en/account").await;
    assert!(english.body.contains("<html lang=\"en\"") && english.body.contains("Members of your organisation"));
    assert!(english.body.contains("action=\"/en/account/leden\""), "forms keep their language by their action");
}

#[tokio::test]
async fn starting_sessions_costs_the_address_so_a_crawler_cannot_fill_the_table() {
    let app = spawn_demo_app(&[("rate_limit.anonymous_points", "500")]).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(Browser::new(&app).get("/aanmelden").await.status);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let db = database(&app).await;
    let stored = session::Entity::find().count(&db).await.unwrap();
    assert!(stored < 8, "refused visits start no session: {stored}");
}
