//! The test client: spawns a registry on a fresh database and sends it GraphQL documents.

use std::collections::HashMap;

use registry::auth::{JwtKeys, Role};
use registry::settings::Settings;
use registry::startup::Application;
use serde_json::{Value, json};

/// A running registry and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub keys: JwtKeys,
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

/// Starts a registry with the common model and the demo network.
pub async fn spawn_app() -> TestApp {
    spawn_with(true).await
}

/// Starts a registry with the common model only.
pub async fn spawn_empty_app() -> TestApp {
    spawn_with(false).await
}

async fn spawn_with(demo: bool) -> TestApp {
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let (url, cleanup) = match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) => {
            let name = format!("registry_test_{unique}");
            let admin = sea_orm::Database::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
            sea_orm::ConnectionTrait::execute_unprepared(&admin, &format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            let _ = admin.close().await;
            let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
            url.set_path(&format!("/{name}"));
            (url.to_string(), Cleanup::Postgres { admin_url, name })
        }
        Err(_) => {
            let path = std::env::temp_dir().join(format!("registry-test-{unique}.db"));
            (format!("sqlite://{}?mode=rwc", path.display()), Cleanup::Sqlite(path))
        }
    };
    let mut env = HashMap::new();
    env.insert("database.url".to_string(), url);
    env.insert("server.port".to_string(), "0".to_string());
    env.insert("demo.load_if_empty".to_string(), demo.to_string());
    env.insert("auth.jwt_secret".to_string(), "a-test-secret-that-is-at-least-32-bytes-long".to_string());
    let settings = Settings::from_source(config::Environment::default().source(Some(env))).expect("test settings");
    let app = Application::build(&settings).await.expect("start the registry");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    TestApp { address, client: reqwest::Client::new(), keys: JwtKeys::from_settings(&settings), cleanup: Some(cleanup) }
}

impl Drop for TestApp {
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
