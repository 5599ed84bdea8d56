//! A proposition as its edit form holds it: every field as the person typed or chose it, read from
//! the posted form, from the registry's answer, and turned into the API's input — only the fields
//! the person changed, so that a save never writes back what someone else changed meanwhile.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::web::labels::Labels;

/// The form's fields, by their names in the form (the API's input names, except `price`, which the
/// form takes in euros).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Fields {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub standard_proposition_code: String,
    pub deviation_note: String,
    pub core_function_code: String,
    pub societal_task_code: String,
    pub target_group_codes: Vec<String>,
    pub channel: String,
    pub lifecycle: String,
    pub start_date: String,
    pub end_date: String,
    pub schedule: String,
    pub cost_kind: String,
    pub price: String,
    pub cost_note: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub url: String,
    pub branch_ids: Vec<String>,
}

/// Every field's name, in the form's order.
pub const NAMES: [&str; 21] = [
    "title",
    "summary",
    "description",
    "standardPropositionCode",
    "deviationNote",
    "coreFunctionCode",
    "societalTaskCode",
    "targetGroupCodes",
    "channel",
    "lifecycle",
    "startDate",
    "endDate",
    "schedule",
    "costKind",
    "price",
    "costNote",
    "contactName",
    "contactEmail",
    "contactPhone",
    "url",
    "branchIds",
];

/// What a posted form carries besides the fields.
#[derive(Debug, Clone, Default)]
pub struct Posted {
    pub fields: Fields,
    pub csrf: String,
    /// The version the form was read at (an edit form).
    pub version: Option<i32>,
    /// The fields as the form was read (an edit form), to tell the person's changes from others'.
    pub base: Option<Fields>,
    /// A mapping suggestion the person chose with its button: map onto this standard proposition.
    pub map_onto: Option<String>,
    /// A state change (the buttons of the state form): `publish`, `unpublish` or `archive`.
    pub action: String,
}

impl Posted {
    /// Reads a posted form's pairs; unknown names are ignored, repeated ones are lists.
    pub fn read(pairs: Vec<(String, String)>) -> Self {
        let mut posted = Posted::default();
        let mut fields = Map::new();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => posted.csrf = value,
                "version" => posted.version = value.trim().parse().ok(),
                "base" => posted.base = serde_json::from_str(&value).ok(),
                "mapOnto" => posted.map_onto = Some(value).filter(|v| !v.is_empty()),
                "action" => posted.action = value,
                "targetGroupCodes" | "branchIds" => {
                    let list = fields.entry(name).or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(items) = list {
                        items.push(Value::String(value));
                    }
                }
                _ => {
                    // Browsers send a textarea's line ends as CR LF; the registry keeps LF,
                    // so an untouched text compares equal to what was stored.
                    fields.insert(name, Value::String(value.replace("\r\n", "\n")));
                }
            }
        }
        posted.fields = serde_json::from_value(Value::Object(fields)).unwrap_or_default();
        if let Some(code) = &posted.map_onto {
            posted.fields.standard_proposition_code = code.clone();
        }
        posted
    }
}

/// A field the page itself could not read (a date or an amount), before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub field: &'static str,
    pub message: &'static str,
}

impl Fields {
    fn as_map(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }

    /// A field's value as the form compares it: a text trimmed (what the registry keeps), a list
    /// sorted and without repeats.
    pub fn value(&self, name: &str) -> Vec<String> {
        match self.as_map().remove(name) {
            Some(Value::String(text)) => vec![text.trim().to_string()],
            Some(Value::Array(items)) => {
                let mut v: Vec<String> = items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                v.sort();
                v.dedup();
                v
            }
            _ => Vec::new(),
        }
    }

