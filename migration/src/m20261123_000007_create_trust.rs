//! Trust: partner API keys, idempotency keys, and an audit trail that cannot be altered.
//!
//! The change log becomes the audit trail: it gains the credential and the request id behind each
//! change, and triggers refuse every UPDATE and DELETE of it on both databases, so that not even a
//! bug in the registry can rewrite history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::create_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
    OrganisationId,
    Name,
    Hint,
    SecretHash,
    Scopes,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    RevokedBy,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKey {
    Table,
    Id,
    Owner,
    Key,
    Fingerprint,
    Completed,
    Status,
    Response,
    CreatedAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Credential,
    RequestId,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

const POSTGRES_APPEND_ONLY: &str = "
CREATE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the change log is append-only';
END $$;
CREATE TRIGGER change_log_no_update BEFORE UPDATE OR DELETE ON change_log
  FOR EACH ROW EXECUTE FUNCTION change_log_append_only();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log
  FOR EACH STATEMENT EXECUTE FUNCTION change_log_append_only();
";

const SQLITE_APPEND_ONLY: &str = "
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiKey::Table)
                    .col(big_pk_auto(ApiKey::Id))
                    .col(big_integer(ApiKey::OrganisationId))
                    .col(string_len(ApiKey::Name, 100))
                    .col(string_len(ApiKey::Hint, 16))
                    .col(string_len_uniq(ApiKey::SecretHash, 64))
                    .col(string_len(ApiKey::Scopes, 200))
                    .col(string_len(ApiKey::CreatedBy, 200))
                    .col(timestamp_with_time_zone(ApiKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKey::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiKey::RevokedAt))
                    .col(string_len_null(ApiKey::RevokedBy, 200))
                    .col(timestamp_with_time_zone_null(ApiKey::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiKey::Table, ApiKey::OrganisationId)
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        create_index(manager, ApiKey::Table, vec![ApiKey::OrganisationId.into_iden(), ApiKey::Id.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKey::Table)
                    .col(big_pk_auto(IdempotencyKey::Id))
                    .col(string_len(IdempotencyKey::Owner, 200))
                    .col(string_len(IdempotencyKey::Key, 200))
                    .col(string_len(IdempotencyKey::Fingerprint, 64))
                    .col(boolean(IdempotencyKey::Completed))
                    .col(integer_null(IdempotencyKey::Status))
                    .col(json_null(IdempotencyKey::Response))
                    .col(timestamp_with_time_zone(IdempotencyKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(IdempotencyKey::CompletedAt))
                    .index(
                        Index::create()
                            .name("uq_idempotency_key_owner_key")
                            .col(IdempotencyKey::Owner)
                            .col(IdempotencyKey::Key)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        create_index(manager, IdempotencyKey::Table, vec![IdempotencyKey::CreatedAt.into_iden()]).await?;

        for column in [ChangeLog::Credential, ChangeLog::RequestId] {
            manager
                .alter_table(Table::alter().table(ChangeLog::Table).add_column(string_len_null(column, 200)).to_owned())
                .await?;
        }
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared(POSTGRES_APPEND_ONLY).await?,
            _ => db.execute_unprepared(SQLITE_APPEND_ONLY).await?,
        };
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
