//! Memberships: who may grant and revoke what (codes in `errors[].extensions.code`), their effect on
//! a signed-in person's session, and an audit trail that names the person who acted.

use registry::identity::Role;
use serde_json::{Value, json};

use crate::helpers::{Browser, TestApp, data, error_code, spawn_demo_app};

const GRANT: &str = "mutation($input: GrantMembershipInput!) {
  grantMembership(input: $input) { membership { id role admin version organisation { slug } person { name email } } } }";
const REVOKE: &str = "mutation($id: ID!) { revokeMembership(input: { id: $id }) { revokedMembershipId } }";
const MEMBERS: &str = "query($org: ID) { memberships(organisation: $org) { id role admin person { name } } }";

/// A token of a library's (or other organisation's) administrator.
fn admin_token(app: &TestApp, org: &str, role: Role) -> String {
    let mut claims = app.keys.claims(&format!("admin-of-{org}"), Some(org), role, chrono::Duration::hours(1));
    claims.admin = true;
    app.keys.sign(&claims).expect("sign")
}

/// The global id of a (demo) person who has signed in, as a maintainer looks them up.
async fn person_id(app: &TestApp, email: &str) -> String {
    let body = app
        .graphql(
            "query($e: String!) { personByEmail(email: $e) { id name } }",
            json!({ "e": email }),
            Some(&app.maintainer()),
        )
        .await;
    data(&body)["personByEmail"]["id"].as_str().unwrap_or_else(|| panic!("no person {email}: {body}")).to_string()
}

fn grant_input(person: &str, org: &str, role: &str, admin: bool) -> Value {
    json!({ "input": { "personId": person, "organisationId": org, "role": role, "admin": admin } })
}

#[tokio::test]
async fn maintainers_grant_anywhere_and_administrators_only_in_their_own_organisation() {
    let app = spawn_demo_app(&[]).await;
    Browser::new(&app).sign_in_as_demo("lezer").await;
    let person = person_id(&app, "lezer@demo.invalid").await;
    let zoetermeer = app.organisation_id("bibliotheek-zoetermeer").await;
    let dbieb = app.organisation_id("dbieb").await;
    let zoetermeer_admin = admin_token(&app, "bibliotheek-zoetermeer", Role::LibraryEditor);
    let editor = grant_input(&person, &zoetermeer, "LIBRARY_EDITOR", false);

    assert_eq!(error_code(&app.anon(GRANT, editor.clone()).await), "UNAUTHENTICATED");
    let plain_editor = app.editor("bibliotheek-zoetermeer");
    assert_eq!(error_code(&app.graphql(GRANT, editor.clone(), Some(&plain_editor)).await), "FORBIDDEN");
    let elsewhere = grant_input(&person, &dbieb, "LIBRARY_EDITOR", false);
    assert_eq!(error_code(&app.graphql(GRANT, elsewhere, Some(&zoetermeer_admin)).await), "FORBIDDEN");
    let maintainer_role = grant_input(&person, &zoetermeer, "NETWORK_MAINTAINER", true);
    assert_eq!(error_code(&app.graphql(GRANT, maintainer_role, Some(&zoetermeer_admin)).await), "FORBIDDEN");
    let misfit =
        app.graphql(GRANT, grant_input(&person, &zoetermeer, "SUPPORT_EDITOR", false), Some(&app.maintainer())).await;
    assert_eq!(error_code(&misfit), "BAD_USER_INPUT");
    assert_eq!(misfit["errors"][0]["extensions"]["field"], "role");
    let nobody = grant_input("UGVyc29uOjk5OTk5", &zoetermeer, "LIBRARY_EDITOR", false);
    assert_eq!(error_code(&app.graphql(GRANT, nobody, Some(&app.maintainer())).await), "NOT_FOUND");

    let granted = app.graphql(GRANT, editor, Some(&zoetermeer_admin)).await;
    let membership = &data(&granted)["grantMembership"]["membership"];
    assert_eq!(membership["role"], "LIBRARY_EDITOR");
    assert_eq!(membership["organisation"]["slug"], "bibliotheek-zoetermeer");
    assert_eq!(membership["person"]["name"], "Noor de Boer (demo)");
    assert_eq!(membership["person"]["email"], "lezer@demo.invalid", "an administrator reads the e-mail address");
    let id = membership["id"].as_str().unwrap().to_string();
    // Granting again changes the one membership.
    let again =
        app.graphql(GRANT, grant_input(&person, &zoetermeer, "LIBRARY_EDITOR", true), Some(&zoetermeer_admin)).await;
    let changed = &data(&again)["grantMembership"]["membership"];
    assert_eq!(
        (changed["id"].as_str(), changed["admin"].as_bool(), changed["version"].as_i64()),
        (Some(id.as_str()), Some(true), Some(2))
    );

    // Who sees the organisation's memberships.
    let listed = app.graphql(MEMBERS, json!({ "org": zoetermeer }), Some(&zoetermeer_admin)).await;
    assert!(data(&listed)["memberships"].as_array().unwrap().iter().any(|m| m["id"] == id.as_str()), "{listed}");
    let dbieb_admin = admin_token(&app, "dbieb", Role::LibraryEditor);
    assert_eq!(error_code(&app.graphql(MEMBERS, json!({ "org": zoetermeer }), Some(&dbieb_admin)).await), "FORBIDDEN");
    assert_eq!(error_code(&app.graphql(MEMBERS, json!({ "org": zoetermeer }), Some(&plain_editor)).await), "FORBIDDEN");
    assert_eq!(error_code(&app.anon(MEMBERS, json!({ "org": zoetermeer })).await), "UNAUTHENTICATED");
    let lookup = "query { personByEmail(email: \"lezer@demo.invalid\") { id } }";
    assert_eq!(error_code(&app.graphql(lookup, json!({}), Some(&plain_editor)).await), "FORBIDDEN");
    // Names of people are not for anonymous callers, even through a membership they cannot list.
    let maintainer_view = app.graphql(MEMBERS, json!({ "org": zoetermeer }), Some(&app.maintainer())).await;
    assert!(data(&maintainer_view)["memberships"].as_array().unwrap().iter().any(|m| m["id"] == id.as_str()));

    // Revoking: another organisation's administrator does not even find it.
    assert_eq!(error_code(&app.graphql(REVOKE, json!({ "id": id }), Some(&dbieb_admin)).await), "NOT_FOUND");
    assert_eq!(error_code(&app.graphql(REVOKE, json!({ "id": id }), Some(&plain_editor)).await), "FORBIDDEN");
    let revoked = app.graphql(REVOKE, json!({ "id": id }), Some(&zoetermeer_admin)).await;
    assert_eq!(data(&revoked)["revokeMembership"]["revokedMembershipId"], id.as_str());
    assert_eq!(error_code(&app.graphql(REVOKE, json!({ "id": id }), Some(&zoetermeer_admin)).await), "NOT_FOUND");

    // The audit trail holds all three changes; the organisation's administrator reads them too.
    let trail = "{ auditTrail(filter: { recordType: \"Membership\" }) { totalCount nodes { action valuesWithheld } } }";
    let body = app.graphql(trail, json!({}), Some(&app.maintainer())).await;
    let actions: Vec<&str> =
        data(&body)["auditTrail"]["nodes"].as_array().unwrap().iter().filter_map(|n| n["action"].as_str()).collect();
    assert!(actions.starts_with(&["DELETE", "UPDATE", "CREATE"]), "{body}");
}

