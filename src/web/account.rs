//! The signed-in side's doors: signing in (through the identity provider, or as a demo person where
//! that is allowed), signing out, and the account page, where a person chooses the membership they
//! act in and an organisation's administrators grant and revoke memberships.
//!
//! Every page request first has its session read ([`with_session`]): the visitor then asks the
//! in-process GraphQL schema as the signed-in person, and the header shows who that is. Every form
//! that changes something is a POST that must carry the session's synchronizer token and, when the
//! browser says where it comes from (`Origin`, else `Referer`), come from this site.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::error::AppError;
use crate::http::AppState;
use crate::people::session::{self, Owner};
use crate::people::{self, SignedIn, membership};
use crate::web::Visitor;
use crate::web::forms::{form_allowed, local_path, message, mutate, no_store, refused, see_other};
use crate::web::lang::Here;
use crate::web::page::{Layout, PageError, Section, render, render_with_form_target};

/// The session a page request came with, read before the page runs.
#[derive(Debug, Clone, Default)]
pub struct Current {
    /// The live session, signed in or not (a visitor about to sign in has one for the form's token).
    pub session: Option<entity::session::Model>,
    pub signed_in: Option<Arc<SignedIn>>,
}

/// Who the header names, with the token of its sign-out form.
#[derive(Debug, PartialEq, Eq)]
pub struct Who {
    pub name: String,
    /// The organisation and role the person acts in, in the page's language.
    pub acting: Option<String>,
    /// The staff page of the role the person acts in (a library's offer, or a support
    /// organisation's drafts of its libraries), which the header links to.
    pub staff_home: Option<&'static str>,
    pub csrf: String,
}

tokio::task_local! {
    static WHO: Option<Arc<Who>>;
}

/// Who is signed in on the page being rendered, for the layout's header.
pub fn who() -> Option<Arc<Who>> {
    WHO.try_with(Clone::clone).ok().flatten()
}

/// Reads the request's session (if its cookie names a live one) before the page runs.
pub async fn with_session(state: &AppState, mut request: Request, next: Next) -> Response {
    let session = match state.people.session(&state.db, request.headers()).await {
        Ok(session) => session,
        Err(e) => return PageError::from(e).into_response(),
    };
    let signed_in = match session.clone() {
        Some(s) => match people::signed_in(&state.db, s).await {
            Ok(found) => found.map(Arc::new),
            Err(e) => return PageError::from(e).into_response(),
        },
        None => None,
    };
    let here = request.extensions().get::<Here>().cloned().unwrap_or_default();
    let ui = here.labels();
    let who = signed_in.as_ref().map(|s| {
        Arc::new(Who {
            name: s.person.name.clone(),
            acting: s.acting.as_ref().map(|(m, org)| format!("{}, {}", org.name, ui.role(&m.role))),
            staff_home: crate::web::staff::home(&s.actor),
            csrf: s.session.csrf_token.clone(),
        })
    });
    request.extensions_mut().insert(Current { session, signed_in });
    WHO.scope(who, next.run(request)).await
}

/// The signed-in side's addresses (Dutch; the same under `/en`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/aanmelden", get(sign_in_page).post(begin_provider))
        .route("/aanmelden/demo", post(demo_sign_in))
        .route(crate::people::oidc::CALLBACK_PATH, get(provider_callback))
        .route("/afmelden", post(sign_out))
        .route("/account", get(account_page))
        .route("/account/rol", post(choose_membership))
        .route("/account/leden", post(grant_membership))
        .route("/account/leden/intrekken", post(revoke_membership))
}

// ---- signing in and out ---------------------------------------------------------------------

/// What starting a session costs the visitor's rate budget (a page costs what its answer holds).
const SESSION_START_COST: u64 = crate::trust::ratelimit::FAILED_AUTH_COST;

#[derive(Debug, Deserialize, Default)]
pub struct SignInParams {
    terug: Option<String>,
}

/// A demo person as the sign-in page offers them.
struct DemoChoice {
    key: &'static str,
    name: &'static str,
    does: &'static str,
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    layout: Layout,
    csrf: String,
    return_to: String,
    signed_in: Option<String>,
    provider: bool,
    demo: Vec<DemoChoice>,
}

