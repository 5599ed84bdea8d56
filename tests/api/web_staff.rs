//! A library's editors keep its offer on the web: the list by state, a new proposition's form, the
//! API's validation messages at their fields, mapping by a suggestion, publishing, a stale form,
//! forged forms, and the doors that stay shut to other libraries' editors and to readers.

use crate::helpers::{Browser, Page, TestApp, set, spawn_demo_app};

const NEW: &str = "/beheer/aanbod/nieuw";

/// Signs in as a demo person in a browser of its own.
async fn signed_in<'a>(app: &'a TestApp, person: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in_as_demo(person).await;
    browser
}

/// The address a 303 sends the browser to.
fn location(page: &Page) -> String {
    assert_eq!(page.status, 303, "a redirect: {}", page.body);
    page.header("location")
}

/// Fills in and sends the new-proposition form; the edit form's address it opens.
async fn create(browser: &mut Browser<'_>, title: &str, summary: &str) -> String {
    let page = browser.get(NEW).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut form = page.form(NEW);
    set(&mut form, "title", title);
    set(&mut form, "summary", summary);
    set(&mut form, "channel", "ON_SITE");
    set(&mut form, "coreFunctionCode", "KNOWLEDGE_INFORMATION");
    form.push(("targetGroupCodes".into(), "SENIORS".into()));
    let created = browser.submit(NEW, &form).await;
    let to = location(&created);
    assert!(to.ends_with("?gedaan=aangemaakt"), "{to}");
    to.split('?').next().unwrap().to_string()
}

#[tokio::test]
async fn an_editor_creates_maps_and_publishes_a_proposition_that_the_public_then_sees() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;

    let offer = editor.get("/beheer/aanbod").await;
    assert_eq!(offer.status, 200, "{}", offer.body);
    let text = offer.text();
    assert!(text.contains("Aanbod beheren: Bibliotheek Zoetermeer"), "{text}");
    assert!(text.contains("Concepten (1)") && text.contains("Gearchiveerd (1)"), "the state tabs count: {text}");
    assert!(offer.body.contains("aria-current=\"page\">Beheer</a>"), "the header's navigation leads here");
    assert_eq!(offer.header("cache-control"), "no-store");

    let form = create(&mut editor, "Digitaal spreekuur voor ouderen", "Hulp bij computer, tablet en DigiD").await;
    let number = form.rsplit('/').next().unwrap().to_string();
    let public = format!("/aanbod/{number}");
    assert_eq!(Browser::new(&app).get(&public).await.status, 404, "a draft is not public");

    // The new draft's form: saved, and the standard propositions it resembles, with a button each.
    let page = editor.get(&format!("{form}?gedaan=aangemaakt")).await;
    let text = page.text();
    assert!(text.contains("Opgeslagen als concept"), "{text}");
    assert!(text.contains("Status: Concept"), "{text}");
    assert!(text.contains("Lijkt op") && text.contains("Koppel aan Digitaal spreekuur"), "{text}");
    let drafts = editor.get("/beheer/aanbod?status=concept").await.text();
    assert!(drafts.contains("Concepten (2)") && drafts.contains("Digitaal spreekuur voor ouderen"), "{drafts}");

    // Mapping by the suggestion's button saves the form with that standard proposition.
    let mut fields = page.form(&form);
    fields.push(("mapOnto".into(), "HELPDESK_DIGITAL".into()));
    let to = location(&editor.submit(&form, &fields).await);
    assert!(to.ends_with("?gedaan=opgeslagen"), "{to}");
    let page = editor.get(&form).await;
    assert!(page.body.contains("<option value=\"HELPDESK_DIGITAL\" selected>"), "mapped now");
    assert!(page.text().contains("nu gekoppeld"), "{}", page.text());

    // Publishing: then everyone sees it, with its mapping.
    let state_form = format!("{form}/status");
    let mut publish = page.form(&state_form);
    publish.push(("action".into(), "publish".into()));
    let to = location(&editor.submit(&state_form, &publish).await);
    assert!(to.ends_with("?gedaan=gepubliceerd"), "{to}");
    let seen = Browser::new(&app).get(&public).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    let text = seen.text();
    assert!(text.contains("Digitaal spreekuur voor ouderen") && text.contains("Digitaal spreekuur"), "{text}");

    // Every change is in the history, by the person who made it.
    let page = editor.get(&form).await;
    let text = page.text();
    assert!(text.contains("Bekijk de openbare pagina"), "{text}");
    for action in ["Aangemaakt", "Gewijzigd", "Gepubliceerd"] {
        assert!(text.contains(action), "{action} in the history: {text}");
    }
    assert!(text.contains("Sanne Jansen (demo)"), "the history names the person: {text}");

    // Back to draft, then archived.
    for (action, done) in [("unpublish", "teruggezet"), ("archive", "gearchiveerd")] {
        let page = editor.get(&form).await;
        let mut fields = page.form(&state_form);
        fields.push(("action".into(), action.into()));
        let to = location(&editor.submit(&state_form, &fields).await);
        assert!(to.ends_with(&format!("?gedaan={done}")), "{to}");
    }
    assert_eq!(Browser::new(&app).get(&public).await.status, 404, "archived: no longer public");
    let archived = editor.get("/beheer/aanbod?status=gearchiveerd").await.text();
    assert!(
        archived.contains("Gearchiveerd (2)") && archived.contains("Digitaal spreekuur voor ouderen"),
        "{archived}"
    );
}

