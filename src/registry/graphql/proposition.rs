//! Propositions in the API: the type, its filters and order, and the library editors' mutations.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::proposition;

use crate::common_model::graphql::{CoreFunction, SocietalTask, StandardProposition, TargetGroup};
use crate::common_model::loaders::{
    CoreFunctionKey, SocietalTaskKey, StandardPropositionKey, StandardSocietalTasks, TargetGroupKey,
};
use crate::connection;
use crate::error::{AppError, AppResult};
use crate::kernel::enums::{Channel, CostKind, Lifecycle, PublicationState, SortDirection};
use crate::kernel::history::RecordKind;
use crate::kernel::loaders::{many, one};
use crate::kernel::nested::{ListCount, nested_page};
use crate::kernel::page::PageArgs;
use crate::kernel::{actor, db, ids};
use crate::registry::graphql::loaders::{
    BranchKey, OrganisationKey, PropositionBranches, PropositionPartners, PropositionTargetGroups, Propositions,
    VisiblePropositionKey,
};
use crate::registry::graphql::organisation::{Branch, Organisation};
use crate::registry::organisation as org_service;
use crate::registry::proposition as svc;
use crate::registry::proposition::{
    Parent, PropositionFilter, PropositionInput, PropositionOrder, PropositionSort, Transition,
};
use crate::trust::graphql::history::{ChangeConnection, history_page};
use crate::trust::limits::bounds::{cap, caps};

/// A proposition: a service one library offers, online or on site, mapped onto the common model.
#[derive(Clone)]
pub struct Proposition(pub proposition::Model);

/// What taking part costs.
#[derive(SimpleObject, Clone)]
pub struct Cost {
    /// Free or paid.
    pub kind: CostKind,
    /// The price in euro cents, when paid.
    pub price_cents: Option<i32>,
    /// A note, e.g. "free for members".
    pub note: Option<String>,
}

/// Whom to contact about a proposition.
#[derive(SimpleObject, Clone)]
pub struct Contact {
    /// A person or desk.
    pub name: Option<String>,
    /// An e-mail address.
    pub email: Option<String>,
    /// A phone number.
    pub phone: Option<String>,
}