/// `GET /aanmelden`: the ways in this registry offers. A visitor without a session gets one here,
/// for the token its forms carry (when there is a way in to offer).
async fn sign_in_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<SignInParams>,
) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let offered = state.people.oidc.is_some() || state.people.demo.is_some();
    let (session, cookie) = match &visitor.current.session {
        Some(s) => (Some(s.clone()), None),
        None if !offered => (None, None),
        None => {
            // A new session is a row in the database: its address pays for it, as for a bad
            // credential, so that a crawler cannot fill the table.
            if state.limiter.enabled()
                && let Some(retry_after_secs) =
                    state.limiter.charge(&visitor.caller(), SESSION_START_COST).retry_after_secs
            {
                return Err(AppError::RateLimited { retry_after_secs }.into());
            }
            let started = session::start(&state.db, &state.people.sessions, Owner::default()).await?;
            let cookie = state.people.cookie.set(&started.token);
            (Some(started.session), Some(cookie))
        }
    };
    let demo = match state.people.demo {
        Some(_) => people::demo::DEMO_PEOPLE
            .iter()
            .map(|p| DemoChoice { key: p.key, name: p.name, does: ui.pick_text(p.does_nl, p.does_en) })
            .collect(),
        None => Vec::new(),
    };
    let page = SignInPage {
        layout: Layout::new(&visitor.here, ui.sign_in_title, ui.sign_in_lead, "/aanmelden"),
        csrf: session.map(|s| s.csrf_token).unwrap_or_default(),
        return_to: local_path(params.terug.as_deref()).unwrap_or_else(|| visitor.here.at("/account")),
        signed_in: visitor.current.signed_in.as_ref().map(|s| s.person.name.clone()),
        provider: state.people.oidc.is_some(),
        demo,
    };
    let provider = state.people.oidc.as_ref().map(|p| p.authorization_origin());
    let mut response = no_store(render_with_form_target(&page, provider.as_deref()));
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    terug: Option<String>,
    #[serde(default)]
    persoon: String,
}

/// `POST /aanmelden`: off to the identity provider, with this session's `state`, `nonce` and PKCE
/// challenge.
async fn begin_provider(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let Some(provider) = state.people.oidc.clone() else {
        return Err(PageError::NotFound);
    };
    let Some(session) = form_allowed(&state, &headers, &visitor.current, &form.csrf) else {
        return Ok(refused(&visitor.here));
    };
    let return_to = local_path(form.terug.as_deref()).unwrap_or_else(|| visitor.here.at("/account"));
    let (url, pending) = provider.begin(return_to);
    session::set_pending(&state.db, session.id, pending).await?;
    Ok(see_other(&url, None))
}

#[derive(Debug, Deserialize)]
pub struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// The provider's issuer (RFC 9207), where it says so: it must be ours.
    iss: Option<String>,
}

