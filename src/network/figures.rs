//! National figures: counts of published propositions, and of the organisations publishing them,
//! by the common model, channel, lifecycle, province and support organisation, for any filter.

use std::collections::{HashMap, HashSet};

use entity::enums::{Channel, Lifecycle, PublicationState};
use entity::{
    core_function, organisation, proposition, proposition_target_group as ptg, province, societal_task,
    standard_proposition, standard_proposition_societal_task as sp_task, target_group,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
};

use crate::error::AppResult;
use crate::registry::proposition::{PropositionFilter, filter_condition};

/// One count: what it counts (a code, slug or enum value), its Dutch label, how many published
/// propositions, and how many organisations publish at least one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub key: String,
    pub label: String,
    pub propositions: u64,
    pub organisations: u64,
}

/// Propositions counted under one key, and the organisations they are of.
#[derive(Debug, Default)]
struct Tally {
    propositions: u64,
    organisations: HashSet<i64>,
}

type Tallies<K> = HashMap<K, Tally>;

fn add<K: std::hash::Hash + Eq>(tallies: &mut Tallies<K>, key: K, organisation: i64, n: u64) {
    let tally = tallies.entry(key).or_default();
    tally.propositions += n;
    tally.organisations.insert(organisation);
}

/// The figures. A proposition counts once in each list, except that one contributing to several
/// societal tasks (through its standard proposition) counts under each; local propositions count
/// under `LOCAL` for standard propositions; target groups count propositions directly for that group.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub total: u64,
    /// Organisations publishing at least one of them.
    pub organisations: u64,
    pub by_standard_proposition: Vec<Bucket>,
    pub by_societal_task: Vec<Bucket>,
    pub by_core_function: Vec<Bucket>,
    pub by_target_group: Vec<Bucket>,
    pub by_channel: Vec<Bucket>,
    pub by_lifecycle: Vec<Bucket>,
    pub by_province: Vec<Bucket>,
    pub by_support_organisation: Vec<Bucket>,
}

/// Counts of (standard proposition, own societal task, own core function, organisation).
type ModelCount = (Option<i64>, Option<i64>, Option<i64>, i64, i64);

/// The key and label used where a proposition has no value for a dimension.
const NONE: (&str, &str) = ("NONE", "Geen");

/// Most propositions first, then by label.
fn sorted(mut out: Vec<Bucket>) -> Vec<Bucket> {
    out.sort_by(|a, b| b.propositions.cmp(&a.propositions).then_with(|| a.label.cmp(&b.label)));
    out
}

fn bucket(key: &str, label: &str, tally: Tally) -> Bucket {
    Bucket {
        key: key.into(),
        label: label.into(),
        propositions: tally.propositions,
        organisations: tally.organisations.len() as u64,
    }
}

fn buckets(tallies: Tallies<Option<i64>>, labels: &HashMap<i64, (String, String)>, none: (&str, &str)) -> Vec<Bucket> {
    sorted(
        tallies
            .into_iter()
            .map(|(id, tally)| match id.and_then(|i| labels.get(&i)) {
                Some((key, label)) => bucket(key, label, tally),
                None => bucket(none.0, none.1, tally),
            })
            .collect(),
    )
}

/// Buckets keyed by an enum's stored value, which is its own label.
fn value_buckets(tallies: Tallies<String>) -> Vec<Bucket> {
    sorted(tallies.into_iter().map(|(key, tally)| bucket(&key, &key, tally)).collect())
}

