//! The common model in the API: core functions, societal tasks, target groups, standard propositions,
//! provinces and municipalities, with the maintainers' mutations.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{core_function, municipality, province, societal_task, standard_proposition, target_group};

use crate::kernel::enums::{Language, StandardPropositionStatus};

use crate::common_model as svc;
use crate::common_model::loaders::{
    CoreFunctionKey, MunicipalityKey, ProvinceKey, ProvinceMunicipalities, SocietalTaskKey, StandardSocietalTasks,
    StandardTargetGroups, TargetGroupChildren, TargetGroupKey,
};
use crate::common_model::{LabelsInput, StandardFilter, StandardInput, TargetGroupInput, Vocabulary, region};
use crate::kernel::history::RecordKind;
use crate::kernel::loaders::{many, one};
use crate::kernel::{actor, db, ids};
use crate::registry::graphql::proposition::{
    PropositionConnection, PropositionFilterInput, PropositionOrderInput, child_proposition_page, proposition_page,
};
use crate::registry::proposition::{Parent, PropositionFilter};
use crate::trust::graphql::history::{ChangeConnection, history_page};

macro_rules! labelled {
    ($ty:ident, $name:expr) => {
        impl $ty {
            /// The record's global id.
            pub fn global_id(&self) -> ID {
                ids::encode($name, self.0.id)
            }
        }
    };
}

/// A vocabulary of the law or the network agreement: fixed codes with Dutch and English labels.
macro_rules! vocabulary_type {
    ($ty:ident, $model:ident, $kind:expr, $doc:literal, $code_doc:literal) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $ty(pub $model::Model);
        labelled!($ty, stringify!($ty));

        #[doc = $doc]
        #[Object]
        impl $ty {
            /// The global id.
            pub async fn id(&self) -> ID {
                self.global_id()
            }
            #[doc = $code_doc]
            async fn code(&self) -> &str {
                &self.0.code
            }
            /// The name in the requested language.
            async fn name(&self, #[graphql(default)] language: Language) -> &str {
                match language {
                    Language::Nl => &self.0.name_nl,
                    Language::En => &self.0.name_en,
                }
            }
            /// The Dutch name.
            async fn name_nl(&self) -> &str {
                &self.0.name_nl
            }
            /// The English name.
            async fn name_en(&self) -> &str {
                &self.0.name_en
            }
            /// The Dutch description.
            async fn description_nl(&self) -> &str {
                &self.0.description_nl
            }
            /// The English description.
            async fn description_en(&self) -> &str {
                &self.0.description_en
            }
            /// The version, for `expectedVersion`.
            async fn version(&self) -> i32 {
                self.0.version
            }
            /// Every change to this record, newest first.
            async fn history(
                &self,
                ctx: &Context<'_>,
                first: Option<i32>,
                after: Option<String>,
            ) -> async_graphql::Result<ChangeConnection> {
                history_page(ctx, $kind, self.0.id, first, after).await
            }
        }
    };
}

vocabulary_type!(
    CoreFunction,
    core_function,
    RecordKind::CoreFunction,
    "One of the five core functions of the public library law (Wsob).",
    "The stable code, e.g. `READING_LITERATURE`."
);

vocabulary_type!(
    SocietalTask,
    societal_task,
    RecordKind::SocietalTask,
    "A societal task (maatschappelijke opgave) of the network agreement.",
    "The stable code, e.g. `GELETTERDE_SAMENLEVING`."
);

/// A target group (doelgroep), in a small hierarchy.
#[derive(Clone)]
pub struct TargetGroup(pub target_group::Model);
labelled!(TargetGroup, "TargetGroup");

