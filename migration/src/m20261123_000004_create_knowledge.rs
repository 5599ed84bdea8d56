//! Shared customer knowledge: research studies, customer journeys and their stages, insights,
//! improvement ideas, adoptions, and links from knowledge to propositions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261123_000001_create_common_model::{Municipality, Province, StandardProposition, TargetGroup};
use crate::{create_index, create_link_table, with_record_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Proposition {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Study {
    Table,
    Id,
    Title,
    Summary,
    PeriodStart,
    PeriodEnd,
    ParticipantCount,
    ReportUrl,
    QuotesAnonymised,
    ConsentRecorded,
    ValidUntil,
    Visibility,
    EvidenceStrength,
}

#[derive(DeriveIden)]
enum StudyMethod {
    Table,
    StudyId,
    Method,
}

#[derive(DeriveIden)]
enum StudyCommissioner {
    Table,
    StudyId,
    OrganisationId,
}

#[derive(DeriveIden)]
enum StudyConductor {
    Table,
    StudyId,
    OrganisationId,
}

#[derive(DeriveIden)]
enum StudyTargetGroup {
    Table,
    StudyId,
    TargetGroupId,
}

#[derive(DeriveIden)]
enum StudyMunicipality {
    Table,
    StudyId,
    MunicipalityId,
}

#[derive(DeriveIden)]
enum StudyProvince {
    Table,
    StudyId,
    ProvinceId,
}

#[derive(DeriveIden)]
enum Journey {
    Table,
    Id,
    StudyId,
    Title,
    Description,
    TargetGroupId,
    StandardPropositionId,
}

#[derive(DeriveIden)]
enum JourneyProposition {
    Table,
    JourneyId,
    PropositionId,
}

#[derive(DeriveIden)]
enum JourneyStage {
    Table,
    Id,
    JourneyId,
    Position,
    Name,
    Description,
    Touchpoints,
    Pains,
    Gains,
    EmotionScore,
    Quotes,
}

#[derive(DeriveIden)]
enum Insight {
    Table,
    Id,
    StudyId,
    StageId,
    Statement,
    Explanation,
    Quotes,
    EvidenceStrength,
    EvidenceRank,
    State,
    SupersededById,
}

#[derive(DeriveIden)]
enum InsightTargetGroup {
    Table,
    InsightId,
    TargetGroupId,
}

#[derive(DeriveIden)]
enum InsightStandardProposition {
    Table,
    InsightId,
    StandardPropositionId,
}

#[derive(DeriveIden)]
enum Idea {
    Table,
    Id,
    StudyId,
    Title,
    Description,
    Priority,
}

#[derive(DeriveIden)]
enum IdeaInsight {
    Table,
    IdeaId,
    InsightId,
}

#[derive(DeriveIden)]
enum Adoption {
    Table,
    Id,
    IdeaId,
    OrganisationId,
    PropositionId,
    Status,
    StartedOn,
    CompletedOn,
    EffectNote,
}

#[derive(DeriveIden)]
enum KnowledgeLink {
    Table,
    Id,
    StudyId,
    InsightId,
    PropositionId,
    StandardPropositionId,
    Relation,
    Note,
    LinkKey,
}

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut study = Table::create();
        study
            .table(Study::Table)
            .col(big_pk_auto(Study::Id))
            .col(string_len(Study::Title, 300))
            .col(text(Study::Summary).default(""))
            .col(date(Study::PeriodStart))
            .col(date_null(Study::PeriodEnd))
            .col(integer_null(Study::ParticipantCount))
            .col(string_len_null(Study::ReportUrl, 500))
            .col(boolean(Study::QuotesAnonymised).default(false))
            .col(boolean(Study::ConsentRecorded).default(false))
            .col(date(Study::ValidUntil))
            .col(string_len(Study::Visibility, 16))
            .col(string_len(Study::EvidenceStrength, 16));
        with_record_columns(&mut study);
        manager.create_table(study).await?;
        create_index(manager, Study::Table, vec![Study::Visibility.into_iden(), Study::PeriodStart.into_iden()])
            .await?;
        create_index(manager, Study::Table, vec![Study::Title.into_iden()]).await?;
        create_index(manager, Study::Table, vec![Study::ValidUntil.into_iden()]).await?;

        manager
            .create_table(
                Table::create()
                    .table(StudyMethod::Table)
                    .col(big_integer(StudyMethod::StudyId))
                    .col(string_len(StudyMethod::Method, 32))
                    .primary_key(Index::create().col(StudyMethod::StudyId).col(StudyMethod::Method))
                    .foreign_key(
                        fk((StudyMethod::Table, StudyMethod::StudyId), (Study::Table, Study::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        create_index(manager, StudyMethod::Table, vec![StudyMethod::Method.into_iden()]).await?;
        create_link_table(
            manager,
            StudyCommissioner::Table,
            (StudyCommissioner::StudyId, Study::Table, Study::Id),
            (StudyCommissioner::OrganisationId, Organisation::Table, Organisation::Id),
        )
        .await?;
        create_link_table(
            manager,
            StudyConductor::Table,
            (StudyConductor::StudyId, Study::Table, Study::Id),
            (StudyConductor::OrganisationId, Organisation::Table, Organisation::Id),
        )
        .await?;
        create_link_table(
            manager,
            StudyTargetGroup::Table,
            (StudyTargetGroup::StudyId, Study::Table, Study::Id),
            (StudyTargetGroup::TargetGroupId, TargetGroup::Table, TargetGroup::Id),
        )
        .await?;
        create_link_table(
            manager,
            StudyMunicipality::Table,
            (StudyMunicipality::StudyId, Study::Table, Study::Id),
            (StudyMunicipality::MunicipalityId, Municipality::Table, Municipality::Id),
        )
        .await?;
        create_link_table(
            manager,
            StudyProvince::Table,
            (StudyProvince::StudyId, Study::Table, Study::Id),
            (StudyProvince::ProvinceId, Province::Table, Province::Id),
        )
        .await?;

        let mut journey = Table::create();
        journey
            .table(Journey::Table)
            .col(big_pk_auto(Journey::Id))
            .col(big_integer(Journey::StudyId))
            .col(string_len(Journey::Title, 300))
            .col(text(Journey::Description).default(""))
            .col(big_integer(Journey::TargetGroupId))
            .col(big_integer_null(Journey::StandardPropositionId))
            .foreign_key(&mut fk((Journey::Table, Journey::StudyId), (Study::Table, Study::Id)))
            .foreign_key(&mut fk((Journey::Table, Journey::TargetGroupId), (TargetGroup::Table, TargetGroup::Id)))
            .foreign_key(&mut fk(
                (Journey::Table, Journey::StandardPropositionId),
                (StandardProposition::Table, StandardProposition::Id),
            ));
        with_record_columns(&mut journey);
        manager.create_table(journey).await?;
        for col in [Journey::StudyId, Journey::TargetGroupId, Journey::StandardPropositionId] {
            create_index(manager, Journey::Table, vec![col.into_iden()]).await?;
        }
        create_link_table(
            manager,
            JourneyProposition::Table,
            (JourneyProposition::JourneyId, Journey::Table, Journey::Id),
            (JourneyProposition::PropositionId, Proposition::Table, Proposition::Id),
        )
        .await?;

        let mut stage = Table::create();
        stage
            .table(JourneyStage::Table)
            .col(big_pk_auto(JourneyStage::Id))
            .col(big_integer(JourneyStage::JourneyId))
            .col(integer(JourneyStage::Position))
            .col(string_len(JourneyStage::Name, 200))
            .col(text(JourneyStage::Description).default(""))
            .col(json(JourneyStage::Touchpoints))
            .col(json(JourneyStage::Pains))
            .col(json(JourneyStage::Gains))
            .col(integer_null(JourneyStage::EmotionScore))
            .col(json(JourneyStage::Quotes))
            .foreign_key(&mut fk((JourneyStage::Table, JourneyStage::JourneyId), (Journey::Table, Journey::Id)));
        with_record_columns(&mut stage);
        manager.create_table(stage).await?;
        create_index(
            manager,
            JourneyStage::Table,
            vec![JourneyStage::JourneyId.into_iden(), JourneyStage::Position.into_iden()],
        )
        .await?;

        let mut insight = Table::create();
        insight
            .table(Insight::Table)
            .col(big_pk_auto(Insight::Id))
            .col(big_integer(Insight::StudyId))
            .col(big_integer_null(Insight::StageId))
            .col(string_len(Insight::Statement, 500))
            .col(text(Insight::Explanation).default(""))
            .col(json(Insight::Quotes))
            .col(string_len(Insight::EvidenceStrength, 16))
            .col(integer(Insight::EvidenceRank))
            .col(string_len(Insight::State, 16))
            .col(big_integer_null(Insight::SupersededById))
            .foreign_key(&mut fk((Insight::Table, Insight::StudyId), (Study::Table, Study::Id)))
            .foreign_key(&mut fk((Insight::Table, Insight::StageId), (JourneyStage::Table, JourneyStage::Id)))
            .foreign_key(&mut fk((Insight::Table, Insight::SupersededById), (Insight::Table, Insight::Id)));
        with_record_columns(&mut insight);
        manager.create_table(insight).await?;
        create_index(manager, Insight::Table, vec![Insight::StudyId.into_iden()]).await?;
        create_index(manager, Insight::Table, vec![Insight::StageId.into_iden()]).await?;
        create_index(
            manager,
            Insight::Table,
            vec![Insight::State.into_iden(), Insight::EvidenceRank.into_iden(), Insight::Id.into_iden()],
        )
        .await?;
        create_link_table(
            manager,
            InsightTargetGroup::Table,
            (InsightTargetGroup::InsightId, Insight::Table, Insight::Id),
            (InsightTargetGroup::TargetGroupId, TargetGroup::Table, TargetGroup::Id),
        )
        .await?;
        create_link_table(
            manager,
            InsightStandardProposition::Table,
            (InsightStandardProposition::InsightId, Insight::Table, Insight::Id),
            (InsightStandardProposition::StandardPropositionId, StandardProposition::Table, StandardProposition::Id),
        )
        .await?;

        let mut idea = Table::create();
        idea.table(Idea::Table)
            .col(big_pk_auto(Idea::Id))
            .col(big_integer(Idea::StudyId))
            .col(string_len(Idea::Title, 300))
            .col(text(Idea::Description).default(""))
            .col(string_len(Idea::Priority, 16))
            .foreign_key(&mut fk((Idea::Table, Idea::StudyId), (Study::Table, Study::Id)));
        with_record_columns(&mut idea);
        manager.create_table(idea).await?;
        create_index(manager, Idea::Table, vec![Idea::StudyId.into_iden()]).await?;
        create_link_table(
            manager,
            IdeaInsight::Table,
            (IdeaInsight::IdeaId, Idea::Table, Idea::Id),
            (IdeaInsight::InsightId, Insight::Table, Insight::Id),
        )
        .await?;

        let mut adoption = Table::create();
        adoption
            .table(Adoption::Table)
            .col(big_pk_auto(Adoption::Id))
            .col(big_integer(Adoption::IdeaId))
            .col(big_integer(Adoption::OrganisationId))
            .col(big_integer_null(Adoption::PropositionId))
            .col(string_len(Adoption::Status, 16))
            .col(date_null(Adoption::StartedOn))
            .col(date_null(Adoption::CompletedOn))
            .col(text_null(Adoption::EffectNote))
            .foreign_key(&mut fk((Adoption::Table, Adoption::IdeaId), (Idea::Table, Idea::Id)))
            .foreign_key(&mut fk((Adoption::Table, Adoption::OrganisationId), (Organisation::Table, Organisation::Id)))
            .foreign_key(&mut fk((Adoption::Table, Adoption::PropositionId), (Proposition::Table, Proposition::Id)));
        with_record_columns(&mut adoption);
        manager.create_table(adoption).await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_adoption_idea_organisation")
                    .table(Adoption::Table)
                    .col(Adoption::IdeaId)
                    .col(Adoption::OrganisationId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        create_index(manager, Adoption::Table, vec![Adoption::OrganisationId.into_iden()]).await?;
        create_index(manager, Adoption::Table, vec![Adoption::PropositionId.into_iden()]).await?;

        let mut link = Table::create();
        link.table(KnowledgeLink::Table)
            .col(big_pk_auto(KnowledgeLink::Id))
            .col(big_integer(KnowledgeLink::StudyId))
            .col(big_integer_null(KnowledgeLink::InsightId))
            .col(big_integer_null(KnowledgeLink::PropositionId))
            .col(big_integer_null(KnowledgeLink::StandardPropositionId))
            .col(string_len(KnowledgeLink::Relation, 24))
            .col(text_null(KnowledgeLink::Note))
            .col(string_len_uniq(KnowledgeLink::LinkKey, 120))
            .foreign_key(&mut fk((KnowledgeLink::Table, KnowledgeLink::StudyId), (Study::Table, Study::Id)))
            .foreign_key(&mut fk((KnowledgeLink::Table, KnowledgeLink::InsightId), (Insight::Table, Insight::Id)))
            .foreign_key(&mut fk(
                (KnowledgeLink::Table, KnowledgeLink::PropositionId),
                (Proposition::Table, Proposition::Id),
            ))
            .foreign_key(&mut fk(
                (KnowledgeLink::Table, KnowledgeLink::StandardPropositionId),
                (StandardProposition::Table, StandardProposition::Id),
            ));
        with_record_columns(&mut link);
        manager.create_table(link).await?;
        for col in [
            KnowledgeLink::StudyId,
            KnowledgeLink::InsightId,
            KnowledgeLink::PropositionId,
            KnowledgeLink::StandardPropositionId,
        ] {
            create_index(manager, KnowledgeLink::Table, vec![col.into_iden()]).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the registry's migrations are forward-only".into()))
    }
}