    /// The names of the fields whose values differ from `other`'s.
    pub fn differences(&self, other: &Fields) -> Vec<&'static str> {
        NAMES.into_iter().filter(|n| self.value(n) != other.value(n)).collect()
    }

    /// These fields, with `names` taken from `theirs`.
    pub fn overlay(&self, theirs: &Fields, names: &[&str]) -> Fields {
        let mut mine = self.as_map();
        let theirs = theirs.as_map();
        for name in names {
            if let Some(value) = theirs.get(*name) {
                mine.insert(name.to_string(), value.clone());
            }
        }
        serde_json::from_value(Value::Object(mine)).unwrap_or_else(|_| self.clone())
    }

    /// Whether the proposition is (or becomes) local: not mapped onto a standard proposition.
    pub fn is_local(&self) -> bool {
        self.standard_proposition_code.trim().is_empty()
    }

    /// The API input (`CreatePropositionInput` or `UpdatePropositionInput` without its ids) for the
    /// fields that differ from `base`: a text as typed, an emptied optional field as null, a date
    /// as `YYYY-MM-DD` and the price in cents. The core function and societal task are the
    /// standard proposition's when it is mapped, so they are sent only for a local one. Every
    /// field the page cannot read, or a required one emptied, is named at once.
    pub fn input(&self, base: &Fields) -> Result<Map<String, Value>, Vec<Unreadable>> {
        let mut input = Map::new();
        let mut errors = Vec::new();
        for name in self.differences(base) {
            if let Err(bad) = input_field(self, name, &mut input) {
                errors.push(bad);
            }
        }
        for name in ["title", "summary", "channel"] {
            let emptied =
                self.value(name).first().is_none_or(|v| v.is_empty()) && !base.value(name).concat().is_empty();
            if emptied && !errors.iter().any(|e| e.field == name) {
                errors.push(Unreadable { field: name, message: "required" });
            }
        }
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }

    /// The API input of a new proposition: every field filled in; the required ones (title,
    /// summary, channel) and every unreadable field named at once when missing.
    pub fn create_input(&self) -> Result<Map<String, Value>, Vec<Unreadable>> {
        let (input, mut errors) = match self.input(&Fields::default()) {
            Ok(input) => (input, Vec::new()),
            Err(errors) => (Map::new(), errors),
        };
        for name in ["title", "summary", "channel"] {
            if self.value(name).first().is_none_or(|v| v.is_empty()) {
                errors.push(Unreadable { field: name, message: "required" });
            }
        }
        if errors.is_empty() {
            return Ok(input);
        }
        let order = |f: &str| NAMES.iter().position(|n| *n == f).unwrap_or(usize::MAX);
        errors.sort_by_key(|e| order(e.field));
        Err(errors)
    }
}

/// One changed field into the API's input.
fn input_field(fields: &Fields, name: &'static str, input: &mut Map<String, Value>) -> Result<(), Unreadable> {
    if !fields.is_local() && matches!(name, "coreFunctionCode" | "societalTaskCode") {
        return Ok(());
    }
    let text = fields.value(name).into_iter().next().unwrap_or_default();
    let (key, value) = match name {
        "targetGroupCodes" | "branchIds" => (name, json!(fields.value(name))),
        // Required texts: sent as they are, so that the API names what is missing.
        "title" | "summary" | "description" => (name, Value::String(text)),
        "channel" | "lifecycle" | "costKind" if text.is_empty() => return Ok(()),
        "channel" | "lifecycle" | "costKind" => (name, Value::String(text)),
        "startDate" | "endDate" => (name, date(name, &text)?),
        "price" => ("priceCents", cents(&text)?),
        _ if text.is_empty() => (name, Value::Null),
        _ => (name, Value::String(text)),
    };
    input.insert(key.to_string(), value);
    Ok(())
}

/// A date as the form's date field sends it (`YYYY-MM-DD`; also `DD-MM-YYYY` as people type it
/// where a browser shows a plain text field), or null when empty.
fn date(field: &'static str, text: &str) -> Result<Value, Unreadable> {
    if text.is_empty() {
        return Ok(Value::Null);
    }
    let parsed = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d-%m-%Y"));
    match parsed {
        Ok(d) => Ok(Value::String(d.format("%Y-%m-%d").to_string())),
        Err(_) => Err(Unreadable { field, message: "date" }),
    }
}

/// An amount in euros in cents, or null when empty.
fn cents(text: &str) -> Result<Value, Unreadable> {
    match crate::kernel::validate::euros(text) {
        Ok(Some(cents)) => Ok(json!(cents)),
        Ok(None) => Ok(Value::Null),
        Err(_) => Err(Unreadable { field: "price", message: "price" }),
    }
}