/// A target group (doelgroep), in a small hierarchy.
#[Object]
impl TargetGroup {
    /// The global id.
    pub async fn id(&self) -> ID {
        self.global_id()
    }
    /// The stable code, e.g. `SENIORS`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The name in the requested language.
    async fn name(&self, #[graphql(default)] language: Language) -> &str {
        match language {
            Language::Nl => &self.0.name_nl,
            Language::En => &self.0.name_en,
        }
    }
    /// The Dutch name.
    async fn name_nl(&self) -> &str {
        &self.0.name_nl
    }
    /// The English name.
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    /// The Dutch description.
    async fn description_nl(&self) -> &str {
        &self.0.description_nl
    }
    /// The English description.
    async fn description_en(&self) -> &str {
        &self.0.description_en
    }
    /// The youngest age this group covers, if it has an age range.
    async fn min_age(&self) -> Option<i32> {
        self.0.min_age
    }
    /// The oldest age this group covers, if it has an age range.
    async fn max_age(&self) -> Option<i32> {
        self.0.max_age
    }
    /// The broader group this one belongs to.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TargetGroup>> {
        match self.0.parent_id {
            Some(id) => Ok(one(ctx, TargetGroupKey(id)).await?.map(TargetGroup)),
            None => Ok(None),
        }
    }
    /// The narrower groups within this one.
    async fn children(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        let ids = one(ctx, TargetGroupChildren(self.0.id)).await?.unwrap_or_default();
        let mut groups: Vec<TargetGroup> =
            many(ctx, ids.into_iter().map(TargetGroupKey)).await?.into_iter().map(TargetGroup).collect();
        groups.sort_by_key(|g| (g.0.position, g.0.id));
        Ok(groups)
    }
    /// Propositions for this group or a narrower one, that the caller may see.
    async fn propositions(
        &self,
        ctx: &Context<'_>,
        filter: Option<PropositionFilterInput>,
        order_by: Option<PropositionOrderInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<PropositionConnection> {
        let base = PropositionFilter { target_group_codes: vec![self.0.code.clone()], ..Default::default() };
        proposition_page(ctx, base, filter, order_by, first, after).await
    }
    /// The version, for `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Every change to this record, newest first.
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ChangeConnection> {
        history_page(ctx, RecordKind::TargetGroup, self.0.id, first, after).await
    }
    /// Everything the network knows about this group or a narrower one: studies, current insights
    /// strongest first, and ideas with their adoptions.
    async fn knowledge(&self) -> crate::knowledge::graphql::link::Knowledge {
        crate::knowledge::graphql::link::Knowledge::of_target_group(self.0.id)
    }
}

/// A standard proposition: a service the network names uniformly, such as BoekStart or Taalhuis.
#[derive(Clone)]
pub struct StandardProposition(pub standard_proposition::Model);
labelled!(StandardProposition, "StandardProposition");

