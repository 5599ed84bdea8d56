//! The knowledge home (an organisation's studies and the ideas it took up) and a study's own
//! page: its form, and the forms that add a journey, an insight, an idea or a link to it.

use super::*;

// ---- the knowledge home -------------------------------------------------------------------------

const HOME: &str = concat!(
    "query StaffKnowledge($me: ID!) {\n  me: node(id: $me) { ... on Organisation { id name kind\n",
    "    studies(role: ANY, first: 100) { nodes { id title visibility periodStart isStale } }\n",
    "    adoptions { id status idea { id title study { title } } } } }\n}"
);

#[derive(Deserialize)]
struct HomeAnswer {
    me: HomeOrg,
}

#[derive(Deserialize)]
struct HomeOrg {
    name: String,
    kind: String,
    studies: Nodes<StudyRow>,
    adoptions: Vec<AdoptionRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StudyRow {
    id: String,
    title: String,
    visibility: String,
    period_start: String,
    is_stale: bool,
}

#[derive(Deserialize)]
struct AdoptionRow {
    id: String,
    status: String,
    idea: Option<IdeaRef>,
}

#[derive(Deserialize)]
struct IdeaRef {
    title: String,
    study: Option<TitleOnly>,
}

#[derive(Deserialize)]
struct TitleOnly {
    title: String,
}

/// `GET /beheer/kennis`: the organisation's studies, and the ideas of others its library took up.
pub async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    let answer: HomeAnswer = ask(&state, &visitor, &Question::new(HOME, json!({ "me": me }))).await?;
    let org = answer.me;
    let mut page = RecordsPage::new(&visitor, "/beheer/kennis", format!("{}: {}", ui.k_title, org.name));
    page.lead = Some(ui.k_lead.to_string());
    page.notice = notice(&visitor, &done);
    page.links.push((visitor.here.at("/beheer/kennis/nieuw"), ui.k_new_study));
    page.primary_link = true;
    if org.kind == "LIBRARY" {
        page.links.push((visitor.here.at("/beheer/kennis/ideeen-elders"), ui.k_elsewhere));
        page.links.push((visitor.here.at("/beheer/aanbod"), ui.staff_offer_title));
    }
    let studies = org
        .studies
        .nodes
        .into_iter()
        .map(|s| {
            let mut item = Item::new(s.title);
            item.link = Some(visitor.here.at(&staff_path("/beheer/kennis", &s.id)));
            let stale = if s.is_stale { format!(" · {}", ui.stale) } else { String::new() };
            item.meta = format!("{} · {}{stale}", ui.visibility(&s.visibility), s.period_start);
            item
        })
        .collect();
    page.parts.push(Part {
        id: "onderzoeken",
        heading: ui.k_studies,
        lead: None,
        numbered: false,
        items: studies,
        empty: ui.k_no_studies,
        add: None,
    });
    if org.kind == "LIBRARY" {
        let adoptions = org
            .adoptions
            .into_iter()
            .map(|a| {
                let (title, from) = match a.idea {
                    Some(i) => (i.title, i.study.map(|s| s.title).unwrap_or_default()),
                    None => (String::new(), String::new()),
                };
                let mut item = Item::new(title);
                item.link = Some(visitor.here.at(&staff_path("/beheer/kennis/overnames", &a.id)));
                item.meta = format!("{} · {} {from}", ui.adoption(&a.status), ui.k_idea_from);
                item
            })
            .collect();
        page.parts.push(Part {
            id: "overgenomen",
            heading: ui.k_adoptions,
            lead: None,
            numbered: false,
            items: adoptions,
            empty: ui.k_no_adoptions,
            add: None,
        });
    }
    Ok(page.respond(StatusCode::OK))
}

// ---- a study ------------------------------------------------------------------------------------

const METHODS: [&str; 7] =
    ["INTERVIEWS", "SURVEY", "OBSERVATION", "CO_CREATION", "CUSTOMER_JOURNEY", "DATA_ANALYSIS", "DESK_RESEARCH"];

