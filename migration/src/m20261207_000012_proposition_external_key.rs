//! A library's own key for a proposition (the row key of its spreadsheet, or its own system's id),
//! unique within the library, so that a sheet can be imported again and change the propositions it
//! created instead of adding them twice.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Proposition {
    Table,
    OrganisationId,
    ExternalKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Proposition::Table)
                    .add_column(ColumnDef::new(Proposition::ExternalKey).string_len(100).null())
                    .to_owned(),
            )
            .await?;
        // Rows without a key (NULL) do not collide, on PostgreSQL and SQLite alike.
        manager
            .create_index(
                Index::create()
                    .name("idx_proposition_organisation_external_key")
                    .table(Proposition::Table)
                    .col(Proposition::OrganisationId)
                    .col(Proposition::ExternalKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
