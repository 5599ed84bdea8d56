//! The test client: spawns a registry on a fresh database and sends it GraphQL documents.

use std::collections::HashMap;

use registry::identity::{JwtKeys, Role};

use registry::settings::{Settings, SettingsError};
use registry::startup::Application;
use reqwest::header::{HeaderMap, HeaderValue};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

/// A running registry and a client for it.
pub struct TestApp {
    pub address: String,
    /// Where the metrics listener serves `/metrics` (`http://127.0.0.1:<port>`), unless switched off.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub keys: JwtKeys,
    /// The test's own database, for checks the API cannot make (e.g. what is stored, triggers).
    pub database_url: String,
    _database: TestDatabase,
}

/// The test's own database, removed when dropped.
struct TestDatabase {
    url: String,
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

/// Starts a registry with the common model and the demo network.
pub async fn spawn_app() -> TestApp {
    spawn_with(true, &[]).await
}

/// Starts a registry with the common model only.
pub async fn spawn_empty_app() -> TestApp {
    spawn_with(false, &[]).await
}

/// Starts a registry with the demo network and some settings changed, e.g.
/// `("limits.max_aliases", "3")`.
pub async fn spawn_app_with(settings: &[(&str, &str)]) -> TestApp {
    spawn_with(true, settings).await
}

async fn spawn_with(demo: bool, overrides: &[(&str, &str)]) -> TestApp {
    try_spawn_with(demo, overrides).await.unwrap_or_else(|e| panic!("start the registry: {e}"))
}

/// Starts a registry (with the demo network) the way `registry serve` does, settings read and
/// checked first, or returns why it refused to start.
pub async fn try_spawn_app_with(settings: &[(&str, &str)]) -> Result<TestApp, String> {
    try_spawn_with(true, settings).await
}

async fn try_spawn_with(demo: bool, overrides: &[(&str, &str)]) -> Result<TestApp, String> {
    let database = TestDatabase::create().await;
    let mut all = vec![("demo.load_if_empty", demo.to_string())];
    all.extend(overrides.iter().map(|(k, v)| (*k, v.to_string())));
    let settings = try_test_settings(&database.url, &all).map_err(|e| e.to_string())?;
    let app = Application::build(&settings).await.map_err(|e| e.to_string())?;
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app.metrics_address().map(|a| format!("http://{a}"));
    tokio::spawn(app.run());
    let keys = JwtKeys::from_settings(&settings).expect("test key set");
    let database_url = database.url.clone();
    let client = reqwest::Client::new();
    Ok(TestApp { address, metrics_address, client, keys, database_url, _database: database })
}

impl TestDatabase {
    /// A fresh SQLite file, or a fresh database on `TEST_DATABASE_URL`'s PostgreSQL.
    async fn create() -> Self {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) => {
                let name = format!("registry_test_{unique}");
                let admin = sea_orm::Database::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
                sea_orm::ConnectionTrait::execute_unprepared(&admin, &format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                let _ = admin.close().await;
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&format!("/{name}"));
                Self { url: url.to_string(), cleanup: Some(Cleanup::Postgres { admin_url, name }) }
            }
            Err(_) => {
                let path = std::env::temp_dir().join(format!("registry-test-{unique}.db"));
                Self { url: format!("sqlite://{}?mode=rwc", path.display()), cleanup: Some(Cleanup::Sqlite(path)) }
            }
        }
    }
}

/// An override that removes a setting the tests otherwise set, e.g. `("auth.jwt_secret", UNSET)`
/// to run on the built-in development secret.
pub const UNSET: &str = "\u{0}unset";

/// The settings a test registry runs with on `url`, with some changed.
pub fn test_settings(url: &str, overrides: &[(&str, String)]) -> Settings {
    try_test_settings(url, overrides).expect("test settings")
}

fn try_test_settings(url: &str, overrides: &[(&str, String)]) -> Result<Settings, SettingsError> {
    let mut env = HashMap::new();
    env.insert("database.url".to_string(), url.to_string());
    env.insert("server.port".to_string(), "0".to_string());
    env.insert("server.metrics_address".to_string(), "127.0.0.1:0".to_string());
    env.insert("auth.jwt_secret".to_string(), "a-test-secret-that-is-at-least-32-bytes-long".to_string());
    // Tests send many heavy queries from one address; the rate-limit tests set their own budgets.
    for key in ["rate_limit.anonymous_points", "rate_limit.token_points", "rate_limit.api_key_points"] {
        env.insert(key.to_string(), "1000000000".to_string());
    }
    for (key, value) in overrides {
        if value == UNSET {
            env.remove(*key);
        } else {
            env.insert(key.to_string(), value.clone());
        }
    }
    Settings::from_source(config::Environment::default().source(Some(env)))
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match self.cleanup.take() {
            Some(Cleanup::Sqlite(path)) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Some(Cleanup::Postgres { admin_url, name }) => {
                // Drop runs inside the test's runtime; a separate thread gets its own.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                    rt.block_on(async {
                        if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                            let _ = sea_orm::ConnectionTrait::execute_unprepared(
                                &admin,
                                &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                            )
                            .await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
            None => {}
        }
    }
}

