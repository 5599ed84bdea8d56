//! Signing in through a real OpenID provider process: `tests/oidc/provider.mjs` (the `oidc-provider`
//! npm package, pinned in `tests/oidc/package-lock.json`), started by the test itself. The registry
//! reads the provider's discovery document and keys at start; the test then goes through the
//! redirect to the provider, its login page, the code coming back, the code exchange (with the PKCE
//! verifier) and the verification of the ID token, as a browser would.
//!
//! Needs Node.js and `npm ci --prefix tests/oidc`; run with
//! `cargo test --features oidc-provider-test --test oidc` (`.ci/run` does).

#[path = "../api/helpers.rs"]
#[allow(dead_code, reason = "the API tests' helpers; this binary uses a few of them")]
mod helpers;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use entity::person;
use sea_orm::EntityTrait;

use helpers::{TestApp, database, try_spawn_app_with};

const CLIENT_ID: &str = "registry";
const CLIENT_SECRET: &str = "the-test-providers-secret-for-the-registry-client";

/// The provider process, stopped when dropped.
struct TestProvider {
    child: Child,
    issuer: String,
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_provider(redirect_uri: &str) -> TestProvider {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
    assert!(
        dir.join("node_modules/oidc-provider").exists(),
        "run `npm ci --prefix tests/oidc` first (the provider is the oidc-provider npm package)"
    );
    let mut child = Command::new(std::env::var("NODE").unwrap_or_else(|_| "node".into()))
        .arg(dir.join("provider.mjs"))
        .env("REDIRECT_URI", redirect_uri)
        .env("CLIENT_ID", CLIENT_ID)
        .env("CLIENT_SECRET", CLIENT_SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start node tests/oidc/provider.mjs");
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    stdout.read_line(&mut line).expect("the provider says where it is");
    // Whatever it prints later goes on being read, so that it never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let issuer =
        line.trim().strip_prefix("issuer ").unwrap_or_else(|| panic!("unexpected first line: {line}")).to_string();
    TestProvider { child, issuer }
}

/// A free port for the registry, so that the provider can know its callback before it starts.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port()
}

/// A registry (demo network, a configured secret) signing in through the provider, and the provider.
async fn registry_with_provider() -> (TestApp, TestProvider) {
    let port = free_port();
    let provider = start_provider(&format!("http://127.0.0.1:{port}/aanmelden/terug"));
    let port = port.to_string();
    let app = try_spawn_app_with(&[
        ("server.port", &port),
        ("oidc.issuer_url", &provider.issuer),
        ("oidc.client_id", CLIENT_ID),
        ("oidc.client_secret", CLIENT_SECRET),
    ])
    .await
    .expect("the registry starts and discovers the provider");
    (app, provider)
}

/// A browser: keeps both sites' cookies, follows no redirect by itself.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// The value of the first `<input name="…" value="…">`.
fn input(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).unwrap_or_else(|| panic!("no {name} in {body}")) + marker.len();
    body[start..start + body[start..].find('"').unwrap()].to_string()
}

/// From the registry's sign-in button to the provider's answer coming back: the callback URL the
/// provider sends the browser to after `login` signs in there.
async fn sign_in_at_provider(app: &TestApp, provider: &TestProvider, client: &reqwest::Client, login: &str) -> String {
    let page = client.get(format!("{}/aanmelden", app.address)).send().await.unwrap();
    // Browsers hold the sign-in form's redirect to the provider to the page's form-action.
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(policy.contains(&format!("form-action 'self' {};", provider.issuer)), "{policy}");
    let form = page.text().await.unwrap();
    assert!(!form.contains("demopersoon"), "no demo sign-in beside a provider");
    let csrf = input(&form, "csrf");
    let start = client
        .post(format!("{}/aanmelden", app.address))
        .header("origin", &app.address)
        .form(&[("csrf", csrf.as_str()), ("terug", "/account")])
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303);
    let authorize = location(&start);
    let url = url::Url::parse(&authorize).expect("an absolute address at the provider");
    assert!(authorize.starts_with(&format!("{}/auth?", provider.issuer)), "{authorize}");
    let params: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(params["response_type"], "code");
    assert_eq!(params["client_id"], CLIENT_ID);
    assert_eq!(params["code_challenge_method"], "S256", "PKCE");
    assert!(params["code_challenge"].len() >= 43);
    assert!(params["scope"].split(' ').collect::<Vec<_>>().starts_with(&["openid"]), "{}", params["scope"]);
    assert!(params["scope"].contains("email") && params["scope"].contains("profile"));
    assert!(params.contains_key("state") && params.contains_key("nonce"));
    assert_eq!(params["redirect_uri"], format!("{}/aanmelden/terug", app.address));

    // At the provider: its login page, then back to the registry.
    let mut next = authorize;
    for _ in 0..10 {
        if next.starts_with(&app.address) {
            return next;
        }
        let absolute = if next.starts_with('/') { format!("{}{next}", provider.issuer) } else { next.clone() };
        let response = client.get(&absolute).send().await.unwrap();
        if response.status().is_redirection() {
            next = location(&response);
            continue;
        }
        let body = response.text().await.unwrap();
        assert!(body.contains("/login"), "the provider's login page: {body}");
        let action = body.split("action=\"").nth(1).and_then(|r| r.split('"').next()).expect("a login form");
        let posted =
            client.post(format!("{}{action}", provider.issuer)).form(&[("login", login)]).send().await.unwrap();
        assert!(posted.status().is_redirection(), "login: {}", posted.status());
        next = location(&posted);
    }
    panic!("the provider never sent the browser back");
}

