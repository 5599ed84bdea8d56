//! A form of any one knowledge record (a study, a journey and its stages, an insight, an idea, an
//! adoption, a link): its fields described once — name, label, kind — and from that description
//! read from a posted form, shown, compared with the values the form was read at, and turned into
//! the API's input for only the fields the person changed. A stale form (someone else saved first)
//! keeps the person's changes on top of the record as it is now and names what the other changed.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::web::labels::Labels;

/// A choice of a select or a check list: the API's code and the name a person reads.
#[derive(Debug, Clone)]
pub struct Opt {
    pub code: String,
    pub name: String,
}

impl Opt {
    pub fn new(code: impl Into<String>, name: impl Into<String>) -> Self {
        Self { code: code.into(), name: name.into() }
    }
}

/// How a field is entered, and what the API takes for it.
#[derive(Debug, Clone)]
pub enum Kind {
    /// One line of text.
    Text { max: usize },
    /// Text of several lines.
    Area { max: usize, rows: usize },
    /// A list of short texts, one a line (the API takes a list of strings).
    Lines,
    /// Quotes, one a line: the words, and after ` — ` who said them.
    Quotes,
    /// A date (`YYYY-MM-DD`; `DD-MM-YYYY` as people type it).
    Date,
    /// A whole number.
    Number { min: i64, max: i64 },
    /// A number with decimals (a comma or a point), such as a coordinate.
    Decimal { min: f64, max: f64 },
    /// One of the choices, or none.
    Choice(Vec<Opt>),
    /// Any of the choices (a list of codes or ids).
    Many(Vec<Opt>),
    /// Yes or no (a checkbox).
    Flag,
}

/// One field of a form.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The API's input name; also the form field's name.
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// The API requires it: sent even when empty, so that the API names what is missing.
    pub required: bool,
    /// A line of help under the label.
    pub hint: Option<&'static str>,
    /// Emptied, it is sent as an empty text rather than null (the API reads null as "leave it"
    /// for texts that are never absent, such as a description).
    pub empty_text: bool,
}

impl Spec {
    pub fn new(name: &'static str, label: &'static str, kind: Kind) -> Self {
        Self { name, label, kind, required: false, hint: None, empty_text: false }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Emptied, it is sent as `""` (see [`Spec::empty_text`]).
    pub fn clears_to_empty(mut self) -> Self {
        self.empty_text = true;
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// The kind's name for the template (`text`, `area`, `lines`, `date`, `number`, `choice`,
    /// `many`, `flag`).
    pub fn shape(&self) -> &'static str {
        match self.kind {
            Kind::Text { .. } => "text",
            Kind::Area { .. } => "area",
            Kind::Lines | Kind::Quotes => "lines",
            Kind::Date => "date",
            Kind::Number { .. } | Kind::Decimal { .. } => "number",
            Kind::Choice(_) => "choice",
            Kind::Many(_) => "many",
            Kind::Flag => "flag",
        }
    }

    /// The keyboard a phone shows for a number field (a minus needs the full one).
    pub fn input_mode(&self) -> &'static str {
        match self.kind {
            Kind::Decimal { .. } => "decimal",
            Kind::Number { min, .. } if min >= 0 => "numeric",
            _ => "text",
        }
    }

    pub fn options(&self) -> &[Opt] {
        match &self.kind {
            Kind::Choice(o) | Kind::Many(o) => o,
            _ => &[],
        }
    }

    pub fn max(&self) -> usize {
        match self.kind {
            Kind::Text { max } | Kind::Area { max, .. } => max,
            Kind::Date => 10,
            _ => 20_000,
        }
    }

    pub fn rows(&self) -> usize {
        match self.kind {
            Kind::Area { rows, .. } => rows,
            _ => 4,
        }
    }
}

/// A form's values by field name, as the form compares them: a text trimmed, lines without empty
/// ones, a set of choices sorted, a flag `true` or `false`.
pub type Values = BTreeMap<String, Vec<String>>;