impl TestApp {
    /// Sends a GraphQL document and returns the whole response body.
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request reaches the server");
        response.json().await.expect("the response is JSON")
    }

    /// Sends a document as an anonymous caller.
    pub async fn anon(&self, query: &str, variables: Value) -> Value {
        self.graphql(query, variables, None).await
    }

    /// A token for a user of an organisation (by slug) in a role.
    pub fn token(&self, role: Role, org: Option<&str>) -> String {
        self.keys
            .issue(&format!("user-of-{}", org.unwrap_or("none")), org, role, chrono::Duration::hours(1))
            .expect("issue token")
    }

    /// A library editor's token for the given library.
    pub fn editor(&self, org: &str) -> String {
        self.token(Role::LibraryEditor, Some(org))
    }

    /// A network maintainer's token (acting for the KB).
    pub fn maintainer(&self) -> String {
        self.token(Role::NetworkMaintainer, Some("koninklijke-bibliotheek"))
    }

    /// The global id of an organisation by slug.
    pub async fn organisation_id(&self, slug: &str) -> String {
        let body = self.anon("query($s: String!) { organisation(slug: $s) { id } }", json!({ "s": slug })).await;
        body["data"]["organisation"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no organisation {slug}: {body}"))
            .to_string()
    }
}

/// The first error code of a response, or panics with the body when there is none.
pub fn error_code(body: &Value) -> String {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error with a code, got {body}"))
        .to_string()
}

/// Asserts a response has no errors and returns its data.
pub fn data(body: &Value) -> &Value {
    assert!(body.get("errors").is_none_or(Value::is_null), "unexpected errors: {body}");
    &body["data"]
}

// ---- raw requests, named users and the database ----------------------------------------------

/// An HTTP answer: status, headers and JSON body.
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// A response header as text ("" when absent).
    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    }
}

/// Posts a GraphQL document with an optional bearer credential and extra headers.
pub async fn post(
    app: &TestApp,
    query: &str,
    variables: Value,
    bearer: Option<&str>,
    headers: &[(&str, HeaderValue)],
) -> Answer {
    let mut request =
        app.client.post(format!("{}/graphql", app.address)).json(&json!({ "query": query, "variables": variables }));
    if let Some(bearer) = bearer {
        request = request.bearer_auth(bearer);
    }
    for (name, value) in headers {
        request = request.header(*name, value.clone());
    }
    let response = request.send().await.expect("request reaches the server");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}), status {status}: {text}"));
    Answer { status, headers, body }
}

/// A token for a named user, with its token id (the `jti` the audit trail records).
pub fn user_token(app: &TestApp, subject: &str, org: Option<&str>, role: Role) -> (String, String) {
    let claims = app.keys.claims(subject, org, role, chrono::Duration::hours(1));
    let jti = claims.jti.clone().expect("claims carry a token id");
    (app.keys.sign(&claims).expect("sign"), jti)
}

/// How many entries the audit trail holds, as a maintainer reads it.
pub async fn audit_total(app: &TestApp) -> u64 {
    let body = app.graphql("{ auditTrail { totalCount } }", json!({}), Some(&app.maintainer())).await;
    data(&body)["auditTrail"]["totalCount"].as_u64().unwrap_or_else(|| panic!("no totalCount: {body}"))
}

/// A direct connection to the test's own database.
pub async fn database(app: &TestApp) -> DatabaseConnection {
    sea_orm::Database::connect(&app.database_url).await.expect("connect to the test database")
}

/// The first column of the one row a PostgreSQL query returns: the tests' reads of the server's
/// own state (`pg_stat_activity`, index statistics) that no entity maps.
pub async fn pg_value<T: sea_orm::TryGetable>(
    db: &DatabaseConnection,
    sql: &str,
    values: impl IntoIterator<Item = sea_orm::Value>,
) -> T {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let row = db
        .query_one_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, values))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index(0).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The registry's `/metrics`, from its metrics listener.
