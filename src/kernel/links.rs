//! Many-to-many link rows: read the ids linked to a record, and replace them in one go.

/// The sorted ids in column `$other` of link table `$m` whose `$owner` column is `$id`.
macro_rules! linked_ids {
    ($db:expr, $m:ident, $owner:ident, $id:expr, $other:ident) => {{
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
        let ids: Vec<i64> = $m::Entity::find()
            .select_only()
            .column($m::Column::$other)
            .filter($m::Column::$owner.eq($id))
            .into_tuple()
            .all($db)
            .await?;
        $crate::kernel::dedup(ids)
    }};
}

/// Replaces the rows of link table `$m` owned by `$id` with one row per id in `$ids`.
macro_rules! replace_linked {
    ($db:expr, $m:ident, $owner:ident, $id:expr, $other:ident, $ids:expr) => {{
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        $m::Entity::delete_many().filter($m::Column::$owner.eq($id)).exec($db).await?;
        let rows: Vec<$m::ActiveModel> = $ids
            .into_iter()
            .map(|other| {
                let mut row = <$m::ActiveModel as Default>::default();
                sea_orm::ActiveModelTrait::set(&mut row, $m::Column::$owner, $id.into());
                sea_orm::ActiveModelTrait::set(&mut row, $m::Column::$other, other.into());
                row
            })
            .collect();
        if !rows.is_empty() {
            $m::Entity::insert_many(rows).exec($db).await?;
        }
    }};
}

pub(crate) use {linked_ids, replace_linked};
