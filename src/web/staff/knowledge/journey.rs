//! A customer journey's page: its form, and its stages in order, each with its own form and
//! buttons to move it up or down and to remove it.

use super::study::journey_add_specs;
use super::*;

// ---- a journey and its stages -------------------------------------------------------------------

const JOURNEY: &str = concat!(
    "query StaffJourney($id: ID!, $me: ID!, $language: Language!) {\n",
    r#"  journey: node(id: $id) { ... on CustomerJourney {
    id version title description targetGroup { code } standardProposition { code } propositions { id title }
    study { id title commissionedBy { id name } conductedBy { id name } }
    stages { id version position name description emotionScore touchpoints pains gains quotes { text attribution } }
    "#,
    history_fields!(),
    "\n  } }\n  ",
    me_fields!(),
    "\n  ",
    model_fields!(),
    "\n}"
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JourneyNow {
    version: i32,
    title: String,
    description: String,
    target_group: Option<Coded>,
    standard_proposition: Option<Coded>,
    propositions: Vec<Named>,
    study: Option<StudyRef>,
    stages: Vec<StageNow>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StageNow {
    id: String,
    version: i32,
    name: String,
    description: String,
    emotion_score: Option<i64>,
    touchpoints: Vec<String>,
    pains: Vec<String>,
    gains: Vec<String>,
    quotes: Vec<Value>,
}

#[derive(Deserialize)]
struct JourneyAnswer {
    journey: JourneyNow,
    me: Me,
    #[serde(flatten)]
    model: Model,
}

fn stage_specs(ui: &Labels) -> Vec<Spec> {
    vec![
        Spec::new("name", ui.f_name, Kind::Text { max: 200 }).required(),
        Spec::new("description", ui.f_description, Kind::Area { max: 10_000, rows: 3 }).clears_to_empty(),
        Spec::new("emotionScore", ui.f_emotion, Kind::Number { min: -2, max: 2 }).hint(ui.h_emotion),
        Spec::new("touchpoints", ui.f_touchpoints, Kind::Lines).hint(ui.h_per_line),
        Spec::new("pains", ui.f_pains, Kind::Lines).hint(ui.h_per_line),
        Spec::new("gains", ui.f_gains, Kind::Lines).hint(ui.h_per_line),
        Spec::new("quotes", ui.f_quotes, Kind::Quotes).hint(ui.h_quotes),
    ]
}

impl StageNow {
    fn values(&self, specs: &[Spec]) -> Values {
        record::from_api(
            specs,
            &[
                ("name", json!(self.name)),
                ("description", json!(self.description)),
                ("emotionScore", json!(self.emotion_score)),
                ("touchpoints", json!(self.touchpoints)),
                ("pains", json!(self.pains)),
                ("gains", json!(self.gains)),
                ("quotes", json!(self.quotes)),
            ],
        )
    }
}

/// The journey's page: its form, and its stages in order, each with its own form, buttons to move
/// it and to remove it; a form to add a stage. Not found for anyone not named on its study.
async fn journey_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("CustomerJourney", n)?;
    let q = Question::new(JOURNEY, json!({ "id": id, "me": me, "language": language(visitor) }));
    let answer: JourneyAnswer = ask(state, visitor, &q).await?;
    let j = &answer.journey;
    let study = own_study(j.study.as_ref(), me)?;
    let path = format!("/beheer/kennis/reizen/{n}");
    let csrf = csrf_of(visitor);
    let mut specs = journey_add_specs(ui, &answer.me, &answer.model);
    // The propositions it follows stay choosable even when they are not the library's own.
    if let Some(spec) = specs.iter_mut().find(|s| s.name == "propositionIds") {
        spec.kind = Kind::Many(named(&answer.me.propositions.nodes, &j.propositions));
    }
    let mut page = RecordsPage::new(visitor, &path, j.title.clone());
    page.back = Some((visitor.here.at(&staff_path("/beheer/kennis", &study.id)), ui.k_back_to_study));
    page.lead = Some(study.title.clone());
    page.history = history_rows(ui, &specs, &j.history);
    page.changes = changes(&j.history);
    let values = record::from_api(
        &specs,
        &[
            ("title", json!(j.title)),
            ("targetGroupCode", json!(j.target_group.as_ref().map(|g| g.code.clone()))),
            ("standardPropositionCode", json!(j.standard_proposition.as_ref().map(|g| g.code.clone()))),
            ("description", json!(j.description)),
            ("propositionIds", ids(&j.propositions)),
        ],
    );
    page.form = Some(
        RecordForm::new("reis", visitor.here.at(&path), &csrf, ui.k_journey_form, specs)
            .existing(values, j.version)
            .submit(ui.staff_save)
            .folded(),
    );
    let last = j.stages.len();
    // The order the page shows: a move is refused when the stages changed since (added, removed
    // or moved by someone else), as the journey's version does not say so for added ones.
    let shown_order = j.stages.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(",");
    let stages = j
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut item = Item::new(s.name.clone());
            item.meta = s.emotion_score.map(|e| ui.emotion(e).to_string()).unwrap_or_default();
            item.text = Some(s.description.clone()).filter(|d| !d.is_empty());
            let order = |label, direction: &str| Button {
                action: visitor.here.at(&format!("{path}/volgorde")),
                label,
                aria: format!("{label}: {}", s.name),
                hidden: vec![
                    ("version", j.version.to_string()),
                    ("volgorde", shown_order.clone()),
                    ("etappe", s.id.clone()),
                    ("richting", direction.into()),
                ],
            };
            if i > 0 {
                item.buttons.push(order(ui.k_up, "op"));
            }
            if i + 1 < last {
                item.buttons.push(order(ui.k_down, "neer"));
            }
            item.buttons.push(Button {
                action: visitor.here.at(&format!("{}/verwijderen", staff_path(&format!("{path}/etappes"), &s.id))),
                label: ui.k_remove,
                aria: format!("{}: {}", ui.k_remove, s.name),
                hidden: vec![("version", s.version.to_string())],
            });
            let specs = stage_specs(ui);
            let values = s.values(&specs);
            item.form = Some(
                RecordForm::new(
                    &format!("etappe-{}", number(&s.id).unwrap_or_default()),
                    visitor.here.at(&staff_path(&format!("{path}/etappes"), &s.id)),
                    &csrf,
                    format!("{}: {}", ui.k_edit_stage, s.name),
                    specs,
                )
                .existing(values, s.version)
                .submit(ui.staff_save)
                .folded(),
            );
            item
        })
        .collect();
    let add = RecordForm::new(
        "etappe-nieuw",
        visitor.here.at(&format!("{path}/etappes")),
        &csrf,
        ui.k_add_stage,
        stage_specs(ui),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "etappes",
        heading: ui.k_stages,
        lead: Some(ui.k_stages_lead),
        numbered: true,
        items: stages,
        empty: ui.k_no_stages,
        add: Some(add),
    });
    Ok(page)
}

