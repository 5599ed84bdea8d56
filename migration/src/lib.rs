//! Forward-only schema migrations of the registry; never edit one that has been merged.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_common_model;
mod m20261123_000002_create_registry;
mod m20261123_000003_create_change_log;
mod m20261123_000004_create_knowledge;
mod m20261123_000005_create_search;
mod m20261123_000006_index_published_by_channel;
mod m20261123_000007_create_trust;
mod m20261123_000008_index_audit_trail;
mod m20261206_000009_search_index_without_pending_list;
mod m20261206_000010_index_study_visibility;
mod m20261207_000011_create_people;
mod m20261207_000012_proposition_external_key;

/// Runs the registry's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_common_model::Migration),
            Box::new(m20261123_000002_create_registry::Migration),
            Box::new(m20261123_000003_create_change_log::Migration),
            Box::new(m20261123_000004_create_knowledge::Migration),
            Box::new(m20261123_000005_create_search::Migration),
            Box::new(m20261123_000006_index_published_by_channel::Migration),
            Box::new(m20261123_000007_create_trust::Migration),
            Box::new(m20261123_000008_index_audit_trail::Migration),
            Box::new(m20261206_000009_search_index_without_pending_list::Migration),
            Box::new(m20261206_000010_index_study_visibility::Migration),
            Box::new(m20261207_000011_create_people::Migration),
            Box::new(m20261207_000012_proposition_external_key::Migration),
        ]
    }
}

/// Columns every versioned record carries: optimistic-lock version and timestamps.
pub(crate) fn with_record_columns(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(ColumnDef::new(Record::Version).integer().not_null().default(1))
        .col(ColumnDef::new(Record::CreatedAt).timestamp_with_time_zone().not_null())
        .col(ColumnDef::new(Record::UpdatedAt).timestamp_with_time_zone().not_null())
}

#[derive(DeriveIden)]
pub(crate) enum Record {
    Version,
    CreatedAt,
    UpdatedAt,
}

/// A many-to-many link table with a composite primary key, cascading from the left side,
/// and an index on the right side for reverse lookups.
pub(crate) async fn create_link_table(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    left: (impl IntoIden, impl IntoIden, impl IntoIden),
    right: (impl IntoIden, impl IntoIden, impl IntoIden),
) -> Result<(), DbErr> {
    let table = table.into_iden();
    let (l_col, l_table, l_id) = (left.0.into_iden(), left.1.into_iden(), left.2.into_iden());
    let (r_col, r_table, r_id) = (right.0.into_iden(), right.1.into_iden(), right.2.into_iden());
    manager
        .create_table(
            Table::create()
                .table(table.clone())
                .col(ColumnDef::new(l_col.clone()).big_integer().not_null())
                .col(ColumnDef::new(r_col.clone()).big_integer().not_null())
                .primary_key(Index::create().col(l_col.clone()).col(r_col.clone()))
                .foreign_key(
                    ForeignKey::create()
                        .from(table.clone(), l_col)
                        .to(l_table, l_id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(ForeignKey::create().from(table.clone(), r_col.clone()).to(r_table, r_id))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(Index::create().name(format!("idx_{}_{}", table, r_col)).table(table).col(r_col).to_owned())
        .await
}

/// A plain index on one or more columns, named after table and columns.
pub(crate) async fn create_index(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    cols: Vec<DynIden>,
) -> Result<(), DbErr> {
    let table = table.into_iden();
    let name = format!("idx_{}_{}", table, cols.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("_"));
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col);
    }
    manager.create_index(index.to_owned()).await
}