#[tokio::test]
async fn a_person_signs_in_through_the_provider_and_the_id_token_is_verified() {
    let (app, provider) = registry_with_provider().await;
    let client = browser();
    let callback = sign_in_at_provider(&app, &provider, &client, "anna").await;
    assert!(callback.contains("/aanmelden/terug?") && callback.contains("code="), "{callback}");

    let back = client.get(&callback).send().await.unwrap();
    assert_eq!(back.status(), 303, "{}", back.text().await.unwrap());
    assert_eq!(location(&back), "/account");
    let cookie = back.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(cookie.starts_with("registry-session=") && cookie.contains("HttpOnly"), "a new session: {cookie}");

    let account = client.get(format!("{}/account", app.address)).send().await.unwrap();
    assert_eq!(account.status(), 200);
    let body = account.text().await.unwrap();
    assert!(body.contains("Anna de Vries"), "{body}");
    assert!(body.contains("anna.devries@bibliotheek-zoetermeer.nl"));
    assert!(body.contains("U hebt nog geen lidmaatschap"), "the provider grants nothing; the registry does");

    // The person is the provider's issuer and subject.
    let db = database(&app).await;
    let people = person::Entity::find().all(&db).await.unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!((people[0].issuer.as_str(), people[0].subject.as_str()), (provider.issuer.as_str(), "anna"));

    // The provider's answer works once, and only in the browser that started the sign-in.
    let replay = client.get(&callback).send().await.unwrap();
    assert_eq!(replay.status(), 401, "a replayed answer is refused");
    let stranger = browser();
    let elsewhere = stranger.get(&callback).send().await.unwrap();
    assert_eq!(elsewhere.status(), 401, "another browser cannot use it (login CSRF)");
    assert!(
        client.get(format!("{}/", app.address)).send().await.unwrap().text().await.unwrap().contains("Anna de Vries")
    );
}

#[tokio::test]
async fn an_answer_with_another_state_is_refused_and_a_second_person_gets_their_own_record() {
    let (app, provider) = registry_with_provider().await;
    let client = browser();
    let callback = sign_in_at_provider(&app, &provider, &client, "bram").await;
    let mut forged = url::Url::parse(&callback).unwrap();
    let pairs: Vec<(String, String)> = forged
        .query_pairs()
        .into_owned()
        .map(|(k, v)| if k == "state" { (k, "not-the-state-we-sent".into()) } else { (k, v) })
        .collect();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    let refused = client.get(forged.as_str()).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    // The real answer still works after the forged one (its state was not used up).
    let back = client.get(&callback).send().await.unwrap();
    assert_eq!(back.status(), 303);
    let home = client.get(format!("{}/", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Bram Smit"), "{home}");
}

#[tokio::test]
async fn the_provider_refusing_a_login_comes_back_as_a_failed_sign_in() {
    let (app, provider) = registry_with_provider().await;
    let client = browser();
    let callback = sign_in_at_provider(&app, &provider, &client, "nobody").await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    let back = client.get(&callback).send().await.unwrap();
    assert_eq!(back.status(), 401);
    assert!(back.text().await.unwrap().contains("Aanmelden mislukt"));
}

#[tokio::test]
async fn a_provider_that_cannot_be_reached_stops_the_start_with_a_clear_message() {
    let port = free_port().to_string();
    let unreachable = format!("http://127.0.0.1:{}", free_port());
    let error = try_spawn_app_with(&[
        ("server.port", &port),
        ("oidc.issuer_url", &unreachable),
        ("oidc.client_id", CLIENT_ID),
        ("oidc.client_secret", CLIENT_SECRET),
    ])
    .await
    .err()
    .expect("no provider, no start");
    assert!(error.contains("cannot use the OpenID provider") && error.contains(&unreachable), "{error}");
}
