//! The site's two languages: every page in Dutch at its own address, and in English at the same
//! address under `/en` (`/bibliotheken/dbieb` and `/en/bibliotheken/dbieb`). A path prefix, not a
//! query parameter or a cookie, so that each language's page has one readable address that caches
//! and links as any other, forms keep their language by their action alone, and search engines can
//! be told of the pair with `hreflang`.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::Uri;
use axum::http::request::Parts;

use crate::web::labels::{EN, Labels, NL};

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

/// The prefix of English addresses.
pub const ENGLISH_PREFIX: &str = "/en";

impl Lang {
    /// The language an address asks for.
    pub fn of_path(path: &str) -> Self {
        match path.strip_prefix(ENGLISH_PREFIX) {
            Some("") => Self::En,
            Some(rest) if rest.starts_with('/') => Self::En,
            _ => Self::Nl,
        }
    }

    /// The language's code for `lang` and `hreflang`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
        }
    }

    /// The value of the API's `Language` enum, for `name(language: …)`.
    pub fn graphql(self) -> &'static str {
        match self {
            Self::Nl => "NL",
            Self::En => "EN",
        }
    }

    /// The pages' words in this language.
    pub fn labels(self) -> &'static Labels {
        match self {
            Self::Nl => &NL,
            Self::En => &EN,
        }
    }

    /// The other language, which the language switch offers.
    pub fn other(self) -> Self {
        match self {
            Self::Nl => Self::En,
            Self::En => Self::Nl,
        }
    }

    /// A page's address in this language, from its Dutch address (path and query).
    pub fn localise(self, dutch: &str) -> String {
        match self {
            Self::Nl => dutch.to_string(),
            Self::En if dutch == "/" => ENGLISH_PREFIX.to_string(),
            Self::En if dutch.starts_with("/?") => format!("{ENGLISH_PREFIX}{}", &dutch[1..]),
            Self::En => format!("{ENGLISH_PREFIX}{dutch}"),
        }
    }
}

/// Where a request for a page is: its language, and the Dutch address (path and query) of the
/// same page, from which the language switch and the alternates are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Here {
    pub lang: Lang,
    pub dutch: String,
    /// The registry's configured public address (`https://register.example.nl`), which makes the
    /// canonical and alternate links absolute; `None`: they stay paths.
    pub origin: Option<String>,
}

impl Default for Here {
    fn default() -> Self {
        Self { lang: Lang::Nl, dutch: "/".to_string(), origin: None }
    }
}

impl Here {
    /// The language and Dutch address of a request's URI (as the client sent it, before nesting).
    pub fn of(uri: &Uri) -> Self {
        let path = uri.path();
        let lang = Lang::of_path(path);
        let dutch_path = match lang {
            Lang::Nl => path,
            Lang::En => match &path[ENGLISH_PREFIX.len()..] {
                "" => "/",
                rest => rest,
            },
        };
        let dutch = match uri.query() {
            Some(query) if !query.is_empty() => format!("{dutch_path}?{query}"),
            _ => dutch_path.to_string(),
        };
        Self { lang, dutch, origin: None }
    }

    /// The pages' words in the request's language.
    pub fn labels(&self) -> &'static Labels {
        self.lang.labels()
    }

    /// A Dutch path in the request's language.
    pub fn at(&self, dutch: &str) -> String {
        self.lang.localise(dutch)
    }
}

tokio::task_local! {
    /// The page request being answered, for what renders without its request (the error pages).
    static CURRENT: Here;
}

/// Runs a page's future knowing where the request is.
pub async fn within<F: Future>(here: Here, page: F) -> F::Output {
    CURRENT.scope(here, page).await
}

/// Where the page request being answered is; Dutch home outside one.
pub fn current() -> Here {
    CURRENT.try_with(Here::clone).unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for Here {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(here) = parts.extensions.get::<Here>() {
            return Ok(here.clone());
        }
        let uri = parts.extensions.get::<OriginalUri>().map_or(&parts.uri, |o| &o.0);
        Ok(Self::of(uri))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_its_language_and_its_dutch_twin() {
        let here = |uri: &str| Here::of(&uri.parse::<Uri>().unwrap());
        let at = |lang, dutch: &str| Here { lang, dutch: dutch.into(), origin: None };
        assert_eq!(here("/"), at(Lang::Nl, "/"));
        assert_eq!(here("/en"), at(Lang::En, "/"));
        assert_eq!(here("/en/dekking?provincie=drenthe"), at(Lang::En, "/dekking?provincie=drenthe"));
        assert_eq!(here("/enquete"), at(Lang::Nl, "/enquete"));
        assert_eq!(Lang::En.localise("/"), "/en");
        assert_eq!(Lang::En.localise("/zoeken?q=taal"), "/en/zoeken?q=taal");
        assert_eq!(Lang::Nl.localise("/zoeken?q=taal"), "/zoeken?q=taal");
    }
}
