//! Provinces and municipalities, including the maintainers' import of the official CBS list.

use entity::{municipality, province};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::{history, now, require_maintainer, text, validate};

/// All provinces, by name.
pub async fn provinces(db: &DatabaseConnection) -> AppResult<Vec<province::Model>> {
    Ok(province::Entity::find().order_by_asc(province::Column::Name).all(db).await?)
}

/// The municipalities, optionally of one province, by name.
pub async fn municipalities(
    db: &DatabaseConnection,
    province_code: Option<&str>,
) -> AppResult<Vec<municipality::Model>> {
    let mut select = municipality::Entity::find();
    if let Some(code) = province_code {
        let p = province_by_code(db, "provinceCode", code).await?;
        select = select.filter(municipality::Column::ProvinceId.eq(p.id));
    }
    Ok(select.order_by_asc(municipality::Column::Name).all(db).await?)
}

/// A province by its CBS code (PV28) or its name (Zuid-Holland, zuid-holland, Fryslan for Fryslân);
/// an unknown one is a user error naming the closest province when one is close.
pub async fn province_by_code<C: ConnectionTrait>(db: &C, field: &str, code: &str) -> AppResult<province::Model> {
    let asked = code.trim();
    let all = province::Entity::find().all(db).await?;
    let folded = text::fold(asked);
    if let Some(found) = all.iter().find(|p| p.code.eq_ignore_ascii_case(asked) || text::fold(&p.name) == folded) {
        return Ok(found.clone());
    }
    let hint = text::closest(asked, all.iter().map(|p| p.name.as_str()))
        .and_then(|name| all.iter().find(|p| p.name == name))
        .map(|p| format!("; did you mean {} ({})?", p.name, p.code))
        .unwrap_or_default();
    let shown: String = asked.chars().take(80).collect();
    Err(AppError::invalid(field, format!("unknown province: {shown}{hint}")))
}

/// The most municipalities one input names (the Netherlands has 342).
pub const MUNICIPALITIES_MAX: usize = 400;

