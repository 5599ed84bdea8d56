//! Importing a sheet of a library's propositions: every row is checked by the same rules as the
//! API's create and update (in a savepoint of one transaction), matched to an existing proposition
//! by its id or the library's own key, and reported — to create, to change (with the fields that
//! change), unchanged, or refused with the row and column of the error. A dry run writes nothing;
//! otherwise the valid rows are written together, all of them or none, and the refused rows are
//! left out to be fixed and uploaded again.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::enums::{Channel, CostKind, Lifecycle, OrganisationKind};
use entity::{branch, proposition};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::network::Candidate;
use crate::registry::organisation as org_service;
use crate::registry::proposition::{self as prop_service, PropositionInput};
use crate::sheets::{Row, Sheet, column_of};

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Create,
    Change,
    Unchanged,
    Error,
}

/// A refused cell: its column and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub column: String,
    pub message: String,
}

/// One row's report.
#[derive(Debug, Clone)]
pub struct RowReport {
    pub line: usize,
    pub outcome: Outcome,
    pub title: String,
    /// The proposition it created or changes (a dry run's new rows have none).
    pub proposition: Option<proposition::Model>,
    /// The columns whose values change.
    pub changed: Vec<String>,
    pub errors: Vec<CellError>,
    /// For a row that is (or becomes) local: the standard propositions it most resembles.
    pub candidates: Vec<Candidate>,
}

/// The whole import's report.
#[derive(Debug, Clone)]
pub struct Report {
    pub dry_run: bool,
    pub rows: Vec<RowReport>,
    pub unknown_columns: Vec<String>,
}

impl Report {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == outcome).count()
    }

    /// Whether the valid rows were written.
    pub fn written(&self) -> bool {
        !self.dry_run
    }
}

fn refused(row: &Row, errors: Vec<CellError>) -> RowReport {
    RowReport {
        line: row.line,
        outcome: Outcome::Error,
        title: row.get("titel").to_string(),
        proposition: None,
        changed: Vec::new(),
        errors,
        candidates: Vec::new(),
    }
}

fn cell(column: &str, message: impl Into<String>) -> CellError {
    CellError { column: column.to_string(), message: message.into() }
}

