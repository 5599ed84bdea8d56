//! A library's offer as a spreadsheet: the documented column layout, reading an uploaded sheet
//! (CSV), writing the offer in the same layout (so that a download–edit–upload round trip works),
//! and the import ([`import`]) that checks every row before anything is written.
//!
//! May use: `registry` (propositions, branches, their rules), `network` (mapping help for unmapped
//! rows), `common_model`, `kernel`, `identity`.

pub mod graphql;
pub mod import;
pub mod xlsx;

use std::collections::HashMap;

use entity::{
    branch, core_function, proposition, proposition_branch, proposition_target_group as ptg, societal_task,
    standard_proposition, target_group,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::registry::proposition as prop_service;

/// The largest sheet an upload may be.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The most rows (propositions) one sheet may hold.
pub const MAX_ROWS: usize = 2000;
/// Where list cells separate their values.
pub const LIST_SEPARATOR: char = ';';

/// The sheet's columns, in order: the header and what its cells hold (the README's table).
pub const COLUMNS: [(&str, &str); 25] = [
    ("id", "the registry's number of the proposition (as in /aanbod/12); empty for a new one"),
    (
        "sleutel",
        "the library's own key for the row, unique within the library; matches the row again on the next import",
    ),
    ("versie", "the version exported; when given, a row changed in the registry since then is refused"),
    ("status", "DRAFT, PUBLISHED or ARCHIVED; exported for reading, not changed by an import"),
    ("titel", "the title (required)"),
    ("samenvatting", "a summary of at most 500 characters (required)"),
    ("beschrijving", "the full description"),
    (
        "standaardpropositie",
        "the code of the standard proposition it is mapped onto (e.g. DIGISTERKER); empty for a local proposition",
    ),
    ("afwijking", "how it deviates from the standard proposition"),
    ("kernfunctie", "for a local proposition: the code of its core function (required then)"),
    ("maatschappelijke_opgave", "for a local proposition: the code of its societal task"),
    ("doelgroepen", "target group codes, separated by ;"),
    ("kanaal", "ON_SITE, ONLINE or HYBRID (required)"),
    ("fase", "PILOT, REGULAR, PAUSED or STOPPED (REGULAR when empty)"),
    ("startdatum", "the first day, as 2026-09-01 or 01-09-2026"),
    ("einddatum", "the last day, not before the first"),
    ("wanneer", "days and times"),
    ("kosten", "FREE or PAID (FREE when empty)"),
    ("prijs", "for a paid proposition: the price in euros, as 12,50"),
    ("toelichting_kosten", "a note on the cost"),
    ("contactpersoon", "a person or desk"),
    ("contact_email", "an e-mail address"),
    ("contact_telefoon", "a phone number"),
    ("webpagina", "a web page (https://…)"),
    ("vestigingen", "the names of the library's branches where it runs, separated by ;"),
];

/// The column a field of the API's input is read from, for naming it in an error.
pub fn column_of(field: &str) -> &'static str {
    match field {
        "title" => "titel",
        "summary" => "samenvatting",
        "description" => "beschrijving",
        "standardPropositionCode" => "standaardpropositie",
        "deviationNote" => "afwijking",
        "coreFunctionCode" => "kernfunctie",
        "societalTaskCode" => "maatschappelijke_opgave",
        "targetGroupCodes" => "doelgroepen",
        "channel" => "kanaal",
        "lifecycle" => "fase",
        "startDate" => "startdatum",
        "endDate" => "einddatum",
        "schedule" => "wanneer",
        "costKind" => "kosten",
        "priceCents" => "prijs",
        "costNote" => "toelichting_kosten",
        "contactName" => "contactpersoon",
        "contactEmail" => "contact_email",
        "contactPhone" => "contact_telefoon",
        "url" => "webpagina",
        "branchIds" => "vestigingen",
        "externalKey" => "sleutel",
        _ => "",
    }
}

/// The formats a sheet can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
}

/// One row of a sheet: its line in the file and its cells by column.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub line: usize,
    cells: HashMap<&'static str, String>,
}

impl Row {
    /// A cell, trimmed; empty when the column is missing.
    pub fn get(&self, column: &str) -> &str {
        self.cells.get(column).map(|c| c.trim()).unwrap_or_default()
    }

    /// A list cell's values.
    pub fn list(&self, column: &str) -> Vec<String> {
        self.get(column).split(LIST_SEPARATOR).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect()
    }