/// The figures for the published propositions matching the filter, in eleven statements.
pub async fn figures<C: ConnectionTrait>(db: &C, filter: &PropositionFilter) -> AppResult<Figures> {
    use proposition::Column as P;
    let cond = Condition::all()
        .add(P::PublicationState.eq(PublicationState::Published))
        .add(filter_condition(db, filter).await?);
    let by_model: Vec<ModelCount> = proposition::Entity::find()
        .select_only()
        .columns([P::StandardPropositionId, P::SocietalTaskId, P::CoreFunctionId, P::OrganisationId])
        .column_as(Expr::col(P::Id).count(), "n")
        .filter(cond.clone())
        .group_by(P::StandardPropositionId)
        .group_by(P::SocietalTaskId)
        .group_by(P::CoreFunctionId)
        .group_by(P::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;
    let by_kind: Vec<(Channel, Lifecycle, i64, i64)> = proposition::Entity::find()
        .select_only()
        .columns([P::Channel, P::Lifecycle, P::OrganisationId])
        .column_as(Expr::col(P::Id).count(), "n")
        .filter(cond.clone())
        .group_by(P::Channel)
        .group_by(P::Lifecycle)
        .group_by(P::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;
    let by_org: Vec<(i64, i64)> = proposition::Entity::find()
        .select_only()
        .column(P::OrganisationId)
        .column_as(Expr::col(P::Id).count(), "n")
        .filter(cond.clone())
        .group_by(P::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;
    let by_group: Vec<(i64, i64, i64)> = ptg::Entity::find()
        .select_only()
        .column(ptg::Column::TargetGroupId)
        .column(P::OrganisationId)
        .column_as(Expr::col(ptg::Column::PropositionId).count(), "n")
        .join(JoinType::InnerJoin, ptg::Relation::Proposition.def())
        .filter(cond)
        .group_by(ptg::Column::TargetGroupId)
        .group_by(P::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;

    let standards = standard_proposition::Entity::find().all(db).await?;
    let standard_function: HashMap<i64, i64> = standards.iter().map(|s| (s.id, s.core_function_id)).collect();
    let mut standard_tasks: HashMap<i64, Vec<i64>> = HashMap::new();
    for link in sp_task::Entity::find().all(db).await? {
        standard_tasks.entry(link.standard_proposition_id).or_default().push(link.societal_task_id);
    }
    let mut f = Figures::default();
    let (mut standard, mut task, mut function) = (HashMap::new(), HashMap::new(), HashMap::new());
    let mut everyone = HashSet::new();
    for (s, t, cf, org, n) in by_model {
        let n = n as u64;
        f.total += n;
        everyone.insert(org);
        add(&mut standard, s, org, n);
        // A proposition serves its own task and core function and those of its standard proposition.
        let tasks: HashSet<Option<i64>> = s
            .and_then(|s| standard_tasks.get(&s))
            .into_iter()
            .flatten()
            .copied()
            .map(Some)
            .chain(t.map(Some))
            .collect();
        if tasks.is_empty() {
            add(&mut task, None, org, n);
        }
        for t in tasks {
            add(&mut task, t, org, n);
        }
        add(&mut function, s.and_then(|s| standard_function.get(&s).copied()).or(cf), org, n);
    }
    f.organisations = everyone.len() as u64;
    let labels = |rows: Vec<(i64, String, String)>| -> HashMap<i64, (String, String)> {
        rows.into_iter().map(|(id, code, name)| (id, (code, name))).collect()
    };
    let standard_labels = labels(standards.into_iter().map(|s| (s.id, s.code, s.name_nl)).collect());
    f.by_standard_proposition = buckets(standard, &standard_labels, ("LOCAL", "Lokaal, niet gestandaardiseerd"));
    let tasks = societal_task::Entity::find().all(db).await?;
    f.by_societal_task = buckets(task, &labels(tasks.into_iter().map(|t| (t.id, t.code, t.name_nl)).collect()), NONE);
    let functions = core_function::Entity::find().all(db).await?;
    f.by_core_function =
        buckets(function, &labels(functions.into_iter().map(|c| (c.id, c.code, c.name_nl)).collect()), NONE);
    let groups = target_group::Entity::find().all(db).await?;
    let mut group_counts = HashMap::new();
    for (g, org, n) in by_group {
        add(&mut group_counts, Some(g), org, n as u64);
    }
    f.by_target_group =
        buckets(group_counts, &labels(groups.into_iter().map(|g| (g.id, g.code, g.name_nl)).collect()), NONE);

    let (mut channel, mut lifecycle) = (HashMap::new(), HashMap::new());
    for (c, l, org, n) in by_kind {
        add(&mut channel, c.to_value(), org, n as u64);
        add(&mut lifecycle, l.to_value(), org, n as u64);
    }
    f.by_channel = value_buckets(channel);
    f.by_lifecycle = value_buckets(lifecycle);

    let orgs = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(by_org.iter().map(|(o, _)| *o)))
        .all(db)
        .await?;
    let org_of: HashMap<i64, &organisation::Model> = orgs.iter().map(|o| (o.id, o)).collect();
    let (mut provinces, mut supports) = (HashMap::new(), HashMap::new());
    for (org, n) in by_org {
        let o = org_of.get(&org);
        add(&mut provinces, o.and_then(|o| o.province_id), org, n as u64);
        add(&mut supports, o.and_then(|o| o.support_organisation_id), org, n as u64);
    }
    let province_rows = province::Entity::find().all(db).await?;
    f.by_province =
        buckets(provinces, &labels(province_rows.into_iter().map(|p| (p.id, p.code, p.name)).collect()), NONE);
    let support_rows = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(supports.keys().flatten().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    f.by_support_organisation =
        buckets(supports, &labels(support_rows.into_iter().map(|o| (o.id, o.slug, o.name)).collect()), NONE);
    Ok(f)
}
