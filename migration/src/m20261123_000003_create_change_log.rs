//! The change log: every change to every record, who made it and what it changed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::create_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Id,
    EntityType,
    EntityId,
    Action,
    Version,
    ActorSubject,
    ActorOrganisationId,
    ActorRole,
    Changes,
    OccurredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeLog::Table)
                    .col(big_pk_auto(ChangeLog::Id))
                    .col(string_len(ChangeLog::EntityType, 64))
                    .col(big_integer(ChangeLog::EntityId))
                    .col(string_len(ChangeLog::Action, 32))
                    .col(integer(ChangeLog::Version))
                    .col(string_len_null(ChangeLog::ActorSubject, 200))
                    .col(big_integer_null(ChangeLog::ActorOrganisationId))
                    .col(string_len(ChangeLog::ActorRole, 32))
                    .col(json(ChangeLog::Changes))
                    .col(timestamp_with_time_zone(ChangeLog::OccurredAt))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            ChangeLog::Table,
            vec![ChangeLog::EntityType.into_iden(), ChangeLog::EntityId.into_iden(), ChangeLog::Id.into_iden()],
        )
        .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