/// Resolves municipalities, each by its CBS code (GM0637) or its name (Zoetermeer, folded as
/// people type it: súdwest-fryslan), to ids. A name two municipalities share is refused with their
/// codes; the first unknown one is refused naming the closest municipality when one is close.
pub async fn municipality_ids<C: ConnectionTrait>(db: &C, field: &str, codes: &[String]) -> AppResult<Vec<i64>> {
    let mut asked: Vec<&str> = codes.iter().map(|c| c.trim()).collect();
    asked.sort_unstable();
    asked.dedup();
    if asked.len() > MUNICIPALITIES_MAX {
        return Err(AppError::invalid(field, format!("name at most {MUNICIPALITIES_MAX} municipalities")));
    }
    // Codes only (the common case, and what partners' systems send): just the municipalities asked
    // for; a name needs the whole directory to compare with.
    let codes: Option<Vec<String>> = asked.iter().map(|a| validate::municipality_code(field, a).ok()).collect();
    let mut select = municipality::Entity::find().select_only().columns([
        municipality::Column::Id,
        municipality::Column::Code,
        municipality::Column::Name,
    ]);
    if let Some(codes) = codes {
        select = select.filter(municipality::Column::Code.is_in(codes));
    }
    let all: Vec<(i64, String, String)> = select.into_tuple().all(db).await?;
    // Folded once, and only when a name is asked for.
    let mut folded: Option<Vec<String>> = None;
    let mut ids = Vec::with_capacity(asked.len());
    for asked in asked {
        if let Ok(code) = validate::municipality_code(field, asked) {
            match all.iter().find(|(_, c, _)| *c == code) {
                Some((id, _, _)) => ids.push(*id),
                None => {
                    return Err(AppError::invalid(
                        field,
                        format!("unknown municipality: {code} (no municipality has this CBS code)"),
                    ));
                }
            }
            continue;
        }
        let names = folded.get_or_insert_with(|| all.iter().map(|(_, _, name)| text::fold(name)).collect());
        let wanted = text::fold(asked);
        let named: Vec<&(i64, String, String)> =
            all.iter().zip(names.iter()).filter(|(_, name)| **name == wanted).map(|(m, _)| m).collect();
        match named[..] {
            [(id, _, _)] => ids.push(*id),
            [] => {
                let hint = text::closest(asked, all.iter().map(|(_, _, name)| name.as_str()))
                    .and_then(|name| all.iter().find(|(_, _, n)| n == name))
                    .map(|(_, code, name)| format!("; did you mean {name} ({code})?"))
                    .unwrap_or_default();
                let shown: String = asked.chars().take(80).collect();
                return Err(AppError::invalid(
                    field,
                    format!("unknown municipality: {shown}{hint} (a CBS code such as GM0637, or a name)"),
                ));
            }
            _ => {
                let codes: Vec<&str> = named.iter().map(|(_, code, _)| code.as_str()).collect();
                return Err(AppError::invalid(
                    field,
                    format!("{asked} names several municipalities; give the CBS code: {}", codes.join(", ")),
                ));
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// What an import of the municipality list did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// Imports municipalities from CSV with the header `code,name,province` (province by CBS code or
/// name). All rows are checked before anything is written; one bad row rejects the whole file.
pub async fn import_municipalities(db: &DatabaseConnection, actor: &Actor, csv_text: &str) -> AppResult<ImportSummary> {
    require_maintainer(actor)?;
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(csv_text.as_bytes());
    let headers = reader.headers().map_err(|e| AppError::invalid("csv", format!("unreadable header: {e}")))?.clone();
    let col = |name: &str| {
        headers.iter().position(|h| h.eq_ignore_ascii_case(name)).ok_or_else(|| {
            AppError::invalid(
                "csv",
                format!("the header must name the columns code, name and province; `{name}` is missing"),
            )
        })
    };
    let (c_code, c_name, c_prov) = (col("code")?, col("name")?, col("province")?);
    let provinces = province::Entity::find().all(db).await?;
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| AppError::invalid("csv", format!("line {line}: {e}")))?;
        let field = |idx: usize| record.get(idx).unwrap_or("").to_string();
        let code = validate::municipality_code("csv", &field(c_code)).map_err(|_| {
            AppError::invalid("csv", format!("line {line}: `{}` is not a CBS code such as GM0637", field(c_code)))
        })?;
        let name = validate::required("csv", &field(c_name), 100)
            .map_err(|_| AppError::invalid("csv", format!("line {line}: the name is missing or too long")))?;
        let prov_text = field(c_prov);
        let prov = provinces
            .iter()
            .find(|p| p.code.eq_ignore_ascii_case(&prov_text) || p.name.eq_ignore_ascii_case(&prov_text))
            .ok_or_else(|| AppError::invalid("csv", format!("line {line}: unknown province `{prov_text}`")))?;
        if !seen.insert(code.clone()) {
            return Err(AppError::invalid("csv", format!("line {line}: {code} appears twice")));
        }
        rows.push((code, name, prov.id));
    }
    if rows.is_empty() {
        return Err(AppError::invalid("csv", "holds no municipalities"));
    }
    let txn = crate::kernel::begin_write(db).await?;
    let mut summary = ImportSummary::default();
    for (code, name, province_id) in rows {
        let existing = municipality::Entity::find().filter(municipality::Column::Code.eq(&code)).one(&txn).await?;
        match existing {
            Some(m) if m.name == name && m.province_id == province_id => summary.unchanged += 1,
            Some(m) => {
                let before = history::snapshot(&m);
                let mut active: municipality::ActiveModel = m.clone().into();
                active.name = Set(name);
                active.province_id = Set(province_id);
                active.version = Set(m.version + 1);
                active.updated_at = Set(now());
                let model = sea_orm::ActiveModelTrait::update(active, &txn).await?;
                let after = history::snapshot(&model);
                history::record(
                    &txn,
                    actor,
                    Change::changed(
                        RecordKind::Municipality,
                        model.id,
                        ChangeAction::Update,
                        model.version,
                        &before,
                        &after,
                    ),
                )
                .await?;
                summary.updated += 1;
            }
            None => {
                let ts = now();
                let model = municipality::Entity::insert(municipality::ActiveModel {
                    id: NotSet,
                    code: Set(code),
                    name: Set(name),
                    province_id: Set(province_id),
                    version: Set(1),
                    created_at: Set(ts),
                    updated_at: Set(ts),
                })
                .exec_with_returning(&txn)
                .await?;
                let after = history::snapshot(&model);
                history::record(&txn, actor, Change::created(RecordKind::Municipality, model.id, &after)).await?;
                summary.created += 1;
            }
        }
    }
    txn.commit().await?;
    Ok(summary)
}