/// `GET /aanmelden/terug`: the provider sends the browser back with a code; it must be the sign-in
/// this browser's session started. The person is recorded, and a new session replaces the old.
async fn provider_callback(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<CallbackParams>,
) -> Result<Response, PageError> {
    let Some(provider) = state.people.oidc.clone() else {
        return Err(PageError::NotFound);
    };
    let ui = visitor.here.labels();
    let failed = |text: String| {
        let back = Some((visitor.here.at("/aanmelden"), ui.back_to_sign_in));
        message(&visitor.here, StatusCode::UNAUTHORIZED, ui.sign_in_failed, text, back)
    };
    if let Some(error) = params.error {
        let error: String = error.chars().filter(|c| c.is_ascii_graphic()).take(100).collect();
        return Ok(failed(format!("{} ({error})", ui.sign_in_failed)));
    }
    if params.iss.as_deref().is_some_and(|iss| !provider.is_issuer(iss)) {
        return Ok(failed(ui.form_refused_text.to_string()));
    }
    let (Some(code), Some(returned_state), Some(session)) = (params.code, params.state, &visitor.current.session)
    else {
        return Ok(failed(ui.form_refused_text.to_string()));
    };
    let outcome = async {
        let pending = session::take_pending(&state.db, session, &returned_state).await?;
        let identity = provider.finish(&code, &pending).await?;
        let person = membership::signed_in(&state.db, identity).await?;
        let first = membership::of_person(&state.db, person.id).await?.into_iter().next().map(|(m, _)| m.id);
        let owner = Owner { person_id: Some(person.id), membership_id: first };
        let started = session::rotate(&state.db, &state.people.sessions, Some(session), owner).await?;
        Ok::<_, AppError>((started, pending.return_to))
    };
    match outcome.await {
        Ok((started, return_to)) => {
            let return_to = local_path(Some(&return_to)).unwrap_or_else(|| "/".into());
            Ok(see_other(&return_to, Some(state.people.cookie.set(&started.token))))
        }
        Err(AppError::Unauthenticated(why)) => Ok(failed(why)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /aanmelden/demo`: signs in as a demo person, where the settings allow it (elsewhere this
/// address does not exist).
async fn demo_sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let Some(demo) = state.people.demo else {
        return Err(PageError::NotFound);
    };
    let Some(session) = form_allowed(&state, &headers, &visitor.current, &form.csrf) else {
        return Ok(refused(&visitor.here));
    };
    let person = demo.person(&form.persoon)?;
    let (person, first) = demo.sign_in(&state.db, person).await?;
    let owner = Owner { person_id: Some(person.id), membership_id: first.map(|m| m.id) };
    let started = session::rotate(&state.db, &state.people.sessions, Some(session), owner).await?;
    let return_to = local_path(form.terug.as_deref()).unwrap_or_else(|| visitor.here.at("/account"));
    Ok(see_other(&return_to, Some(state.people.cookie.set(&started.token))))
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /afmelden`: ends the session; its token opens nothing any more.
async fn sign_out(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    let Some(session) = form_allowed(&state, &headers, &visitor.current, &form.csrf) else {
        return Ok(refused(&visitor.here));
    };
    session::end(&state.db, session.id).await?;
    Ok(see_other(&visitor.here.at("/"), Some(state.people.cookie.clear())))
}

// ---- the account page -----------------------------------------------------------------------

const ME: &str = r#"query AccountPage {
  me {
    person { id name email }
    activeMembership { id admin role organisation { id name kind } }
    memberships { id role admin organisation { id name } }
  }
}"#;

const MEMBERS: &str = r#"query OrganisationMembers($organisation: ID!) {
  memberships(organisation: $organisation) { id role admin person { name email } }
}"#;

#[derive(Deserialize)]
struct MeAnswer {
    me: Option<MeView>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MeView {
    person: PersonView,
    active_membership: Option<ActiveView>,
    memberships: Vec<MembershipView>,
}

#[derive(Deserialize)]
struct PersonView {
    name: String,
    email: Option<String>,
}

#[derive(Deserialize)]
struct ActiveView {
    id: String,
    admin: bool,
    role: String,
    organisation: Option<OrganisationView>,
}

#[derive(Deserialize)]
struct OrganisationView {
    id: String,
    name: String,
    #[serde(default)]
    kind: String,
}

#[derive(Deserialize)]
struct MembershipView {
    id: String,
    role: String,
    admin: bool,
    organisation: Option<OrganisationView>,
}

#[derive(Deserialize)]
struct MembersAnswer {
    memberships: Vec<MemberView>,
}

#[derive(Deserialize)]
struct MemberView {
    id: String,
    role: String,
    admin: bool,
    person: Option<PersonView>,
}

/// One of the person's memberships, as listed.
struct Held {
    id: String,
    organisation: String,
    role: &'static str,
    admin: bool,
    active: bool,
}

/// A member of the administered organisation, as listed.
struct Member {
    id: String,
    name: String,
    email: String,
    role: &'static str,
    admin: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    csrf: String,
    name: String,
    email: String,
    acting: Option<String>,
    held: Vec<Held>,
    /// The organisation the person administers, if they act as its administrator.
    members: Option<Members>,
}

/// The administered organisation's name and members, and the roles a grant may give there.
struct Members {
    organisation: String,
    list: Vec<Member>,
    roles: Vec<(&'static str, &'static str)>,
}

/// The roles that fit an organisation of this kind (an administrator grants only these).
pub(crate) fn roles_for(kind: &str) -> &'static [&'static str] {
    match kind {
        "LIBRARY" => &["LIBRARY_EDITOR"],
        "SUPPORT_ORGANISATION" => &["SUPPORT_EDITOR"],
        "PARTNER" => &["PARTNER"],
        "NATIONAL_BODY" => &["NETWORK_MAINTAINER"],
        _ => &[],
    }
}

/// `GET /account`: who you are, your memberships (choose the one to act in), and, for an
/// organisation's administrators, its members.
async fn account_page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let ui = visitor.here.labels();
    let Some(signed_in) = visitor.current.signed_in.clone() else {
        return Ok(crate::web::forms::sign_in_first(&visitor.here));
    };
    let question = crate::web::ask::Question::new(ME, json!({}));
    let answer: MeAnswer = crate::web::ask::ask(&state, &visitor, &question).await?;
    let me = answer.me.ok_or(PageError::Internal)?;
    let active_id = me.active_membership.as_ref().map(|m| m.id.clone());
    let held = me
        .memberships
        .iter()
        .map(|m| Held {
            id: m.id.clone(),
            organisation: m.organisation.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
            role: ui.role(&m.role),
            admin: m.admin,
            active: Some(&m.id) == active_id.as_ref(),
        })
        .collect();
    let acting = me
        .active_membership
        .as_ref()
        .and_then(|m| m.organisation.as_ref().map(|o| format!("{}, {}", o.name, ui.role(&m.role))));
    let mut members = None;
    if let Some(active) = me.active_membership.as_ref().filter(|m| m.admin)
        && let Some(org) = &active.organisation
    {
        let question = crate::web::ask::Question::new(MEMBERS, json!({ "organisation": org.id }));
        let answer: MembersAnswer = crate::web::ask::ask(&state, &visitor, &question).await?;
        let list = answer
            .memberships
            .into_iter()
            .map(|m| Member {
                id: m.id,
                name: m.person.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                email: m.person.and_then(|p| p.email).unwrap_or_default(),
                role: ui.role(&m.role),
                admin: m.admin,
            })
            .collect();
        let roles = roles_for(&org.kind).iter().map(|r| (*r, ui.role(r))).collect();
        members = Some(Members { organisation: org.name.clone(), list, roles });
    }
    let page = AccountPage {
        layout: Layout::new(&visitor.here, ui.account_title, ui.account_title, "/account"),
        csrf: signed_in.session.csrf_token.clone(),
        name: me.person.name,
        email: me.person.email.unwrap_or_default(),
        acting,
        held,
        members,
    };
    Ok(no_store(render(&page)))
}
#[derive(Debug, Deserialize)]
pub struct ChooseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lidmaatschap: String,
}