/// One field's value from what a form sent (all values sent under its name).
fn normal(spec: &Spec, sent: &[String]) -> Vec<String> {
    let lf = |s: &String| s.replace("\r\n", "\n").replace('\r', "\n");
    match &spec.kind {
        Kind::Lines | Kind::Quotes => sent
            .iter()
            .flat_map(|s| lf(s).split('\n').map(|l| l.trim().to_string()).collect::<Vec<_>>())
            .filter(|l| !l.is_empty())
            .collect(),
        Kind::Many(_) => {
            let mut v: Vec<String> = sent.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
            v.sort();
            v.dedup();
            v
        }
        Kind::Flag => vec![sent.iter().any(|s| s == "true" || s == "on").to_string()],
        _ => vec![sent.first().map(|s| lf(s).trim().to_string()).unwrap_or_default()],
    }
}

/// The values of `specs` from a posted form's pairs (other names are left out).
pub fn read(specs: &[Spec], pairs: &[(String, String)]) -> Values {
    specs
        .iter()
        .map(|spec| {
            let sent: Vec<String> = pairs.iter().filter(|(k, _)| k == spec.name).map(|(_, v)| v.clone()).collect();
            (spec.name.to_string(), normal(spec, &sent))
        })
        .collect()
}

/// Values as the API gave them: `(name, json)` pairs — a string, a number, a bool, a list of
/// strings, or null — in the form's terms.
pub fn from_api(specs: &[Spec], api: &[(&str, Value)]) -> Values {
    specs
        .iter()
        .map(|spec| {
            let value = api.iter().find(|(n, _)| *n == spec.name).map(|(_, v)| v.clone()).unwrap_or(Value::Null);
            let sent: Vec<String> = match value {
                Value::Null => Vec::new(),
                Value::String(s) => vec![s],
                Value::Bool(b) => vec![b.to_string()],
                Value::Number(n) => vec![n.to_string()],
                Value::Array(items) => items
                    .into_iter()
                    .map(|i| match i {
                        Value::String(s) => s,
                        Value::Object(q) => quote_line(&q),
                        other => other.to_string(),
                    })
                    .collect(),
                Value::Object(_) => Vec::new(),
            };
            // Lines as the API keeps them may hold a line end inside one item; keep them whole.
            let sent = match spec.kind {
                Kind::Lines | Kind::Quotes => sent.into_iter().map(|s| s.replace('\n', " ")).collect(),
                _ => sent,
            };
            (spec.name.to_string(), normal(spec, &sent))
        })
        .collect()
}

/// A quote as one line of the form: the words, and who said them after ` — `. Words that hold
/// ` — ` themselves, said by nobody named, end in ` —` so that they read back whole.
fn quote_line(q: &Map<String, Value>) -> String {
    let text = q.get("text").and_then(Value::as_str).unwrap_or_default();
    match q.get("attribution").and_then(Value::as_str).filter(|a| !a.is_empty()) {
        Some(who) => format!("{text} — {who}"),
        None if text.contains(" — ") || text.contains(" -- ") => format!("{text} —"),
        None => text.to_string(),
    }
}

/// The names of the fields whose values differ between `a` and `b`.
pub fn differences(specs: &[Spec], a: &Values, b: &Values) -> Vec<&'static str> {
    let empty = Vec::new();
    specs
        .iter()
        .filter(|s| a.get(s.name).unwrap_or(&empty) != b.get(s.name).unwrap_or(&empty))
        .map(|s| s.name)
        .collect()
}

/// A field the page itself could not read (a date, a number), before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub field: &'static str,
    /// `date`, `number`, `required` or `choose` (at least one).
    pub what: &'static str,
}

/// The API input for the fields of `now` that differ from `base` (for a new record, `base` is
/// empty, and required fields are checked whatever they hold); or every field the page itself
/// finds missing or unreadable, all at once, before anything is sent.
pub fn input(specs: &[Spec], now: &Values, base: &Values) -> Result<Map<String, Value>, Vec<Unreadable>> {
    let changed = differences(specs, now, base);
    let new = base.is_empty();
    let mut input = Map::new();
    let mut errors = Vec::new();
    for spec in specs {
        if !(changed.contains(&spec.name) || new && spec.required) {
            continue;
        }
        match value(spec, now.get(spec.name).cloned().unwrap_or_default(), new) {
            Ok(Some(value)) => {
                input.insert(spec.name.to_string(), value);
            }
            Ok(None) => {}
            Err(bad) => errors.push(bad),
        }
    }
    if errors.is_empty() { Ok(input) } else { Err(errors) }
}