    #[cfg(test)]
    pub fn of(line: usize, cells: &[(&'static str, &str)]) -> Self {
        Self { line, cells: cells.iter().map(|(k, v)| (*k, v.to_string())).collect() }
    }
}

/// A read sheet: its rows, and the headers it had that the layout does not know (ignored).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub rows: Vec<Row>,
    pub unknown_columns: Vec<String>,
}

pub(crate) fn sheet_error(message: impl Into<String>) -> AppError {
    AppError::invalid("sheet", message)
}

/// Reads an uploaded sheet: the first row names the columns (in any order; `titel` must be
/// one), every further non-empty row is a proposition. A CSV may be separated by `;` (as a Dutch
/// spreadsheet writes it) or `,`, with or without a byte-order mark.
pub fn read(format: Format, bytes: &[u8]) -> AppResult<Sheet> {
    if bytes.len() > MAX_BYTES {
        return Err(sheet_error(format!("is larger than {} MB", MAX_BYTES / 1024 / 1024)));
    }
    match format {
        Format::Csv => read_csv(bytes),
    }
}

fn read_csv(bytes: &[u8]) -> AppResult<Sheet> {
    let text = std::str::from_utf8(bytes).map_err(|_| sheet_error("is not UTF-8 text; save the CSV as UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() >= first.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(sheet_error(format!("cannot be read as CSV: {e}"))),
        None => return Err(sheet_error("is empty")),
    };
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    let mut unknown = Vec::new();
    for name in header.iter() {
        let name = name.trim().to_lowercase();
        match COLUMNS.iter().find(|(c, _)| *c == name) {
            Some((c, _)) if columns.contains(&Some(*c)) => {
                return Err(sheet_error(format!("names the column {c} twice")));
            }
            Some((c, _)) => columns.push(Some(*c)),
            None => {
                if !name.is_empty() {
                    unknown.push(name.chars().take(60).collect());
                }
                columns.push(None);
            }
        }
    }
    if !columns.contains(&Some("titel")) {
        return Err(sheet_error("has no column titel in its first row; start from the template"));
    }
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| sheet_error(format!("cannot be read as CSV: {e}")))?;
        let line = record.position().map_or(rows.len() + 2, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(sheet_error(format!("has more than {MAX_ROWS} rows; split it")));
        }
        let mut cells = HashMap::new();
        for (column, cell) in columns.iter().zip(record.iter()) {
            if let Some(column) = column {
                cells.insert(*column, unguard(cell).to_string());
            }
        }
        rows.push(Row { line, cells });
    }
    Ok(Sheet { rows, unknown_columns: unknown })
}

/// A cell as a spreadsheet would not run it: one that starts like a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets an apostrophe before it.
pub fn guard(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The inverse of [`guard`]: an exported cell read back is the text it was.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if matches!(rest.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) => rest,
        _ => cell,
    }
}

/// Writes rows as the sheet's CSV: `;`-separated UTF-8 with a byte-order mark (so that a Dutch
/// spreadsheet opens it as it is), every cell guarded against formulas.
fn write_csv(rows: &[Vec<String>]) -> AppResult<String> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    writer.write_record(COLUMNS.iter().map(|(c, _)| *c)).map_err(|e| AppError::Internal(e.into()))?;
    for row in rows {
        writer.write_record(row.iter().map(|c| guard(c))).map_err(|e| AppError::Internal(e.into()))?;
    }
    let bytes = writer.into_inner().map_err(|e| AppError::Internal(e.to_string().into()))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

/// The empty sheet: the header row only.
pub fn template() -> AppResult<String> {
    write_csv(&[])
}