/// The row's cells as the API's input: the whole proposition as the row has it (an empty cell
/// clears an optional field). What the row's own text cannot say (an unknown choice, a date or an
/// amount it cannot read, a branch the library does not have) is refused here, every cell at once.
fn input_of(row: &Row, branches: &HashMap<String, i64>) -> Result<PropositionInput, Vec<CellError>> {
    let mut errors = Vec::new();
    let optional = |column: &str| {
        let v = row.get(column);
        Some((!v.is_empty()).then(|| v.to_string()))
    };
    let choice = |column: &str, errors: &mut Vec<CellError>, allowed: &[&str]| -> Option<String> {
        let v = row.get(column).to_uppercase().replace([' ', '-'], "_");
        if v.is_empty() {
            return None;
        }
        if allowed.contains(&v.as_str()) {
            Some(v)
        } else {
            errors.push(cell(column, format!("must be one of {}", allowed.join(", "))));
            None
        }
    };
    let date = |column: &str, errors: &mut Vec<CellError>| -> Option<Option<NaiveDate>> {
        let v = row.get(column);
        if v.is_empty() {
            return Some(None);
        }
        match NaiveDate::parse_from_str(v, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(v, "%d-%m-%Y")) {
            Ok(d) => Some(Some(d)),
            Err(_) => {
                errors.push(cell(column, "must be a date such as 2026-09-01"));
                None
            }
        }
    };
    let channel = choice("kanaal", &mut errors, &["ON_SITE", "ONLINE", "HYBRID"]).map(|c| match c.as_str() {
        "ONLINE" => Channel::Online,
        "HYBRID" => Channel::Hybrid,
        _ => Channel::OnSite,
    });
    if row.get("kanaal").is_empty() {
        errors.push(cell("kanaal", "is required"));
    }
    let lifecycle = choice("fase", &mut errors, &["PILOT", "REGULAR", "PAUSED", "STOPPED"]).map(|l| match l.as_str() {
        "PILOT" => Lifecycle::Pilot,
        "PAUSED" => Lifecycle::Paused,
        "STOPPED" => Lifecycle::Stopped,
        _ => Lifecycle::Regular,
    });
    let cost_kind = choice("kosten", &mut errors, &["FREE", "PAID"]).map(|k| match k.as_str() {
        "PAID" => CostKind::Paid,
        _ => CostKind::Free,
    });
    let price = match crate::kernel::validate::euros(row.get("prijs")) {
        Ok(p) => Some(p),
        Err(_) => {
            errors.push(cell("prijs", "must be an amount in euros such as 12,50"));
            None
        }
    };
    let start_date = date("startdatum", &mut errors);
    let end_date = date("einddatum", &mut errors);
    let mut branch_ids = Vec::new();
    for name in row.list("vestigingen") {
        match branches.get(&name.to_lowercase()) {
            Some(id) => branch_ids.push(*id),
            None => errors.push(cell("vestigingen", format!("the library has no branch named {name}"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let standard = optional("standaardpropositie").flatten().map(|c| c.to_uppercase());
    let local = standard.is_none();
    let code = |column: &str| optional(column).map(|c| c.map(|c| c.to_uppercase()));
    Ok(PropositionInput {
        title: Some(row.get("titel").to_string()),
        summary: Some(row.get("samenvatting").to_string()),
        description: Some(row.get("beschrijving").to_string()),
        standard_proposition_code: Some(standard),
        deviation_note: if local { Some(None) } else { optional("afwijking") },
        // The core function and task of a mapped proposition are its standard's.
        societal_task_code: if local { code("maatschappelijke_opgave") } else { None },
        core_function_code: if local { code("kernfunctie") } else { None },
        target_group_codes: Some(row.list("doelgroepen").into_iter().map(|c| c.to_uppercase()).collect()),
        channel,
        lifecycle: lifecycle.or(Some(Lifecycle::Regular)),
        start_date,
        end_date,
        schedule: optional("wanneer"),
        cost_kind: cost_kind.or(Some(CostKind::Free)),
        price_cents: price,
        cost_note: optional("toelichting_kosten"),
        contact_name: optional("contactpersoon"),
        contact_email: optional("contact_email"),
        contact_phone: optional("contact_telefoon"),
        url: optional("webpagina"),
        external_key: optional("sleutel"),
        verified_at: None,
        branch_ids: Some(branch_ids),
        partner_organisation_ids: None,
    })
}

/// The proposition a row names: by its id (which must be one of this library's), else by the
/// library's own key, else none (a new one).
enum Target {
    New,
    Existing { id: i64, version: Option<i32> },
}

fn target_of(
    row: &Row,
    by_id: &HashMap<i64, &proposition::Model>,
    by_key: &HashMap<&str, &proposition::Model>,
) -> Result<Target, CellError> {
    let version = match row.get("versie") {
        "" => None,
        v => Some(v.parse::<i32>().map_err(|_| cell("versie", "must be a whole number, as exported"))?),
    };
    let id = row.get("id");
    if !id.is_empty() {
        let number = id
            .parse::<i64>()
            .ok()
            .or_else(|| crate::kernel::ids::parse(&async_graphql::ID(id.to_string())).map(|(_, n)| n));
        return match number.and_then(|n| by_id.get(&n)) {
            Some(p) => Ok(Target::Existing { id: p.id, version }),
            None => Err(cell("id", "is not the number of one of the library's propositions")),
        };
    }
    match by_key.get(row.get("sleutel")) {
        Some(p) => Ok(Target::Existing { id: p.id, version }),
        None => Ok(Target::New),
    }
}

/// Imports a sheet into a library's offer as the actor (one of its editors). New rows become
/// drafts; changed rows keep their state.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    organisation_id: i64,
    sheet: Sheet,
    dry_run: bool,
) -> AppResult<Report> {
    crate::kernel::require_signed_in(actor)?;
    let org =
        org_service::by_id(db, organisation_id).await?.ok_or_else(|| AppError::NotFound("organisation".into()))?;
    if !prop_service::may_edit(actor, org.id) {
        return Err(AppError::Forbidden("only the library's own editors may import its offer".into()));
    }
    if org.kind != OrganisationKind::Library {
        return Err(AppError::invalid("organisationId", "only libraries publish propositions"));
    }
    let branches: HashMap<String, i64> = branch::Entity::find()
        .filter(branch::Column::OrganisationId.eq(org.id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.name.trim().to_lowercase(), b.id))
        .collect();

    let txn = crate::kernel::begin_write(db).await?;
    let existing = proposition::Entity::find().filter(proposition::Column::OrganisationId.eq(org.id)).all(&txn).await?;
    let by_id: HashMap<i64, &proposition::Model> = existing.iter().map(|p| (p.id, p)).collect();
    let by_key: HashMap<&str, &proposition::Model> =
        existing.iter().filter_map(|p| p.external_key.as_deref().map(|k| (k, p))).collect();
    let mut seen_ids: HashSet<i64> = HashSet::new();
    let mut seen_keys: HashSet<String> = HashSet::new();
    let mut reports = Vec::with_capacity(sheet.rows.len());

    for row in &sheet.rows {
        let input = match input_of(row, &branches) {
            Ok(input) => input,
            Err(errors) => {
                reports.push(refused(row, errors));
                continue;
            }
        };
        let target = match target_of(row, &by_id, &by_key) {
            Ok(target) => target,
            Err(error) => {
                reports.push(refused(row, vec![error]));
                continue;
            }
        };
        // One row per proposition: a second row of the same id or key is refused.
        let key = row.get("sleutel").to_string();
        let repeated = match &target {
            Target::Existing { id, .. } => !seen_ids.insert(*id),
            Target::New => false,
        } || (!key.is_empty() && !seen_keys.insert(key.clone()));
        if repeated {
            let column = if row.get("id").is_empty() { "sleutel" } else { "id" };
            reports
                .push(refused(row, vec![cell(column, "names a proposition an earlier row of the sheet already has")]));
            continue;
        }

        let savepoint = txn.begin().await?;
        let written = match target {
            Target::New => prop_service::create_in(&savepoint, actor, org.id, &input)
                .await
                .map(|m| (Outcome::Create, m, Vec::new())),
            Target::Existing { id, version } => {
                prop_service::update_in(&savepoint, actor, id, version, &input).await.map(|(m, changed)| {
                    let outcome = if changed.is_empty() { Outcome::Unchanged } else { Outcome::Change };
                    (outcome, m, changed)
                })
            }
        };
        let (outcome, model, changed) = match written {
            Ok(done) => done,
            Err(e) => {
                savepoint.rollback().await?;
                let error = match e {
                    AppError::BadUserInput { field, message } => {
                        let column = column_of(&field);
                        cell(if column.is_empty() { field.as_str() } else { column }, message)
                    }
                    AppError::Conflict(_) => cell(
                        "versie",
                        "the proposition was changed in the registry after this sheet was exported; export it again",
                    ),
                    AppError::NotFound(_) | AppError::Forbidden(_) => {
                        cell("id", "is not the number of one of the library's propositions")
                    }
                    other => return Err(other),
                };
                reports.push(refused(row, vec![error]));
                continue;
            }
        };
        let candidates = if model.standard_proposition_id.is_none() {
            let mut found = crate::network::suggestions(&savepoint, std::slice::from_ref(&model), 3).await?;
            found.remove(&model.id).unwrap_or_default()
        } else {
            Vec::new()
        };
        if outcome == Outcome::Unchanged {
            savepoint.rollback().await?;
        } else {
            savepoint.commit().await?;
        }
        let changed = changed.iter().map(|f| change_column(f).to_string()).filter(|c| !c.is_empty()).collect();
        reports.push(RowReport {
            line: row.line,
            outcome,
            title: model.title.clone(),
            proposition: (outcome != Outcome::Create || !dry_run).then_some(model),
            changed,
            errors: Vec::new(),
            candidates,
        });
    }
    if dry_run {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
    }
    Ok(Report { dry_run, rows: reports, unknown_columns: sheet.unknown_columns })
}

/// The sheet column of a field as the change log names it.
fn change_column(field: &str) -> &'static str {
    match field {
        "standardPropositionId" => "standaardpropositie",
        "coreFunctionId" => "kernfunctie",
        "societalTaskId" => "maatschappelijke_opgave",
        "targetGroupIds" => "doelgroepen",
        "branchIds" => "vestigingen",
        other => column_of(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rows_own_cells_are_all_checked_before_the_api_rules() {
        let branches = HashMap::from([("bibliotheek seghwaert".to_string(), 7)]);
        let row = Row::of(
            3,
            &[
                ("titel", "Taalcafé"),
                ("kanaal", "op de maan"),
                ("prijs", "twaalf"),
                ("startdatum", "31-02-2026"),
                ("vestigingen", "Bibliotheek Seghwaert; Onbekend"),
            ],
        );
        let errors = input_of(&row, &branches).unwrap_err();
        let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, ["kanaal", "prijs", "startdatum", "vestigingen"]);

        let row = Row::of(
            4,
            &[
                ("titel", "Taalcafé"),
                ("kanaal", "on site"),
                ("kosten", "paid"),
                ("prijs", "€ 2,50"),
                ("vestigingen", "bibliotheek seghwaert"),
                ("standaardpropositie", "taalhuis"),
                ("kernfunctie", "EDUCATION"),
            ],
        );
        let input = input_of(&row, &branches).unwrap();
        assert_eq!(input.channel, Some(Channel::OnSite));
        assert_eq!(input.price_cents, Some(Some(250)));
        assert_eq!(input.branch_ids, Some(vec![7]));
        assert_eq!(input.standard_proposition_code, Some(Some("TAALHUIS".into())));
        assert_eq!(input.core_function_code, None, "a mapped row's core function is its standard's");
    }
}