#[tokio::test]
async fn a_granted_membership_works_in_the_persons_session_at_once_and_a_revoked_one_stops() {
    let app = spawn_demo_app(&[]).await;
    let mut reader = Browser::new(&app);
    reader.sign_in_as_demo("lezer").await;
    let home = reader.get("/").await;
    assert!(home.body.contains("Noor de Boer (demo)") && !home.body.contains("redacteur"), "{}", home.body);
    let account = reader.get("/account").await;
    assert!(account.body.contains("U hebt nog geen lidmaatschap"), "{}", account.body);

    let person = person_id(&app, "lezer@demo.invalid").await;
    let zoetermeer = app.organisation_id("bibliotheek-zoetermeer").await;
    let granted =
        app.graphql(GRANT, grant_input(&person, &zoetermeer, "LIBRARY_EDITOR", false), Some(&app.maintainer())).await;
    let id = data(&granted)["grantMembership"]["membership"]["id"].as_str().unwrap().to_string();
    assert!(reader.get("/").await.body.contains("Bibliotheek Zoetermeer, redacteur"), "acts in its only membership");

    app.graphql(REVOKE, json!({ "id": id }), Some(&app.maintainer())).await;
    let home = reader.get("/").await;
    assert!(home.body.contains("Noor de Boer (demo)") && !home.body.contains("redacteur"), "still signed in, no role");
}

