//! Network maintainers keep the network's organisations on the web: a new library with its
//! province, municipality and support organisation, public at once; its form, a new short name
//! moving its addresses; the API's rules at their fields; nobody else reaches these pages.

use crate::helpers::{Browser, Page, TestApp, set, spawn_demo_app};

const ORGS: &str = "/beheer/organisaties";

async fn signed_in<'a>(app: &'a TestApp, person: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in_as_demo(person).await;
    browser
}

fn location(page: &Page) -> String {
    assert_eq!(page.status, 303, "a redirect: {}", page.text());
    page.header("location")
}

/// The value of the option named `name` in the select `id`.
fn option(page: &Page, id: &str, name: &str) -> String {
    let select = page.body.split(&format!("id=\"{id}\"")).nth(1).expect("the select");
    let select = &select[..select.find("</select>").unwrap()];
    let at = select.find(&format!(">{name}</option>")).unwrap_or_else(|| panic!("{name} in {select}"));
    let start = select[..at].rfind("value=\"").unwrap() + "value=\"".len();
    select[start..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn a_maintainer_adds_a_library_and_changes_its_short_name_and_website() {
    let app = spawn_demo_app(&[]).await;
    let mut kb = signed_in(&app, "netwerkbeheerder-kb").await;
    assert!(kb.get("/beheer/model").await.body.contains("href=\"/beheer/organisaties\""), "the model page leads here");
    let page = kb.get(ORGS).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Bibliotheek Zoetermeer"), "{}", page.text());

    let mut form = page.form(ORGS);
    set(&mut form, "name", "Bibliotheek Testdorp");
    set(&mut form, "slug", "bibliotheek-testdorp");
    set(&mut form, "kind", "LIBRARY");
    set(&mut form, "provinceCode", &option(&page, "organisatie-nieuw-provinceCode", "Zuid-Holland"));
    set(&mut form, "municipalityCodes", "Zoetermeer");
    set(&mut form, "supportOrganisationId", &option(&page, "organisatie-nieuw-supportOrganisationId", "Probiblio"));
    set(&mut form, "website", "ftp://testdorp.example");
    let refused = kb.submit(ORGS, &form).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("Website: moet een volledig webadres zijn"), "{}", refused.text());
    set(&mut form, "website", "https://testdorp.example");
    let to = location(&kb.submit(ORGS, &form).await);
    assert_eq!(to, format!("{ORGS}/bibliotheek-testdorp?gedaan=toegevoegd"));
    let public = Browser::new(&app).get("/bibliotheken/bibliotheek-testdorp").await;
    assert_eq!(public.status, 200);
    assert!(public.text().contains("Probiblio"), "its support organisation: {}", public.text());

    let path = format!("{ORGS}/bibliotheek-testdorp");
    let mut fields = kb.get(&path).await.form(&path);
    set(&mut fields, "slug", "bibliotheek-testdorp-noord");
    let to = location(&kb.submit(&path, &fields).await);
    assert_eq!(to, format!("{ORGS}/bibliotheek-testdorp-noord?gedaan=opgeslagen"));
    let moved = kb.get(&to).await;
    assert!(moved.text().contains("Uw wijzigingen zijn opgeslagen"), "{}", moved.text());
    assert_eq!(Browser::new(&app).get("/bibliotheken/bibliotheek-testdorp-noord").await.status, 200);
    assert_eq!(Browser::new(&app).get("/bibliotheken/bibliotheek-testdorp").await.status, 404);
}

#[tokio::test]
async fn only_maintainers_reach_the_organisations_pages_and_forms() {
    let app = spawn_demo_app(&[]).await;
    let mut kb = signed_in(&app, "netwerkbeheerder-kb").await;
    let path = format!("{ORGS}/bibliotheek-zoetermeer");
    let mut fields = kb.get(&path).await.form(&path);
    set(&mut fields, "name", "Overgenomen");

    let mut admin = signed_in(&app, "beheerder-zoetermeer").await;
    assert_eq!(admin.get(ORGS).await.status, 403);
    let csrf = admin.get("/beheer/aanbod/nieuw").await.form("/beheer/aanbod/nieuw")[0].1.clone();
    let mut theirs = fields.clone();
    set(&mut theirs, "csrf", &csrf);
    assert_eq!(admin.submit(&path, &theirs).await.status, 403);
    set(&mut fields, "csrf", "guessed");
    assert_eq!(kb.submit(&path, &fields).await.status, 403);
    assert!(
        Browser::new(&app).get("/bibliotheken/bibliotheek-zoetermeer").await.text().contains("Bibliotheek Zoetermeer")
    );
    assert_eq!(Browser::new(&app).get(ORGS).await.status, 303, "anonymous: to sign in");
}

#[tokio::test]
async fn a_maintainer_grants_and_revokes_a_membership_of_any_organisation() {
    let app = spawn_demo_app(&[]).await;
    let mut reader = signed_in(&app, "lezer").await;
    assert_eq!(reader.get("/beheer/aanbod").await.status, 403, "no membership yet");
    let mut kb = signed_in(&app, "netwerkbeheerder-kb").await;
    let path = format!("{ORGS}/dbieb");
    let page = kb.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let action = format!("{path}/leden");
    let mut form = page.form(&action);
    set(&mut form, "email", "niemand@demo.invalid");
    set(&mut form, "role", "LIBRARY_EDITOR");
    let unknown = kb.submit(&action, &form).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.text().contains("Met dit e-mailadres heeft zich nog niemand aangemeld"), "{}", unknown.text());
    set(&mut form, "email", "lezer@demo.invalid");
    let to = location(&kb.submit(&action, &form).await);
    assert!(to.ends_with("?gedaan=toegevoegd#leden"), "{to}");
    let page = kb.get(&path).await;
    assert!(page.text().contains("Noor de Boer (demo)"), "{}", page.text());

    // She now edits dbieb's offer (after choosing the membership, the only one she has).
    let mut reader = signed_in(&app, "lezer").await;
    let offer = reader.get("/beheer/aanbod").await;
    assert_eq!(offer.status, 200, "{}", offer.text());
    assert!(offer.text().contains("dbieb"), "{}", offer.text());

    let at = page.body.find("aria-label=\"Intrekken: Noor de Boer (demo)\"").expect("a revoke button");
    let start = page.body[..at].rfind("<form").unwrap();
    let button = Page { status: 200, headers: page.headers.clone(), body: page.body[start..].to_string() };
    let revoke = button.body.split("action=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let done = location(&kb.submit(&revoke, &button.form(&revoke)).await);
    assert!(done.ends_with("?gedaan=ingetrokken-lid"), "{done}");
    assert!(!kb.get(&path).await.text().contains("Noor de Boer (demo)"));
}
