//! The network's common model: core functions, societal tasks, target groups, standard propositions, regions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::with_record_columns;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum CoreFunction {
    Table,
    Id,
    Code,
    NameNl,
    NameEn,
    DescriptionNl,
    DescriptionEn,
    Position,
}

#[derive(DeriveIden)]
pub(crate) enum SocietalTask {
    Table,
    Id,
    Code,
    NameNl,
    NameEn,
    DescriptionNl,
    DescriptionEn,
    Position,
}

#[derive(DeriveIden)]
pub(crate) enum TargetGroup {
    Table,
    Id,
    Code,
    ParentId,
    NameNl,
    NameEn,
    DescriptionNl,
    DescriptionEn,
    MinAge,
    MaxAge,
    Position,
}

#[derive(DeriveIden)]
pub(crate) enum StandardProposition {
    Table,
    Id,
    Code,
    NameNl,
    NameEn,
    DescriptionNl,
    DescriptionEn,
    CoreFunctionId,
    Status,
    RetiredAt,
    RetirementNote,
}

#[derive(DeriveIden)]
enum StandardPropositionSocietalTask {
    Table,
    StandardPropositionId,
    SocietalTaskId,
}

#[derive(DeriveIden)]
enum StandardPropositionTargetGroup {
    Table,
    StandardPropositionId,
    TargetGroupId,
}

#[derive(DeriveIden)]
pub(crate) enum Province {
    Table,
    Id,
    Code,
    Name,
}

#[derive(DeriveIden)]
pub(crate) enum Municipality {
    Table,
    Id,
    Code,
    Name,
    ProvinceId,
}

