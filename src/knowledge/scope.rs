//! Which studies, insights and ideas belong to which parent (an organisation, a standard
//! proposition, a target group), as (item, parent) pairs, so that nested lists under many parents
//! load in one statement.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, SimpleExpr, UnionType};
use sea_orm::{Condition, ConnectionTrait};

use crate::common_model::target_group_ids_with_descendants;
use crate::error::AppResult;
use crate::identity::Actor;
use crate::kernel::page::{SCOPE_ITEM, SCOPE_PARENT};
use crate::registry::proposition as prop_service;

/// The parent of a nested list of knowledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KnowledgeParent {
    /// Organisations named on the study in either role.
    Organisation,
    /// Organisations that ran the study.
    Conductor,
    /// Libraries the study was done for.
    Commissioner,
    /// Standard propositions.
    Standard,
    /// Target groups, each including its narrower groups.
    TargetGroup,
}

fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

/// `SELECT <item> AS scope_item, <parent> AS scope_parent FROM <table> [JOIN ...] WHERE <cond>`.
fn pairs(table: &str, item: Expr, parent: SimpleExpr, joins: &[(&str, Expr)], cond: Condition) -> SelectStatement {
    let mut q = Query::select();
    q.expr_as(item, Alias::new(SCOPE_ITEM)).expr_as(parent, Alias::new(SCOPE_PARENT)).from(Alias::new(table));
    for (other, on) in joins {
        q.inner_join(Alias::new(*other), on.clone());
    }
    q.cond_where(cond);
    q
}

fn union(mut parts: Vec<SelectStatement>) -> SelectStatement {
    let mut first = parts.remove(0);
    for p in parts {
        first.union(UnionType::Distinct, p);
    }
    first
}

/// Each parent target group with the ids of itself and its narrower groups.
async fn expanded_groups<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<Vec<(i64, Vec<i64>)>> {
    let codes: Vec<(i64, String)> = {
        use entity::target_group;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
        target_group::Entity::find()
            .select_only()
            .column(target_group::Column::Id)
            .column(target_group::Column::Code)
            .filter(target_group::Column::Id.is_in(ids.to_vec()))
            .into_tuple()
            .all(db)
            .await?
    };
    let mut out = Vec::new();
    for (id, code) in codes {
        out.push((id, target_group_ids_with_descendants(db, "targetGroup", &[code]).await?));
    }
    Ok(out)
}

fn is_in(table: &str, column: &str, ids: &[i64]) -> Condition {
    Condition::all().add(col(table, column).is_in(ids.to_vec()))
}

/// Pairs (study id, organisation id) for the organisations named on studies in the parent's role.
/// Needs no I/O, so that visibility conditions can use it.
pub fn study_organisations(parent: KnowledgeParent, ids: &[i64]) -> SelectStatement {
    let org_link = |table: &str| {
        pairs(table, col(table, "study_id"), col(table, "organisation_id"), &[], is_in(table, "organisation_id", ids))
    };
    match parent {
        KnowledgeParent::Conductor => org_link("study_conductor"),
        KnowledgeParent::Commissioner => org_link("study_commissioner"),
        _ => union(vec![org_link("study_commissioner"), org_link("study_conductor")]),
    }
}

/// The item ids of a scope, for `id IN (…)` filters: a filter and a nested list then mean the same.
pub fn items(scope: SelectStatement) -> SelectStatement {
    Query::select().column(Alias::new(SCOPE_ITEM)).from_subquery(scope, Alias::new("scoped")).to_owned()
}

/// Pairs (study id, parent id). A study belongs to a standard proposition through a link to a
/// library's proposition only when the actor may see that proposition.
pub async fn studies<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    parent: KnowledgeParent,
    ids: &[i64],
) -> AppResult<SelectStatement> {
    Ok(match parent {
        KnowledgeParent::Organisation | KnowledgeParent::Conductor | KnowledgeParent::Commissioner => {
            study_organisations(parent, ids)
        }
        KnowledgeParent::Standard => union(vec![
            pairs(
                "journey",
                col("journey", "study_id"),
                col("journey", "standard_proposition_id"),
                &[],
                is_in("journey", "standard_proposition_id", ids),
            ),
            pairs(
                "insight_standard_proposition",
                col("insight", "study_id"),
                col("insight_standard_proposition", "standard_proposition_id"),
                &[(
                    "insight",
                    col("insight", "id").equals((Alias::new("insight_standard_proposition"), Alias::new("insight_id"))),
                )],
                is_in("insight_standard_proposition", "standard_proposition_id", ids),
            ),
            pairs(
                "knowledge_link",
                col("knowledge_link", "study_id"),
                col("knowledge_link", "standard_proposition_id"),
                &[],
                is_in("knowledge_link", "standard_proposition_id", ids),
            ),
            pairs(
                "knowledge_link",
                col("knowledge_link", "study_id"),
                col("proposition", "standard_proposition_id"),
                &[(
                    "proposition",
                    col("proposition", "id").equals((Alias::new("knowledge_link"), Alias::new("proposition_id"))),
                )],
                is_in("proposition", "standard_proposition_id", ids).add(prop_service::visible_to(actor)),
            ),
        ]),
        KnowledgeParent::TargetGroup => {
            let mut parts = Vec::new();
            for (parent, groups) in expanded_groups(db, ids).await? {
                let p: SimpleExpr = Expr::val(parent);
                parts.push(pairs(
                    "study_target_group",
                    col("study_target_group", "study_id"),
                    p.clone(),
                    &[],
                    is_in("study_target_group", "target_group_id", &groups),
                ));
                parts.push(pairs(
                    "journey",
                    col("journey", "study_id"),
                    p.clone(),
                    &[],
                    is_in("journey", "target_group_id", &groups),
                ));
                parts.push(pairs(
                    "insight_target_group",
                    col("insight", "study_id"),
                    p,
                    &[(
                        "insight",
                        col("insight", "id").equals((Alias::new("insight_target_group"), Alias::new("insight_id"))),
                    )],
                    is_in("insight_target_group", "target_group_id", &groups),
                ));
            }
            if parts.is_empty() {
                return Ok(empty());
            }
            union(parts)
        }
    })
}