pub async fn metrics_text(app: &TestApp) -> String {
    let address = app.metrics_address.as_ref().expect("the metrics listener is on");
    let response = app.client.get(format!("{address}/metrics")).send().await.expect("the metrics listener answers");
    assert_eq!(response.status(), reqwest::StatusCode::OK, "metrics without a token");
    response.text().await.expect("the metrics as text")
}

/// The value of one counter or gauge in `/metrics` text.
pub fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

/// How many SQL statements the registry has run so far, from its `/metrics`.
pub async fn statements_so_far(app: &TestApp) -> u64 {
    metric(&metrics_text(app).await, "registry_sql_statements_total")
}

/// Sends a document (anonymously, or with a bearer token) and returns the response body and the
/// SQL statements it cost.
pub async fn counted(app: &TestApp, query: &str, variables: Value, token: Option<&str>) -> (Value, u64) {
    let before = statements_so_far(app).await;
    let body = app.graphql(query, variables, token).await;
    (body, statements_so_far(app).await - before)
}

/// How many rows the change log holds, read in the database.
pub async fn change_log_rows(db: &DatabaseConnection) -> u64 {
    entity::change_log::Entity::find().count(db).await.expect("count change_log")
}

/// The variables of a valid new proposition of Zoetermeer with the given title.
pub fn new_proposition(org_id: &str, title: &str) -> Value {
    json!({ "input": {
        "organisationId": org_id,
        "title": title,
        "summary": "Eens per maand samen een Engelse roman bespreken.",
        "channel": "ON_SITE",
        "standardPropositionCode": "LEESCLUB",
        "targetGroupCodes": ["ADULTS"],
    } })
}

pub const CREATE_PROPOSITION: &str = "mutation($input: CreatePropositionInput!) {
    createProposition(input: $input) { proposition { id title version } } }";
pub const UPDATE_PROPOSITION: &str = "mutation($input: UpdatePropositionInput!) {
    updateProposition(input: $input) { proposition { id title version } } }";

/// `propositions { nodes { organisation { propositions …` nested to exactly `depth` levels.
pub fn deep_propositions(depth: usize) -> String {
    let levels = ["propositions(first: 1)", "nodes", "organisation"];
    let open: Vec<&str> = (0..depth - 1).map(|i| levels[i % 3]).collect();
    let leaf = match open.last() {
        Some(&"organisation") => "name",
        Some(&"nodes") => "id",
        _ => "totalCount",
    };
    format!("{}{leaf}{}", open.iter().map(|l| format!("{l} {{ ")).collect::<String>(), " }".repeat(open.len()))
}

// ---- a browser on the site: its session cookie, forms, and redirects not followed ----------------

/// An HTTP answer as text.
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
    }

    /// The value of the first `<input name="…" value="…">` of this name (the pages write
    /// `name` before `value`).
    pub fn input(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_string())
    }

    /// What a browser would send from the form whose `action` ends with `action`, without pressing
    /// any named button: its hidden and text fields, checked boxes, chosen options and text areas.
    pub fn form(&self, action: &str) -> Vec<(String, String)> {
        let html = scraper::Html::parse_document(&self.body);
        let forms = scraper::Selector::parse("form").expect("selector");
        let fields = scraper::Selector::parse("input[name], textarea[name], select[name]").expect("selector");
        let option = scraper::Selector::parse("option").expect("selector");
        let form = html
            .select(&forms)
            .find(|f| f.value().attr("action").is_some_and(|a| a.ends_with(action)))
            .unwrap_or_else(|| panic!("no form to {action} on the page: {}", self.body));
        let mut pairs = Vec::new();
        for field in form.select(&fields) {
            let element = field.value();
            let name = element.attr("name").unwrap_or_default().to_string();
            match element.name() {
                "textarea" => pairs.push((name, field.text().collect())),
                "select" => {
                    let options: Vec<_> = field.select(&option).collect();
                    let chosen = options.iter().find(|o| o.value().attr("selected").is_some()).or(options.first());
                    if let Some(chosen) = chosen {
                        pairs.push((name, chosen.value().attr("value").unwrap_or_default().to_string()));
                    }
                }
                _ => match element.attr("type").unwrap_or("text") {
                    "checkbox" | "radio" if element.attr("checked").is_none() => {}
                    "submit" | "button" => {}
                    _ => pairs.push((name, element.attr("value").unwrap_or_default().to_string())),
                },
            }
        }
        pairs
    }

    /// The text a person reads on the page (its `main`), with the markup removed.
    pub fn text(&self) -> String {
        let html = scraper::Html::parse_document(&self.body);
        let main = scraper::Selector::parse("main").expect("selector");
        let text: Vec<String> = html
            .select(&main)
            .flat_map(|m| m.text().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect::<Vec<_>>())
            .collect();
        text.join(" ")
    }
}