/// A standard proposition: a service the network names uniformly, such as BoekStart or Taalhuis.
#[Object]
impl StandardProposition {
    /// The global id.
    pub async fn id(&self) -> ID {
        self.global_id()
    }
    /// The stable code, e.g. `BOEKSTART`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The name in the requested language.
    async fn name(&self, #[graphql(default)] language: Language) -> &str {
        match language {
            Language::Nl => &self.0.name_nl,
            Language::En => &self.0.name_en,
        }
    }
    /// The Dutch name.
    async fn name_nl(&self) -> &str {
        &self.0.name_nl
    }
    /// The English name.
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    /// The Dutch description.
    async fn description_nl(&self) -> &str {
        &self.0.description_nl
    }
    /// The English description.
    async fn description_en(&self) -> &str {
        &self.0.description_en
    }
    /// The core function it serves.
    async fn core_function(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CoreFunction>> {
        Ok(one(ctx, CoreFunctionKey(self.0.core_function_id)).await?.map(CoreFunction))
    }
    /// The societal tasks it contributes to.
    async fn societal_tasks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SocietalTask>> {
        let ids = one(ctx, StandardSocietalTasks(self.0.id)).await?.unwrap_or_default();
        Ok(many(ctx, ids.into_iter().map(SocietalTaskKey)).await?.into_iter().map(SocietalTask).collect())
    }
    /// The target groups it usually serves.
    async fn target_groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        let ids = one(ctx, StandardTargetGroups(self.0.id)).await?.unwrap_or_default();
        Ok(many(ctx, ids.into_iter().map(TargetGroupKey)).await?.into_iter().map(TargetGroup).collect())
    }
    /// Whether it is active or retired.
    async fn status(&self) -> StandardPropositionStatus {
        self.0.status.into()
    }
    /// When it was retired.
    async fn retired_at(&self) -> Option<DateTime<Utc>> {
        self.0.retired_at
    }
    /// Why it was retired, and what replaces it.
    async fn retirement_note(&self) -> Option<&str> {
        self.0.retirement_note.as_deref()
    }
    /// The libraries' propositions mapped onto it, that the caller may see.
    async fn propositions(
        &self,
        ctx: &Context<'_>,
        filter: Option<PropositionFilterInput>,
        order_by: Option<PropositionOrderInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<PropositionConnection> {
        child_proposition_page(ctx, Parent::StandardProposition, self.0.id, filter, order_by, first, after).await
    }
    /// When it was added.
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
    /// Every change to this record, newest first.
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ChangeConnection> {
        history_page(ctx, RecordKind::StandardProposition, self.0.id, first, after).await
    }
    /// Everything the network knows about this service: studies, current insights strongest first,
    /// and ideas with how many libraries adopted each.
    async fn knowledge(&self) -> crate::knowledge::graphql::link::Knowledge {
        crate::knowledge::graphql::link::Knowledge::of_standard(self.0.id)
    }
}

/// One of the twelve provinces.
#[derive(Clone)]
pub struct Province(pub province::Model);

/// One of the twelve provinces.
#[Object]
impl Province {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("Province", self.0.id)
    }
    /// The CBS code, e.g. `PV28` for Zuid-Holland.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The name, e.g. Zuid-Holland.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The province's municipalities, by name.
    async fn municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Municipality>> {
        let ids = one(ctx, ProvinceMunicipalities(self.0.id)).await?.unwrap_or_default();
        let mut list: Vec<Municipality> =
            many(ctx, ids.into_iter().map(MunicipalityKey)).await?.into_iter().map(Municipality).collect();
        list.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(list)
    }
}

/// A municipality (gemeente).
#[derive(Clone)]
pub struct Municipality(pub municipality::Model);

/// A municipality (gemeente).
#[Object]
impl Municipality {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("Municipality", self.0.id)
    }
    /// The CBS code, e.g. `GM0637` for Zoetermeer.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The name, e.g. Zoetermeer.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The province it lies in.
    async fn province(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Province>> {
        Ok(one(ctx, ProvinceKey(self.0.province_id)).await?.map(Province))
    }
    /// Every change to this record, newest first.
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ChangeConnection> {
        history_page(ctx, RecordKind::Municipality, self.0.id, first, after).await
    }
}

/// Which standard propositions to list.
#[derive(InputObject, Default)]
pub struct StandardPropositionFilterInput {
    /// Only active or only retired ones.
    pub status: Option<StandardPropositionStatus>,
    /// Only those serving one of these core functions (codes).
    pub core_functions: Option<Vec<String>>,
    /// Only those contributing to one of these societal tasks (codes).
    pub societal_tasks: Option<Vec<String>>,
    /// Only those usually serving one of these target groups or a narrower one (codes).
    pub target_groups: Option<Vec<String>>,
}

/// Reads of the common model; open to everyone.
#[derive(Default)]
pub struct CommonModelQuery;

/// Reads of the common model; open to everyone.
#[Object]
impl CommonModelQuery {
    /// The five core functions of the public library law.
    async fn core_functions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CoreFunction>> {
        Ok(svc::core_functions(db(ctx)).await?.into_iter().map(CoreFunction).collect())
    }

    /// The societal tasks of the network agreement.
    async fn societal_tasks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SocietalTask>> {
        Ok(svc::societal_tasks(db(ctx)).await?.into_iter().map(SocietalTask).collect())
    }