#[tokio::test]
async fn an_empty_new_proposition_names_every_missing_or_unreadable_field_at_once() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let mut form = editor.get(NEW).await.form(NEW);
    set(&mut form, "startDate", "31-02-2027");
    set(&mut form, "price", "twaalf");
    let refused = editor.submit(NEW, &form).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    for field in [
        "href=\"#f-title\">Titel: vul dit in</a>",
        "href=\"#f-summary\">Samenvatting: vul dit in</a>",
        "href=\"#f-channel\">Kanaal: vul dit in</a>",
        "href=\"#f-startDate\">Startdatum: vul een datum in",
        "href=\"#f-price\">",
    ] {
        assert!(refused.body.contains(field), "{field}: {}", refused.text());
    }
}

#[tokio::test]
async fn the_apis_validation_messages_come_back_at_their_fields_with_what_was_typed() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let page = editor.get(NEW).await;
    let mut form = page.form(NEW);
    set(&mut form, "title", "Taalcafé Seghwaert");
    set(&mut form, "channel", "ON_SITE");
    set(&mut form, "coreFunctionCode", "KNOWLEDGE_INFORMATION");
    let refused = editor.submit(NEW, &form).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("href=\"#f-summary\">Samenvatting: vul dit in</a>"), "{}", refused.body);
    assert!(refused.body.contains("aria-invalid=\"true\" aria-describedby=\"f-summary-fout\""), "marked at its field");
    assert!(refused.body.contains("value=\"Taalcafé Seghwaert\""), "what was typed is kept");

    // A rule of the API (a paid proposition needs a price), in English on the English page.
    set(&mut form, "summary", "Nederlands oefenen");
    set(&mut form, "costKind", "PAID");
    let refused = editor.submit(&format!("/en{NEW}"), &form).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("Price in euros (when paid): is required for a paid proposition"),
        "{}",
        refused.body
    );

    // What the page reads itself: an amount it cannot read is named before anything is sent.
    set(&mut form, "price", "twaalf euro");
    let refused = editor.submit(NEW, &form).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("vul een bedrag in euro in"), "{}", refused.text());
    set(&mut form, "price", "2,50");
    set(&mut form, "url", "geen adres");
    let refused = editor.submit(NEW, &form).await;
    assert!(refused.text().contains("Webpagina: moet een volledig webadres zijn"), "{}", refused.text());
    set(&mut form, "url", "https://www.bibliotheek-zoetermeer.nl/taalcafe");
    let to = location(&editor.submit(NEW, &form).await);
    let page = editor.get(&to).await;
    assert!(page.body.contains("value=\"2,50\""), "the price in euros: {}", page.body);
    assert_eq!(editor.get("/beheer/aanbod?status=concept").await.text().matches("Taalcafé Seghwaert").count(), 1);
}