fn study_specs(ui: &Labels, me: &Me, model: &Model, current: Option<&StudyNow>) -> Vec<Spec> {
    let none: Vec<Named> = Vec::new();
    let own = vec![Named { id: me.id.clone(), name: me.name.clone() }];
    let (commissioners, conductors) = match me.kind.as_str() {
        "LIBRARY" => (own.clone(), own.iter().cloned().chain(me.support_organisation.clone()).collect::<Vec<_>>()),
        _ => (me.supported_libraries.clone(), own.clone()),
    };
    let commissioners = named(&commissioners, current.map_or(&none, |c| &c.commissioned_by));
    let conductors = named(&conductors, current.map_or(&none, |c| &c.conducted_by));
    vec![
        Spec::new("title", ui.f_title, Kind::Text { max: 300 }).required(),
        Spec::new("summary", ui.f_summary, Kind::Area { max: 10_000, rows: 5 }).clears_to_empty(),
        Spec::new("methods", ui.f_methods, Kind::Many(enum_opts(&METHODS, |m| ui.method(m)))).required(),
        Spec::new("periodStart", ui.f_period_start, Kind::Date).required(),
        Spec::new("periodEnd", ui.f_period_end, Kind::Date),
        Spec::new("participantCount", ui.f_participants, Kind::Number { min: 0, max: 10_000_000 }),
        Spec::new("commissionedByIds", ui.f_commissioned, Kind::Many(commissioners)),
        Spec::new("conductedByIds", ui.f_conducted, Kind::Many(conductors)),
        Spec::new("targetGroupCodes", ui.f_target_groups, Kind::Many(coded(&model.target_groups))),
        Spec::new("municipalityCodes", ui.f_municipalities, Kind::Lines).hint(ui.h_municipalities),
        Spec::new("provinceCodes", ui.f_provinces, Kind::Many(coded(&model.provinces))),
        Spec::new(
            "visibility",
            ui.f_visibility,
            Kind::Choice(enum_opts(&["PRIVATE", "NETWORK", "PUBLIC"], |v| ui.visibility(v))),
        )
        .required(),
        Spec::new("consentRecorded", ui.f_consent, Kind::Flag),
        Spec::new("quotesAnonymised", ui.f_anonymised, Kind::Flag),
        Spec::new("reportUrl", ui.f_report_url, Kind::Text { max: 2000 }),
        Spec::new("validUntil", ui.f_valid_until, Kind::Date).hint(ui.h_valid_until),
    ]
}

const STUDY_CHOICES: &str = concat!(
    "query StaffStudyChoices($me: ID!, $language: Language!) {\n  ",
    me_fields!(),
    "\n  ",
    model_fields!(),
    "\n  provinces { code name }\n}"
);

#[derive(Deserialize)]
struct ChoicesAnswer {
    me: Me,
    #[serde(flatten)]
    model: Model,
}

/// `GET /beheer/kennis/nieuw`.
pub async fn new_study(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    Ok(new_study_page(&state, &visitor, &me).await?.respond(StatusCode::OK))
}

async fn new_study_page(state: &AppState, visitor: &Visitor, me: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let q = Question::new(STUDY_CHOICES, json!({ "me": me, "language": language(visitor) }));
    let answer: ChoicesAnswer = ask(state, visitor, &q).await?;
    let specs = study_specs(ui, &answer.me, &answer.model, None);
    let own = if answer.me.kind == "LIBRARY" { "commissionedByIds" } else { "conductedByIds" };
    let start = record::from_api(
        &specs,
        &[(own, json!([answer.me.id])), ("visibility", json!("PRIVATE")), ("quotesAnonymised", json!(true))],
    );
    let mut page = RecordsPage::new(visitor, "/beheer/kennis/nieuw", ui.k_new_study.to_string());
    page.back = Some((visitor.here.at("/beheer/kennis"), ui.k_back));
    page.form = Some(
        RecordForm::new(
            "onderzoek",
            visitor.here.at("/beheer/kennis/nieuw"),
            &csrf_of(visitor),
            ui.k_study_form,
            specs,
        )
        .with_values(start)
        .submit(ui.k_new_study),
    );
    Ok(page)
}

/// `POST /beheer/kennis/nieuw`: records the study, then opens its page.
pub async fn create_study(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let page = new_study_page(&state, &visitor, &me).await?;
    let document = "mutation($input: CreateStudyInput!) { createStudy(input: $input) { study { id } } }";
    create(
        &state,
        &visitor,
        page,
        "onderzoek",
        &sent,
        |input| json!({ "input": input }),
        document,
        |data| {
            let id = data["createStudy"]["study"]["id"].as_str().unwrap_or_default();
            format!("{}?gedaan=vastgelegd", staff_path("/beheer/kennis", id))
        },
    )
    .await
}

