//! People in the API: the signed-in person (`me`), memberships (listed, granted, revoked), and the
//! person a change in the audit trail names. Resolvers are thin: the rules are in
//! [`crate::people::membership`].

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{membership, person};

use crate::identity::Role;
use crate::kernel::loaders::one;
use crate::kernel::{actor, db, ids};
use crate::people::membership::{self as svc, Grant, MembershipFilter};
use crate::registry::graphql::loaders::OrganisationKey;
use crate::registry::graphql::organisation::Organisation;

/// The role a membership gives its person in its organisation.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum MembershipRole {
    /// Reads published data, as a partner organisation (municipality, welfare organisation).
    Partner,
    /// Edits one library's propositions and branches (at a library).
    LibraryEditor,
    /// Works at a support organisation: reads the drafts of the libraries it supports.
    SupportEditor,
    /// Keeps the common model and the list of organisations (at a national body).
    NetworkMaintainer,
}

impl From<MembershipRole> for Role {
    fn from(r: MembershipRole) -> Self {
        match r {
            MembershipRole::Partner => Role::Partner,
            MembershipRole::LibraryEditor => Role::LibraryEditor,
            MembershipRole::SupportEditor => Role::SupportEditor,
            MembershipRole::NetworkMaintainer => Role::NetworkMaintainer,
        }
    }
}

impl From<Role> for MembershipRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Partner => MembershipRole::Partner,
            Role::LibraryEditor => MembershipRole::LibraryEditor,
            Role::SupportEditor => MembershipRole::SupportEditor,
            Role::NetworkMaintainer => MembershipRole::NetworkMaintainer,
        }
    }
}

/// A person who signs in to the registry's site through the network's identity provider. What they
/// may do comes from their memberships.
#[derive(Clone)]
pub struct Person(pub person::Model);

/// A person who signs in to the registry's site through the network's identity provider. What they
/// may do comes from their memberships.
#[Object]
impl Person {
    /// The global id.
    async fn id(&self) -> ID {
        ids::encode("Person", self.0.id)
    }
    /// The name, as the identity provider last gave it.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The e-mail address, as the identity provider last gave it; shown to network maintainers,
    /// administrators and the person.
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        svc::may_read_email(actor(ctx), self.0.id).then_some(self.0.email.as_deref()).flatten()
    }
    /// When the person last signed in.
    async fn last_signed_in_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_signed_in_at
    }
    /// The person's memberships that the caller may see (maintainers all, an administrator those of
    /// their organisation, the person their own), oldest first, at most 500.
    async fn memberships(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Membership>> {
        let filter = MembershipFilter { person_id: Some(self.0.id), organisation_id: None };
        Ok(svc::list(db(ctx), actor(ctx), filter).await?.into_iter().map(Membership).collect())
    }
}

/// A person's membership of an organisation: the role they act in there, and whether they
/// administer it (grant and revoke its memberships, manage its API keys).
#[derive(Clone)]
pub struct Membership(pub membership::Model);

/// A person's membership of an organisation: the role they act in there, and whether they
/// administer it (grant and revoke its memberships, manage its API keys).
#[Object]
impl Membership {
    /// The global id.
    async fn id(&self) -> ID {
        ids::encode("Membership", self.0.id)
    }
    /// The member.
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(svc::person_by_id(db(ctx), self.0.person_id).await?.map(Person))
    }
    /// The organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        Ok(one(ctx, OrganisationKey(self.0.organisation_id)).await?.map(Organisation))
    }
    /// The role the person acts in at the organisation.
    async fn role(&self) -> async_graphql::Result<MembershipRole> {
        Ok(svc::role_of(&self.0)?.into())
    }
    /// Whether the person administers the organisation.
    async fn admin(&self) -> bool {
        self.0.admin
    }
    /// Who granted the membership, or last changed it (`person:<id>`, or a token's subject).
    async fn granted_by(&self) -> &str {
        &self.0.granted_by
    }
    /// When it was granted.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The version; it goes up with every change.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// The person signed in to the site, as the request sees them.
#[derive(SimpleObject)]
pub struct Me {
    /// The person.
    pub person: Person,
    /// The membership the person acts in now; null when they hold none (then they only read) or
    /// have not chosen one of several.
    pub active_membership: Option<Membership>,
    /// All of the person's memberships, oldest first, at most 500.
    pub memberships: Vec<Membership>,
}

/// People in the API.
#[derive(Default)]
pub struct PeopleQuery;