#[tokio::test]
async fn a_stale_form_shows_what_changed_and_saves_the_persons_own_changes_on_top() {
    let app = spawn_demo_app(&[]).await;
    let mut sanne = signed_in(&app, "redacteur-zoetermeer").await;
    let mut pieter = signed_in(&app, "beheerder-zoetermeer").await;
    let form = create(&mut sanne, "Voorlezen op zaterdag", "Voorlezen voor peuters").await;

    let hers = sanne.get(&form).await;
    let his = pieter.get(&form).await;
    let mut his_fields = his.form(&form);
    set(&mut his_fields, "title", "Voorleesochtend op zaterdag");
    set(&mut his_fields, "schedule", "Zaterdag 10.00 uur");
    location(&pieter.submit(&form, &his_fields).await);

    // She changes the summary and the schedule on the form she read before his save.
    let mut her_fields = hers.form(&form);
    set(&mut her_fields, "summary", "Voorlezen voor peuters en kleuters");
    set(&mut her_fields, "schedule", "Zaterdag 11.00 uur");
    let conflict = sanne.submit(&form, &her_fields).await;
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    let text = conflict.text();
    assert!(text.contains("Iemand anders heeft dit aanbod intussen gewijzigd"), "{text}");
    assert!(text.contains("Pieter de Vries (demo)"), "names who saved first: {text}");
    assert!(text.contains("Titel Voorleesochtend op zaterdag Overgenomen in het formulier"), "{text}");
    assert!(text.contains("Zaterdag 10.00 uur U wijzigde dit ook"), "{text}");
    // The form: his title, her summary and her schedule; nothing is saved yet.
    assert!(conflict.body.contains("value=\"Voorleesochtend op zaterdag\""), "his title is in the form");
    assert!(conflict.body.contains(">Voorlezen voor peuters en kleuters</textarea>"), "her summary is kept");
    assert!(conflict.body.contains("value=\"Zaterdag 11.00 uur\""), "her schedule is kept");
    assert!(pieter.get(&form).await.body.contains(">Voorlezen voor peuters</textarea>"), "nothing saved yet");

    // Saving again applies her changes on top of his.
    let again = conflict.form(&form);
    let to = location(&sanne.submit(&form, &again).await);
    assert!(to.ends_with("?gedaan=opgeslagen"), "{to}");
    let now = pieter.get(&form).await;
    assert!(now.body.contains("value=\"Voorleesochtend op zaterdag\""), "his title stays");
    assert!(now.body.contains(">Voorlezen voor peuters en kleuters</textarea>"), "her summary");
    assert!(now.body.contains("value=\"Zaterdag 11.00 uur\""), "her schedule, which she chose seeing his");

    // A state button of a stale page is refused, not carried out.
    let state_form = format!("{form}/status");
    let mut publish = hers.form(&state_form);
    publish.push(("action".into(), "publish".into()));
    let refused = sanne.submit(&state_form, &publish).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.text().contains("Iemand anders heeft dit aanbod gewijzigd"), "{}", refused.text());
    assert!(sanne.get(&form).await.text().contains("Status: Concept"));
}

#[tokio::test]
async fn a_text_sent_back_with_a_browsers_line_ends_is_not_a_change() {
    let app = spawn_demo_app(&[]).await;
    let mut sanne = signed_in(&app, "redacteur-zoetermeer").await;
    let form = create(&mut sanne, "Voorlezen op zaterdag", "Voorlezen voor peuters").await;
    let mut fields = sanne.get(&form).await.form(&form);
    set(&mut fields, "description", "Eerste regel\nTweede regel");
    location(&sanne.submit(&form, &fields).await);

    // A browser sends a textarea's lines as CR LF (HTML's form submission); she changes the title only.
    let mut fields = sanne.get(&form).await.form(&form);
    for (name, value) in fields.iter_mut() {
        if name == "description" {
            assert_eq!(value, "Eerste regel\nTweede regel");
            *value = value.replace('\n', "\r\n");
        }
    }
    set(&mut fields, "title", "Voorleesochtend");
    location(&sanne.submit(&form, &fields).await);

    let now = sanne.get(&form).await;
    assert!(now.body.contains(">Eerste regel\nTweede regel</textarea>"), "kept with LF: {}", now.body);
    assert!(!now.body.contains('\r'), "no CR stored");
    let history = now.text();
    let latest = history.split("Gewijzigd").nth(1).unwrap_or_default();
    assert!(latest.trim_start().starts_with("Titel"), "only the title changed: {history}");
    assert!(!latest.split("Gewijzigd").next().unwrap_or_default().contains("Beschrijving"), "{history}");
}

