//! What every page shares: the layout's data (title, description, canonical path, the page's
//! GraphQL question), rendering a template into a response, and the error pages.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::error::{AppError, Unreachable};
use crate::web::ask::Question;
use crate::web::assets::asset_url;
use crate::web::labels::Labels;
use crate::web::lang::{self, Here, Lang};

/// The parts of the site the header's navigation names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Libraries,
    Compare,
    Standards,
    Coverage,
    Knowledge,
    /// The staff side: a library's own offer.
    Staff,
}

/// What the layout (`templates/base.html`) shows around a page.
pub struct Layout {
    /// The page's words in its language (`ui` in the templates).
    pub ui: &'static Labels,
    /// Where the request is: the language switch links to the same address in the other language.
    pub here: Here,
    /// The page's own title; the site's name is added after it.
    pub title: String,
    /// One or two sentences for search engines and link previews.
    pub description: String,
    /// The page's Dutch path; its canonical URL is this path in the page's language.
    pub path: String,
    /// The navigation item that is the current one; none for pages outside the navigation (signing in,
    /// the account, error pages).
    pub section: Option<Section>,
    /// The question the page asked, offered as "this page as a GraphQL query".
    pub question: Option<Question>,
    /// schema.org JSON-LD describing the page's subject, if any.
    pub json_ld: Option<String>,
    pub stylesheets: [&'static str; 3],
    pub script: &'static str,
    /// Who is signed in, for the header; `None` for anonymous visitors.
    pub who: Option<std::sync::Arc<crate::web::account::Who>>,
}

impl Layout {
    pub fn new(here: &Here, title: impl Into<String>, description: impl Into<String>, path: impl Into<String>) -> Self {
        Self {
            ui: here.labels(),
            here: here.clone(),
            title: title.into(),
            description: description.into(),
            path: path.into(),
            section: None,
            question: None,
            json_ld: None,
            stylesheets: [
                asset_url("vendor/nl-design-system/voorbeeld-design-tokens-7.4.1-theme.css"),
                asset_url("vendor/nl-design-system/utrecht-component-library-css-9.0.4.css"),
                asset_url("registry.css"),
            ],
            script: asset_url("registry.js"),
            who: crate::web::account::who(),
        }
    }

    pub fn in_section(mut self, section: Section) -> Self {
        self.section = Some(section);
        self
    }

    pub fn asked(mut self, question: &Question) -> Self {
        self.question = Some(question.clone());
        self
    }

    pub fn with_json_ld(mut self, json_ld: serde_json::Value) -> Self {
        // `</` would end the script element early; JSON allows it escaped.
        self.json_ld = Some(json_ld.to_string().replace("</", "<\\/"));
        self
    }

    /// The page's canonical address: its path in its own language.
    pub fn canonical(&self) -> String {
        self.absolute(self.here.lang.localise(&self.path))
    }

    /// The page's English path.
    pub fn english(&self) -> String {
        Lang::En.localise(&self.path)
    }

    /// A path as an absolute URL when the registry's public address is configured.
    pub fn absolute(&self, path: impl AsRef<str>) -> String {
        let path = path.as_ref();
        match &self.here.origin {
            Some(origin) => format!("{origin}{path}"),
            None => path.to_string(),
        }
    }

    /// The same address (with its query) in the other language.
    pub fn switch_href(&self) -> String {
        self.here.lang.other().localise(&self.here.dutch)
    }

    /// Whether the navigation item of `section` is the current one.
    pub fn is(&self, section: Section) -> bool {
        self.section == Some(section)
    }

    /// The page's question as a link into GraphiQL, with the document and variables filled in.
    pub fn graphiql_href(&self) -> Option<String> {
        let q = self.question.as_ref()?;
        let mut url = url::Url::parse("http://registry.invalid/graphiql").ok()?;
        url.query_pairs_mut().append_pair("query", q.document).append_pair("variables", &q.variables.to_string());
        Some(format!("{}?{}", url.path(), url.query().unwrap_or_default()))
    }