/// One field's value for the API: none when a new record leaves it out.
fn value(spec: &Spec, values: Vec<String>, new: bool) -> Result<Option<Value>, Unreadable> {
    let one = values.first().cloned().unwrap_or_default();
    let missing = values.iter().all(|v| v.trim().is_empty());
    if spec.required && missing {
        match spec.kind {
            Kind::Many(_) => return Err(Unreadable { field: spec.name, what: "choose" }),
            Kind::Lines | Kind::Quotes | Kind::Flag => {}
            _ => return Err(Unreadable { field: spec.name, what: "required" }),
        }
    }
    let number = |what| Unreadable { field: spec.name, what };
    Ok(Some(match &spec.kind {
        Kind::Text { .. } | Kind::Area { .. } if spec.required || spec.empty_text => Value::String(one),
        Kind::Text { .. } | Kind::Area { .. } | Kind::Choice(_) if one.is_empty() => {
            if new {
                return Ok(None);
            }
            Value::Null
        }
        Kind::Text { .. } | Kind::Area { .. } | Kind::Choice(_) => Value::String(one),
        Kind::Lines | Kind::Many(_) => json!(values),
        Kind::Quotes => Value::Array(values.iter().map(|l| quote(l)).collect()),
        Kind::Flag => Value::Bool(one == "true"),
        Kind::Date | Kind::Number { .. } | Kind::Decimal { .. } if one.is_empty() && new => return Ok(None),
        Kind::Date | Kind::Number { .. } | Kind::Decimal { .. } if one.is_empty() => Value::Null,
        Kind::Date => date(&one).ok_or(number("date"))?,
        Kind::Decimal { min, max } => match one.replace(',', ".").parse::<f64>() {
            Ok(n) if n.is_finite() && (*min..=*max).contains(&n) => json!(n),
            _ => return Err(number("number")),
        },
        Kind::Number { min, max } => match one.parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => json!(n),
            _ => return Err(number("number")),
        },
    }))
}

/// A quote line into the API's `QuoteInput`: who said it after the last ` — `; a line ending in
/// ` —` is words only.
fn quote(line: &str) -> Value {
    if let Some(text) = line.strip_suffix(" —").or_else(|| line.strip_suffix(" --")) {
        return json!({ "text": text.trim() });
    }
    match line.rsplit_once(" — ").or_else(|| line.rsplit_once(" -- ")) {
        Some((text, who)) if !who.trim().is_empty() => json!({ "text": text.trim(), "attribution": who.trim() }),
        _ => json!({ "text": line.trim() }),
    }
}

/// A date as a date field sends it, or as people type it.
fn date(text: &str) -> Option<Value> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d-%m-%Y"))
        .ok()
        .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
}

/// A field's value as a person reads it.
pub fn shown(ui: &Labels, spec: &Spec, values: &Values) -> String {
    let v = values.get(spec.name).cloned().unwrap_or_default();
    let named =
        |code: &String| spec.options().iter().find(|o| &o.code == code).map_or(code.clone(), |o| o.name.clone());
    let text = match spec.kind {
        Kind::Flag => if v.first().is_some_and(|f| f == "true") { ui.yes } else { ui.no }.to_string(),
        Kind::Choice(_) | Kind::Many(_) => v.iter().filter(|c| !c.is_empty()).map(named).collect::<Vec<_>>().join(", "),
        Kind::Lines | Kind::Quotes => v.join(" · "),
        _ => v.join(""),
    };
    if text.trim().is_empty() { ui.staff_empty.to_string() } else { text }
}

/// Someone else saved the record after the person opened the form.
pub struct Conflict {
    pub who: String,
    pub rows: Vec<ConflictRow>,
}