const STUDY: &str = concat!(
    "query StaffStudy($id: ID!, $me: ID!, $language: Language!) {\n",
    r#"  study(id: $id) {
    id version title summary methods periodStart periodEnd participantCount visibility consentRecorded
    quotesAnonymised reportUrl validUntil
    commissionedBy { id name } conductedBy { id name } municipalities { code name } provinces { code }
    targetGroups { code }
    journeys { id title targetGroup { name(language: $language) } stages { id } }
    insights { id statement state }
    ideas { id title priority adoptionCount }
    links { id version relation note proposition { id title } standardProposition { code name(language: $language) } }
    "#,
    history_fields!(),
    "\n  }\n  ",
    me_fields!(),
    "\n  ",
    model_fields!(),
    "\n  provinces { code name }\n}"
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StudyNow {
    id: String,
    version: i32,
    title: String,
    summary: String,
    methods: Vec<String>,
    period_start: String,
    period_end: Option<String>,
    participant_count: Option<i64>,
    visibility: String,
    consent_recorded: bool,
    quotes_anonymised: bool,
    report_url: Option<String>,
    valid_until: String,
    commissioned_by: Vec<Named>,
    conducted_by: Vec<Named>,
    municipalities: Vec<Coded>,
    provinces: Vec<Coded>,
    target_groups: Vec<Coded>,
    journeys: Vec<JourneyRow>,
    insights: Vec<InsightRow>,
    ideas: Vec<IdeaRow>,
    links: Vec<LinkRow>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JourneyRow {
    id: String,
    title: String,
    target_group: Option<NameOnly>,
    stages: Vec<IdOnly>,
}

#[derive(Deserialize)]
struct InsightRow {
    id: String,
    statement: String,
    state: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LinkRow {
    id: String,
    version: i32,
    relation: String,
    note: Option<String>,
    proposition: Option<Named>,
    standard_proposition: Option<Coded>,
}

#[derive(Deserialize)]
struct StudyAnswer {
    study: StudyNow,
    me: Me,
    #[serde(flatten)]
    model: Model,
}

impl StudyNow {
    fn values(&self, specs: &[Spec]) -> Values {
        // A valid-until the registry derived (three years after the end) is shown as it is.
        record::from_api(
            specs,
            &[
                ("title", json!(self.title)),
                ("summary", json!(self.summary)),
                ("methods", json!(self.methods)),
                ("periodStart", json!(self.period_start)),
                ("periodEnd", json!(self.period_end)),
                ("participantCount", json!(self.participant_count)),
                ("commissionedByIds", ids(&self.commissioned_by)),
                ("conductedByIds", ids(&self.conducted_by)),
                ("targetGroupCodes", codes(&self.target_groups)),
                ("municipalityCodes", json!(self.municipalities.iter().map(|m| m.name.clone()).collect::<Vec<_>>())),
                ("provinceCodes", codes(&self.provinces)),
                ("visibility", json!(self.visibility)),
                ("consentRecorded", json!(self.consent_recorded)),
                ("quotesAnonymised", json!(self.quotes_anonymised)),
                ("reportUrl", json!(self.report_url)),
                ("validUntil", json!(self.valid_until)),
            ],
        )
    }

    /// Whether the writer's organisation is named on the study (and so may change it).
    fn names(&self, me: &str) -> bool {
        self.commissioned_by.iter().chain(&self.conducted_by).any(|o| o.id == me)
    }
}

pub(super) fn journey_add_specs(ui: &Labels, me: &Me, model: &Model) -> Vec<Spec> {
    vec![
        Spec::new("title", ui.f_title, Kind::Text { max: 300 }).required(),
        Spec::new("targetGroupCode", ui.f_target_group, Kind::Choice(coded(&model.target_groups))).required(),
        Spec::new("standardPropositionCode", ui.f_standard, Kind::Choice(coded(&model.standard_propositions))),
        Spec::new("description", ui.f_description, Kind::Area { max: 10_000, rows: 4 }).clears_to_empty(),
        Spec::new("propositionIds", ui.f_journey_propositions, Kind::Many(named(&me.propositions.nodes, &[]))),
    ]
}

pub(super) fn insight_specs(ui: &Labels, model: &Model, stages: Vec<Opt>) -> Vec<Spec> {
    vec![
        Spec::new("statement", ui.f_statement, Kind::Area { max: 500, rows: 2 }).required(),
        Spec::new("explanation", ui.f_explanation, Kind::Area { max: 10_000, rows: 4 }).clears_to_empty(),
        Spec::new("stageId", ui.f_stage, Kind::Choice(stages)),
        Spec::new("targetGroupCodes", ui.f_target_groups, Kind::Many(coded(&model.target_groups))),
        Spec::new("standardPropositionCodes", ui.f_standards, Kind::Many(coded(&model.standard_propositions))),
        Spec::new("quotes", ui.f_quotes, Kind::Quotes).hint(ui.h_quotes),
    ]
}

pub(super) fn idea_specs(ui: &Labels, insights: Vec<Opt>) -> Vec<Spec> {
    vec![
        Spec::new("title", ui.f_title, Kind::Text { max: 300 }).required(),
        Spec::new(
            "priority",
            ui.f_priority,
            Kind::Choice(enum_opts(&["DO_NOW", "CONSIDER", "LATER"], |p| ui.priority(p))),
        )
        .required(),
        Spec::new("description", ui.f_description, Kind::Area { max: 10_000, rows: 4 }).clears_to_empty(),
        Spec::new("insightIds", ui.f_idea_insights, Kind::Many(insights)),
    ]
}

const RELATIONS: [&str; 3] = ["EVIDENCE_FOR", "INFORMED_DESIGN_OF", "IMPROVES"];

fn link_specs(ui: &Labels, me: &Me, model: &Model) -> Vec<Spec> {
    vec![
        Spec::new("relation", ui.f_relation, Kind::Choice(enum_opts(&RELATIONS, |r| ui.relation(r)))).required(),
        Spec::new("propositionId", ui.f_own_proposition, Kind::Choice(named(&me.propositions.nodes, &[]))),
        Spec::new("standardPropositionCode", ui.f_standard, Kind::Choice(coded(&model.standard_propositions))),
        Spec::new("note", ui.f_note, Kind::Area { max: 2000, rows: 2 }),
    ]
}

/// The stages of a study's journeys, as an insight's form offers them.
pub(super) async fn study_stages(state: &AppState, visitor: &Visitor, study: &str) -> Result<Vec<Opt>, PageError> {
    const STAGES: &str = "query StaffStages($id: ID!) { study(id: $id) { journeys { title stages { id name } } } }";
    #[derive(Deserialize)]
    struct A {
        study: S,
    }
    #[derive(Deserialize)]
    struct S {
        journeys: Vec<J>,
    }
    #[derive(Deserialize)]
    struct J {
        title: String,
        stages: Vec<Named>,
    }
    let a: A = ask(state, visitor, &Question::new(STAGES, json!({ "id": study }))).await?;
    Ok(a.study
        .journeys
        .iter()
        .flat_map(|j| j.stages.iter().map(move |s| Opt::new(s.id.clone(), format!("{}: {}", j.title, s.name))))
        .collect())
}

/// The study's page for the organisations named on it: its form, its journeys, insights, ideas
/// and links, each with a form to add one; not found for anyone else.
async fn study_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("Study", n)?;
    let q = Question::new(STUDY, json!({ "id": id, "me": me, "language": language(visitor) }));
    let answer: StudyAnswer = ask(state, visitor, &q).await?;
    let s = &answer.study;
    if !s.names(me) {
        return Err(PageError::NotFound);
    }
    let path = format!("/beheer/kennis/{n}");
    let csrf = csrf_of(visitor);
    let specs = study_specs(ui, &answer.me, &answer.model, Some(s));
    let mut page = RecordsPage::new(visitor, &path, s.title.clone());
    page.back = Some((visitor.here.at("/beheer/kennis"), ui.k_back));
    page.links.push((visitor.here.at(&study_path(&s.id)), ui.k_view_public));
    page.history = history_rows(ui, &specs, &s.history);
    page.changes = changes(&s.history);
    let values = s.values(&specs);
    page.form = Some(
        RecordForm::new("onderzoek", visitor.here.at(&path), &csrf, ui.k_study_form, specs)
            .existing(values, s.version)
            .submit(ui.staff_save),
    );

    let journeys = s
        .journeys
        .iter()
        .map(|j| {
            let mut item = Item::new(j.title.clone());
            item.link = Some(visitor.here.at(&staff_path("/beheer/kennis/reizen", &j.id)));
            let group = j.target_group.as_ref().map(|g| g.name.clone()).unwrap_or_default();
            item.meta = format!("{group} · {} {}", j.stages.len(), ui.k_stages.to_lowercase());
            item
        })
        .collect();
    let add_journey = RecordForm::new(
        "reis-nieuw",
        visitor.here.at(&format!("{path}/reizen")),
        &csrf,
        ui.k_add_journey,
        journey_add_specs(ui, &answer.me, &answer.model),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "klantreizen",
        heading: ui.k_journeys,
        lead: None,
        numbered: false,
        items: journeys,
        empty: ui.k_no_journeys,
        add: Some(add_journey),
    });

    let insights = s
        .insights
        .iter()
        .map(|i| {
            let mut item = Item::new(i.statement.clone());
            item.link = Some(visitor.here.at(&staff_path("/beheer/kennis/inzichten", &i.id)));
            if i.state != "CURRENT" {
                item.meta = i.state.to_lowercase();
            }
            item
        })
        .collect();
    let stages = study_stages(state, visitor, &s.id).await?;
    let add_insight = RecordForm::new(
        "inzicht-nieuw",
        visitor.here.at(&format!("{path}/inzichten")),
        &csrf,
        ui.k_add_insight,
        insight_specs(ui, &answer.model, stages),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "inzichten",
        heading: ui.k_insights,
        lead: None,
        numbered: false,
        items: insights,
        empty: ui.k_no_insights,
        add: Some(add_insight),
    });

    let ideas = s
        .ideas
        .iter()
        .map(|i| {
            let mut item = Item::new(i.title.clone());
            item.link = Some(visitor.here.at(&staff_path("/beheer/kennis/ideeen", &i.id)));
            item.meta = format!("{} · {}", ui.priority(&i.priority), ui.adopted_times(i.adoption_count));
            item
        })
        .collect();
    let insight_opts: Vec<Opt> = s.insights.iter().map(|i| Opt::new(i.id.clone(), i.statement.clone())).collect();
    let add_idea = RecordForm::new(
        "idee-nieuw",
        visitor.here.at(&format!("{path}/ideeen")),
        &csrf,
        ui.k_add_idea,
        idea_specs(ui, insight_opts),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "ideeen",
        heading: ui.k_ideas,
        lead: None,
        numbered: false,
        items: ideas,
        empty: ui.k_no_ideas,
        add: Some(add_idea),
    });

    let links = s
        .links
        .iter()
        .map(|l| {
            let target = match (&l.proposition, &l.standard_proposition) {
                (Some(p), _) => p.name.clone(),
                (None, Some(sp)) => sp.name.clone(),
                _ => String::new(),
            };
            let mut item = Item::new(target.clone());
            item.meta = ui.relation(&l.relation).to_string();
            item.text = l.note.clone().filter(|n| !n.is_empty());
            item.buttons.push(Button {
                action: visitor.here.at(&format!("{}/verwijderen", staff_path("/beheer/kennis/koppelingen", &l.id))),
                label: ui.k_unlink,
                aria: format!("{}: {target}", ui.k_unlink),
                hidden: vec![("version", l.version.to_string()), ("terug", path.clone())],
            });
            item
        })
        .collect();
    let add_link = RecordForm::new(
        "koppeling-nieuw",
        visitor.here.at(&format!("{path}/koppelingen")),
        &csrf,
        ui.k_add_link,
        link_specs(ui, &answer.me, &answer.model),
    )
    .submit(ui.k_add)
    .folded();
    page.parts.push(Part {
        id: "koppelingen",
        heading: ui.k_links,
        lead: Some(ui.k_links_lead),
        numbered: false,
        items: links,
        empty: ui.k_no_links,
        add: Some(add_link),
    });
    Ok(page)
}

