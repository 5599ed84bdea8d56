//! The registry: organisations, the municipalities they serve, branches and propositions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261123_000001_create_common_model::{
    CoreFunction, Municipality, Province, SocietalTask, StandardProposition, TargetGroup,
};
use crate::{create_index, create_link_table, with_record_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Kind,
    Name,
    Slug,
    Description,
    Website,
    ProvinceId,
    SupportOrganisationId,
}

#[derive(DeriveIden)]
enum OrganisationMunicipality {
    Table,
    OrganisationId,
    MunicipalityId,
}

#[derive(DeriveIden)]
enum Branch {
    Table,
    Id,
    OrganisationId,
    Name,
    Address,
    Postcode,
    MunicipalityId,
    Latitude,
    Longitude,
}

#[derive(DeriveIden)]
enum Proposition {
    Table,
    Id,
    OrganisationId,
    Title,
    Summary,
    Description,
    StandardPropositionId,
    DeviationNote,
    SocietalTaskId,
    CoreFunctionId,
    Channel,
    Lifecycle,
    PublicationState,
    StartDate,
    EndDate,
    Schedule,
    CostKind,
    PriceCents,
    CostNote,
    ContactName,
    ContactEmail,
    ContactPhone,
    Url,
    VerifiedAt,
    PublishedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PropositionTargetGroup {
    Table,
    PropositionId,
    TargetGroupId,
}

#[derive(DeriveIden)]
enum PropositionBranch {
    Table,
    PropositionId,
    BranchId,
}

#[derive(DeriveIden)]
enum PropositionPartner {
    Table,
    PropositionId,
    OrganisationId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut org = Table::create();
        org.table(Organisation::Table)
            .col(big_pk_auto(Organisation::Id))
            .col(string_len(Organisation::Kind, 32))
            .col(string_len(Organisation::Name, 200))
            .col(string_len_uniq(Organisation::Slug, 100))
            .col(text(Organisation::Description).default(""))
            .col(string_len_null(Organisation::Website, 500))
            .col(big_integer_null(Organisation::ProvinceId))
            .col(big_integer_null(Organisation::SupportOrganisationId))
            .foreign_key(
                ForeignKey::create()
                    .from(Organisation::Table, Organisation::ProvinceId)
                    .to(Province::Table, Province::Id),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Organisation::Table, Organisation::SupportOrganisationId)
                    .to(Organisation::Table, Organisation::Id),
            );
        with_record_columns(&mut org);
        manager.create_table(org).await?;
        create_index(manager, Organisation::Table, vec![Organisation::Name.into_iden()]).await?;
        create_index(manager, Organisation::Table, vec![Organisation::ProvinceId.into_iden()]).await?;
        create_index(manager, Organisation::Table, vec![Organisation::SupportOrganisationId.into_iden()]).await?;

        create_link_table(
            manager,
            OrganisationMunicipality::Table,
            (OrganisationMunicipality::OrganisationId, Organisation::Table, Organisation::Id),
            (OrganisationMunicipality::MunicipalityId, Municipality::Table, Municipality::Id),
        )
        .await?;

        let mut branch = Table::create();
        branch
            .table(Branch::Table)
            .col(big_pk_auto(Branch::Id))
            .col(big_integer(Branch::OrganisationId))
            .col(string_len(Branch::Name, 200))
            .col(string_len(Branch::Address, 300))
            .col(string_len(Branch::Postcode, 10))
            .col(big_integer(Branch::MunicipalityId))
            .col(double_null(Branch::Latitude))
            .col(double_null(Branch::Longitude))
            .foreign_key(
                ForeignKey::create()
                    .from(Branch::Table, Branch::OrganisationId)
                    .to(Organisation::Table, Organisation::Id),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Branch::Table, Branch::MunicipalityId)
                    .to(Municipality::Table, Municipality::Id),
            );
        with_record_columns(&mut branch);
        manager.create_table(branch).await?;
        create_index(manager, Branch::Table, vec![Branch::OrganisationId.into_iden()]).await?;
        create_index(manager, Branch::Table, vec![Branch::MunicipalityId.into_iden()]).await?;

        let mut prop = Table::create();
        prop.table(Proposition::Table)
            .col(big_pk_auto(Proposition::Id))
            .col(big_integer(Proposition::OrganisationId))
            .col(string_len(Proposition::Title, 200))
            .col(string_len(Proposition::Summary, 500))
            .col(text(Proposition::Description).default(""))
            .col(big_integer_null(Proposition::StandardPropositionId))
            .col(text_null(Proposition::DeviationNote))
            .col(big_integer_null(Proposition::SocietalTaskId))
            .col(big_integer_null(Proposition::CoreFunctionId))
            .col(string_len(Proposition::Channel, 16))
            .col(string_len(Proposition::Lifecycle, 16))
            .col(string_len(Proposition::PublicationState, 16))
            .col(date_null(Proposition::StartDate))
            .col(date_null(Proposition::EndDate))
            .col(string_len_null(Proposition::Schedule, 500))
            .col(string_len(Proposition::CostKind, 16))
            .col(integer_null(Proposition::PriceCents))
            .col(string_len_null(Proposition::CostNote, 500))
            .col(string_len_null(Proposition::ContactName, 200))
            .col(string_len_null(Proposition::ContactEmail, 254))
            .col(string_len_null(Proposition::ContactPhone, 40))
            .col(string_len_null(Proposition::Url, 500))
            .col(timestamp_with_time_zone_null(Proposition::VerifiedAt))
            .col(timestamp_with_time_zone_null(Proposition::PublishedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(Proposition::Table, Proposition::OrganisationId)
                    .to(Organisation::Table, Organisation::Id),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Proposition::Table, Proposition::StandardPropositionId)
                    .to(StandardProposition::Table, StandardProposition::Id),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Proposition::Table, Proposition::SocietalTaskId)
                    .to(SocietalTask::Table, SocietalTask::Id),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Proposition::Table, Proposition::CoreFunctionId)
                    .to(CoreFunction::Table, CoreFunction::Id),
            );
        with_record_columns(&mut prop);
        manager.create_table(prop).await?;
        for cols in [
            vec![Proposition::OrganisationId.into_iden(), Proposition::PublicationState.into_iden()],
            vec![Proposition::StandardPropositionId.into_iden()],
            vec![Proposition::SocietalTaskId.into_iden()],
            vec![Proposition::CoreFunctionId.into_iden()],
            vec![Proposition::PublicationState.into_iden(), Proposition::Title.into_iden()],
            vec![Proposition::PublicationState.into_iden(), Proposition::UpdatedAt.into_iden()],
        ] {
            create_index(manager, Proposition::Table, cols).await?;
        }

        create_link_table(
            manager,
            PropositionTargetGroup::Table,
            (PropositionTargetGroup::PropositionId, Proposition::Table, Proposition::Id),
            (PropositionTargetGroup::TargetGroupId, TargetGroup::Table, TargetGroup::Id),
        )
        .await?;
        create_link_table(
            manager,
            PropositionBranch::Table,
            (PropositionBranch::PropositionId, Proposition::Table, Proposition::Id),
            (PropositionBranch::BranchId, Branch::Table, Branch::Id),
        )
        .await?;
        create_link_table(
            manager,
            PropositionPartner::Table,
            (PropositionPartner::PropositionId, Proposition::Table, Proposition::Id),
            (PropositionPartner::OrganisationId, Organisation::Table, Organisation::Id),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