pub struct ConflictRow {
    pub label: &'static str,
    pub theirs: String,
    /// The person changed this field too: their value is in the form, the other's is shown here.
    pub mine_too: bool,
}

/// A form as a page shows it: its fields with their values, the version and values it was read
/// at, and the errors of its last sending.
pub struct RecordForm {
    /// What the form's element ids start with (several forms share a page).
    pub id: String,
    pub action: String,
    pub csrf: String,
    pub legend: String,
    pub specs: Vec<Spec>,
    pub values: Values,
    /// The values the form was read at, as JSON (an existing record's form).
    pub base: String,
    pub version: Option<i32>,
    /// Field errors: (field, message).
    pub errors: Vec<(String, String)>,
    /// A refusal that names no field of this form.
    pub summary: Option<String>,
    pub conflict: Option<Conflict>,
    pub submit: &'static str,
    /// Start folded away (an "add" form below a list).
    pub folded: bool,
}

impl RecordForm {
    pub fn new(id: &str, action: String, csrf: &str, legend: impl Into<String>, specs: Vec<Spec>) -> Self {
        Self {
            id: id.to_string(),
            action,
            csrf: csrf.to_string(),
            legend: legend.into(),
            values: Values::new(),
            specs,
            base: String::new(),
            version: None,
            errors: Vec::new(),
            summary: None,
            conflict: None,
            submit: "",
            folded: false,
        }
    }

    /// The form of an existing record: its values now, read at `version`.
    pub fn existing(mut self, values: Values, version: i32) -> Self {
        // A value the choices no longer offer (a retired standard proposition) stays choosable,
        // so that saving another field does not drop it.
        for spec in &mut self.specs {
            if let Kind::Choice(options) | Kind::Many(options) = &mut spec.kind {
                for v in values.get(spec.name).into_iter().flatten() {
                    if !v.is_empty() && !options.iter().any(|o| &o.code == v) {
                        options.push(Opt::new(v.clone(), v.clone()));
                    }
                }
            }
        }
        self.base = serde_json::to_string(&values).unwrap_or_default();
        self.values = values;
        self.version = Some(version);
        self
    }

    pub fn submit(mut self, label: &'static str) -> Self {
        self.submit = label;
        self
    }

    pub fn folded(mut self) -> Self {
        self.folded = true;
        self
    }

    pub fn with_values(mut self, values: Values) -> Self {
        self.values = values;
        self
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn label(&self, field: &str) -> &'static str {
        self.specs.iter().find(|s| s.name == field).map_or("", |s| s.label)
    }

    pub fn text(&self, field: &str) -> String {
        self.values.get(field).and_then(|v| v.first().cloned()).unwrap_or_default()
    }

    pub fn lines(&self, field: &str) -> String {
        self.values.get(field).map(|v| v.join("\n")).unwrap_or_default()
    }

    pub fn has(&self, field: &str, code: &str) -> bool {
        self.values.get(field).is_some_and(|v| v.iter().any(|c| c == code))
    }

    pub fn is_open(&self) -> bool {
        !self.folded || !self.errors.is_empty() || self.summary.is_some()
    }

    /// The page's own refusals of the values it found missing or could not read.
    pub fn unreadable(&mut self, ui: &Labels, bad: &[Unreadable]) {
        for bad in bad {
            let text = match bad.what {
                "date" => ui.staff_bad_date.to_string(),
                "required" => ui.validation("is required"),
                "choose" => ui.staff_choose_one.to_string(),
                _ => ui.staff_bad_number.to_string(),
            };
            self.errors.push((bad.field.to_string(), text));
        }
    }

    /// The API's refusal, at the field it names when that is one of this form's.
    pub fn refused(&mut self, ui: &Labels, refusal: &crate::web::forms::Refusal) {
        let field = refusal.field.as_deref().map(|f| f.rsplit('.').next().unwrap_or(f));
        match field.and_then(|f| self.specs.iter().find(|s| s.name == f)) {
            Some(spec) => self.errors.push((spec.name.to_string(), ui.validation(refusal.text()))),
            None => self.summary = Some(ui.validation(refusal.text())),
        }
    }