/// `GET /beheer/kennis/{number}`.
pub async fn show_study(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(n): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let mut page = study_page(&state, &visitor, &me, &n).await?;
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/kennis/{number}`: saves the study's changed fields.
pub async fn save_study(
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
    let id = global_id("Study", &n)?;
    let document = "mutation($input: UpdateStudyInput!) { updateStudy(input: $input) { study { id } } }";
    let load = || study_page(&state, &visitor, &me, &n);
    save(
        &state,
        &visitor,
        load,
        "onderzoek",
        &sent,
        document,
        |input, version| {
            let mut input = input;
            input.insert("id".into(), json!(id));
            input.insert("expectedVersion".into(), json!(version));
            json!({ "input": input })
        },
        format!("/beheer/kennis/{n}"),
    )
    .await
}

/// `POST /beheer/kennis/{number}/{reizen|inzichten|ideeen|koppelingen}`: adds a journey, an
/// insight, an idea or a link to the study.
pub async fn add_to_study(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((n, what)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let study = global_id("Study", &n)?;
    let mut page = study_page(&state, &visitor, &me, &n).await?;
    let here = format!("/beheer/kennis/{n}");
    match what.as_str() {
        "reizen" => {
            let document = "mutation($input: CreateJourneyInput!) { createJourney(input: $input) { journey { id } } }";
            create(
                &state,
                &visitor,
                page,
                "reis-nieuw",
                &sent,
                |mut i| {
                    i.insert("studyId".into(), json!(study));
                    json!({ "input": i })
                },
                document,
                |data| {
                    let id = data["createJourney"]["journey"]["id"].as_str().unwrap_or_default();
                    format!("{}?gedaan=toegevoegd", staff_path("/beheer/kennis/reizen", id))
                },
            )
            .await
        }
        "inzichten" => {
            let document = "mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id } } }";
            create(
                &state,
                &visitor,
                page,
                "inzicht-nieuw",
                &sent,
                |mut i| {
                    i.insert("studyId".into(), json!(study));
                    json!({ "input": i })
                },
                document,
                |_| format!("{here}?gedaan=toegevoegd#inzichten"),
            )
            .await
        }
        "ideeen" => {
            let document =
                "mutation($input: CreateIdeaInput!) { createImprovementIdea(input: $input) { idea { id } } }";
            create(
                &state,
                &visitor,
                page,
                "idee-nieuw",
                &sent,
                |mut i| {
                    i.insert("studyId".into(), json!(study));
                    json!({ "input": i })
                },
                document,
                |_| format!("{here}?gedaan=toegevoegd#ideeen"),
            )
            .await
        }
        "koppelingen" => {
            // A link names one target: a proposition of the library or a standard proposition.
            let form = page.form_mut("koppeling-nieuw").ok_or(PageError::Internal)?;
            let values = record::read(&form.specs, &sent.pairs);
            let one = |k: &str| values.get(k).and_then(|v| v.first()).filter(|v| !v.is_empty()).cloned();
            let target = match (one("propositionId"), one("standardPropositionCode")) {
                (Some(p), None) => json!({ "propositionId": p }),
                (None, Some(c)) => json!({ "standardPropositionCode": c }),
                _ => {
                    let ui = visitor.here.labels();
                    form.values = values;
                    form.errors.push(("propositionId".into(), ui.k_link_one_target.into()));
                    return Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY));
                }
            };
            let document = "mutation($input: LinkKnowledgeInput!) { linkKnowledge(input: $input) { link { id } } }";
            create(
                &state,
                &visitor,
                page,
                "koppeling-nieuw",
                &sent,
                |mut i| {
                    i.remove("propositionId");
                    i.remove("standardPropositionCode");
                    i.insert("source".into(), json!({ "studyId": study }));
                    i.insert("target".into(), target.clone());
                    json!({ "input": i })
                },
                document,
                |_| format!("{here}?gedaan=toegevoegd#koppelingen"),
            )
            .await
        }
        _ => Err(PageError::NotFound),
    }
}

pub async fn unlink(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(n): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    if let Err(response) = form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        return Ok(*response);
    }
    let ui = visitor.here.labels();
    let id = global_id("KnowledgeLink", &n)?;
    let back = crate::web::forms::local_path(sent.get("terug"))
        .filter(|t| t.starts_with("/beheer/kennis/") && !t.contains(".."));
    let (Some(version), Some(back)) = (sent.version, back) else {
        return Err(PageError::BadInput(ui.staff_form_incomplete.into()));
    };
    let document = "mutation($input: UnlinkKnowledgeInput!) { unlinkKnowledge(input: $input) { removedLinkId } }";
    act(&state, &visitor, document, json!({ "input": { "id": id, "expectedVersion": version } }), &back, "ontkoppeld")
        .await
}
