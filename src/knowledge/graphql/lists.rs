//! The knowledge lists nested under parents (an organisation's studies, a standard proposition's
//! insights, a target group's ideas, …): studies, insights and ideas as kinds of the kernel's one
//! [`Nested`] list.

use std::collections::HashMap;

use entity::{idea as idea_row, insight as insight_row, study as study_row};
use sea_orm::DatabaseConnection;

use crate::error::AppResult;
use crate::identity::Actor;
use crate::kernel::nested::Nested;
use crate::kernel::page::{Page, PageArgs};
use crate::knowledge::idea::IdeaFilter;
use crate::knowledge::insight::InsightFilter;
use crate::knowledge::scope::KnowledgeParent;
use crate::knowledge::study::{StudyFilter, StudySort};
use crate::knowledge::{idea, insight, study};

/// Studies under a parent, in the order asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Studies;

impl Nested for Studies {
    type Parent = KnowledgeParent;
    type Filter = StudyFilter;
    type Sort = StudySort;
    type Model = study_row::Model;

    async fn pages(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: KnowledgeParent,
        ids: &[i64],
        filters: &[StudyFilter],
        sort: &StudySort,
        page: &PageArgs,
    ) -> AppResult<HashMap<i64, Page<study_row::Model>>> {
        study::list_scoped(db, actor, parent, ids, filters, *sort, page).await
    }
    async fn counts(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: KnowledgeParent,
        ids: &[i64],
        filters: &[StudyFilter],
    ) -> AppResult<HashMap<i64, u64>> {
        study::count_scoped(db, actor, parent, ids, filters).await
    }
    async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[StudyFilter]) -> AppResult<u64> {
        study::count(db, actor, filters).await
    }
}

/// Insights under a parent, strongest evidence first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Insights;

impl Nested for Insights {
    type Parent = KnowledgeParent;
    type Filter = InsightFilter;
    type Sort = ();
    type Model = insight_row::Model;

    async fn pages(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: KnowledgeParent,
        ids: &[i64],
        filters: &[InsightFilter],
        _: &(),
        page: &PageArgs,
    ) -> AppResult<HashMap<i64, Page<insight_row::Model>>> {
        insight::list_scoped(db, actor, parent, ids, filters, page).await
    }
    async fn counts(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: KnowledgeParent,
        ids: &[i64],
        filters: &[InsightFilter],
    ) -> AppResult<HashMap<i64, u64>> {
        insight::count_scoped(db, actor, parent, ids, filters).await
    }
    async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[InsightFilter]) -> AppResult<u64> {
        insight::count(db, actor, filters).await
    }
}

/// Improvement ideas under a parent, in the order they were recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ideas;

impl Nested for Ideas {
    type Parent = KnowledgeParent;
    type Filter = IdeaFilter;
    type Sort = ();
    type Model = idea_row::Model;

    async fn pages(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: KnowledgeParent,
        ids: &[i64],
        filters: &[IdeaFilter],
        _: &(),
        page: &PageArgs,
    ) -> AppResult<HashMap<i64, Page<idea_row::Model>>> {
        idea::list_scoped(db, actor, parent, ids, filters, page).await
    }
    async fn counts(
        db: &DatabaseConnection,
        actor: &Actor,
        parent: KnowledgeParent,
        ids: &[i64],
        filters: &[IdeaFilter],
    ) -> AppResult<HashMap<i64, u64>> {
        idea::count_scoped(db, actor, parent, ids, filters).await
    }
    async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[IdeaFilter]) -> AppResult<u64> {
        idea::count(db, actor, filters).await
    }
}
