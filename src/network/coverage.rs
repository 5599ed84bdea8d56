//! The coverage matrix of a region: libraries as rows, standard propositions (or societal tasks, or
//! core functions) as columns, each cell the library's published propositions there.

use std::collections::HashMap;

use entity::enums::PublicationState;
use entity::{
    core_function, organisation, proposition, societal_task, standard_proposition,
    standard_proposition_societal_task as sp_task,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use std::sync::Arc;

use super::{Region, ViewCache, area};
use crate::error::AppResult;

/// What the columns are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Axis {
    #[default]
    StandardProposition,
    SocietalTask,
    CoreFunction,
}

/// A column: one entry of the common model, with how many propositions and libraries it has.
#[derive(Debug, Clone)]
pub struct CoverageColumn {
    pub id: i64,
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    pub total: usize,
    pub libraries: usize,
}

/// A non-empty cell: the column's index and the propositions in it, by id.
#[derive(Debug, Clone)]
pub struct CoverageCell {
    pub column: usize,
    pub proposition_ids: Vec<i64>,
}

/// A row: one library.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    pub organisation: organisation::Model,
    /// Only the non-empty cells, by column.
    pub cells: Vec<CoverageCell>,
    /// Its published propositions in at least one column.
    pub total: usize,
    /// Its published propositions in no column (local ones without a task or function).
    pub unplaced: usize,
}

/// The matrix.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub columns: Vec<CoverageColumn>,
    pub rows: Vec<CoverageRow>,
    /// Published propositions in at least one column.
    pub total: usize,
}

type Placed = (i64, i64, Option<i64>, Option<i64>, Option<i64>);

/// National coverage matrices by axis, reused while nothing changes.
pub type CoverageCache = ViewCache<Axis, Coverage>;

/// The matrix for a region. The national one (a scan of every published proposition) comes from
/// the cache when nothing changed since it was computed. A region's is computed each time: it is
/// small, and keying a cache on the region as typed (a code, a name, any case) would let callers
/// fill it with spellings of one region.
pub async fn coverage_cached<C: ConnectionTrait>(
    db: &C,
    cache: &CoverageCache,
    region: &Region,
    axis: Axis,
) -> AppResult<Arc<Coverage>> {
    match region {
        Region::Country => cache.get_or_compute(db, axis, || coverage(db, region, axis)).await,
        _ => coverage(db, region, axis).await.map(Arc::new),
    }
}

/// The matrix for a region, in five statements whatever its size.
pub async fn coverage<C: ConnectionTrait>(db: &C, region: &Region, axis: Axis) -> AppResult<Coverage> {
    let area = area(db, region).await?;
    let (mut columns, placement) = columns(db, axis).await?;
    let index: HashMap<i64, usize> = columns.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let offers: Vec<Placed> = proposition::Entity::find()
        .select_only()
        .columns([
            proposition::Column::Id,
            proposition::Column::OrganisationId,
            proposition::Column::StandardPropositionId,
            proposition::Column::SocietalTaskId,
            proposition::Column::CoreFunctionId,
        ])
        .filter(proposition::Column::PublicationState.eq(PublicationState::Published))
        .filter(proposition::Column::OrganisationId.is_in(area.library_ids()))
        .order_by_asc(proposition::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut cells: HashMap<i64, Vec<Vec<i64>>> = HashMap::new();
    let mut unplaced: HashMap<i64, usize> = HashMap::new();
    let mut placed_total: HashMap<i64, usize> = HashMap::new();
    let mut total = 0;
    for (id, org, standard, task, function) in offers {
        let targets: Vec<usize> = match (axis, standard) {
            (_, Some(s)) => placement.get(&s).into_iter().flatten().filter_map(|c| index.get(c).copied()).collect(),
            (Axis::SocietalTask, None) => task.and_then(|t| index.get(&t).copied()).into_iter().collect(),
            (Axis::CoreFunction, None) => function.and_then(|f| index.get(&f).copied()).into_iter().collect(),
            (Axis::StandardProposition, None) => Vec::new(),
        };
        if targets.is_empty() {
            *unplaced.entry(org).or_default() += 1;
            continue;
        }
        total += 1;
        *placed_total.entry(org).or_default() += 1;
        let row = cells.entry(org).or_insert_with(|| vec![Vec::new(); columns.len()]);
        for t in targets {
            row[t].push(id);
        }
    }
    let mut rows = Vec::with_capacity(area.libraries.len());
    for library in area.libraries {
        let row_cells: Vec<CoverageCell> = cells
            .remove(&library.id)
            .map(|r| {
                r.into_iter()
                    .enumerate()
                    .filter(|(_, ids)| !ids.is_empty())
                    .map(|(column, proposition_ids)| CoverageCell { column, proposition_ids })
                    .collect()
            })
            .unwrap_or_default();
        for cell in &row_cells {
            columns[cell.column].total += cell.proposition_ids.len();
            columns[cell.column].libraries += 1;
        }
        rows.push(CoverageRow {
            total: placed_total.get(&library.id).copied().unwrap_or(0),
            unplaced: unplaced.get(&library.id).copied().unwrap_or(0),
            organisation: library,
            cells: row_cells,
        });
    }
    Ok(Coverage { columns, rows, total })
}

/// The columns of an axis, and for each standard proposition the column ids it counts in.
async fn columns<C: ConnectionTrait>(db: &C, axis: Axis) -> AppResult<(Vec<CoverageColumn>, HashMap<i64, Vec<i64>>)> {
    fn column(id: i64, code: String, name_nl: String, name_en: String) -> CoverageColumn {
        CoverageColumn { id, code, name_nl, name_en, total: 0, libraries: 0 }
    }
    Ok(match axis {
        Axis::StandardProposition => {
            let standards =
                standard_proposition::Entity::find().order_by_asc(standard_proposition::Column::Code).all(db).await?;
            let placement = standards.iter().map(|s| (s.id, vec![s.id])).collect();
            (standards.into_iter().map(|s| column(s.id, s.code, s.name_nl, s.name_en)).collect(), placement)
        }
        Axis::SocietalTask => {
            let tasks = societal_task::Entity::find().order_by_asc(societal_task::Column::Position).all(db).await?;
            let mut placement: HashMap<i64, Vec<i64>> = HashMap::new();
            for link in sp_task::Entity::find().all(db).await? {
                placement.entry(link.standard_proposition_id).or_default().push(link.societal_task_id);
            }
            (tasks.into_iter().map(|t| column(t.id, t.code, t.name_nl, t.name_en)).collect(), placement)
        }
        Axis::CoreFunction => {
            let functions = core_function::Entity::find().order_by_asc(core_function::Column::Position).all(db).await?;
            let placement = standard_proposition::Entity::find()
                .select_only()
                .columns([standard_proposition::Column::Id, standard_proposition::Column::CoreFunctionId])
                .into_tuple::<(i64, i64)>()
                .all(db)
                .await?
                .into_iter()
                .map(|(s, f)| (s, vec![f]))
                .collect();
            (functions.into_iter().map(|f| column(f.id, f.code, f.name_nl, f.name_en)).collect(), placement)
        }
    })
}