/// `POST /account/rol`: act in another of one's memberships.
async fn choose_membership(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<ChooseForm>,
) -> Result<Response, PageError> {
    let Some(session) = form_allowed(&state, &headers, &visitor.current, &form.csrf) else {
        return Ok(refused(&visitor.here));
    };
    let id = crate::web::pages::number(&form.lidmaatschap).ok_or(PageError::NotFound)?;
    session::choose_membership(&state.db, session, id).await?;
    Ok(see_other(&visitor.here.at("/account"), None))
}

#[derive(Debug, Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    rol: String,
    #[serde(default)]
    beheerder: Option<String>,
}

/// `POST /account/leden`: an administrator grants a membership of their organisation to a person
/// (found by the e-mail address they signed in with), through the API's own mutation.
async fn grant_membership(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<GrantForm>,
) -> Result<Response, PageError> {
    if form_allowed(&state, &headers, &visitor.current, &form.csrf).is_none() {
        return Ok(refused(&visitor.here));
    }
    let ui = visitor.here.labels();
    let back = Some((visitor.here.at("/account"), ui.back_to_account));
    let not_done = |text: String, status| message(&visitor.here, status, ui.not_done, text, back.clone());
    let found = mutate(
        &state,
        &visitor,
        "query($email: String!) { personByEmail(email: $email) { id } }",
        json!({ "email": form.email }),
    )
    .await?;
    let person = match found {
        Ok(data) => data["personByEmail"]["id"].as_str().map(str::to_string),
        Err(refusal) => return Ok(not_done(refusal.message, refusal.status)),
    };
    let Some(person) = person else {
        return Ok(not_done(ui.members_unknown_email.to_string(), StatusCode::BAD_REQUEST));
    };
    let organisation =
        visitor.actor.organisation_id().map(|id| crate::kernel::ids::encode("Organisation", id).0).unwrap_or_default();
    let granted = mutate(
        &state,
        &visitor,
        "mutation($input: GrantMembershipInput!) { grantMembership(input: $input) { membership { id } } }",
        json!({ "input": {
            "personId": person, "organisationId": organisation, "role": form.rol, "admin": form.beheerder.is_some(),
        } }),
    )
    .await?;
    match granted {
        Ok(_) => Ok(see_other(&visitor.here.at("/account"), None)),
        Err(refusal) => Ok(not_done(refusal.message, refusal.status)),
    }
}

/// `POST /account/leden/intrekken`: an administrator revokes a membership of their organisation.
async fn revoke_membership(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<ChooseForm>,
) -> Result<Response, PageError> {
    if form_allowed(&state, &headers, &visitor.current, &form.csrf).is_none() {
        return Ok(refused(&visitor.here));
    }
    let ui = visitor.here.labels();
    let revoked = mutate(
        &state,
        &visitor,
        "mutation($input: RevokeMembershipInput!) { revokeMembership(input: $input) { revokedMembershipId } }",
        json!({ "input": { "id": form.lidmaatschap } }),
    )
    .await?;
    match revoked {
        Ok(_) => Ok(see_other(&visitor.here.at("/account"), None)),
        Err(refusal) => {
            let back = Some((visitor.here.at("/account"), ui.back_to_account));
            Ok(message(&visitor.here, refusal.status, ui.not_done, refusal.message, back))
        }
    }
}
