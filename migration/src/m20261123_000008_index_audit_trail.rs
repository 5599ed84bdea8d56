//! Indexes for the audit trail's filters (actor, organisation, credential, request, time), so a
//! maintainer's question about one caller walks its own entries, newest first, not the whole log.

use sea_orm_migration::prelude::*;

use crate::create_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Id,
    ActorSubject,
    ActorOrganisationId,
    Credential,
    RequestId,
    OccurredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The trail is paged newest first by id, so each filter column leads and id follows.
        for column in
            [ChangeLog::ActorSubject, ChangeLog::ActorOrganisationId, ChangeLog::Credential, ChangeLog::RequestId]
        {
            create_index(manager, ChangeLog::Table, vec![column.into_iden(), ChangeLog::Id.into_iden()]).await?;
        }
        create_index(manager, ChangeLog::Table, vec![ChangeLog::OccurredAt.into_iden()]).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
