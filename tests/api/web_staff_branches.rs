//! A library's editors keep its branches on the web: add one (the municipality by name, the
//! coordinates with a comma), change it with the API's rules at their fields, remove it; another
//! library's editor reaches none of them.

use serde_json::json;

use crate::helpers::{Browser, Page, TestApp, set, spawn_demo_app};

const BRANCHES: &str = "/beheer/vestigingen";

async fn signed_in<'a>(app: &'a TestApp, person: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in_as_demo(person).await;
    browser
}

/// The address of the first form whose action starts with `prefix` and ends without `suffix`.
fn action_of(page: &Page, prefix: &str, not_suffix: &str) -> String {
    page.body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.starts_with(prefix) && !a.ends_with(not_suffix))
        .unwrap_or_else(|| panic!("a form to {prefix}…"))
        .to_string()
}

async fn branch(app: &TestApp, name: &str) -> serde_json::Value {
    let body = app
        .graphql(
            "{ organisation(slug: \"bibliotheek-zoetermeer\") { branches { name postcode latitude longitude municipality { code } } } }",
            json!({}),
            None,
        )
        .await;
    body["data"]["organisation"]["branches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}

#[tokio::test]
async fn an_editor_adds_changes_and_removes_a_branch() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    assert!(
        editor.get("/beheer/aanbod").await.body.contains("href=\"/beheer/vestigingen\""),
        "the offer page leads here"
    );
    let page = editor.get(BRANCHES).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Vestigingen: Bibliotheek Zoetermeer"), "{}", page.text());

    let mut form = page.form(BRANCHES);
    set(&mut form, "name", "Vestiging Rokkeveen");
    set(&mut form, "address", "Rokkeveenseweg 1");
    set(&mut form, "postcode", "2712 AB");
    set(&mut form, "municipalityCode", "zoetermeer");
    set(&mut form, "latitude", "52,0481");
    let refused = editor.submit(BRANCHES, &form).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("Lengtegraad: vul ook de lengtegraad in"), "{}", refused.text());
    set(&mut form, "longitude", "4,4853");
    let added = editor.submit(BRANCHES, &form).await;
    assert_eq!(added.status, 303, "{}", added.text());
    assert!(added.header("location").ends_with("?gedaan=toegevoegd"));
    let b = branch(&app, "Vestiging Rokkeveen").await;
    assert_eq!(b["municipality"]["code"], "GM0637", "{b}");
    assert_eq!(b["latitude"], 52.0481);

    let page = editor.get(BRANCHES).await;
    let action = action_of(&page, "/beheer/vestigingen/", "/verwijderen");
    let mut fields = page.form(&action);
    let name = fields.iter().find(|(k, _)| k == "name").unwrap().1.clone();
    set(&mut fields, "latitude", "91");
    let bad = editor.submit(&action, &fields).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("vul een getal in dat past"), "{}", bad.text());
    set(&mut fields, "latitude", "");
    set(&mut fields, "longitude", "");
    set(&mut fields, "postcode", "2711 AA");
    assert_eq!(editor.submit(&action, &fields).await.status, 303);
    let b = branch(&app, &name).await;
    assert_eq!((b["postcode"].as_str(), b["latitude"].is_null()), (Some("2711 AA"), true), "{b}");

    // Another library's editor reaches none of Zoetermeer's branches.
    let mut other = signed_in(&app, "redacteur-flevoland").await;
    let theirs = other.get(BRANCHES).await;
    assert!(!theirs.text().contains("Vestiging Rokkeveen"));
    let mut forged = fields.clone();
    set(&mut forged, "csrf", &theirs.form(BRANCHES)[0].1);
    set(&mut forged, "name", "Overgenomen");
    assert_eq!(other.submit(&action, &forged).await.status, 404);

    let page = editor.get(BRANCHES).await;
    let at = page.body.find("aria-label=\"Verwijderen: Vestiging Rokkeveen\"").expect("a remove button");
    let start = page.body[..at].rfind("<form").unwrap();
    let button = Page { status: 200, headers: page.headers.clone(), body: page.body[start..].to_string() };
    let remove = action_of(&button, "/beheer/vestigingen/", "x");
    let removed = editor.submit(&remove, &button.form(&remove)).await;
    assert_eq!(removed.status, 303, "{}", removed.text());
    assert!(branch(&app, "Vestiging Rokkeveen").await.is_null(), "removed");
}