/// A labelled vocabulary table (core functions, societal tasks) with code, Dutch and English labels.
fn vocabulary<T: IntoIden + 'static>(table: T, id: T, code: T, labels: [T; 4], position: T) -> TableCreateStatement {
    let [name_nl, name_en, description_nl, description_en] = labels;
    let mut stmt = Table::create();
    stmt.table(table)
        .col(big_pk_auto(id))
        .col(string_len_uniq(code, 64))
        .col(string_len(name_nl, 200))
        .col(string_len(name_en, 200))
        .col(text(description_nl).default(""))
        .col(text(description_en).default(""))
        .col(integer(position).default(0));
    with_record_columns(&mut stmt);
    stmt
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CoreFunction as Cf;
        use SocietalTask as St;
        manager
            .create_table(vocabulary(
                Cf::Table,
                Cf::Id,
                Cf::Code,
                [Cf::NameNl, Cf::NameEn, Cf::DescriptionNl, Cf::DescriptionEn],
                Cf::Position,
            ))
            .await?;
        manager
            .create_table(vocabulary(
                St::Table,
                St::Id,
                St::Code,
                [St::NameNl, St::NameEn, St::DescriptionNl, St::DescriptionEn],
                St::Position,
            ))
            .await?;

        let mut tg = Table::create();
        tg.table(TargetGroup::Table)
            .col(big_pk_auto(TargetGroup::Id))
            .col(string_len_uniq(TargetGroup::Code, 64))
            .col(big_integer_null(TargetGroup::ParentId))
            .col(string_len(TargetGroup::NameNl, 200))
            .col(string_len(TargetGroup::NameEn, 200))
            .col(text(TargetGroup::DescriptionNl).default(""))
            .col(text(TargetGroup::DescriptionEn).default(""))
            .col(integer_null(TargetGroup::MinAge))
            .col(integer_null(TargetGroup::MaxAge))
            .col(integer(TargetGroup::Position).default(0))
            .foreign_key(
                ForeignKey::create()
                    .from(TargetGroup::Table, TargetGroup::ParentId)
                    .to(TargetGroup::Table, TargetGroup::Id),
            );
        with_record_columns(&mut tg);
        manager.create_table(tg).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_target_group_parent")
                    .table(TargetGroup::Table)
                    .col(TargetGroup::ParentId)
                    .to_owned(),
            )
            .await?;

        let mut sp = Table::create();
        sp.table(StandardProposition::Table)
            .col(big_pk_auto(StandardProposition::Id))
            .col(string_len_uniq(StandardProposition::Code, 64))
            .col(string_len(StandardProposition::NameNl, 200))
            .col(string_len(StandardProposition::NameEn, 200))
            .col(text(StandardProposition::DescriptionNl).default(""))
            .col(text(StandardProposition::DescriptionEn).default(""))
            .col(big_integer(StandardProposition::CoreFunctionId))
            .col(string_len(StandardProposition::Status, 16))
            .col(timestamp_with_time_zone_null(StandardProposition::RetiredAt))
            .col(text_null(StandardProposition::RetirementNote))
            .foreign_key(
                ForeignKey::create()
                    .from(StandardProposition::Table, StandardProposition::CoreFunctionId)
                    .to(CoreFunction::Table, CoreFunction::Id),
            );
        with_record_columns(&mut sp);
        manager.create_table(sp).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_standard_proposition_core_function")
                    .table(StandardProposition::Table)
                    .col(StandardProposition::CoreFunctionId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StandardPropositionSocietalTask::Table)
                    .col(big_integer(StandardPropositionSocietalTask::StandardPropositionId))
                    .col(big_integer(StandardPropositionSocietalTask::SocietalTaskId))
                    .primary_key(
                        Index::create()
                            .col(StandardPropositionSocietalTask::StandardPropositionId)
                            .col(StandardPropositionSocietalTask::SocietalTaskId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                StandardPropositionSocietalTask::Table,
                                StandardPropositionSocietalTask::StandardPropositionId,
                            )
                            .to(StandardProposition::Table, StandardProposition::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                StandardPropositionSocietalTask::Table,
                                StandardPropositionSocietalTask::SocietalTaskId,
                            )
                            .to(SocietalTask::Table, SocietalTask::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sp_societal_task_task")
                    .table(StandardPropositionSocietalTask::Table)
                    .col(StandardPropositionSocietalTask::SocietalTaskId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StandardPropositionTargetGroup::Table)
                    .col(big_integer(StandardPropositionTargetGroup::StandardPropositionId))
                    .col(big_integer(StandardPropositionTargetGroup::TargetGroupId))
                    .primary_key(
                        Index::create()
                            .col(StandardPropositionTargetGroup::StandardPropositionId)
                            .col(StandardPropositionTargetGroup::TargetGroupId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                StandardPropositionTargetGroup::Table,
                                StandardPropositionTargetGroup::StandardPropositionId,
                            )
                            .to(StandardProposition::Table, StandardProposition::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(StandardPropositionTargetGroup::Table, StandardPropositionTargetGroup::TargetGroupId)
                            .to(TargetGroup::Table, TargetGroup::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sp_target_group_group")
                    .table(StandardPropositionTargetGroup::Table)
                    .col(StandardPropositionTargetGroup::TargetGroupId)
                    .to_owned(),
            )
            .await?;

        let mut pv = Table::create();
        pv.table(Province::Table)
            .col(big_pk_auto(Province::Id))
            .col(string_len_uniq(Province::Code, 8))
            .col(string_len_uniq(Province::Name, 100));
        with_record_columns(&mut pv);
        manager.create_table(pv).await?;

        let mut gm = Table::create();
        gm.table(Municipality::Table)
            .col(big_pk_auto(Municipality::Id))
            .col(string_len_uniq(Municipality::Code, 8))
            .col(string_len(Municipality::Name, 100))
            .col(big_integer(Municipality::ProvinceId))
            .foreign_key(
                ForeignKey::create()
                    .from(Municipality::Table, Municipality::ProvinceId)
                    .to(Province::Table, Province::Id),
            );
        with_record_columns(&mut gm);
        manager.create_table(gm).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_municipality_province")
                    .table(Municipality::Table)
                    .col(Municipality::ProvinceId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