/// A scope with no pairs.
fn empty() -> SelectStatement {
    pairs("study", col("study", "id"), col("study", "id"), &[], Condition::all().add(Expr::val(1).eq(0)))
}

fn stage_journey_joins() -> Vec<(&'static str, Expr)> {
    vec![
        ("journey_stage", col("journey_stage", "id").equals((Alias::new("insight"), Alias::new("stage_id")))),
        ("journey", col("journey", "id").equals((Alias::new("journey_stage"), Alias::new("journey_id")))),
    ]
}

/// Pairs (insight id, parent id); links to propositions count as for [`studies`].
pub async fn insights<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    parent: KnowledgeParent,
    ids: &[i64],
) -> AppResult<SelectStatement> {
    let org_link = |table: &str| {
        pairs(
            "insight",
            col("insight", "id"),
            col(table, "organisation_id"),
            &[(table, col(table, "study_id").equals((Alias::new("insight"), Alias::new("study_id"))))],
            is_in(table, "organisation_id", ids),
        )
    };
    Ok(match parent {
        KnowledgeParent::Organisation => union(vec![org_link("study_commissioner"), org_link("study_conductor")]),
        KnowledgeParent::Conductor => org_link("study_conductor"),
        KnowledgeParent::Commissioner => org_link("study_commissioner"),
        KnowledgeParent::Standard => union(vec![
            pairs(
                "insight_standard_proposition",
                col("insight_standard_proposition", "insight_id"),
                col("insight_standard_proposition", "standard_proposition_id"),
                &[],
                is_in("insight_standard_proposition", "standard_proposition_id", ids),
            ),
            pairs(
                "insight",
                col("insight", "id"),
                col("journey", "standard_proposition_id"),
                &stage_journey_joins(),
                is_in("journey", "standard_proposition_id", ids),
            ),
            pairs(
                "knowledge_link",
                col("knowledge_link", "insight_id"),
                col("knowledge_link", "standard_proposition_id"),
                &[],
                is_in("knowledge_link", "standard_proposition_id", ids)
                    .add(col("knowledge_link", "insight_id").is_not_null()),
            ),
            pairs(
                "knowledge_link",
                col("knowledge_link", "insight_id"),
                col("proposition", "standard_proposition_id"),
                &[(
                    "proposition",
                    col("proposition", "id").equals((Alias::new("knowledge_link"), Alias::new("proposition_id"))),
                )],
                is_in("proposition", "standard_proposition_id", ids)
                    .add(col("knowledge_link", "insight_id").is_not_null())
                    .add(prop_service::visible_to(actor)),
            ),
        ]),
        KnowledgeParent::TargetGroup => {
            let mut parts = Vec::new();
            for (parent, groups) in expanded_groups(db, ids).await? {
                let p: SimpleExpr = Expr::val(parent);
                parts.push(pairs(
                    "insight_target_group",
                    col("insight_target_group", "insight_id"),
                    p.clone(),
                    &[],
                    is_in("insight_target_group", "target_group_id", &groups),
                ));
                parts.push(pairs(
                    "insight",
                    col("insight", "id"),
                    p,
                    &stage_journey_joins(),
                    is_in("journey", "target_group_id", &groups),
                ));
            }
            if parts.is_empty() {
                return Ok(empty());
            }
            union(parts)
        }
    })
}

/// Pairs (idea id, parent id): the ideas answering the parent's current insights.
pub async fn ideas<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    parent: KnowledgeParent,
    ids: &[i64],
) -> AppResult<SelectStatement> {
    let inner = insights(db, actor, parent, ids).await?;
    let mut q = Query::select();
    q.expr_as(col("idea_insight", "idea_id"), Alias::new(SCOPE_ITEM))
        .expr_as(col("ins", SCOPE_PARENT), Alias::new(SCOPE_PARENT))
        .from(Alias::new("idea_insight"))
        .join_subquery(
            sea_orm::sea_query::JoinType::InnerJoin,
            inner,
            Alias::new("ins"),
            col("ins", SCOPE_ITEM).equals((Alias::new("idea_insight"), Alias::new("insight_id"))),
        )
        .inner_join(
            Alias::new("insight"),
            col("insight", "id").equals((Alias::new("idea_insight"), Alias::new("insight_id"))),
        )
        .and_where(col("insight", "state").eq("CURRENT"))
        .distinct();
    Ok(q)
}
