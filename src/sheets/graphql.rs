//! The sheet in the API: a library's offer as CSV in the sheet's layout, the empty template, and
//! the import (checked and reported first with `dryRun`, then written).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use crate::kernel::{actor, db, ids};
use crate::network::graphql::MappingCandidate;
use crate::registry::graphql::proposition::Proposition;
use crate::sheets::import::{self, Outcome, Report, RowReport};
use crate::sheets::{self as svc, Format};

/// A library's offer as a spreadsheet.
#[derive(Default)]
pub struct SheetQuery;

/// A library's offer as a spreadsheet.
#[Object]
impl SheetQuery {
    /// Your library's propositions (every state) as a CSV sheet in the import's layout
    /// (`;`-separated, UTF-8): edit it and import it again. Cells a spreadsheet would take for a
    /// formula start with an apostrophe. Library editors only.
    async fn proposition_sheet(&self, ctx: &Context<'_>, organisation_id: ID) -> async_graphql::Result<String> {
        let organisation = ids::decode("organisationId", "Organisation", &organisation_id)?;
        Ok(svc::export(db(ctx), actor(ctx), organisation).await?)
    }

    /// The empty sheet: the header row of the import's layout.
    async fn proposition_sheet_template(&self) -> async_graphql::Result<String> {
        Ok(svc::template()?)
    }

    /// The sheet's columns, in order, with what their cells hold.
    async fn proposition_sheet_columns(&self) -> Vec<SheetColumn> {
        svc::COLUMNS.iter().map(|(name, holds)| SheetColumn { name: (*name).into(), holds: (*holds).into() }).collect()
    }
}

/// A column of the proposition sheet.
#[derive(SimpleObject)]
pub struct SheetColumn {
    /// Its header.
    name: String,
    /// What its cells hold.
    holds: String,
}

/// A sheet of a library's propositions to import.
#[derive(InputObject)]
pub struct ImportPropositionsInput {
    /// The library.
    organisation_id: ID,
    /// The sheet as CSV text (UTF-8; `;` or `,` separated), its first row naming the columns
    /// (see `propositionSheetColumns`); at most 1 MB and 2,000 rows.
    csv: String,
    /// True (the default): check every row and report, writing nothing. False: write the valid
    /// rows, all of them or none, and report the refused ones.
    #[graphql(default = true)]
    dry_run: bool,
}

/// Importing a sheet.
#[derive(Default)]
pub struct SheetMutation;

/// Importing a sheet.
#[Object]
impl SheetMutation {
    /// Imports a sheet of your library's propositions: each row is matched to a proposition by its
    /// `id` or the library's own `sleutel` (else it is new, as a draft), checked by the same rules
    /// as `createProposition` and `updateProposition`, and reported with the columns it changes
    /// or the column of its error. Rows with errors are never written.
    async fn import_propositions(
        &self,
        ctx: &Context<'_>,
        input: ImportPropositionsInput,
    ) -> async_graphql::Result<ImportReport> {
        let organisation = ids::decode("organisationId", "Organisation", &input.organisation_id)?;
        let sheet = svc::read(Format::Csv, input.csv.as_bytes())?;
        Ok(ImportReport(import::import(db(ctx), actor(ctx), organisation, sheet, input.dry_run).await?))
    }
}

/// What an import did, or would do.
pub struct ImportReport(Report);

/// What an import did, or would do.
#[Object]
impl ImportReport {
    /// Whether this was a check only (nothing written).
    async fn dry_run(&self) -> bool {
        self.0.dry_run
    }
    /// Whether the valid rows were written.
    async fn written(&self) -> bool {
        self.0.written()
    }
    /// Rows that create a proposition.
    async fn created(&self) -> usize {
        self.0.count(Outcome::Create)
    }
    /// Rows that change one.
    async fn changed(&self) -> usize {
        self.0.count(Outcome::Change)
    }
    /// Rows that match one and change nothing.
    async fn unchanged(&self) -> usize {
        self.0.count(Outcome::Unchanged)
    }
    /// Rows refused (never written).
    async fn refused(&self) -> usize {
        self.0.count(Outcome::Error)
    }
    /// Headers of the sheet that the layout does not know (their cells were ignored).
    async fn unknown_columns(&self) -> &[String] {
        &self.0.unknown_columns
    }
    /// Every row, in the sheet's order (at most 2,000).
    async fn rows(&self) -> Vec<ImportRow> {
        self.0.rows.iter().cloned().map(ImportRow).collect()
    }
}

/// What became of a row.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new proposition (a draft).
    Create,
    /// Changes to a proposition.
    Change,
    /// Matches a proposition and changes nothing.
    Unchanged,
    /// Refused: see `errors`.
    Error,
}

/// One row of an import.
pub struct ImportRow(RowReport);

/// One row of an import.
#[Object]
impl ImportRow {
    /// Its line in the sheet (the header is line 1).
    async fn line(&self) -> usize {
        self.0.line
    }
    /// What became of it.
    async fn outcome(&self) -> ImportOutcome {
        match self.0.outcome {
            Outcome::Create => ImportOutcome::Create,
            Outcome::Change => ImportOutcome::Change,
            Outcome::Unchanged => ImportOutcome::Unchanged,
            Outcome::Error => ImportOutcome::Error,
        }
    }
    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The proposition it created or changes (null for a new row in a dry run, or a refused one).
    async fn proposition(&self) -> Option<Proposition> {
        self.0.proposition.clone().map(Proposition)
    }
    /// The columns whose values it changes.
    async fn changed_columns(&self) -> &[String] {
        &self.0.changed
    }
    /// Why it was refused: each cell's column and message.
    async fn errors(&self) -> Vec<ImportError> {
        self.0.errors.iter().map(|e| ImportError { column: e.column.clone(), message: e.message.clone() }).collect()
    }
    /// For a row without a standard proposition: the ones it most resembles, best first.
    async fn suggestions(&self) -> Vec<MappingCandidate> {
        self.0.candidates.iter().cloned().map(MappingCandidate).collect()
    }
}

/// A refused cell of an import.
#[derive(SimpleObject)]
pub struct ImportError {
    /// The column (its header).
    column: String,
    /// Why.
    message: String,
}