    /// Someone else saved first: the record as it is now (`now`, at `version`) with the person's
    /// own changes (`mine`, from `base`) on top, and what the other changed.
    pub fn stale(&mut self, ui: &Labels, now: Values, version: i32, posted: &Values, base: &Values, who: String) {
        let theirs = differences(&self.specs, &now, base);
        let mine = differences(&self.specs, posted, base);
        let rows = theirs
            .iter()
            .map(|f| {
                let spec = self.specs.iter().find(|s| s.name == *f).expect("a field of the form");
                ConflictRow {
                    label: spec.label,
                    theirs: shown(ui, spec, &now),
                    mine_too: mine.contains(f) && posted.get(*f) != now.get(*f),
                }
            })
            .collect();
        let mut values = now.clone();
        for f in mine {
            if let Some(v) = posted.get(f) {
                values.insert(f.to_string(), v.clone());
            }
        }
        self.base = serde_json::to_string(&now).unwrap_or_default();
        self.values = values;
        self.version = Some(version);
        self.conflict = Some(Conflict { who, rows });
    }
}

/// What a posted record form carries besides its fields.
pub struct Sent {
    pub pairs: Vec<(String, String)>,
    pub csrf: String,
    pub version: Option<i32>,
    pub base: Option<Values>,
}

impl Sent {
    pub fn read(pairs: Vec<(String, String)>) -> Self {
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        Self {
            csrf: get("csrf").unwrap_or_default(),
            version: get("version").and_then(|v| v.trim().parse().ok()),
            base: get("base").and_then(|b| serde_json::from_str(&b).ok()),
            pairs,
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> Vec<Spec> {
        vec![
            Spec::new("title", "Titel", Kind::Text { max: 300 }).required(),
            Spec::new("summary", "Samenvatting", Kind::Area { max: 100, rows: 3 }),
            Spec::new("pains", "Pijnpunten", Kind::Lines),
            Spec::new("quotes", "Citaten", Kind::Quotes),
            Spec::new("periodEnd", "Einde", Kind::Date),
            Spec::new("emotionScore", "Emotie", Kind::Number { min: -2, max: 2 }),
            Spec::new("methods", "Methoden", Kind::Many(vec![Opt::new("SURVEY", "Enquête")])),
            Spec::new("consentRecorded", "Toestemming", Kind::Flag),
        ]
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_new_record_sends_what_was_filled_in() {
        let now = read(
            &specs(),
            &pairs(&[("title", "Onderzoek"), ("methods", "SURVEY"), ("pains", "te druk\r\n\r\nte laat ")]),
        );
        let sent = input(&specs(), &now, &Values::new()).unwrap();
        assert_eq!(
            Value::Object(sent),
            json!({ "title": "Onderzoek", "pains": ["te druk", "te laat"], "methods": ["SURVEY"], "consentRecorded": false })
        );
    }

    #[test]
    fn only_changed_fields_are_sent_and_emptied_ones_as_null() {
        let api = [
            ("title", json!("Onderzoek")),
            ("summary", json!("Iets")),
            ("quotes", json!([{ "text": "Fijn", "attribution": "een deelnemer" }])),
            ("emotionScore", json!(1)),
            ("consentRecorded", json!(true)),
        ];
        let base = from_api(&specs(), &api);
        assert_eq!(base["quotes"], ["Fijn — een deelnemer"]);
        let mut now = base.clone();
        now.insert("summary".into(), vec![String::new()]);
        now.insert("emotionScore".into(), vec!["-2".into()]);
        now.insert("quotes".into(), vec!["Fijn — een deelnemer".into(), "Te druk".into()]);
        let sent = input(&specs(), &now, &base).unwrap();
        assert_eq!(
            Value::Object(sent),
            json!({ "summary": null, "emotionScore": -2,
                    "quotes": [{ "text": "Fijn", "attribution": "een deelnemer" }, { "text": "Te druk" }] })
        );
        now.insert("emotionScore".into(), vec!["3".into()]);
        assert_eq!(input(&specs(), &now, &base).unwrap_err(), [Unreadable { field: "emotionScore", what: "number" }]);
        now.insert("emotionScore".into(), vec!["1".into()]);
        now.insert("periodEnd".into(), vec!["31-02-2026".into()]);
        assert_eq!(input(&specs(), &now, &base).unwrap_err(), [Unreadable { field: "periodEnd", what: "date" }]);
        now.insert("periodEnd".into(), vec!["01-03-2026".into()]);
        assert_eq!(input(&specs(), &now, &base).unwrap()["periodEnd"], json!("2026-03-01"));
    }

    #[test]
    fn quotes_read_back_whole_and_required_choices_are_asked_for() {
        let api =
            [("quotes", json!([{ "text": "Eerst dit — dan dat" }, { "text": "Ja", "attribution": "een ouder" }]))];
        let base = from_api(&specs(), &api);
        assert_eq!(base["quotes"], ["Eerst dit — dan dat —", "Ja — een ouder"]);
        let mut now = base.clone();
        now.get_mut("quotes").unwrap().push("Nee".into());
        assert_eq!(
            input(&specs(), &now, &base).unwrap()["quotes"],
            json!([{ "text": "Eerst dit — dan dat" }, { "text": "Ja", "attribution": "een ouder" }, { "text": "Nee" }])
        );
        // Every required field left empty is named at once, before anything is sent.
        let empty = read(&specs(), &pairs(&[("title", " "), ("emotionScore", "9")]));
        let mut required = specs();
        required.push(Spec::new("periodStart", "Begin", Kind::Date).required());
        required[6].required = true;
        assert_eq!(
            input(&required, &empty, &Values::new()).unwrap_err(),
            [
                Unreadable { field: "title", what: "required" },
                Unreadable { field: "emotionScore", what: "number" },
                Unreadable { field: "methods", what: "choose" },
                Unreadable { field: "periodStart", what: "required" },
            ]
        );
    }

    #[test]
    fn an_emptied_description_is_sent_as_empty_text_and_a_retired_choice_is_kept() {
        let specs = vec![
            Spec::new("description", "Beschrijving", Kind::Area { max: 100, rows: 2 }).clears_to_empty(),
            Spec::new("standardPropositionCode", "Standaard", Kind::Choice(vec![Opt::new("A", "A")])),
        ];
        let base = from_api(&specs, &[("description", json!("Iets")), ("standardPropositionCode", json!("OUD"))]);
        let form = RecordForm::new("x", String::new(), "", "", specs.clone()).existing(base.clone(), 1);
        assert!(form.specs[1].options().iter().any(|o| o.code == "OUD"), "the current value stays choosable");
        let mut now = base.clone();
        now.insert("description".into(), vec![String::new()]);
        assert_eq!(Value::Object(input(&specs, &now, &base).unwrap()), json!({ "description": "" }));
    }

    #[test]
    fn a_checkbox_left_unticked_is_no() {
        let now = read(&specs(), &pairs(&[("title", "A")]));
        assert_eq!(now["consentRecorded"], ["false"]);
        let ticked = read(&specs(), &pairs(&[("title", "A"), ("consentRecorded", "true")]));
        assert_eq!(differences(&specs(), &now, &ticked), ["consentRecorded"]);
    }

    #[test]
    fn a_stale_form_keeps_mine_on_top_of_theirs() {
        let ui = &crate::web::labels::NL;
        let base = from_api(&specs(), &[("title", json!("A")), ("summary", json!("S"))]);
        let now = from_api(&specs(), &[("title", json!("B")), ("summary", json!("S"))]);
        let mut mine = base.clone();
        mine.insert("summary".into(), vec!["T".into()]);
        let mut form = RecordForm::new("x", String::new(), "", "", specs()).existing(base.clone(), 1);
        form.stale(ui, now, 2, &mine, &base, "Bram".into());
        assert_eq!((form.text("title"), form.text("summary")), ("B".to_string(), "T".to_string()));
        let conflict = form.conflict.unwrap();
        assert_eq!(conflict.rows.len(), 1);
        assert_eq!((conflict.rows[0].label, conflict.rows[0].theirs.as_str()), ("Titel", "B"));
        assert_eq!(form.version, Some(2));
    }
}
