//! People and their sessions: a person (the identity provider's issuer and subject, a name, an
//! e-mail address) holds memberships of organisations, each with a role and an admin flag, and
//! signs in to server-side sessions of which only a hash of the token is stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::{create_index, with_record_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    Issuer,
    Subject,
    Name,
    Email,
    LastSignedInAt,
}

#[derive(DeriveIden)]
enum Membership {
    Table,
    Id,
    PersonId,
    OrganisationId,
    Role,
    Admin,
    GrantedBy,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    TokenHash,
    CsrfToken,
    PersonId,
    MembershipId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    PendingState,
    PendingNonce,
    PendingVerifier,
    PendingReturnTo,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut person = Table::create();
        person
            .table(Person::Table)
            .col(big_pk_auto(Person::Id))
            .col(string_len(Person::Issuer, 500))
            .col(string_len(Person::Subject, 255))
            .col(string_len(Person::Name, 200))
            .col(string_len_null(Person::Email, 320))
            .col(timestamp_with_time_zone_null(Person::LastSignedInAt))
            .index(Index::create().name("uq_person_issuer_subject").col(Person::Issuer).col(Person::Subject).unique());
        manager.create_table(with_record_columns(&mut person).to_owned()).await?;
        create_index(manager, Person::Table, vec![Person::Email.into_iden()]).await?;

        let mut membership = Table::create();
        membership
            .table(Membership::Table)
            .col(big_pk_auto(Membership::Id))
            .col(big_integer(Membership::PersonId))
            .col(big_integer(Membership::OrganisationId))
            .col(string_len(Membership::Role, 40))
            .col(boolean(Membership::Admin))
            .col(string_len(Membership::GrantedBy, 200))
            .index(
                Index::create()
                    .name("uq_membership_person_organisation")
                    .col(Membership::PersonId)
                    .col(Membership::OrganisationId)
                    .unique(),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Membership::Table, Membership::PersonId)
                    .to(Person::Table, Person::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Membership::Table, Membership::OrganisationId)
                    .to(Organisation::Table, Organisation::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            );
        manager.create_table(with_record_columns(&mut membership).to_owned()).await?;
        create_index(manager, Membership::Table, vec![Membership::OrganisationId.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(big_pk_auto(Session::Id))
                    .col(string_len_uniq(Session::TokenHash, 64))
                    .col(string_len(Session::CsrfToken, 64))
                    .col(big_integer_null(Session::PersonId))
                    .col(big_integer_null(Session::MembershipId))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::LastSeenAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .col(string_len_null(Session::PendingState, 64))
                    .col(string_len_null(Session::PendingNonce, 128))
                    .col(string_len_null(Session::PendingVerifier, 128))
                    .col(string_len_null(Session::PendingReturnTo, 500))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::PersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::MembershipId)
                            .to(Membership::Table, Membership::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        create_index(manager, Session::Table, vec![Session::ExpiresAt.into_iden()]).await?;
        create_index(manager, Session::Table, vec![Session::PersonId.into_iden()]).await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