#[tokio::test]
async fn a_forged_or_cross_site_form_changes_nothing() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let form = create(&mut editor, "Schrijfcafé", "Samen schrijven").await;
    let mut fields = editor.get(&form).await.form(&form);
    set(&mut fields, "title", "Overgenomen");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

    let cross_site = editor.post_from(Some("https://evil.example"), &form, &pairs).await;
    assert_eq!(cross_site.status, 403, "{}", cross_site.body);
    assert!(cross_site.text().contains("Formulier geweigerd"));
    let mut forged = fields.clone();
    set(&mut forged, "csrf", "guessed");
    assert_eq!(editor.submit(&form, &forged).await.status, 403);
    assert_eq!(editor.submit(NEW, &forged).await.status, 403);
    let mut publish = editor.get(&form).await.form(&format!("{form}/status"));
    set(&mut publish, "csrf", "guessed");
    publish.push(("action".into(), "publish".into()));
    assert_eq!(editor.submit(&format!("{form}/status"), &publish).await.status, 403);

    let page = editor.get(&form).await;
    assert!(page.body.contains("value=\"Schrijfcafé\"") && page.text().contains("Status: Concept"), "unchanged");
}

#[tokio::test]
async fn another_librarys_editor_reaches_none_of_its_drafts_or_forms_and_readers_none_at_all() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let form = create(&mut editor, "Concept van Zoetermeer", "Nog niet openbaar").await;
    let fields = editor.get(&form).await.form(&form);
    let number = form.rsplit('/').next().unwrap().to_string();

    let mut other = signed_in(&app, "redacteur-flevoland").await;
    assert!(other.get("/beheer/aanbod").await.text().contains("Aanbod beheren: De Nieuwe Bibliotheek Almere"));
    assert_eq!(other.get(&form).await.status, 404, "another library's draft form");
    assert_eq!(other.get(&format!("/aanbod/{number}")).await.status, 404, "another library's draft");
    let published = editor.get("/beheer/aanbod?status=gepubliceerd").await;
    let theirs = published
        .body
        .split("href=\"/beheer/aanbod/")
        .find(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .expect("a published proposition");
    let theirs = format!("/beheer/aanbod/{}", theirs.split('"').next().unwrap());
    assert_eq!(other.get(&theirs).await.status, 404, "another library's published proposition's form");

    // Their own form token, posted at Zoetermeer's form: the API refuses, nothing changes.
    let csrf = other.csrf().await;
    let mut forged = fields.clone();
    set(&mut forged, "csrf", &csrf);
    set(&mut forged, "title", "Overgenomen");
    let refused = other.submit(&form, &forged).await;
    assert!(matches!(refused.status, 403 | 404), "{}: {}", refused.status, refused.body);
    assert!(editor.get(&form).await.body.contains("value=\"Concept van Zoetermeer\""), "unchanged");

    // A reader is told why there is nothing to manage; a visitor is sent to sign in first.
    let mut reader = signed_in(&app, "lezer").await;
    let page = reader.get("/beheer/aanbod").await;
    assert_eq!(page.status, 403);
    assert!(page.text().contains("Geen bibliotheek om te beheren"), "{}", page.text());
    assert!(!reader.get("/").await.body.contains(">Beheer</a>"), "no staff link for a reader");
    let mut visitor = Browser::new(&app);
    let sent = visitor.get(&form).await;
    assert_eq!(location(&sent), format!("/aanmelden?terug=%2Fbeheer%2Faanbod%2F{number}"));
}