/// The library's propositions the actor may change, every state, in the sheet's layout (by
/// title), read in a fixed number of statements whatever the offer's size.
pub async fn export<C: ConnectionTrait>(db: &C, actor: &Actor, organisation_id: i64) -> AppResult<String> {
    if !prop_service::may_edit(actor, organisation_id) {
        return Err(AppError::Forbidden("only the library's own editors may export its offer as a sheet".into()));
    }
    let propositions = proposition::Entity::find()
        .filter(proposition::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(proposition::Column::Title)
        .order_by_asc(proposition::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = propositions.iter().map(|p| p.id).collect();
    let codes = |pairs: Vec<(i64, String)>| pairs.into_iter().collect::<HashMap<i64, String>>();
    let standards = codes(
        standard_proposition::Entity::find()
            .select_only()
            .column(standard_proposition::Column::Id)
            .column(standard_proposition::Column::Code)
            .into_tuple()
            .all(db)
            .await?,
    );
    let functions = codes(
        core_function::Entity::find()
            .select_only()
            .column(core_function::Column::Id)
            .column(core_function::Column::Code)
            .into_tuple()
            .all(db)
            .await?,
    );
    let tasks = codes(
        societal_task::Entity::find()
            .select_only()
            .column(societal_task::Column::Id)
            .column(societal_task::Column::Code)
            .into_tuple()
            .all(db)
            .await?,
    );
    let groups = codes(
        target_group::Entity::find()
            .select_only()
            .column(target_group::Column::Id)
            .column(target_group::Column::Code)
            .into_tuple()
            .all(db)
            .await?,
    );
    let branches: HashMap<i64, String> = branch::Entity::find()
        .filter(branch::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let mut group_links: HashMap<i64, Vec<String>> = HashMap::new();
    for link in ptg::Entity::find().filter(ptg::Column::PropositionId.is_in(ids.clone())).all(db).await? {
        if let Some(code) = groups.get(&link.target_group_id) {
            group_links.entry(link.proposition_id).or_default().push(code.clone());
        }
    }
    let mut branch_links: HashMap<i64, Vec<String>> = HashMap::new();
    for link in
        proposition_branch::Entity::find().filter(proposition_branch::Column::PropositionId.is_in(ids)).all(db).await?
    {
        if let Some(name) = branches.get(&link.branch_id) {
            branch_links.entry(link.proposition_id).or_default().push(name.clone());
        }
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let code = |map: &HashMap<i64, String>, id: Option<i64>| id.and_then(|i| map.get(&i).cloned()).unwrap_or_default();
    let rows: Vec<Vec<String>> = propositions
        .iter()
        .map(|p| {
            let mut groups = group_links.remove(&p.id).unwrap_or_default();
            groups.sort();
            let mut branches = branch_links.remove(&p.id).unwrap_or_default();
            branches.sort();
            vec![
                p.id.to_string(),
                text(&p.external_key),
                p.version.to_string(),
                enum_name(&p.publication_state),
                p.title.clone(),
                p.summary.clone(),
                p.description.clone(),
                code(&standards, p.standard_proposition_id),
                text(&p.deviation_note),
                code(&functions, p.core_function_id),
                code(&tasks, p.societal_task_id),
                groups.join("; "),
                enum_name(&p.channel),
                enum_name(&p.lifecycle),
                p.start_date.map(|d| d.to_string()).unwrap_or_default(),
                p.end_date.map(|d| d.to_string()).unwrap_or_default(),
                text(&p.schedule),
                enum_name(&p.cost_kind),
                p.price_cents.map(|c| format!("{},{:02}", c / 100, c % 100)).unwrap_or_default(),
                text(&p.cost_note),
                text(&p.contact_name),
                text(&p.contact_email),
                text(&p.contact_phone),
                text(&p.url),
                branches.join("; "),
            ]
        })
        .collect();
    write_csv(&rows)
}

/// A stored enum's name as the API writes it (`ON_SITE`).
fn enum_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Imports a sheet file into a library's offer from the command line (`registry import`), as
/// `cli:<who>` acting as the library's editor.
pub async fn import_file(
    db: &sea_orm::DatabaseConnection,
    slug: &str,
    who: &str,
    bytes: &[u8],
    write: bool,
) -> AppResult<import::Report> {
    let org = crate::registry::organisation::by_slug(db, slug)
        .await?
        .ok_or_else(|| AppError::invalid("org", format!("no organisation {slug}")))?;
    let actor = Actor {
        subject: Some(format!("cli:{who}")),
        role: Some(crate::identity::Role::LibraryEditor),
        organisation: Some(crate::identity::ActorOrganisation { id: org.id, kind: org.kind }),
        credential: Some("cli".into()),
        ..Actor::default()
    };
    let sheet = if xlsx::is_xlsx(bytes) {
        if bytes.len() > MAX_BYTES {
            return Err(sheet_error(format!("is larger than {} MB", MAX_BYTES / 1024 / 1024)));
        }
        read(Format::Csv, xlsx::to_csv(bytes)?.as_bytes())?
    } else {
        read(Format::Csv, bytes)?
    };
    import::import(db, &actor, org.id, sheet, !write).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_on_export_and_read_back_as_they_were() {
        for dangerous in ["=1+1", "+31 79 123", "-5", "@SUM(A1)", "\tx"] {
            let guarded = guard(dangerous);
            assert!(guarded.starts_with('\''), "{dangerous}");
            assert_eq!(unguard(&guarded), dangerous);
        }
        assert_eq!(guard("Taalcafé"), "Taalcafé");
        assert_eq!(unguard("'s Avonds"), "'s Avonds", "an apostrophe of the text itself stays");
    }

    #[test]
    fn a_sheet_is_read_by_its_headers_in_either_separator_and_bounded() {
        let csv = "\u{feff}Titel;kanaal;onbekend\nTaalcafé;ON_SITE;x\n;;\n\"Met; puntkomma\";ONLINE;y\n";
        let sheet = read(Format::Csv, csv.as_bytes()).unwrap();
        assert_eq!(sheet.rows.len(), 2, "the empty row is skipped");
        assert_eq!(sheet.rows[0].get("titel"), "Taalcafé");
        assert_eq!(sheet.rows[1].get("titel"), "Met; puntkomma");
        assert_eq!(sheet.rows[1].line, 4);
        assert_eq!(sheet.unknown_columns, ["onbekend"]);
        let commas = read(Format::Csv, b"titel,doelgroepen\nA,SENIORS; ADULTS\n").unwrap();
        assert_eq!(commas.rows[0].list("doelgroepen"), ["SENIORS", "ADULTS"]);

        for bad in [&b""[..], b"naam;kanaal\nA;B\n", b"titel;titel\n", &[0xff, 0xfe, 0x00][..]] {
            assert!(read(Format::Csv, bad).is_err(), "{bad:?}");
        }
        let mut many = String::from("titel\n");
        for i in 0..=MAX_ROWS {
            many.push_str(&format!("rij {i}\n"));
        }
        assert!(read(Format::Csv, many.as_bytes()).is_err(), "too many rows");
        assert!(read(Format::Csv, &vec![b'a'; MAX_BYTES + 1]).is_err(), "too large");
    }
}
