//! An insight's and an improvement idea's forms, other organisations' ideas a library may take
//! up, and an adoption's page to keep track of how it goes.

use super::study::{idea_specs, insight_specs, study_stages};
use super::*;

// ---- an insight, an idea ------------------------------------------------------------------------

const INSIGHT: &str = concat!(
    "query StaffInsight($id: ID!, $language: Language!) {\n",
    r#"  insight(id: $id) {
    id version statement explanation stage { id } targetGroups { code } standardPropositions { code }
    quotes { text attribution }
    study { id title commissionedBy { id name } conductedBy { id name } }
    "#,
    history_fields!(),
    "\n  }\n  ",
    model_fields!(),
    "\n}"
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InsightNow {
    version: i32,
    statement: String,
    explanation: String,
    stage: Option<IdOnly>,
    target_groups: Vec<Coded>,
    standard_propositions: Vec<Coded>,
    quotes: Vec<Value>,
    study: Option<StudyRef>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
struct InsightAnswer {
    insight: InsightNow,
    #[serde(flatten)]
    model: Model,
}

async fn insight_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("Insight", n)?;
    let q = Question::new(INSIGHT, json!({ "id": id, "language": language(visitor) }));
    let answer: InsightAnswer = ask(state, visitor, &q).await?;
    let i = &answer.insight;
    let study = own_study(i.study.as_ref(), me)?;
    let stages = study_stages(state, visitor, &study.id).await?;
    let specs = insight_specs(ui, &answer.model, stages);
    let path = format!("/beheer/kennis/inzichten/{n}");
    let mut page = RecordsPage::new(visitor, &path, ui.k_insight_form.to_string());
    page.back = Some((visitor.here.at(&staff_path("/beheer/kennis", &study.id)), ui.k_back_to_study));
    page.lead = Some(study.title.clone());
    page.history = history_rows(ui, &specs, &i.history);
    page.changes = changes(&i.history);
    let values = record::from_api(
        &specs,
        &[
            ("statement", json!(i.statement)),
            ("explanation", json!(i.explanation)),
            ("stageId", json!(i.stage.as_ref().map(|s| s.id.clone()))),
            ("targetGroupCodes", codes(&i.target_groups)),
            ("standardPropositionCodes", codes(&i.standard_propositions)),
            ("quotes", json!(i.quotes)),
        ],
    );
    page.form = Some(
        RecordForm::new("inzicht", visitor.here.at(&path), &csrf_of(visitor), ui.k_insight_form, specs)
            .existing(values, i.version)
            .submit(ui.staff_save),
    );
    Ok(page)
}

const IDEA: &str = concat!(
    r#"query StaffIdea($id: ID!) {
  improvementIdea(id: $id) {
    id version title description priority insights { id }
    study { id title commissionedBy { id name } conductedBy { id name } insights { id statement } }
    adoptions { organisation { name } status }
    "#,
    history_fields!(),
    "\n  }\n}"
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdeaNow {
    version: i32,
    title: String,
    description: String,
    priority: String,
    insights: Vec<IdOnly>,
    study: Option<IdeaStudy>,
    adoptions: Vec<AdoptedBy>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
struct IdeaStudy {
    #[serde(flatten)]
    study: StudyRef,
    insights: Vec<StatementOnly>,
}

#[derive(Deserialize)]
struct StatementOnly {
    id: String,
    statement: String,
}

#[derive(Deserialize)]
struct AdoptedBy {
    organisation: Option<NameOnly>,
    status: String,
}

#[derive(Deserialize)]
struct IdeaAnswer {
    #[serde(rename = "improvementIdea")]
    idea: IdeaNow,
}

async fn idea_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("ImprovementIdea", n)?;
    let answer: IdeaAnswer = ask(state, visitor, &Question::new(IDEA, json!({ "id": id }))).await?;
    let i = &answer.idea;
    let Some(s) = i.study.as_ref() else {
        return Err(PageError::NotFound);
    };
    let study = own_study(Some(&s.study), me)?.id.clone();
    let insights = s.insights.iter().map(|x| Opt::new(x.id.clone(), x.statement.clone())).collect();
    let specs = idea_specs(ui, insights);
    let path = format!("/beheer/kennis/ideeen/{n}");
    let mut page = RecordsPage::new(visitor, &path, i.title.clone());
    page.back = Some((visitor.here.at(&staff_path("/beheer/kennis", &study)), ui.k_back_to_study));
    page.lead = Some(s.study.title.clone());
    page.history = history_rows(ui, &specs, &i.history);
    page.changes = changes(&i.history);
    let values = record::from_api(
        &specs,
        &[
            ("title", json!(i.title)),
            ("priority", json!(i.priority)),
            ("description", json!(i.description)),
            ("insightIds", json!(i.insights.iter().map(|x| x.id.clone()).collect::<Vec<_>>())),
        ],
    );
    page.form = Some(
        RecordForm::new("idee", visitor.here.at(&path), &csrf_of(visitor), ui.k_idea_form, specs)
            .existing(values, i.version)
            .submit(ui.staff_save),
    );
    let adopted = i
        .adoptions
        .iter()
        .map(|a| {
            let mut item = Item::new(a.organisation.as_ref().map(|o| o.name.clone()).unwrap_or_default());
            item.meta = ui.adoption(&a.status).to_string();
            item
        })
        .collect();
    page.parts.push(Part {
        id: "overnames",
        heading: ui.k_adoptions,
        lead: None,
        numbered: false,
        items: adopted,
        empty: ui.k_no_adoptions_of_idea,
        add: None,
    });
    Ok(page)
}

/// `GET /beheer/kennis/{inzichten|ideeen|overnames}/{number}`.
pub async fn record_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((what, n)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let mut page = match what.as_str() {
        "inzichten" => insight_page(&state, &visitor, &me, &n).await?,
        "ideeen" => idea_page(&state, &visitor, &me, &n).await?,
        "overnames" => adoption_page(&state, &visitor, &me, &n).await?,
        _ => return Err(PageError::NotFound),
    };
    page.notice = notice(&visitor, &done);
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/kennis/{inzichten|ideeen|overnames}/{number}`: saves the record's changed fields.
pub async fn save_record(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((what, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sent = Sent::read(pairs);
    let me = match form_of_writer(&state, &headers, &visitor, &sent.csrf) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let here = format!("/beheer/kennis/{what}/{n}");
    let with_id = |id: String| {
        move |mut input: Map<String, Value>, version: i32| {
            input.insert("id".into(), json!(id));
            input.insert("expectedVersion".into(), json!(version));
            json!({ "input": input })
        }
    };
    match what.as_str() {
        "inzichten" => {
            let id = global_id("Insight", &n)?;
            let document = "mutation($input: UpdateInsightInput!) { updateInsight(input: $input) { insight { id } } }";
            let load = || insight_page(&state, &visitor, &me, &n);
            save(&state, &visitor, load, "inzicht", &sent, document, with_id(id), here).await
        }
        "ideeen" => {
            let id = global_id("ImprovementIdea", &n)?;
            let document =
                "mutation($input: UpdateIdeaInput!) { updateImprovementIdea(input: $input) { idea { id } } }";
            let load = || idea_page(&state, &visitor, &me, &n);
            save(&state, &visitor, load, "idee", &sent, document, with_id(id), here).await
        }
        "overnames" => {
            let id = global_id("Adoption", &n)?;
            let document =
                "mutation($input: UpdateAdoptionInput!) { updateAdoption(input: $input) { adoption { id } } }";
            let load = || adoption_page(&state, &visitor, &me, &n);
            save(&state, &visitor, load, "overname", &sent, document, with_id(id), here).await
        }
        _ => Err(PageError::NotFound),
    }
}

// ---- ideas of others, taken up ------------------------------------------------------------------

const ADOPTION: &str = concat!(
    r#"query StaffAdoption($id: ID!, $me: ID!) {
  adoption: node(id: $id) { ... on Adoption {
    id version status startedOn completedOn effectNote proposition { id title } organisation { id }
    idea { title description study { id title } }
    "#,
    history_fields!(),
    "\n  } }\n  ",
    me_fields!(),
    "\n}"
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AdoptionNow {
    version: i32,
    status: String,
    started_on: Option<String>,
    completed_on: Option<String>,
    effect_note: Option<String>,
    proposition: Option<Named>,
    organisation: Option<IdOnly>,
    idea: Option<AdoptedIdea>,
    history: Nodes<Change>,
}

#[derive(Deserialize)]
struct AdoptedIdea {
    title: String,
    description: String,
    study: Option<IdTitle>,
}

#[derive(Deserialize)]
struct IdTitle {
    id: String,
    title: String,
}

#[derive(Deserialize)]
struct AdoptionAnswer {
    adoption: AdoptionNow,
    me: Me,
}

const STATUSES: [&str; 4] = ["PLANNED", "IN_PROGRESS", "DONE", "DROPPED"];

async fn adoption_page(state: &AppState, visitor: &Visitor, me: &str, n: &str) -> Result<RecordsPage, PageError> {
    let ui = visitor.here.labels();
    let id = global_id("Adoption", n)?;
    let q = Question::new(ADOPTION, json!({ "id": id, "me": me }));
    let answer: AdoptionAnswer = ask(state, visitor, &q).await?;
    let a = &answer.adoption;
    if a.organisation.as_ref().is_none_or(|o| o.id != me) {
        return Err(PageError::NotFound);
    }
    let own: Vec<Named> = a.proposition.iter().cloned().collect();
    let specs = vec![
        Spec::new("status", ui.f_adoption_status, Kind::Choice(enum_opts(&STATUSES, |s| ui.adoption(s)))).required(),
        Spec::new("propositionId", ui.f_carried_in, Kind::Choice(named(&answer.me.propositions.nodes, &own))),
        Spec::new("startedOn", ui.f_started_on, Kind::Date),
        Spec::new("completedOn", ui.f_completed_on, Kind::Date),
        Spec::new("effectNote", ui.f_effect, Kind::Area { max: 10_000, rows: 4 }),
    ];
    let path = format!("/beheer/kennis/overnames/{n}");
    let title = a.idea.as_ref().map(|i| i.title.clone()).unwrap_or_default();
    let mut page = RecordsPage::new(visitor, &path, title);
    page.back = Some((visitor.here.at("/beheer/kennis"), ui.k_back));
    if let Some(idea) = &a.idea {
        let from = idea.study.as_ref().map(|s| s.title.clone()).unwrap_or_default();
        page.lead = Some(format!("{} {from}. {}", ui.k_idea_from, idea.description).trim().to_string());
        if let Some(s) = &idea.study {
            page.links.push((visitor.here.at(&study_path(&s.id)), ui.k_view_public));
        }
    }
    page.history = history_rows(ui, &specs, &a.history);
    page.changes = changes(&a.history);
    let values = record::from_api(
        &specs,
        &[
            ("status", json!(a.status)),
            ("propositionId", json!(a.proposition.as_ref().map(|p| p.id.clone()))),
            ("startedOn", json!(a.started_on)),
            ("completedOn", json!(a.completed_on)),
            ("effectNote", json!(a.effect_note)),
        ],
    );
    page.form = Some(
        RecordForm::new("overname", visitor.here.at(&path), &csrf_of(visitor), ui.k_adoption_form, specs)
            .existing(values, a.version)
            .submit(ui.staff_save),
    );
    Ok(page)
}

const ELSEWHERE: &str = r#"query StaffIdeasElsewhere($me: ID!, $slug: [String!]!) {
  me: node(id: $me) { ... on Organisation { slug adoptions { idea { id } } } }
  ideas: studies(filter: { excludingOrganisations: $slug }, first: 100) {
    nodes { id title ideas { id title priority adoptionCount } }
  }
}"#;

/// `GET /beheer/kennis/ideeen-elders`: other organisations' ideas a library may take up.
pub async fn elsewhere(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let me = match acting_writer(&visitor) {
        Ok(id) => id,
        Err(response) => return Ok(*response),
    };
    let ui = visitor.here.labels();
    #[derive(Deserialize)]
    struct Slug {
        me: SlugOnly,
    }
    #[derive(Deserialize)]
    struct SlugOnly {
        slug: String,
    }
    let slug: Slug = ask(
        &state,
        &visitor,
        &Question::new(
            "query StaffSlug($me: ID!) { me: node(id: $me) { ... on Organisation { slug } } }",
            json!({ "me": me }),
        ),
    )
    .await?;
    #[derive(Deserialize)]
    struct A {
        me: Adopted,
        ideas: Nodes<S>,
    }
    #[derive(Deserialize)]
    struct Adopted {
        adoptions: Vec<AdoptedIdeaRef>,
    }
    #[derive(Deserialize)]
    struct AdoptedIdeaRef {
        idea: Option<IdOnly>,
    }
    #[derive(Deserialize)]
    struct S {
        id: String,
        title: String,
        ideas: Vec<IdeaRow>,
    }
    let q = Question::new(ELSEWHERE, json!({ "me": me, "slug": [slug.me.slug] }));
    let a: A = ask(&state, &visitor, &q).await?;
    let taken: Vec<String> = a.me.adoptions.into_iter().filter_map(|x| x.idea.map(|i| i.id)).collect();
    let mut page = RecordsPage::new(&visitor, "/beheer/kennis/ideeen-elders", ui.k_elsewhere.to_string());
    page.back = Some((visitor.here.at("/beheer/kennis"), ui.k_back));
    page.lead = Some(ui.k_elsewhere_lead.to_string());
    page.notice = notice(&visitor, &done);
    let library = visitor.actor.edited_library().is_some();
    let items = a
        .ideas
        .nodes
        .iter()
        .flat_map(|s| s.ideas.iter().map(move |i| (s, i)))
        .map(|(s, i)| {
            let mut item = Item::new(i.title.clone());
            item.link = Some(visitor.here.at(&study_path(&s.id)));
            item.meta = format!("{} · {} {}", ui.priority(&i.priority), ui.k_idea_from, s.title);
            if taken.contains(&i.id) {
                item.meta.push_str(&format!(" · {}", ui.k_adopted_already));
            } else if library {
                item.buttons.push(Button {
                    action: visitor.here.at(&format!("{}/overnemen", staff_path("/beheer/kennis/ideeen", &i.id))),
                    label: ui.k_adopt,
                    aria: format!("{}: {}", ui.k_adopt, i.title),
                    hidden: Vec::new(),
                });
            }
            item
        })
        .collect();
    page.parts.push(Part {
        id: "ideeen",
        heading: ui.k_ideas,
        lead: None,
        numbered: false,
        items,
        empty: ui.k_no_elsewhere,
        add: None,
    });
    Ok(page.respond(StatusCode::OK))
}

/// `POST /beheer/kennis/ideeen/{number}/overnemen`: the library takes up the idea, planned; then
/// the adoption's page, to keep track.
pub async fn adopt(
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
    let idea = global_id("ImprovementIdea", &n)?;
    let document = "mutation($input: AdoptIdeaInput!) { adoptImprovementIdea(input: $input) { adoption { id } } }";
    match mutate(&state, &visitor, document, json!({ "input": { "ideaId": idea, "organisationId": me } })).await? {
        Ok(data) => {
            let id = data["adoptImprovementIdea"]["adoption"]["id"].as_str().unwrap_or_default();
            let to = format!("{}?gedaan=overgenomen", staff_path("/beheer/kennis/overnames", id));
            Ok(see_other(&visitor.here.at(&to), None))
        }
        Err(refusal) => {
            let back = Some((visitor.here.at("/beheer/kennis/ideeen-elders"), ui.k_back));
            Ok(message(&visitor.here, refusal.status, ui.not_done, ui.validation(refusal.text()), back))
        }
    }
}
