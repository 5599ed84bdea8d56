//! National figures: counts of published propositions by the common model, channel, lifecycle,
//! province and support organisation, for any proposition filter.

use std::collections::HashMap;

use entity::enums::{Channel, Lifecycle, PublicationState};
use entity::{
    core_function, organisation, proposition, proposition_target_group as ptg, province, societal_task,
    standard_proposition, standard_proposition_societal_task as sp_task, target_group,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveEnum, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::error::AppResult;
use crate::registry::proposition::{PropositionFilter, filter_condition};

/// One count: what it counts (a code, slug or enum value), its Dutch label, and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// The figures. A proposition counts once in each list, except that one contributing to several
/// societal tasks (through its standard proposition) counts under each; local propositions count
/// under `LOCAL` for standard propositions; target groups count propositions directly for that group.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub total: u64,
    pub by_standard_proposition: Vec<Bucket>,
    pub by_societal_task: Vec<Bucket>,
    pub by_core_function: Vec<Bucket>,
    pub by_target_group: Vec<Bucket>,
    pub by_channel: Vec<Bucket>,
    pub by_lifecycle: Vec<Bucket>,
    pub by_province: Vec<Bucket>,
    pub by_support_organisation: Vec<Bucket>,
}

/// Counts of (standard proposition, own societal task, own core function).
type ModelCount = (Option<i64>, Option<i64>, Option<i64>, i64);

/// The key and label used where a proposition has no value for a dimension.
const NONE: (&str, &str) = ("NONE", "Geen");

/// Largest first, then by label.
fn sorted(mut out: Vec<Bucket>) -> Vec<Bucket> {
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    out
}

fn buckets(
    counts: HashMap<Option<i64>, u64>,
    labels: &HashMap<i64, (String, String)>,
    none: (&str, &str),
) -> Vec<Bucket> {
    sorted(
        counts
            .into_iter()
            .map(|(id, count)| match id.and_then(|i| labels.get(&i)) {
                Some((key, label)) => Bucket { key: key.clone(), label: label.clone(), count },
                None => Bucket { key: none.0.into(), label: none.1.into(), count },
            })
            .collect(),
    )
}

/// Buckets keyed by an enum's stored value, which is its own label.
fn value_buckets(counts: HashMap<String, u64>) -> Vec<Bucket> {
    sorted(counts.into_iter().map(|(key, count)| Bucket { label: key.clone(), key, count }).collect())
}

fn add(counts: &mut HashMap<Option<i64>, u64>, key: Option<i64>, n: u64) {
    *counts.entry(key).or_default() += n;
}

/// The figures for the published propositions matching the filter, in eleven statements.
pub async fn figures<C: ConnectionTrait>(db: &C, filter: &PropositionFilter) -> AppResult<Figures> {
    use proposition::Column as P;
    let cond = Condition::all()
        .add(P::PublicationState.eq(PublicationState::Published))
        .add(filter_condition(db, filter).await?);
    let by_model: Vec<ModelCount> = proposition::Entity::find()
        .select_only()
        .columns([P::StandardPropositionId, P::SocietalTaskId, P::CoreFunctionId])
        .column_as(Expr::col(P::Id).count(), "n")
        .filter(cond.clone())
        .group_by(P::StandardPropositionId)
        .group_by(P::SocietalTaskId)
        .group_by(P::CoreFunctionId)
        .into_tuple()
        .all(db)
        .await?;
    let by_kind: Vec<(Channel, Lifecycle, i64)> = proposition::Entity::find()
        .select_only()
        .columns([P::Channel, P::Lifecycle])
        .column_as(Expr::col(P::Id).count(), "n")
        .filter(cond.clone())
        .group_by(P::Channel)
        .group_by(P::Lifecycle)
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
    let matching = proposition::Entity::find().select_only().column(P::Id).filter(cond).into_query();
    let by_group: Vec<(i64, i64)> = ptg::Entity::find()
        .select_only()
        .column(ptg::Column::TargetGroupId)
        .column_as(Expr::col(ptg::Column::PropositionId).count(), "n")
        .filter(ptg::Column::PropositionId.in_subquery(matching))
        .group_by(ptg::Column::TargetGroupId)
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
    for (s, t, cf, n) in by_model {
        let n = n as u64;
        f.total += n;
        add(&mut standard, s, n);
        match s {
            Some(s) => {
                add(&mut function, standard_function.get(&s).copied(), n);
                match standard_tasks.get(&s) {
                    Some(ts) => ts.iter().for_each(|t| add(&mut task, Some(*t), n)),
                    None => add(&mut task, None, n),
                }
            }
            None => {
                add(&mut function, cf, n);
                add(&mut task, t, n);
            }
        }
    }
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
    let group_counts = by_group.into_iter().map(|(g, n)| (Some(g), n as u64)).collect();
    f.by_target_group =
        buckets(group_counts, &labels(groups.into_iter().map(|g| (g.id, g.code, g.name_nl)).collect()), NONE);

    let mut channel: HashMap<String, u64> = HashMap::new();
    let mut lifecycle: HashMap<String, u64> = HashMap::new();
    for (c, l, n) in by_kind {
        *channel.entry(c.to_value()).or_default() += n as u64;
        *lifecycle.entry(l.to_value()).or_default() += n as u64;
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
        add(&mut provinces, o.and_then(|o| o.province_id), n as u64);
        add(&mut supports, o.and_then(|o| o.support_organisation_id), n as u64);
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