/// `GET /beheer/kennis/reizen/{number}`.
pub async fn journey(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(n): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let mut page = journey_page(&state, &visitor, &me, &n).await?;
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/kennis/reizen/{number}`: saves the journey's changed fields.
pub async fn save_journey(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let id = global_id("CustomerJourney", &n)?;
    let document = "mutation($input: UpdateJourneyInput!) { updateJourney(input: $input) { journey { id } } }";
    let load = || journey_page(&state, &visitor, &me, &n);
    let variables = |mut input: Map<String, Value>, version| {
        input.insert("id".into(), json!(id));
        input.insert("expectedVersion".into(), json!(version));
        json!({ "input": input })
    };
    save(&state, &visitor, load, "reis", &sent, document, variables, format!("/beheer/kennis/reizen/{n}")).await
}

/// `POST /beheer/kennis/reizen/{number}/etappes`: adds a stage at the end of the journey.
pub async fn add_stage(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let id = global_id("CustomerJourney", &n)?;
    let page = journey_page(&state, &visitor, &me, &n).await?;
    let document = "mutation($input: AddJourneyStageInput!) { addJourneyStage(input: $input) { stage { id } } }";
    let variables = |stage| json!({ "input": { "journeyId": id, "stage": stage } });
    let done = |_: &Value| format!("/beheer/kennis/reizen/{n}?gedaan=toegevoegd#etappes");
    create(&state, &visitor, page, "etappe-nieuw", &sent, variables, document, done).await
}

/// `POST /beheer/kennis/reizen/{journey}/etappes/{number}`: saves a stage's changed fields. A
/// stage someone else removed meanwhile loses nothing: the journey's page comes back with the
/// person's values in the form to add a stage.
pub async fn save_stage(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((j, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let id = global_id("JourneyStage", &n)?;
    let form = format!("etappe-{n}");
    let mut page = journey_page(&state, &visitor, &me, &j).await?;
    if page.form_mut(&form).is_none() {
        let ui = visitor.here.labels();
        let add = page.form_mut("etappe-nieuw").ok_or(PageError::Internal)?;
        add.values = record::read(&add.specs, &sent.pairs);
        add.summary = Some(ui.k_stage_removed.to_string());
        return Ok(page.respond(StatusCode::CONFLICT));
    }
    let load = || journey_page(&state, &visitor, &me, &j);
    let document = "mutation($input: UpdateJourneyStageInput!) { updateJourneyStage(input: $input) { stage { id } } }";
    let variables = |stage, version| json!({ "input": { "id": id, "expectedVersion": version, "stage": stage } });
    save(&state, &visitor, load, &form, &sent, document, variables, format!("/beheer/kennis/reizen/{j}")).await
}

/// `POST /beheer/kennis/reizen/{journey}/etappes/{number}/verwijderen`: removes a stage.
pub async fn remove_stage(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((j, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let ui = visitor.here.labels();
    let id = global_id("JourneyStage", &n)?;
    let Some(version) = sent.version else {
        return Err(PageError::BadInput(ui.staff_form_incomplete.into()));
    };
    let here = format!("/beheer/kennis/reizen/{j}");
    let document =
        "mutation($input: RemoveJourneyStageInput!) { removeJourneyStage(input: $input) { journey { id } } }";
    act(&state, &visitor, document, json!({ "input": { "id": id, "expectedVersion": version } }), &here, "verwijderd")
        .await
}

/// `POST /beheer/kennis/reizen/{number}/volgorde`: moves a stage one place up or down.
pub async fn move_stage(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let id = global_id("CustomerJourney", &n)?;
    let incomplete = || PageError::BadInput(ui.staff_form_incomplete.into());
    let version = sent.version.ok_or_else(incomplete)?;
    let stage = sent.get("etappe").ok_or_else(incomplete)?.to_string();
    let step: isize = match sent.get("richting") {
        Some("op") => -1,
        Some("neer") => 1,
        _ => return Err(incomplete()),
    };
    // The order as the journey has it now; the version sent guards against a changed journey.
    let q = Question::new(JOURNEY, json!({ "id": id, "me": me, "language": language(&visitor) }));
    let answer: JourneyAnswer = ask(&state, &visitor, &q).await?;
    let mut order: Vec<String> = answer.journey.stages.iter().map(|s| s.id.clone()).collect();
    let here = format!("/beheer/kennis/reizen/{n}");
    if sent.get("volgorde").is_some_and(|shown| shown != order.join(",")) {
        let back = Some((visitor.here.at(&here), ui.k_back_to_journey));
        return Ok(message(&visitor.here, StatusCode::CONFLICT, ui.not_done, ui.record_stale_action.into(), back));
    }
    let Some(at) = order.iter().position(|s| *s == stage) else {
        return Err(PageError::NotFound);
    };
    let to = at as isize + step;
    if to < 0 || to as usize >= order.len() {
        return Ok(see_other(&format!("{}?gedaan=ongewijzigd", visitor.here.at(&here)), None));
    }
    order.swap(at, to as usize);
    let document =
        "mutation($input: ReorderJourneyStagesInput!) { reorderJourneyStages(input: $input) { journey { id } } }";
    let variables = json!({ "input": { "journeyId": id, "expectedVersion": version, "stageIds": order } });
    act(&state, &visitor, document, variables, &here, "verplaatst").await
}
