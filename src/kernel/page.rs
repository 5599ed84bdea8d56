//! Keyset pagination: opaque cursors that hold the sort key and id of the last row seen.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, IntoCondition, JoinType, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic, Order, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

/// The most items one page may hold.
pub const MAX_PAGE_SIZE: u64 = 100;
/// The column alias of the rank within a partition.
const RANK: &str = "registry_rank";
/// The column aliases of a scope: which row belongs to which parent.
pub const SCOPE_ITEM: &str = "scope_item";
pub const SCOPE_PARENT: &str = "scope_parent";
/// The page size when the client does not ask for one.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// What the client asked for: how many, and after which cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
}

/// One page of results, each with its cursor.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<(String, T)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

impl<T> Page<T> {
    /// Transforms each item, keeping cursors.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
        }
    }
}

/// The value a list is sorted by, as kept in a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v")]
pub enum SortValue {
    Text(String),
    Time(DateTime<Utc>),
    Int(i64),
    Date(NaiveDate),
}

impl SortValue {
    fn into_value(self) -> sea_orm::Value {
        match self {
            SortValue::Text(s) => s.into(),
            SortValue::Time(t) => t.into(),
            SortValue::Int(i) => i.into(),
            SortValue::Date(d) => d.into(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct CursorData {
    k: SortValue,
    id: i64,
}

/// Encodes a cursor for the row with this sort value and id.
pub fn encode_cursor(key: SortValue, id: i64) -> String {
    let json = serde_json::to_vec(&CursorData { k: key, id }).expect("cursor data serialises");
    URL_SAFE_NO_PAD.encode(json)
}

fn decode_cursor(cursor: &str) -> AppResult<CursorData> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| AppError::invalid("after", "is not a cursor this list handed out"))
}

/// The cursor of the item at this position of a ranked list (search results keep their place by position).
pub fn position_cursor(position: u64) -> String {
    encode_cursor(SortValue::Int(position as i64), 0)
}

/// Where a ranked list continues after a cursor of [`position_cursor`].
pub fn position_after(after: Option<&str>) -> AppResult<u64> {
    let Some(cursor) = after else { return Ok(0) };
    match decode_cursor(cursor)? {
        CursorData { k: SortValue::Int(n), id: 0 } if n >= 0 => Ok(n as u64 + 1),
        _ => Err(AppError::invalid("after", "is not a cursor this list handed out")),
    }
}

/// The page size asked for, checked against the limits.
pub fn page_size(first: Option<i32>) -> AppResult<u64> {
    match first {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(n) if n >= 1 && (n as u64) <= MAX_PAGE_SIZE => Ok(n as u64),
        Some(_) => Err(AppError::invalid("first", format!("must be between 1 and {MAX_PAGE_SIZE}"))),
    }
}

/// How one list is ordered: a sort column (or only the id), direction, and how to read the key.
pub struct Keyset<E: EntityTrait, F> {
    pub sort: Option<E::Column>,
    pub id: E::Column,
    pub descending: bool,
    pub key_of: F,
}

impl<E, F> Keyset<E, F>
where
    E: EntityTrait,
    F: Fn(&E::Model) -> (SortValue, i64),
{
    /// Fetches one page of `select` in this order, after the given cursor.
    pub async fn fetch<C: ConnectionTrait>(
        &self,
        db: &C,
        select: Select<E>,
        args: &PageArgs,
    ) -> AppResult<Page<E::Model>> {
        let size = page_size(args.first)?;
        let order = if self.descending { Order::Desc } else { Order::Asc };
        let mut select = select;
        if let Some(after) = &args.after {
            let cursor = decode_cursor(after)?;
            select = select.filter(self.after_condition(cursor));
        }
        if let Some(sort) = self.sort {
            select = select.order_by(sort, order.clone());
        }
        let rows = select.order_by(self.id, order).limit(size + 1).all(db).await?;
        let has_next_page = rows.len() as u64 > size;
        let items = rows
            .into_iter()
            .take(size as usize)
            .map(|m| {
                let (key, id) = (self.key_of)(&m);
                (encode_cursor(key, id), m)
            })
            .collect();
        Ok(Page { items, has_next_page, has_previous_page: args.after.is_some() })
    }

    /// Fetches one page per partition (e.g. the first ten propositions of each of a hundred
    /// organisations) in a single statement, ranking rows within each partition by this order.
    pub async fn fetch_partitioned<C: ConnectionTrait>(
        &self,
        db: &C,
        select: Select<E>,
        partition: E::Column,
        partition_of: impl Fn(&E::Model) -> i64,
        args: &PageArgs,
    ) -> AppResult<HashMap<i64, Page<E::Model>>>
    where
        E::Model: FromQueryResult,
    {
        let size = page_size(args.first)?;
        let mut select = select;
        if let Some(after) = &args.after {
            select = select.filter(self.after_condition(decode_cursor(after)?));
        }
        let direction = if self.descending { "DESC" } else { "ASC" };
        let sort = self.sort.map(|c| format!("\"{}\" {direction}, ", c.as_str())).unwrap_or_default();
        let rank = format!(
            "ROW_NUMBER() OVER (PARTITION BY \"{}\" ORDER BY {sort}\"{}\" {direction})",
            partition.as_str(),
            self.id.as_str()
        );
        let mut ranked = select.into_query();
        ranked.expr_as(Expr::cust(rank), Alias::new(RANK));
        let outer = Query::select()
            .column(Asterisk)
            .from_subquery(ranked, Alias::new("ranked"))
            .and_where(Expr::col(Alias::new(RANK)).lte(size as i64 + 1))
            .order_by(Alias::new(partition.as_str()), Order::Asc)
            .order_by(Alias::new(RANK), Order::Asc)
            .to_owned();
        let statement = db.get_database_backend().build(&outer);
        let rows = E::Model::find_by_statement(statement).all(db).await?;
        let mut pages: HashMap<i64, Page<E::Model>> = HashMap::new();
        for row in rows {
            let page = pages.entry(partition_of(&row)).or_insert_with(|| Page {
                items: Vec::new(),
                has_next_page: false,
                has_previous_page: args.after.is_some(),
            });
            if page.items.len() as u64 == size {
                page.has_next_page = true;
            } else {
                let (key, id) = (self.key_of)(&row);
                page.items.push((encode_cursor(key, id), row));
            }
        }
        Ok(pages)
    }

    /// Fetches one page per parent where rows belong to parents through `scope`: a statement
    /// yielding (row id, parent id) pairs as `scope_item` and `scope_parent`. A row may belong to
    /// several parents (a study to each organisation named on it); one statement serves them all.
    pub async fn fetch_scoped<C: ConnectionTrait>(
        &self,
        db: &C,
        select: Select<E>,
        scope: SelectStatement,
        args: &PageArgs,
    ) -> AppResult<HashMap<i64, Page<E::Model>>>
    where
        E::Model: FromQueryResult,
    {
        let size = page_size(args.first)?;
        let mut select = select;
        if let Some(after) = &args.after {
            select = select.filter(self.after_condition(decode_cursor(after)?));
        }
        let table = E::default().table_name().to_string();
        let direction = if self.descending { "DESC" } else { "ASC" };
        let sort = self.sort.map(|c| format!("\"{table}\".\"{}\" {direction}, ", c.as_str())).unwrap_or_default();
        let rank = format!(
            "ROW_NUMBER() OVER (PARTITION BY \"scope\".\"{SCOPE_PARENT}\" ORDER BY {sort}\"{table}\".\"{}\" {direction})",
            self.id.as_str()
        );
        let mut ranked = select.into_query();
        ranked
            .join_subquery(
                JoinType::InnerJoin,
                scope,
                Alias::new("scope"),
                Expr::col((Alias::new("scope"), Alias::new(SCOPE_ITEM))).equals((Alias::new(&table), self.id)),
            )
            .expr_as(Expr::col((Alias::new("scope"), Alias::new(SCOPE_PARENT))), Alias::new(SCOPE_PARENT))
            .expr_as(Expr::cust(rank), Alias::new(RANK));
        let outer = Query::select()
            .column(Asterisk)
            .from_subquery(ranked, Alias::new("ranked"))
            .and_where(Expr::col(Alias::new(RANK)).lte(size as i64 + 1))
            .order_by(Alias::new(SCOPE_PARENT), Order::Asc)
            .order_by(Alias::new(RANK), Order::Asc)
            .to_owned();
        let rows = db.query_all(&outer).await?;
        let mut pages: HashMap<i64, Page<E::Model>> = HashMap::new();
        for row in rows {
            let parent: i64 = row.try_get("", SCOPE_PARENT)?;
            let model = E::Model::from_query_result(&row, "")?;
            let page = pages.entry(parent).or_insert_with(|| Page {
                items: Vec::new(),
                has_next_page: false,
                has_previous_page: args.after.is_some(),
            });
            if page.items.len() as u64 == size {
                page.has_next_page = true;
            } else {
                let (key, id) = (self.key_of)(&model);
                page.items.push((encode_cursor(key, id), model));
            }
        }
        Ok(pages)
    }

    fn after_condition(&self, cursor: CursorData) -> Condition {
        let id_after = if self.descending { self.id.lt(cursor.id) } else { self.id.gt(cursor.id) };
        match self.sort {
            None => id_after.into_condition(),
            Some(sort) => {
                let key = cursor.k.into_value();
                let beyond = if self.descending { sort.lt(key.clone()) } else { sort.gt(key.clone()) };
                Condition::any().add(beyond).add(Condition::all().add(sort.eq(key)).add(id_after))
            }
        }
    }
}

/// How many rows of `select` each parent of `scope` has (see [`Keyset::fetch_scoped`]).
pub async fn count_scoped<C: ConnectionTrait, E: EntityTrait>(
    db: &C,
    select: Select<E>,
    id: E::Column,
    scope: SelectStatement,
) -> AppResult<HashMap<i64, u64>> {
    let table = E::default().table_name().to_string();
    let mut query = select.into_query();
    query
        .clear_selects()
        .join_subquery(
            JoinType::InnerJoin,
            scope,
            Alias::new("scope"),
            Expr::col((Alias::new("scope"), Alias::new(SCOPE_ITEM))).equals((Alias::new(&table), id)),
        )
        .expr_as(Expr::col((Alias::new("scope"), Alias::new(SCOPE_PARENT))), Alias::new(SCOPE_PARENT))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .group_by_col((Alias::new("scope"), Alias::new(SCOPE_PARENT)));
    let rows = db.query_all(&query).await?;
    let mut counts = HashMap::new();
    for row in rows {
        let parent: i64 = row.try_get("", SCOPE_PARENT)?;
        let n: i64 = row.try_get("", "n")?;
        counts.insert(parent, n as u64);
    }
    Ok(counts)
}
