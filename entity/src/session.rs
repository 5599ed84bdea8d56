//! A browser session on the site, kept in the database so that several instances share it. Only
//! the SHA-256 of the session token is stored; the token itself is only in the browser's cookie.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub token_hash: String,
    /// The synchronizer token every form of this session must carry.
    pub csrf_token: String,
    /// The signed-in person; `None` while a visitor is still signing in.
    pub person_id: Option<i64>,
    /// The membership the person acts in now, if they hold any.
    pub membership_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    /// The absolute end of the session, whatever its use.
    pub expires_at: DateTimeUtc,
    /// A sign-in in progress at the identity provider: the `state` sent, the `nonce` the ID token
    /// must carry, the PKCE verifier, and the page to return to.
    pub pending_state: Option<String>,
    pub pending_nonce: Option<String>,
    pub pending_verifier: Option<String>,
    pub pending_return_to: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
