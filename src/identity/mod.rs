//! Who is calling: roles, token claims, API key scopes, and the `Actor` every domain
//! function gets. The lowest floor of the domain: it may use only `settings` and `error`, so that the kernel and
//! every domain can name the actor without reaching up into trust.

pub mod api_key;
pub mod jwt;
pub mod secret;

use entity::enums::OrganisationKind;
use serde::{Deserialize, Serialize};

pub use jwt::{JwtKeys, KeySetError};

/// What a signed-in user may do; anonymous callers have no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[clap(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// A partner's user or system: reads published data.
    Partner,
    /// Edits one library's propositions and branches.
    LibraryEditor,
    /// Works at a support organisation: reads the drafts of the libraries it supports.
    SupportEditor,
    /// Keeps the common model and the list of organisations.
    NetworkMaintainer,
}

impl Role {
    /// The stable name, as written in tokens and the change log.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Partner => "PARTNER",
            Role::LibraryEditor => "LIBRARY_EDITOR",
            Role::SupportEditor => "SUPPORT_EDITOR",
            Role::NetworkMaintainer => "NETWORK_MAINTAINER",
        }
    }

    /// The kind of organisation a user with this role must belong to, if any.
    pub fn required_organisation_kind(self) -> Option<OrganisationKind> {
        match self {
            Role::LibraryEditor => Some(OrganisationKind::Library),
            Role::SupportEditor => Some(OrganisationKind::SupportOrganisation),
            Role::Partner | Role::NetworkMaintainer => None,
        }
    }

    /// The kind of organisation a user with this role may name (a partner's system may act for no
    /// organisation, and a maintainer for the network as a whole).
    pub fn permitted_organisation_kind(self) -> OrganisationKind {
        match self {
            Role::LibraryEditor => OrganisationKind::Library,
            Role::SupportEditor => OrganisationKind::SupportOrganisation,
            Role::Partner => OrganisationKind::Partner,
            Role::NetworkMaintainer => OrganisationKind::NationalBody,
        }
    }
}

/// The claims the registry puts in and expects from a token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user (or system) the token was issued to.
    pub sub: String,
    /// The slug of the user's organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    pub role: Role,
    /// Whether the user administers their organisation (manages its API keys).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub admin: bool,
    /// The token's id, recorded in the audit trail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    /// When the token was issued; optional, as for tokens from other issuers.
    #[serde(default)]
    pub iat: i64,
}

/// The organisation a signed-in user acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorOrganisation {
    pub id: i64,
    pub kind: OrganisationKind,
}

/// What an API key may do beyond reading published data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyScopes {
    /// Read studies, insights and ideas shared with the network.
    pub network_research: bool,
    /// Write the key's own organisation's records.
    pub write_own_organisation: bool,
}

/// A person signed in to the site, acting in one of their memberships (or in none: then they only
/// read). The audit trail names them by the subject `person:<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonActor {
    pub id: i64,
    /// The membership the person acts in, whose role, organisation and admin flag the actor has.
    pub membership_id: Option<i64>,
}

/// Who is making a request; passed to every service function.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    /// The token's subject (or `api-key:<id>`); `None` for anonymous callers.
    pub subject: Option<String>,
    pub role: Option<Role>,
    pub organisation: Option<ActorOrganisation>,
    /// Administers its organisation (from the token's `admin` claim).
    pub admin: bool,
    /// The scopes of the API key the request came with; `None` for a token or no credential.
    pub key_scopes: Option<KeyScopes>,
    /// The credential, as recorded in the audit trail: `token:<jti>` or `api-key:<id>`.
    pub credential: Option<String>,
    /// The request id the client got in `x-request-id`.
    pub request_id: Option<String>,
    /// The signed-in person, when the request comes from a site session.
    pub person: Option<PersonActor>,
}

impl Actor {
    /// A caller without credentials.
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// The actor used by start-up tasks such as loading the demo network.
    pub fn system() -> Self {
        Self { subject: Some("system".into()), role: Some(Role::NetworkMaintainer), ..Self::default() }
    }

    pub fn is_signed_in(&self) -> bool {
        self.role.is_some()
    }

    /// Whether nobody is named at all: no credential and no person. Only such callers' answers are the same
    /// for everyone (a person without a membership acts with no role, but `me` is theirs alone).
    pub fn is_anonymous(&self) -> bool {
        self.subject.is_none() && self.person.is_none()
    }

    pub fn is_maintainer(&self) -> bool {
        self.role == Some(Role::NetworkMaintainer)
    }

    pub fn organisation_id(&self) -> Option<i64> {
        self.organisation.map(|o| o.id)
    }

    /// The library this actor edits, if a library editor.
    pub fn edited_library(&self) -> Option<i64> {
        match self.role {
            Some(Role::LibraryEditor) => self.organisation_id(),
            _ => None,
        }
    }

    /// The support organisation this actor works for, if a support editor.
    pub fn support_organisation(&self) -> Option<i64> {
        match self.role {
            Some(Role::SupportEditor) => self.organisation_id(),
            _ => None,
        }
    }

    /// Whether the actor may read research shared with the network (API keys need the scope).
    pub fn reads_network_research(&self) -> bool {
        self.key_scopes.is_none_or(|s| s.network_research)
    }

    /// Whether the actor came with an API key.
    pub fn is_api_key(&self) -> bool {
        self.key_scopes.is_some()
    }

    /// Role name for the change log.
    pub fn role_name(&self) -> &'static str {
        self.role.map(Role::as_str).unwrap_or("ANONYMOUS")
    }
}