/// Sets a form field (all of them of this name) to one value, or adds it.
pub fn set(form: &mut Vec<(String, String)>, name: &str, value: &str) {
    form.retain(|(n, _)| n != name);
    form.push((name.to_string(), value.to_string()));
}

/// A browser: keeps the session cookie the registry sets, sends forms with the `Origin` a browser
/// would, and does not follow redirects (tests look at them).
pub struct Browser<'a> {
    pub app: &'a TestApp,
    client: reqwest::Client,
    /// `name=value` of the session cookie, if any.
    pub cookie: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Self { app, client, cookie: None }
    }

    fn keep(&mut self, page: &Page) {
        for set in page.set_cookies() {
            let pair = set.split(';').next().unwrap_or_default().trim().to_string();
            if set.contains("Max-Age=0") {
                self.cookie = None;
            } else if !pair.ends_with('=') {
                self.cookie = Some(pair);
            }
        }
    }

    async fn read(response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.expect("a body");
        Page { status, headers, body }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let mut request = self.client.get(format!("{}{path}", self.app.address));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie.clone());
        }
        let page = Self::read(request.send().await.expect("the registry answers")).await;
        self.keep(&page);
        page
    }

    /// Posts a form as a page of `origin` would (`None`: no `Origin` header at all).
    pub async fn post_from(&mut self, origin: Option<&str>, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut request = self.client.post(format!("{}{path}", self.app.address)).form(fields);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie.clone());
        }
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let page = Self::read(request.send().await.expect("the registry answers")).await;
        self.keep(&page);
        page
    }

    /// Posts a form read off a page ([`Page::form`]) from the registry's own pages.
    pub async fn submit(&mut self, path: &str, fields: &[(String, String)]) -> Page {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post(path, &pairs).await
    }

    /// Posts a multipart form from the registry's own pages, with a file in `file_field`.
    pub async fn upload(&mut self, path: &str, fields: &[(String, String)], file_field: &str, file: Vec<u8>) -> Page {
        let part = reqwest::multipart::Part::bytes(file).file_name("aanbod.csv").mime_str("text/csv").expect("mime");
        self.send_multipart(path, fields, Some((file_field, part))).await
    }

    /// Posts a multipart form without a file (as a page's multipart form does).
    pub async fn post_multipart(&mut self, path: &str, fields: &[(String, String)]) -> Page {
        self.send_multipart(path, fields, None).await
    }

    async fn send_multipart(
        &mut self,
        path: &str,
        fields: &[(String, String)],
        file: Option<(&str, reqwest::multipart::Part)>,
    ) -> Page {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.clone(), value.clone());
        }
        if let Some((name, part)) = file {
            form = form.part(name.to_string(), part);
        }
        let mut request = self
            .client
            .post(format!("{}{path}", self.app.address))
            .multipart(form)
            .header("origin", self.app.address.clone());
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie.clone());
        }
        let page = Self::read(request.send().await.expect("the registry answers")).await;
        self.keep(&page);
        page
    }

    /// Posts a form from the registry's own pages.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let origin = self.app.address.clone();
        self.post_from(Some(&origin), path, fields).await
    }

    /// Signs in as a demo person (the registry must run on the development secret).
    pub async fn sign_in_as_demo(&mut self, person: &str) -> Page {
        let form = self.get("/aanmelden").await;
        let csrf = form.input("csrf").expect("the sign-in page has a form token");
        let page = self.post("/aanmelden/demo", &[("csrf", &csrf), ("persoon", person)]).await;
        assert_eq!(page.status, 303, "demo sign-in as {person}: {}", page.body);
        page
    }

    /// The form token of the signed-in session, from any page's sign-out form.
    pub async fn csrf(&mut self) -> String {
        self.get("/account").await.input("csrf").expect("a signed-in page carries the form token")
    }
}

/// Starts a registry with the demo network on the built-in development secret (so the demo
/// sign-in is offered), with some settings changed.
pub async fn spawn_demo_app(settings: &[(&str, &str)]) -> TestApp {
    let mut all = vec![("auth.jwt_secret", UNSET)];
    all.extend_from_slice(settings);
    spawn_with(true, &all).await
}