/// A sheet of `n` rows for Zoetermeer, the rows at `bad` (0-based) each with one error.
fn sheet(n: usize, bad: &[usize]) -> String {
    let mut csv = String::from("sleutel;titel;samenvatting;kernfunctie;doelgroepen;kanaal;kosten;prijs;vestigingen\n");
    for i in 0..n {
        csv.push_str(&match (bad.contains(&i), i % 3) {
            (true, 0) => format!("r{i};Zonder kanaal {i};Samenvatting;KNOWLEDGE_INFORMATION;SENIORS;;FREE;;\n"),
            (true, 1) => format!("r{i};Onbekende doelgroep {i};Samenvatting;KNOWLEDGE_INFORMATION;MARSMANNETJES;ONLINE;FREE;;\n"),
            (true, _) => format!("r{i};Betaald zonder prijs {i};Samenvatting;KNOWLEDGE_INFORMATION;;ONLINE;PAID;;\n"),
            _ => format!(
                "r{i};Spreekuur {i};Hulp bij computer en tablet;KNOWLEDGE_INFORMATION;SENIORS;ON_SITE;FREE;;Bibliotheek Seghwaert\n"
            ),
        });
    }
    csv
}

#[tokio::test]
async fn a_sheet_is_previewed_row_by_row_and_written_only_when_confirmed() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let page = editor.get("/beheer/aanbod/importeren").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let text = page.text();
    assert!(text.contains("Aanbod importeren uit een spreadsheet") && text.contains("vestigingen"), "{text}");

    let export = editor.get("/beheer/aanbod/export.csv").await;
    assert_eq!(export.status, 200);
    assert_eq!(export.header("content-type"), "text/csv; charset=utf-8");
    assert!(export.header("content-disposition").starts_with("attachment; filename=\"aanbod-bibliotheek-zoetermeer-"));
    assert!(export.body.starts_with("\u{feff}id;sleutel;versie;status;titel"), "{}", export.body);
    assert!(editor.get("/beheer/aanbod/sjabloon.csv").await.body.starts_with("\u{feff}id;sleutel;"));

    let csrf = page.input("csrf").expect("a form token");
    let cookie = editor.cookie.clone();
    let drafts = || async {
        let mut b = Browser::new(&app);
        b.cookie = cookie.clone();
        b.get("/beheer/aanbod").await.text()
    };
    assert!(drafts().await.contains("Concepten (1)"));
    let fields = vec![("csrf".to_string(), csrf.clone())];
    let preview =
        editor.upload("/beheer/aanbod/importeren", &fields, "bestand", sheet(200, &[9, 100, 152]).into_bytes()).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let text = preview.text();
    assert!(text.contains("Voorbeeld: nog niets opgeslagen"), "{text}");
    assert!(text.contains("197 nieuw, 0 gewijzigd, 0 ongewijzigd, 3 met fouten."), "{text}");
    assert!(text.contains("11 Zonder kanaal 9 kanaal: vul dit in"), "{text}");
    assert!(text.contains("102 Onbekende doelgroep 100 doelgroepen: onbekende code: MARSMANNETJES"), "{text}");
    assert!(text.contains("154 Betaald zonder prijs 152 prijs: vul een prijs in bij betaald aanbod"), "{text}");
    assert!(text.contains("Lijkt op: Digitaal spreekuur"), "unmapped rows get suggestions: {text}");
    assert!(drafts().await.contains("Concepten (1)"), "nothing is written before the confirmation");

    // A forged confirmation is refused; the real one writes the 197.
    let sheet64 = preview.input("sheet64").expect("the preview carries the sheet");
    let forged = editor
        .post_multipart(
            "/beheer/aanbod/importeren/bevestigen",
            &[("csrf".into(), "guessed".into()), ("sheet64".into(), sheet64.clone())],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(drafts().await.contains("Concepten (1)"));
    let done = editor
        .post_multipart(
            "/beheer/aanbod/importeren/bevestigen",
            &[("csrf".into(), csrf.clone()), ("sheet64".into(), sheet64)],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.text().contains("Geïmporteerd 197 nieuw, 0 gewijzigd, 0 ongewijzigd, 3 met fouten."),
        "{}",
        done.text()
    );
    assert!(drafts().await.contains("Concepten (198)"), "{}", drafts().await);

    // A file that is not a sheet is told apart from one with bad rows.
    let bad = editor.upload("/beheer/aanbod/importeren", &fields, "bestand", vec![0xff, 0xfe, 0x41]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("Het bestand is geen UTF-8-tekst"), "{}", bad.text());
    let bad = editor.upload("/beheer/aanbod/importeren", &fields, "bestand", b"naam;kanaal\nA;ONLINE\n".to_vec()).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("has no column titel"), "{}", bad.text());

    // Another library's editor cannot import into Zoetermeer: the page imports into their own.
    let mut reader = signed_in(&app, "lezer").await;
    assert_eq!(reader.get("/beheer/aanbod/importeren").await.status, 403);
    assert_eq!(reader.get("/beheer/aanbod/export.csv").await.status, 403);
}

