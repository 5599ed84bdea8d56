//! An index for the most common filtered page: published propositions of some channels, newest
//! change first; a page walks it instead of skipping the other channels' rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Proposition {
    Table,
    PublicationState,
    Channel,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_proposition_publication_state_channel_updated_at")
                    .table(Proposition::Table)
                    .col(Proposition::PublicationState)
                    .col(Proposition::Channel)
                    .col(Proposition::UpdatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