    /// All target groups, broader ones before narrower ones.
    async fn target_groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        Ok(svc::target_groups(db(ctx)).await?.into_iter().map(TargetGroup).collect())
    }

    /// One target group by code, e.g. `SENIORS`.
    async fn target_group(&self, ctx: &Context<'_>, code: String) -> async_graphql::Result<TargetGroup> {
        Ok(TargetGroup(svc::target_group_by_code(db(ctx), &code).await?))
    }

    /// The standard propositions, by code.
    async fn standard_propositions(
        &self,
        ctx: &Context<'_>,
        filter: Option<StandardPropositionFilterInput>,
    ) -> async_graphql::Result<Vec<StandardProposition>> {
        let f = filter.unwrap_or_default();
        let filter = StandardFilter {
            status: f.status.map(Into::into),
            core_function_codes: f.core_functions.unwrap_or_default(),
            societal_task_codes: f.societal_tasks.unwrap_or_default(),
            target_group_codes: f.target_groups.unwrap_or_default(),
        };
        Ok(svc::standard_propositions(db(ctx), &filter).await?.into_iter().map(StandardProposition).collect())
    }

    /// One standard proposition by code.
    async fn standard_proposition(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> async_graphql::Result<StandardProposition> {
        Ok(StandardProposition(svc::standard_proposition_by_code(db(ctx), &code).await?))
    }

    /// The twelve provinces.
    async fn provinces(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Province>> {
        Ok(region::provinces(db(ctx)).await?.into_iter().map(Province).collect())
    }

    /// The municipalities, optionally of one province (by CBS code or name).
    async fn municipalities(
        &self,
        ctx: &Context<'_>,
        province: Option<String>,
    ) -> async_graphql::Result<Vec<Municipality>> {
        Ok(region::municipalities(db(ctx), province.as_deref()).await?.into_iter().map(Municipality).collect())
    }
}

/// Dutch and English names and descriptions; absent fields stay as they are.
#[derive(InputObject, Default)]
pub struct LabelsFields {
    /// The Dutch name.
    pub name_nl: Option<String>,
    /// The English name.
    pub name_en: Option<String>,
    /// The Dutch description.
    pub description_nl: Option<String>,
    /// The English description.
    pub description_en: Option<String>,
}

impl From<LabelsFields> for LabelsInput {
    fn from(l: LabelsFields) -> Self {
        LabelsInput {
            name_nl: l.name_nl,
            name_en: l.name_en,
            description_nl: l.description_nl,
            description_en: l.description_en,
        }
    }
}

/// A new standard proposition.
#[derive(InputObject)]
pub struct CreateStandardPropositionInput {
    /// The stable code: upper-case letters, digits and underscores.
    pub code: String,
    /// The names and descriptions.
    pub labels: LabelsFields,
    /// The core function it serves (code).
    pub core_function_code: String,
    /// The societal tasks it contributes to (codes).
    #[graphql(default)]
    pub societal_task_codes: Vec<String>,
    /// The target groups it usually serves (codes).
    #[graphql(default)]
    pub target_group_codes: Vec<String>,
}

/// Changes to a standard proposition; absent fields stay as they are. The code cannot change.
#[derive(InputObject)]
pub struct UpdateStandardPropositionInput {
    /// The standard proposition.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// New names and descriptions.
    pub labels: Option<LabelsFields>,
    /// A new core function (code).
    pub core_function_code: Option<String>,
    /// New societal tasks (codes), replacing the old ones.
    pub societal_task_codes: Option<Vec<String>>,
    /// New usual target groups (codes), replacing the old ones.
    pub target_group_codes: Option<Vec<String>>,
}

/// Retires a standard proposition.
#[derive(InputObject)]
pub struct RetireStandardPropositionInput {
    /// The standard proposition.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// Why, and what replaces it.
    pub note: Option<String>,
}

/// A new target group.
#[derive(InputObject)]
pub struct CreateTargetGroupInput {
    /// The stable code: upper-case letters, digits and underscores.
    pub code: String,
    /// The names and descriptions.
    pub labels: LabelsFields,
    /// The broader group it belongs to (code).
    pub parent_code: Option<String>,
    /// The youngest age it covers.
    pub min_age: Option<i32>,
    /// The oldest age it covers.
    pub max_age: Option<i32>,
}

/// Changes to a target group; absent fields stay as they are, null clears. The code cannot change.
#[derive(InputObject)]
pub struct UpdateTargetGroupInput {
    /// The target group.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// New names and descriptions.
    pub labels: Option<LabelsFields>,
    /// A new broader group (code), or null for a top-level group.
    pub parent_code: MaybeUndefined<String>,
    /// A new youngest age, or null.
    pub min_age: MaybeUndefined<i32>,
    /// A new oldest age, or null.
    pub max_age: MaybeUndefined<i32>,
}

/// New labels for a core function or societal task.
#[derive(InputObject)]
pub struct UpdateLabelsInput {
    /// The core function or societal task.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// The new names and descriptions.
    pub labels: LabelsFields,
}

/// The result of changing a standard proposition.
#[derive(SimpleObject)]
pub struct StandardPropositionPayload {
    /// The standard proposition as it is now.
    pub standard_proposition: StandardProposition,
}

/// The result of retiring a standard proposition.
#[derive(SimpleObject)]
pub struct RetireStandardPropositionPayload {
    /// The retired standard proposition.
    pub standard_proposition: StandardProposition,
    /// How many propositions are still mapped onto it; their mapping is kept.
    pub propositions_still_mapped: u64,
    /// A sentence saying what happened to those propositions.
    pub message: String,
}

/// The result of changing a target group.
#[derive(SimpleObject)]
pub struct TargetGroupPayload {
    /// The target group as it is now.
    pub target_group: TargetGroup,
}

/// The result of changing a core function's labels.
#[derive(SimpleObject)]
pub struct CoreFunctionPayload {
    /// The core function as it is now.
    pub core_function: CoreFunction,
}

/// The result of changing a societal task's labels.
#[derive(SimpleObject)]
pub struct SocietalTaskPayload {
    /// The societal task as it is now.
    pub societal_task: SocietalTask,
}

/// The result of importing the municipality list.
#[derive(SimpleObject)]
pub struct ImportMunicipalitiesPayload {
    /// Municipalities added.
    pub created: u32,
    /// Municipalities whose name or province changed.
    pub updated: u32,
    /// Municipalities already as listed.
    pub unchanged: u32,
}

/// Maintainers' changes to the common model.
#[derive(Default)]
pub struct CommonModelMutation;

/// Maintainers' changes to the common model.
#[Object]
impl CommonModelMutation {
    /// Adds a standard proposition. Network maintainers only.
    async fn create_standard_proposition(
        &self,
        ctx: &Context<'_>,
        input: CreateStandardPropositionInput,
    ) -> async_graphql::Result<StandardPropositionPayload> {
        let model = svc::create_standard(
            db(ctx),
            actor(ctx),
            StandardInput {
                code: Some(input.code),
                labels: input.labels.into(),
                core_function_code: Some(input.core_function_code),
                societal_task_codes: Some(input.societal_task_codes),
                target_group_codes: Some(input.target_group_codes),
            },
        )
        .await?;
        Ok(StandardPropositionPayload { standard_proposition: StandardProposition(model) })
    }

    /// Changes a standard proposition. Network maintainers only.
    async fn update_standard_proposition(
        &self,
        ctx: &Context<'_>,
        input: UpdateStandardPropositionInput,
    ) -> async_graphql::Result<StandardPropositionPayload> {
        let id = ids::decode("id", "StandardProposition", &input.id)?;
        let model = svc::update_standard(
            db(ctx),
            actor(ctx),
            id,
            input.expected_version,
            StandardInput {
                code: None,
                labels: input.labels.map(Into::into).unwrap_or_default(),
                core_function_code: input.core_function_code,
                societal_task_codes: input.societal_task_codes,
                target_group_codes: input.target_group_codes,
            },
        )
        .await?;
        Ok(StandardPropositionPayload { standard_proposition: StandardProposition(model) })
    }

    /// Retires a standard proposition. Propositions mapped onto it keep their mapping; the payload
    /// says how many there are. Network maintainers only.
    async fn retire_standard_proposition(
        &self,
        ctx: &Context<'_>,
        input: RetireStandardPropositionInput,
    ) -> async_graphql::Result<RetireStandardPropositionPayload> {
        let id = ids::decode("id", "StandardProposition", &input.id)?;
        let (model, still) = svc::retire_standard(db(ctx), actor(ctx), id, input.expected_version, input.note).await?;
        let message = format!(
            "{} is retired; {still} proposition(s) remain mapped onto it and keep that mapping until their libraries choose another",
            model.code
        );
        Ok(RetireStandardPropositionPayload {
            standard_proposition: StandardProposition(model),
            propositions_still_mapped: still,
            message,
        })
    }

    /// Adds a target group. Network maintainers only.
    async fn create_target_group(
        &self,
        ctx: &Context<'_>,
        input: CreateTargetGroupInput,
    ) -> async_graphql::Result<TargetGroupPayload> {
        let model = svc::create_target_group(
            db(ctx),
            actor(ctx),
            TargetGroupInput {
                code: Some(input.code),
                labels: input.labels.into(),
                parent_code: Some(input.parent_code),
                min_age: Some(input.min_age),
                max_age: Some(input.max_age),
            },
        )
        .await?;
        Ok(TargetGroupPayload { target_group: TargetGroup(model) })
    }

    /// Changes a target group. Network maintainers only.
    async fn update_target_group(
        &self,
        ctx: &Context<'_>,
        input: UpdateTargetGroupInput,
    ) -> async_graphql::Result<TargetGroupPayload> {
        let id = ids::decode("id", "TargetGroup", &input.id)?;
        let model = svc::update_target_group(
            db(ctx),
            actor(ctx),
            id,
            input.expected_version,
            TargetGroupInput {
                code: None,
                labels: input.labels.map(Into::into).unwrap_or_default(),
                parent_code: input.parent_code.into(),
                min_age: input.min_age.into(),
                max_age: input.max_age.into(),
            },
        )
        .await?;
        Ok(TargetGroupPayload { target_group: TargetGroup(model) })
    }

    /// Changes a core function's names and descriptions. Network maintainers only.
    async fn update_core_function(
        &self,
        ctx: &Context<'_>,
        input: UpdateLabelsInput,
    ) -> async_graphql::Result<CoreFunctionPayload> {
        let id = ids::decode("id", "CoreFunction", &input.id)?;
        svc::update_vocabulary_labels(
            db(ctx),
            actor(ctx),
            Vocabulary::CoreFunction,
            id,
            input.expected_version,
            input.labels.into(),
        )
        .await?;
        let model = one(ctx, CoreFunctionKey(id))
            .await?
            .ok_or_else(|| crate::error::AppError::NotFound("core function".into()))?;
        Ok(CoreFunctionPayload { core_function: CoreFunction(model) })
    }

    /// Changes a societal task's names and descriptions. Network maintainers only.
    async fn update_societal_task(
        &self,
        ctx: &Context<'_>,
        input: UpdateLabelsInput,
    ) -> async_graphql::Result<SocietalTaskPayload> {
        let id = ids::decode("id", "SocietalTask", &input.id)?;
        svc::update_vocabulary_labels(
            db(ctx),
            actor(ctx),
            Vocabulary::SocietalTask,
            id,
            input.expected_version,
            input.labels.into(),
        )
        .await?;
        let model = one(ctx, SocietalTaskKey(id))
            .await?
            .ok_or_else(|| crate::error::AppError::NotFound("societal task".into()))?;
        Ok(SocietalTaskPayload { societal_task: SocietalTask(model) })
    }

    /// Imports municipalities from CSV with the header `code,name,province` (province by CBS code or
    /// name): adds new ones, updates changed ones. One bad line rejects the whole file. Network
    /// maintainers only.
    async fn import_municipalities(
        &self,
        ctx: &Context<'_>,
        csv: String,
    ) -> async_graphql::Result<ImportMunicipalitiesPayload> {
        let s = region::import_municipalities(db(ctx), actor(ctx), &csv).await?;
        Ok(ImportMunicipalitiesPayload { created: s.created, updated: s.updated, unchanged: s.unchanged })
    }
}