#[Object]
impl PeopleQuery {
    /// The person signed in to the site, with their memberships; null for tokens, API keys and
    /// anonymous callers.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Me>> {
        let actor = actor(ctx);
        let Some(me) = actor.person else {
            return Ok(None);
        };
        let Some(person) = svc::person_by_id(db(ctx), me.id).await? else {
            return Ok(None);
        };
        let memberships: Vec<Membership> =
            svc::of_person(db(ctx), me.id).await?.into_iter().map(|(m, _)| Membership(m)).collect();
        let active_membership = me.membership_id.and_then(|id| memberships.iter().find(|m| m.0.id == id).cloned());
        Ok(Some(Me { person: Person(person), active_membership, memberships }))
    }

    /// Memberships, oldest first, at most 500: network maintainers see any (narrowed by
    /// organisation or person), an organisation's administrators their organisation's, and a
    /// signed-in person their own.
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        organisation: Option<ID>,
        person: Option<ID>,
    ) -> async_graphql::Result<Vec<Membership>> {
        let filter = MembershipFilter {
            organisation_id: organisation.map(|id| ids::decode("organisation", "Organisation", &id)).transpose()?,
            person_id: person.map(|id| ids::decode("person", "Person", &id)).transpose()?,
        };
        Ok(svc::list(db(ctx), actor(ctx), filter).await?.into_iter().map(Membership).collect())
    }

    /// The person who signed in with this e-mail address, to grant them a membership; for network
    /// maintainers and administrators. Null when nobody with it has signed in yet.
    async fn person_by_email(&self, ctx: &Context<'_>, email: String) -> async_graphql::Result<Option<Person>> {
        Ok(svc::person_by_email(db(ctx), actor(ctx), &email).await?.map(Person))
    }
}

/// A membership to grant, or to change when the person already has one in the organisation.
#[derive(InputObject)]
pub struct GrantMembershipInput {
    /// The person (who has signed in at least once).
    pub person_id: ID,
    /// The organisation.
    pub organisation_id: ID,
    /// The role; it must fit the organisation's kind (a library editor at a library, …).
    pub role: MembershipRole,
    /// Whether the person administers the organisation.
    #[graphql(default)]
    pub admin: bool,
}

/// A granted (or changed) membership.
#[derive(SimpleObject)]
pub struct GrantMembershipPayload {
    /// The membership as it now is.
    pub membership: Membership,
}

/// A membership to revoke.
#[derive(InputObject)]
pub struct RevokeMembershipInput {
    /// The membership.
    pub id: ID,
}

/// A revoked membership.
#[derive(SimpleObject)]
pub struct RevokeMembershipPayload {
    /// The id of the membership that is gone.
    pub revoked_membership_id: ID,
}

/// Granting and revoking memberships.
#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    /// Grants a person a membership of an organisation, or changes the role and admin flag of the
    /// one they hold there: network maintainers anywhere, an organisation's administrators in
    /// their own organisation (never the network maintainer role).
    async fn grant_membership(
        &self,
        ctx: &Context<'_>,
        input: GrantMembershipInput,
    ) -> async_graphql::Result<GrantMembershipPayload> {
        let grant = Grant {
            person_id: ids::decode("personId", "Person", &input.person_id)?,
            organisation_id: ids::decode("organisationId", "Organisation", &input.organisation_id)?,
            role: input.role.into(),
            admin: input.admin,
        };
        let membership = svc::grant(db(ctx), actor(ctx), grant).await?;
        Ok(GrantMembershipPayload { membership: Membership(membership) })
    }

    /// Revokes a membership at once: the person's sessions lose its rights on their next request.
    async fn revoke_membership(
        &self,
        ctx: &Context<'_>,
        input: RevokeMembershipInput,
    ) -> async_graphql::Result<RevokeMembershipPayload> {
        let id = ids::decode("id", "Membership", &input.id)?;
        let revoked = svc::revoke(db(ctx), actor(ctx), id).await?;
        Ok(RevokeMembershipPayload { revoked_membership_id: ids::encode("Membership", revoked.id) })
    }
}

/// The person an audit trail's subject (`person:<id>`) names, for callers who may read names.
pub async fn person_of_subject(ctx: &Context<'_>, subject: Option<&str>) -> async_graphql::Result<Option<Person>> {
    if !svc::may_read_names(actor(ctx)) {
        return Ok(None);
    }
    let Some(id) = subject.and_then(|s| s.strip_prefix("person:")).and_then(|id| id.parse::<i64>().ok()) else {
        return Ok(None);
    };
    Ok(svc::person_by_id(db(ctx), id).await?.map(Person))
}