#[tokio::test]
async fn an_advisor_follows_the_drafts_of_the_libraries_the_support_organisation_supports() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let form = create(&mut editor, "Concept voor de adviseur", "Nog te bespreken").await;
    let number = form.rsplit('/').next().unwrap().to_string();
    assert_eq!(location(&editor.get("/beheer").await), "/beheer/aanbod", "an editor's staff page");

    let mut advisor = signed_in(&app, "adviseur-probiblio").await;
    assert_eq!(location(&advisor.get("/beheer").await), "/beheer/concepten");
    let page = advisor.get("/beheer/concepten").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let text = page.text();
    assert!(text.contains("Concepten van uw bibliotheken") && text.contains("Probiblio"), "{text}");
    assert!(text.contains("Bibliotheek Zoetermeer Concept voor de adviseur"), "{text}");
    assert!(page.body.contains(&format!("href=\"/aanbod/{number}\"")), "each opens the proposition");
    assert!(page.body.contains("href=\"/beheer/concepten\" aria-current=\"page\">Beheer</a>"), "the header leads here");
    assert_eq!(advisor.get(&format!("/aanbod/{number}")).await.status, 200, "the advisor may read the draft");
    assert_eq!(advisor.get(&form).await.status, 403, "but has no library's forms");

    let mut reader = signed_in(&app, "lezer").await;
    assert_eq!(reader.get("/beheer/concepten").await.status, 403);
    assert_eq!(reader.get("/beheer").await.status, 403);
    assert!(!editor.get("/beheer/concepten").await.text().contains("Concept voor de adviseur"), "not an editor's page");
}

/// A workbook of the layout's columns: a header row and the given rows, as a spreadsheet saves it.
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *value).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_excel_workbook_is_previewed_and_written_as_a_csv_is() {
    let app = spawn_demo_app(&[]).await;
    let mut editor = signed_in(&app, "redacteur-zoetermeer").await;
    let page = editor.get("/beheer/aanbod/importeren").await;
    assert!(page.body.contains(".xlsx"), "the upload takes workbooks");
    let fields = vec![("csrf".to_string(), page.input("csrf").expect("a form token"))];
    let book = workbook(&[
        &["sleutel", "titel", "samenvatting", "kernfunctie", "doelgroepen", "kanaal", "kosten"],
        &["x1", "Voorleesuur in de wijk", "Elke woensdag", "READING_LITERATURE", "YOUTH_4_12", "ON_SITE", "FREE"],
        &["x2", "Digicafé", "Hulp bij uw telefoon", "KNOWLEDGE_INFORMATION", "SENIORS", "ON_SITE", "FREE"],
        &["x3", "Zonder kanaal", "Samenvatting", "KNOWLEDGE_INFORMATION", "SENIORS", "", "FREE"],
    ]);
    let preview = editor.upload("/beheer/aanbod/importeren", &fields, "bestand", book).await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    let text = preview.text();
    assert!(text.contains("2 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 met fouten."), "{text}");
    assert!(text.contains("4 Zonder kanaal"), "the row as the spreadsheet numbers it: {text}");
    let sheet64 = preview.input("sheet64").expect("the preview carries the sheet");
    let done = editor
        .post_multipart("/beheer/aanbod/importeren/bevestigen", &[fields[0].clone(), ("sheet64".into(), sheet64)])
        .await;
    assert!(done.text().contains("Geïmporteerd 2 nieuw"), "{}", done.text());
    let offer = editor.get("/beheer/aanbod?status=concept").await.text();
    assert!(offer.contains("Voorleesuur in de wijk") && offer.contains("Digicafé"), "{offer}");

    // A file that only looks like a workbook is told so, in Dutch.
    let mut broken = workbook(&[&["titel"], &["A"]]);
    broken.truncate(broken.len() / 2);
    let bad = editor.upload("/beheer/aanbod/importeren", &fields, "bestand", broken).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("is geen leesbare Excel-werkmap"), "{}", bad.text());
}