/// An amount in cents as the form shows it in euros (`12,50`).
pub fn euros(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// The form field an API error names (the API takes the price in cents, the form in euros).
pub fn form_field(api_field: &str) -> &str {
    match api_field {
        "priceCents" => "price",
        other => other,
    }
}

/// A field's label, in the page's language.
pub fn label(ui: &Labels, name: &str) -> &'static str {
    match name {
        "title" => ui.f_title,
        "summary" => ui.f_summary,
        "description" => ui.f_description,
        "standardPropositionCode" | "standardProposition" | "standardPropositionId" => ui.f_standard,
        "deviationNote" => ui.f_deviation,
        "coreFunctionCode" | "coreFunction" | "coreFunctionId" => ui.f_core_function,
        "societalTaskCode" | "societalTask" | "societalTaskId" => ui.f_societal_task,
        "targetGroupCodes" | "targetGroups" | "targetGroupIds" => ui.f_target_groups,
        "channel" => ui.f_channel,
        "lifecycle" => ui.f_lifecycle,
        "startDate" => ui.f_start_date,
        "endDate" => ui.f_end_date,
        "schedule" => ui.f_schedule,
        "costKind" => ui.f_cost_kind,
        "price" | "priceCents" => ui.f_price,
        "costNote" => ui.f_cost_note,
        "contactName" => ui.f_contact_name,
        "contactEmail" => ui.f_contact_email,
        "contactPhone" => ui.f_contact_phone,
        "url" => ui.f_url,
        "branchIds" | "branches" => ui.f_branches,
        "partnerOrganisationIds" | "partners" => ui.f_partners,
        "verifiedAt" => ui.f_verified_at,
        "publicationState" => ui.f_publication_state,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_euros_become_cents() {
        for (text, cents_) in [("12,50", 1250), ("12.5", 1250), ("€ 3", 300), ("0,05", 5), ("1 250", 125_000)] {
            assert_eq!(cents(text), Ok(json!(cents_)), "{text}");
        }
        assert_eq!(cents(""), Ok(Value::Null));
        for bad in ["12,505", "twaalf", "-3", "1,2,3", ",50", "12345678"] {
            assert!(cents(bad).is_err(), "{bad}");
        }
        assert_eq!(euros(1250), "12,50");
        assert_eq!(euros(5), "0,05");
    }

    #[test]
    fn dates_as_browsers_send_them_or_people_type_them() {
        assert_eq!(date("startDate", "2026-09-01"), Ok(json!("2026-09-01")));
        assert_eq!(date("startDate", "01-09-2026"), Ok(json!("2026-09-01")));
        assert_eq!(date("startDate", ""), Ok(Value::Null));
        assert!(date("endDate", "31-02-2026").is_err());
    }

    #[test]
    fn only_the_changed_fields_are_sent() {
        let base = Fields {
            title: "Taalcafé".into(),
            summary: "Oefenen".into(),
            core_function_code: "EDUCATION".into(),
            channel: "ON_SITE".into(),
            target_group_codes: vec!["ADULTS".into()],
            price: String::new(),
            ..Default::default()
        };
        let mut now = base.clone();
        now.title = " Taalcafé Seghwaert ".into();
        now.target_group_codes = vec!["ADULTS".into(), "ADULTS".into()];
        now.url = "https://example.nl".into();
        let input = now.input(&base).unwrap();
        assert_eq!(Value::Object(input), json!({ "title": "Taalcafé Seghwaert", "url": "https://example.nl" }));

        let mut mapped = base.clone();
        mapped.standard_proposition_code = "TAALHUIS".into();
        mapped.core_function_code = "READING".into();
        let input = mapped.input(&base).unwrap();
        assert_eq!(
            Value::Object(input),
            json!({ "standardPropositionCode": "TAALHUIS" }),
            "local-only fields stay out"
        );

        let mut cleared = base.clone();
        cleared.core_function_code = String::new();
        cleared.price = "2,50".into();
        let input = cleared.input(&base).unwrap();
        assert_eq!(Value::Object(input), json!({ "coreFunctionCode": null, "priceCents": 250 }));
    }

    #[test]
    fn a_posted_form_reads_lists_and_a_chosen_mapping() {
        let pairs = [
            ("csrf", "t"),
            ("version", "3"),
            ("title", "A"),
            ("targetGroupCodes", "ADULTS"),
            ("targetGroupCodes", "SENIORS"),
            ("standardPropositionCode", ""),
            ("mapOnto", "DIGISTERKER"),
        ];
        let posted = Posted::read(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        assert_eq!(posted.version, Some(3));
        assert_eq!(posted.fields.target_group_codes, ["ADULTS", "SENIORS"]);
        assert_eq!(posted.fields.standard_proposition_code, "DIGISTERKER");
        assert!(posted.base.is_none());
    }

    #[test]
    fn others_changes_and_mine_are_told_apart() {
        let base = Fields { title: "A".into(), summary: "S".into(), ..Default::default() };
        let theirs = Fields { title: "B".into(), ..base.clone() };
        let mine = Fields { summary: "T".into(), ..base.clone() };
        assert_eq!(theirs.differences(&base), ["title"]);
        let merged = theirs.overlay(&mine, &mine.differences(&base));
        assert_eq!((merged.title.as_str(), merged.summary.as_str()), ("B", "T"));
    }
}
