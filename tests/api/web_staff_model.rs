//! Network maintainers keep the common model on the web: a new standard proposition and target
//! group, their forms, retiring a standard proposition, the names of core functions; nobody else
//! reaches these pages or forms.

use serde_json::json;

use crate::helpers::{Browser, Page, TestApp, set, spawn_demo_app};

const MODEL: &str = "/beheer/model";

async fn signed_in<'a>(app: &'a TestApp, person: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in_as_demo(person).await;
    browser
}

fn location(page: &Page) -> String {
    assert_eq!(page.status, 303, "a redirect: {}", page.text());
    page.header("location")
}

#[tokio::test]
async fn a_maintainer_adds_changes_and_retires_a_standard_proposition_and_adds_a_target_group() {
    let app = spawn_demo_app(&[]).await;
    let mut kb = signed_in(&app, "netwerkbeheerder-kb").await;
    let home = kb.get("/beheer").await;
    assert_eq!(location(&home), MODEL, "a maintainer's staff page is the model");
    let page = kb.get(MODEL).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.text().contains("Het gemeenschappelijk model") && page.text().contains("Digisterker"),
        "{}",
        page.text()
    );

    // A new standard proposition: without a core function the page asks for one.
    let add = format!("{MODEL}/standaard");
    let mut form = page.form(&add);
    set(&mut form, "code", "LEESCLUB_JONGEREN");
    set(&mut form, "nameNl", "Leesclub voor jongeren");
    set(&mut form, "nameEn", "Reading club");
    set(&mut form, "descriptionNl", "Samen lezen en praten over boeken.");
    form.push(("targetGroupCodes".into(), "YOUNG_PEOPLE".into()));
    let refused = kb.submit(&add, &form).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("Kernfunctie: vul dit in"), "{}", refused.text());
    set(&mut form, "coreFunctionCode", "READING_LITERATURE");
    form.push(("societalTaskCodes".into(), "GELETTERDE_SAMENLEVING".into()));
    let to = location(&kb.submit(&add, &form).await);
    assert_eq!(to, format!("{MODEL}/standaard/LEESCLUB_JONGEREN?gedaan=toegevoegd"));
    assert_eq!(Browser::new(&app).get("/standaardproposities/LEESCLUB_JONGEREN").await.status, 200, "public at once");

    // Its form: the English name added; the Dutch description emptied.
    let path = format!("{MODEL}/standaard/LEESCLUB_JONGEREN");
    let mut fields = kb.get(&path).await.form(&path);
    set(&mut fields, "nameEn", "Reading club for young people");
    set(&mut fields, "descriptionNl", "");
    assert!(location(&kb.submit(&path, &fields).await).contains("gedaan=opgeslagen"));
    let body = app
        .anon(
            "{ standardProposition(code: \"LEESCLUB_JONGEREN\") { nameEn descriptionNl status coreFunction { code } targetGroups { code } } }",
            json!({}),
        )
        .await;
    let s = &body["data"]["standardProposition"];
    assert_eq!(s["nameEn"], "Reading club for young people", "{body}");
    assert_eq!(s["descriptionNl"], "");
    assert_eq!(s["coreFunction"]["code"], "READING_LITERATURE");
    assert_eq!(s["targetGroups"], json!([{ "code": "YOUNG_PEOPLE" }]));

    // Retired: the page says so, and the API too.
    let page = kb.get(&path).await;
    let retire = format!("{path}/intrekken");
    let done = location(&kb.submit(&retire, &page.form(&retire)).await);
    assert!(done.ends_with("?gedaan=uit-gebruik"), "{done}");
    assert!(kb.get(&done).await.text().contains("uit gebruik"));
    let body = app.anon("{ standardProposition(code: \"LEESCLUB_JONGEREN\") { status } }", json!({})).await;
    assert_eq!(body["data"]["standardProposition"]["status"], "RETIRED");

    // A target group within another, with ages.
    let add = format!("{MODEL}/doelgroep");
    let mut form = kb.get(MODEL).await.form(&add);
    set(&mut form, "code", "TIENERS_13_15");
    set(&mut form, "nameNl", "Tieners van 13 tot 15");
    set(&mut form, "nameEn", "Teenagers from 13 to 15");
    set(&mut form, "parentCode", "YOUNG_PEOPLE");
    set(&mut form, "minAge", "13");
    set(&mut form, "maxAge", "15");
    assert!(location(&kb.submit(&add, &form).await).ends_with("/doelgroep/TIENERS_13_15?gedaan=toegevoegd"));
    let body = app.anon("{ targetGroup(code: \"TIENERS_13_15\") { minAge maxAge parent { code } } }", json!({})).await;
    assert_eq!(
        body["data"]["targetGroup"],
        json!({ "minAge": 13, "maxAge": 15, "parent": { "code": "YOUNG_PEOPLE" } })
    );

    // A core function's English description.
    let page = kb.get(MODEL).await;
    let action = format!("{MODEL}/kernfunctie/ART_CULTURE");
    let mut fields = page.form(&action);
    set(&mut fields, "descriptionEn", "Art and culture for everyone.");
    let to = location(&kb.submit(&action, &fields).await);
    assert!(to.starts_with(&format!("{MODEL}?gedaan=opgeslagen")), "{to}");
    let body = app.anon("{ coreFunctions { code descriptionEn } }", json!({})).await;
    let art =
        body["data"]["coreFunctions"].as_array().unwrap().iter().find(|c| c["code"] == "ART_CULTURE").unwrap().clone();
    assert_eq!(art["descriptionEn"], "Art and culture for everyone.");
}

#[tokio::test]
async fn only_maintainers_reach_the_models_pages_and_forms() {
    let app = spawn_demo_app(&[]).await;
    let mut kb = signed_in(&app, "netwerkbeheerder-kb").await;
    let page = kb.get(MODEL).await;
    let add = format!("{MODEL}/standaard");
    let mut form = page.form(&add);
    set(&mut form, "code", "STIEKEM");
    set(&mut form, "nameNl", "Stiekem");
    set(&mut form, "nameEn", "Sneaky");
    set(&mut form, "coreFunctionCode", "READING_LITERATURE");

    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let refused = editor.get(MODEL).await;
    assert_eq!(refused.status, 403);
    assert!(refused.text().contains("Geen netwerkbeheerder"), "{}", refused.text());
    let csrf = editor.get("/beheer/aanbod/nieuw").await.form("/beheer/aanbod/nieuw")[0].1.clone();
    let mut theirs = form.clone();
    set(&mut theirs, "csrf", &csrf);
    assert_eq!(editor.submit(&add, &theirs).await.status, 403);
    let mut forged = form.clone();
    set(&mut forged, "csrf", "guessed");
    assert_eq!(kb.submit(&add, &forged).await.status, 403);
    assert_eq!(Browser::new(&app).get("/standaardproposities/STIEKEM").await.status, 404, "nothing was made");
}