/// A proposition: a service one library offers, online or on site, mapped onto the common model.
#[Object]
impl Proposition {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("Proposition", self.0.id)
    }
    /// The title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// A one- or two-sentence summary.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The full description.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The library that offers it.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        Ok(one(ctx, OrganisationKey(self.0.organisation_id)).await?.map(Organisation))
    }
    /// The standard proposition it is, or null for a local proposition.
    async fn standard_proposition(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StandardProposition>> {
        match self.0.standard_proposition_id {
            Some(id) => Ok(one(ctx, StandardPropositionKey(id)).await?.map(StandardProposition)),
            None => Ok(None),
        }
    }
    /// Whether it is a local proposition, not mapped onto a standard proposition.
    async fn is_local(&self) -> bool {
        self.0.standard_proposition_id.is_none()
    }
    /// How it deviates from the standard proposition.
    async fn deviation_note(&self) -> Option<&str> {
        self.0.deviation_note.as_deref()
    }
    /// The societal tasks it contributes to: its standard proposition's, or its own when local.
    async fn societal_tasks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SocietalTask>> {
        let ids = match (self.0.standard_proposition_id, self.0.societal_task_id) {
            (Some(sp), _) => one(ctx, StandardSocietalTasks(sp)).await?.unwrap_or_default(),
            (None, Some(task)) => vec![task],
            (None, None) => vec![],
        };
        Ok(many(ctx, ids.into_iter().map(SocietalTaskKey)).await?.into_iter().map(SocietalTask).collect())
    }
    /// The core function it serves: its standard proposition's, or its own when local.
    async fn core_function(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CoreFunction>> {
        let id = match self.0.standard_proposition_id {
            Some(sp) => one(ctx, StandardPropositionKey(sp)).await?.map(|s| s.core_function_id),
            None => self.0.core_function_id,
        };
        match id {
            Some(id) => Ok(one(ctx, CoreFunctionKey(id)).await?.map(CoreFunction)),
            None => Ok(None),
        }
    }
    /// The target groups it is for.
    async fn target_groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        let ids = one(ctx, PropositionTargetGroups(self.0.id)).await?.unwrap_or_default();
        let mut groups: Vec<TargetGroup> =
            many(ctx, ids.into_iter().map(TargetGroupKey)).await?.into_iter().map(TargetGroup).collect();
        groups.sort_by(|a, b| a.0.position.cmp(&b.0.position).then(a.0.code.cmp(&b.0.code)));
        Ok(groups)
    }
    /// How it reaches people.
    async fn channel(&self) -> Channel {
        self.0.channel.into()
    }
    /// Where it is in its life.
    async fn lifecycle(&self) -> Lifecycle {
        self.0.lifecycle.into()
    }
    /// Who can see it.
    async fn publication_state(&self) -> PublicationState {
        self.0.publication_state.into()
    }
    /// The first day it is offered.
    async fn start_date(&self) -> Option<NaiveDate> {
        self.0.start_date
    }
    /// The last day it is offered.
    async fn end_date(&self) -> Option<NaiveDate> {
        self.0.end_date
    }
    /// When it takes place, in words, e.g. "every Tuesday 10:00".
    async fn schedule(&self) -> Option<&str> {
        self.0.schedule.as_deref()
    }
    /// What taking part costs.
    async fn cost(&self) -> Cost {
        Cost { kind: self.0.cost_kind.into(), price_cents: self.0.price_cents, note: self.0.cost_note.clone() }
    }
    /// Whom to contact.
    async fn contact(&self) -> Contact {
        Contact {
            name: self.0.contact_name.clone(),
            email: self.0.contact_email.clone(),
            phone: self.0.contact_phone.clone(),
        }
    }
    /// The library's own key for it (its spreadsheet's row key), unique within the library.
    async fn external_key(&self) -> Option<&str> {
        self.0.external_key.as_deref()
    }
    /// A page with more information or sign-up.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// When the library last confirmed this information.
    async fn verified_at(&self) -> Option<DateTime<Utc>> {
        self.0.verified_at
    }
    /// When it was last published.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// The branches where it runs (at most 100).
    async fn branches(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Branch>> {
        let ids = one(ctx, PropositionBranches(self.0.id)).await?.unwrap_or_default();
        let mut list: Vec<Branch> = many(ctx, ids.into_iter().map(BranchKey)).await?.into_iter().map(Branch).collect();
        list.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(cap(list, caps::BRANCHES, "Proposition.branches"))
    }
    /// The partner organisations it is offered with (at most 50).
    async fn partners(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let ids = one(ctx, PropositionPartners(self.0.id)).await?.unwrap_or_default();
        let mut list: Vec<Organisation> =
            many(ctx, ids.into_iter().map(OrganisationKey)).await?.into_iter().map(Organisation).collect();
        list.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(cap(list, caps::PARTNERS, "Proposition.partners"))
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The version, for `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Whether you may change it (you edit its library): the site shows its edit form only then.
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> bool {
        svc::may_edit(actor(ctx), self.0.organisation_id)
    }
    /// Every change to this record, newest first.
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ChangeConnection> {
        history_page(ctx, RecordKind::Proposition, self.0.id, first, after).await
    }
    /// The research, insights and adopted ideas behind it (what you may see of them).
    async fn evidence(&self) -> crate::knowledge::graphql::link::Evidence {
        crate::knowledge::graphql::link::Evidence(self.0.id)
    }
}

connection!(PropositionConnection, PropositionEdge, Proposition, ListCount<Propositions>, "proposition");

/// Which propositions to list. Lists within a field combine with AND; values within a list with OR.
#[derive(InputObject, Default)]
pub struct PropositionFilterInput {
    /// Only those of these organisations (ids).
    pub organisation_ids: Option<Vec<ID>>,
    /// Only those of these organisations (slugs).
    pub organisation_slugs: Option<Vec<String>>,
    /// Only those mapped onto these standard propositions (codes).
    pub standard_propositions: Option<Vec<String>>,
    /// Only those contributing to these societal tasks (codes).
    pub societal_tasks: Option<Vec<String>>,
    /// Only those serving these core functions (codes).
    pub core_functions: Option<Vec<String>>,
    /// Only those for these target groups or narrower ones (codes).
    pub target_groups: Option<Vec<String>>,
    /// Only these channels.
    pub channels: Option<Vec<Channel>>,
    /// Only these lifecycle stages.
    pub lifecycles: Option<Vec<Lifecycle>>,
    /// Only these publication states (you only ever see what you may see).
    pub publication_states: Option<Vec<PublicationState>>,
    /// Only those offered in these provinces (CBS codes or names): by a library based or serving
    /// there, or at a branch there.
    pub provinces: Option<Vec<String>>,
    /// Only those offered in these municipalities (CBS codes or names): by a library serving them or at a
    /// branch there.
    pub municipalities: Option<Vec<String>>,
    /// True: only local propositions; false: only those mapped onto a standard proposition.
    pub local: Option<bool>,
}

/// What to sort propositions by.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum PropositionSortField {
    /// The title, alphabetically.
    #[default]
    Title,
    /// When it was created.
    CreatedAt,
    /// When it last changed.
    UpdatedAt,
}

/// How to order propositions.
#[derive(InputObject, Default)]
pub struct PropositionOrderInput {
    /// The field to sort by.
    #[graphql(default)]
    pub field: PropositionSortField,
    /// The direction.
    #[graphql(default)]
    pub direction: SortDirection,
}

impl PropositionFilterInput {
    /// The service filter this input asks for.
    pub fn into_filter(self) -> AppResult<PropositionFilter> {
        Ok(PropositionFilter {
            organisation_ids: ids::decode_all(
                "filter.organisationIds",
                "Organisation",
                &self.organisation_ids.unwrap_or_default(),
            )?,
            organisation_slugs: self.organisation_slugs.unwrap_or_default(),
            standard_proposition_codes: self.standard_propositions.unwrap_or_default(),
            societal_task_codes: self.societal_tasks.unwrap_or_default(),
            core_function_codes: self.core_functions.unwrap_or_default(),
            target_group_codes: self.target_groups.unwrap_or_default(),
            channels: self.channels.unwrap_or_default().into_iter().map(Into::into).collect(),
            lifecycles: self.lifecycles.unwrap_or_default().into_iter().map(Into::into).collect(),
            publication_states: self.publication_states.unwrap_or_default().into_iter().map(Into::into).collect(),
            province_codes: self.provinces.unwrap_or_default(),
            municipality_codes: self.municipalities.unwrap_or_default(),
            local: self.local,
        })
    }
}

fn order_of(order_by: Option<PropositionOrderInput>) -> PropositionOrder {
    let order = order_by.unwrap_or_default();
    PropositionOrder {
        sort: match order.field {
            PropositionSortField::Title => PropositionSort::Title,
            PropositionSortField::CreatedAt => PropositionSort::CreatedAt,
            PropositionSortField::UpdatedAt => PropositionSort::UpdatedAt,
        },
        descending: order.direction == SortDirection::Desc,
    }
}

/// Loads one parent's page of propositions, batched with those of its siblings in the same list,
/// so a list of organisations (or standard propositions) with their propositions costs two
/// statements however long it is.
pub async fn child_proposition_page(
    ctx: &Context<'_>,
    parent: Parent,
    id: i64,
    filter: Option<PropositionFilterInput>,
    order_by: Option<PropositionOrderInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<PropositionConnection> {
    let filters = match filter {
        Some(input) => vec![input.into_filter()?],
        None => vec![],
    };
    let (page, count) =
        nested_page::<Propositions>(ctx, parent, id, filters, order_of(order_by), PageArgs { first, after }).await?;
    Ok(PropositionConnection::new(page, count, Proposition))
}

/// Loads a page of propositions for a root or nested field; a nested field's parent (`base`) and
/// the client's filter both apply.
pub async fn proposition_page(
    ctx: &Context<'_>,
    base: PropositionFilter,
    filter: Option<PropositionFilterInput>,
    order_by: Option<PropositionOrderInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<PropositionConnection> {
    let mut filters = vec![base];
    if let Some(input) = filter {
        filters.push(input.into_filter()?);
    }
    let order = order_of(order_by);
    let page = svc::list(db(ctx), actor(ctx), &filters, order, &PageArgs { first, after }).await?;
    Ok(PropositionConnection::new(page, ListCount::Filters(filters), Proposition))
}

/// Reads of propositions: everyone sees published ones; editors and support organisations more.
#[derive(Default)]
pub struct PropositionQuery;

/// Reads of propositions: everyone sees published ones; editors and support organisations more.
#[Object]
impl PropositionQuery {
    /// Propositions the caller may see, filtered and ordered (by title unless asked otherwise).
    async fn propositions(
        &self,
        ctx: &Context<'_>,
        filter: Option<PropositionFilterInput>,
        order_by: Option<PropositionOrderInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<PropositionConnection> {
        proposition_page(ctx, PropositionFilter::default(), filter, order_by, first, after).await
    }

    /// One proposition by id; `NOT_FOUND` when it does not exist or the caller may not see it.
    async fn proposition(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Proposition> {
        let id = ids::decode("id", "Proposition", &id)?;
        one(ctx, VisiblePropositionKey(id))
            .await?
            .map(Proposition)
            .ok_or_else(|| AppError::NotFound("proposition".into()).into())
    }
}

/// A new proposition of a library; it starts as a draft.
#[derive(InputObject)]
pub struct CreatePropositionInput {
    /// The library that offers it (your own), by id; or give `organisation`.
    pub organisation_id: Option<ID>,
    /// The library that offers it (your own), by slug (`bibliotheek-zoetermeer`); or give
    /// `organisationId`. Exactly one of the two.
    pub organisation: Option<String>,
    /// The title (at most 200 characters).
    pub title: String,
    /// A short summary (at most 500 characters).
    pub summary: String,
    /// The full description.
    pub description: Option<String>,
    /// The standard proposition it is (code); leave out for a local proposition.
    pub standard_proposition_code: Option<String>,
    /// How it deviates from the standard proposition.
    pub deviation_note: Option<String>,
    /// For a local proposition: the societal task it contributes to (code).
    pub societal_task_code: Option<String>,
    /// For a local proposition: the core function it serves (code); required then.
    pub core_function_code: Option<String>,
    /// The target groups it is for (codes).
    pub target_group_codes: Option<Vec<String>>,
    /// How it reaches people.
    pub channel: Channel,
    /// Where it is in its life; REGULAR when left out.
    pub lifecycle: Option<Lifecycle>,
    /// The first day it is offered.
    pub start_date: Option<NaiveDate>,
    /// The last day it is offered; not before the start date.
    pub end_date: Option<NaiveDate>,
    /// When it takes place, in words.
    pub schedule: Option<String>,
    /// Free or paid; FREE when left out.
    pub cost_kind: Option<CostKind>,
    /// The price in euro cents; required when paid.
    pub price_cents: Option<i32>,
    /// A note on the cost.
    pub cost_note: Option<String>,
    /// Contact: a person or desk.
    pub contact_name: Option<String>,
    /// Contact: an e-mail address.
    pub contact_email: Option<String>,
    /// Contact: a phone number.
    pub contact_phone: Option<String>,
    /// A page with more information (http or https).
    pub url: Option<String>,
    /// Your library's own key for it (a spreadsheet's row key, your own system's id), unique
    /// within the library; a sheet import matches rows by it.
    pub external_key: Option<String>,
    /// When the library last confirmed this information.
    pub verified_at: Option<DateTime<Utc>>,
    /// The library's branches where it runs.
    pub branch_ids: Option<Vec<ID>>,
    /// Partner organisations it is offered with.
    pub partner_organisation_ids: Option<Vec<ID>>,
}

/// Changes to a proposition; absent fields stay as they are, null clears an optional one.
#[derive(InputObject)]
pub struct UpdatePropositionInput {
    /// The proposition.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// A new title.
    pub title: Option<String>,
    /// A new summary.
    pub summary: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// A new standard proposition (code), or null to make it local.
    pub standard_proposition_code: MaybeUndefined<String>,
    /// A new deviation note, or null.
    pub deviation_note: MaybeUndefined<String>,
    /// For a local proposition: a new societal task (code), or null.
    pub societal_task_code: MaybeUndefined<String>,
    /// For a local proposition: a new core function (code).
    pub core_function_code: MaybeUndefined<String>,
    /// New target groups (codes), replacing the old ones.
    pub target_group_codes: Option<Vec<String>>,
    /// A new channel.
    pub channel: Option<Channel>,
    /// A new lifecycle stage.
    pub lifecycle: Option<Lifecycle>,
    /// A new start date, or null.
    pub start_date: MaybeUndefined<NaiveDate>,
    /// A new end date, or null.
    pub end_date: MaybeUndefined<NaiveDate>,
    /// A new schedule, or null.
    pub schedule: MaybeUndefined<String>,
    /// Free or paid.
    pub cost_kind: Option<CostKind>,
    /// A new price in euro cents, or null.
    pub price_cents: MaybeUndefined<i32>,
    /// A new cost note, or null.
    pub cost_note: MaybeUndefined<String>,
    /// A new contact name, or null.
    pub contact_name: MaybeUndefined<String>,
    /// A new contact e-mail, or null.
    pub contact_email: MaybeUndefined<String>,
    /// A new contact phone, or null.
    pub contact_phone: MaybeUndefined<String>,
    /// A new URL, or null.
    pub url: MaybeUndefined<String>,
    /// A new key of your library's own, or null.
    pub external_key: MaybeUndefined<String>,
    /// When the library last confirmed this information, or null.
    pub verified_at: MaybeUndefined<DateTime<Utc>>,
    /// New branches, replacing the old ones.
    pub branch_ids: Option<Vec<ID>>,
    /// New partner organisations, replacing the old ones.
    pub partner_organisation_ids: Option<Vec<ID>>,
}

/// Changes a proposition's publication state.
#[derive(InputObject)]
pub struct PropositionStateInput {
    /// The proposition.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// The result of a change to a proposition.
#[derive(SimpleObject)]
pub struct PropositionPayload {
    /// The proposition as it is now.
    pub proposition: Proposition,
}

fn id_list(field: &str, type_name: &str, list: Option<Vec<ID>>) -> AppResult<Option<Vec<i64>>> {
    list.map(|l| ids::decode_all(field, type_name, &l)).transpose()
}

/// Library editors' changes to their own propositions.
#[derive(Default)]
pub struct PropositionMutation;

/// Library editors' changes to their own propositions.
#[Object]
impl PropositionMutation {
    /// Creates a proposition of your library, as a draft.
    async fn create_proposition(
        &self,
        ctx: &Context<'_>,
        input: CreatePropositionInput,
    ) -> async_graphql::Result<PropositionPayload> {
        let org = match (&input.organisation_id, &input.organisation) {
            (Some(id), None) => ids::decode("organisationId", "Organisation", id)?,
            (None, Some(slug)) => org_service::id_by_slug(db(ctx), "organisation", slug).await?,
            _ => return Err(AppError::invalid("organisation", "give either organisationId or organisation").into()),
        };
        let data = PropositionInput {
            title: Some(input.title),
            summary: Some(input.summary),
            description: input.description,
            standard_proposition_code: Some(input.standard_proposition_code),
            deviation_note: Some(input.deviation_note),
            societal_task_code: Some(input.societal_task_code),
            core_function_code: Some(input.core_function_code),
            target_group_codes: input.target_group_codes,
            channel: Some(input.channel.into()),
            lifecycle: input.lifecycle.map(Into::into),
            start_date: Some(input.start_date),
            end_date: Some(input.end_date),
            schedule: Some(input.schedule),
            cost_kind: input.cost_kind.map(Into::into),
            price_cents: Some(input.price_cents),
            cost_note: Some(input.cost_note),
            contact_name: Some(input.contact_name),
            contact_email: Some(input.contact_email),
            contact_phone: Some(input.contact_phone),
            url: Some(input.url),
            external_key: Some(input.external_key),
            verified_at: Some(input.verified_at),
            branch_ids: id_list("branchIds", "Branch", input.branch_ids)?,
            partner_organisation_ids: id_list(
                "partnerOrganisationIds",
                "Organisation",
                input.partner_organisation_ids,
            )?,
        };
        let model = svc::create(db(ctx), actor(ctx), org, data).await?;
        Ok(PropositionPayload { proposition: Proposition(model) })
    }

    /// Changes a proposition of your library.
    async fn update_proposition(
        &self,
        ctx: &Context<'_>,
        input: UpdatePropositionInput,
    ) -> async_graphql::Result<PropositionPayload> {
        let id = ids::decode("id", "Proposition", &input.id)?;
        let data = PropositionInput {
            title: input.title,
            summary: input.summary,
            description: input.description,
            standard_proposition_code: input.standard_proposition_code.into(),
            deviation_note: input.deviation_note.into(),
            societal_task_code: input.societal_task_code.into(),
            core_function_code: input.core_function_code.into(),
            target_group_codes: input.target_group_codes,
            channel: input.channel.map(Into::into),
            lifecycle: input.lifecycle.map(Into::into),
            start_date: input.start_date.into(),
            end_date: input.end_date.into(),
            schedule: input.schedule.into(),
            cost_kind: input.cost_kind.map(Into::into),
            price_cents: input.price_cents.into(),
            cost_note: input.cost_note.into(),
            contact_name: input.contact_name.into(),
            contact_email: input.contact_email.into(),
            contact_phone: input.contact_phone.into(),
            url: input.url.into(),
            external_key: input.external_key.into(),
            verified_at: input.verified_at.into(),
            branch_ids: id_list("branchIds", "Branch", input.branch_ids)?,
            partner_organisation_ids: id_list(
                "partnerOrganisationIds",
                "Organisation",
                input.partner_organisation_ids,
            )?,
        };
        let model = svc::update(db(ctx), actor(ctx), id, input.expected_version, data).await?;
        Ok(PropositionPayload { proposition: Proposition(model) })
    }

    /// Publishes a draft or archived proposition of your library: everyone can then see it.
    async fn publish_proposition(
        &self,
        ctx: &Context<'_>,
        input: PropositionStateInput,
    ) -> async_graphql::Result<PropositionPayload> {
        transition(ctx, input, Transition::Publish).await
    }

    /// Takes a published proposition of your library back to draft.
    async fn unpublish_proposition(
        &self,
        ctx: &Context<'_>,
        input: PropositionStateInput,
    ) -> async_graphql::Result<PropositionPayload> {
        transition(ctx, input, Transition::Unpublish).await
    }

    /// Archives a proposition of your library: it is no longer offered, and kept with its history.
    async fn archive_proposition(
        &self,
        ctx: &Context<'_>,
        input: PropositionStateInput,
    ) -> async_graphql::Result<PropositionPayload> {
        transition(ctx, input, Transition::Archive).await
    }
}

async fn transition(
    ctx: &Context<'_>,
    input: PropositionStateInput,
    to: Transition,
) -> async_graphql::Result<PropositionPayload> {
    let id = ids::decode("id", "Proposition", &input.id)?;
    let model = svc::transition(db(ctx), actor(ctx), id, input.expected_version, to).await?;
    Ok(PropositionPayload { proposition: Proposition(model) })
}