#[tokio::test]
async fn an_administrator_grants_and_revokes_on_the_account_page_and_the_audit_trail_names_them() {
    let app = spawn_demo_app(&[]).await;
    let mut newcomer = Browser::new(&app);
    newcomer.sign_in_as_demo("lezer").await;
    let mut admin = Browser::new(&app);
    admin.sign_in_as_demo("beheerder-zoetermeer").await;
    let account = admin.get("/account").await;
    assert_eq!(account.status, 200);
    assert!(account.body.contains("Leden van uw organisatie"), "{}", account.body);
    let csrf = account.input("csrf").unwrap();

    let unknown = admin
        .post("/account/leden", &[("csrf", &csrf), ("email", "niemand@example.nl"), ("rol", "LIBRARY_EDITOR")])
        .await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body.contains("nog niemand aangemeld"), "{}", unknown.body);
    let granted = admin
        .post(
            "/account/leden",
            &[("csrf", &csrf), ("email", "lezer@demo.invalid"), ("rol", "LIBRARY_EDITOR"), ("beheerder", "ja")],
        )
        .await;
    assert_eq!(granted.status, 303, "{}", granted.body);
    let account = admin.get("/account").await;
    assert!(account.body.contains("Noor de Boer (demo)"), "the new member is listed");
    assert!(newcomer.get("/").await.body.contains("Bibliotheek Zoetermeer, redacteur"));

    // The audit trail names the person who granted it, by reference, with their session.
    let trail = "{ auditTrail(filter: { recordType: \"Membership\" }, first: 1) {
        nodes { action actorSubject actorRole credential actorPerson { name email } actorOrganisation { slug } } } }";
    let body = app.graphql(trail, json!({}), Some(&app.maintainer())).await;
    let entry = &data(&body)["auditTrail"]["nodes"][0];
    assert_eq!(entry["action"], "CREATE");
    assert!(entry["actorSubject"].as_str().unwrap().starts_with("person:"), "{entry}");
    assert_eq!(entry["actorPerson"]["name"], "Pieter de Vries (demo)");
    assert_eq!(entry["actorPerson"]["email"], "beheerder-zoetermeer@demo.invalid");
    assert_eq!(entry["actorRole"], "LIBRARY_EDITOR");
    assert_eq!(entry["actorOrganisation"]["slug"], "bibliotheek-zoetermeer");
    assert!(entry["credential"].as_str().unwrap().starts_with("session:"), "{entry}");

    // The person without a membership cannot grant anything, on the page either.
    let mut reader = Browser::new(&app);
    reader.sign_in_as_demo("partner-gemeente-zoetermeer").await;
    let csrf = reader.csrf().await;
    let refused =
        reader.post("/account/leden", &[("csrf", &csrf), ("email", "lezer@demo.invalid"), ("rol", "PARTNER")]).await;
    assert_eq!(refused.status, 403, "{}", refused.body);

    // Revoking from the page.
    let account = admin.get("/account").await;
    let member = account
        .body
        .split("name=\"lidmaatschap\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .last()
        .expect("a revoke form per member");
    let csrf = account.input("csrf").unwrap();
    let revoked = admin.post("/account/leden/intrekken", &[("csrf", &csrf), ("lidmaatschap", &member)]).await;
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    assert!(!newcomer.get("/").await.body.contains("redacteur"));
    // An anonymous caller reading the trail's people: none.
    let anon = app.anon("{ me { person { name } } }", json!({})).await;
    assert_eq!(data(&anon)["me"], Value::Null);
}

#[tokio::test]
async fn an_administrator_cannot_leave_the_organisation_without_one_but_a_maintainer_can() {
    let app = spawn_demo_app(&[]).await;
    let mut pieter = Browser::new(&app);
    pieter.sign_in_as_demo("beheerder-zoetermeer").await;
    let org = app.organisation_id("bibliotheek-zoetermeer").await;
    let body = app.graphql(MEMBERS, json!({ "org": org }), Some(&app.maintainer())).await;
    let own = data(&body)["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person"]["name"] == "Pieter de Vries (demo)" && m["admin"] == true)
        .expect("his admin membership")["id"]
        .as_str()
        .unwrap()
        .to_string();

    // On the account page, his own (the only administrator's) membership is not revoked.
    let csrf = pieter.csrf().await;
    let refused = pieter.post("/account/leden/intrekken", &[("csrf", &csrf), ("lidmaatschap", &own)]).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("last administrator"), "{}", refused.body);
    assert!(pieter.get("/").await.body.contains("Bibliotheek Zoetermeer, redacteur"), "still his");

    // With a second administrator he may go; and a maintainer may always.
    let mut noor = Browser::new(&app);
    noor.sign_in_as_demo("lezer").await;
    let granted = pieter
        .post(
            "/account/leden",
            &[("csrf", &csrf), ("email", "lezer@demo.invalid"), ("rol", "LIBRARY_EDITOR"), ("beheerder", "ja")],
        )
        .await;
    assert_eq!(granted.status, 303, "{}", granted.body);
    let left = pieter.post("/account/leden/intrekken", &[("csrf", &csrf), ("lidmaatschap", &own)]).await;
    assert_eq!(left.status, 303, "{}", left.body);
    let body = app.graphql(MEMBERS, json!({ "org": org }), Some(&app.maintainer())).await;
    let last = data(&body)["memberships"].as_array().unwrap().iter().find(|m| m["admin"] == true).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = app.graphql(REVOKE, json!({ "id": last }), Some(&app.maintainer())).await;
    assert_eq!(data(&body)["revokeMembership"]["revokedMembershipId"], last.as_str());
}
