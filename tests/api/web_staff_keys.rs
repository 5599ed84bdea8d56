//! An organisation's administrators keep its API keys on the web: a new key is shown once and
//! works at once, the list says what each may do, a revoked key stops working; members who do not
//! administer, and forged forms, change nothing.

use serde_json::json;

use crate::helpers::{Browser, Page, TestApp, set, spawn_demo_app};

async fn signed_in<'a>(app: &'a TestApp, person: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in_as_demo(person).await;
    browser
}

/// The key shown on a page, if any (`prk_…`).
fn shown_key(page: &Page) -> Option<String> {
    let at = page.body.find("<code>prk_")?;
    let rest = &page.body[at + "<code>".len()..];
    Some(rest[..rest.find('<')?].to_string())
}

const KEYS: &str = "/beheer/sleutels";

#[tokio::test]
async fn an_administrator_makes_a_key_that_is_shown_once_works_at_once_and_stops_when_revoked() {
    let app = spawn_demo_app(&[]).await;
    let mut admin = signed_in(&app, "beheerder-zoetermeer").await;
    let account = admin.get("/account").await;
    assert!(account.body.contains("href=\"/beheer/sleutels\""), "the account page leads to the keys");

    let page = admin.get(KEYS).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("API-sleutels: Bibliotheek Zoetermeer"), "{}", page.text());
    let mut form = page.form(KEYS);
    set(&mut form, "name", "Website van de bibliotheek");
    set(&mut form, "expiresAt", "31-02-2027");
    let bad = admin.submit(KEYS, &form).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("vul een datum in"), "{}", bad.text());
    assert!(shown_key(&bad).is_none());

    set(&mut form, "expiresAt", "2030-12-31");
    let made = admin.submit(KEYS, &form).await;
    assert_eq!(made.status, 200, "{}", made.text());
    assert_eq!(made.header("cache-control"), "no-store");
    let key = shown_key(&made).expect("the new key, shown once");
    assert!(made.text().contains("kopieer hem nu"), "{}", made.text());
    let listed = made.text();
    assert!(listed.contains("Website van de bibliotheek") && listed.contains("actief"), "{listed}");
    assert!(listed.contains("Gepubliceerd aanbod en openbaar onderzoek lezen"), "what it may do: {listed}");

    let read = app.graphql("{ organisation(slug: \"bibliotheek-zoetermeer\") { name } }", json!({}), Some(&key)).await;
    assert_eq!(read["data"]["organisation"]["name"], "Bibliotheek Zoetermeer", "the key works: {read}");

    let again = admin.get(KEYS).await;
    assert!(shown_key(&again).is_none() && !again.body.contains(&key), "never shown again");

    let revoke = again
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/intrekken"))
        .expect("a revoke button")
        .to_string();
    let at = again.body.find(&format!("action=\"{revoke}\"")).unwrap();
    let button = Page { status: 200, headers: again.headers.clone(), body: again.body[at - 50..].to_string() };
    let done = admin.submit(&revoke, &button.form(&revoke)).await;
    assert_eq!(done.status, 303, "{}", done.text());
    assert!(done.header("location").ends_with("?gedaan=ingetrokken"));
    let after = admin.get(&done.header("location")).await.text();
    assert!(after.contains("De sleutel is ingetrokken") && after.contains("ingetrokken"), "{after}");
    let refused =
        app.graphql("{ organisation(slug: \"bibliotheek-zoetermeer\") { name } }", json!({}), Some(&key)).await;
    assert!(refused["errors"][0]["extensions"]["code"].is_string(), "a revoked key works no more: {refused}");
}

#[tokio::test]
async fn members_who_do_not_administer_and_forged_forms_manage_no_keys() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let page = editor.get(KEYS).await;
    assert_eq!(page.status, 403, "{}", page.text());
    assert!(page.text().contains("Geen beheerder"), "{}", page.text());
    let csrf = editor.get("/account").await.form("/afmelden").into_iter().find(|(k, _)| k == "csrf").unwrap().1;
    let tried = editor.submit(KEYS, &[("csrf".into(), csrf), ("name".into(), "Stiekem".into())]).await;
    assert_eq!(tried.status, 403);
    assert!(shown_key(&tried).is_none());

    let mut admin = signed_in(&app, "beheerder-zoetermeer").await;
    let mut form = admin.get(KEYS).await.form(KEYS);
    set(&mut form, "name", "Vervalst");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let cross_site = admin.post_from(Some("https://evil.example"), KEYS, &pairs).await;
    assert_eq!(cross_site.status, 403);
    set(&mut form, "csrf", "guessed");
    assert_eq!(admin.submit(KEYS, &form).await.status, 403);
    assert!(!admin.get(KEYS).await.text().contains("Vervalst"), "no key was made");

    let anonymous = Browser::new(&app).get(KEYS).await;
    assert_eq!(anonymous.status, 303);
}