    /// The page's GraphQL document, for reading on the page.
    pub fn question_document(&self) -> &str {
        self.question.as_ref().map(|q| q.document.trim()).unwrap_or_default()
    }

    /// The page's variables, pretty-printed.
    pub fn question_variables(&self) -> String {
        self.question
            .as_ref()
            .map(|q| serde_json::to_string_pretty(&q.variables).unwrap_or_default())
            .unwrap_or_default()
    }
}

/// Renders a page's template into an HTML response.
pub fn render<T: Template>(template: &T) -> Response {
    render_with_form_target(template, None)
}

/// Renders a page whose form sends the browser on to another origin (the sign-in page, to the
/// identity provider): its `form-action` allows that origin too, as browsers apply it to the
/// form's redirect.
pub fn render_with_form_target<T: Template>(template: &T, origin: Option<&str>) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = html_response(StatusCode::OK, html);
            if let Some(origin) = origin.filter(|o| o.starts_with("http") && !o.contains([';', ',', ' ', '\'', '"']))
                && let Ok(value) = HeaderValue::from_str(&policy(&format!("'self' {origin}")))
            {
                response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
            }
            response
        }
        Err(e) => {
            tracing::error!(error.cause = %e, "a page's template failed to render");
            PageError::Internal.into_response()
        }
    }
}

/// The pages' Content-Security-Policy, with where forms may send the browser.
fn policy(form_action: &str) -> String {
    format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action {form_action}; frame-ancestors 'none'"
    )
}

fn html_response(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    // Nothing a page loads comes from another origin; inline scripts only as JSON-LD data.
    if let Ok(value) = HeaderValue::from_str(&policy("'self'")) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    response
}

/// Why a page could not be shown; each is answered with an error page of its own status.
#[derive(Debug)]
pub enum PageError {
    /// Nothing here, or nothing the visitor may see (drafts and hidden studies are "not found").
    NotFound,
    /// The address asks for something that cannot be (an unknown province, a bad number).
    BadInput(String),
    RateLimited,
    /// The database is slow or the page ran out of time.
    Unavailable,
    /// The database cannot be reached (the breaker opens).
    DatabaseDown,
    /// A fault of ours; logged where it happened.
    Internal,
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        if e.is_unreachable() {
            return Self::DatabaseDown;
        }
        match e {
            AppError::NotFound(_) => Self::NotFound,
            AppError::BadUserInput { message, .. }
            | AppError::LimitExceeded { message, .. }
            | AppError::Rejected { message, .. } => Self::BadInput(message),
            AppError::RateLimited { .. } => Self::RateLimited,
            AppError::ServiceUnavailable(_) | AppError::TimedOut { .. } => Self::Unavailable,
            other => {
                // Logs the cause once.
                let _ = other.to_graphql();
                Self::Internal
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: &'static str,
    explanation: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let down = matches!(self, Self::DatabaseDown);
        // An error page is in the language of the address it answers.
        let here = lang::current();
        let ui = here.labels();
        let (status, heading, explanation) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, ui.error_not_found, ui.error_not_found_text.to_string()),
            Self::BadInput(message) => {
                (StatusCode::BAD_REQUEST, ui.error_bad_input, format!("{}: {message}", ui.error_bad_input_text))
            }
            Self::RateLimited => {
                (StatusCode::TOO_MANY_REQUESTS, ui.error_rate_limited, ui.error_rate_limited_text.to_string())
            }
            Self::Unavailable | Self::DatabaseDown => {
                (StatusCode::SERVICE_UNAVAILABLE, ui.error_unavailable, ui.error_unavailable_text.to_string())
            }
            Self::Internal => {
                (StatusCode::INTERNAL_SERVER_ERROR, ui.error_internal, ui.error_internal_text.to_string())
            }
        };
        let page = ErrorPage { layout: Layout::new(&here, heading, explanation.clone(), ""), heading, explanation };
        let html = page.render().unwrap_or_else(|_| heading.to_string());
        let mut response = html_response(status, html);
        if matches!(status, StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS) {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if down {
            response.extensions_mut().insert(Unreachable);
        }
        response
    }
}
