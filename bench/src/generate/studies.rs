//! Research studies with the organisations, methods, target groups and places they name, and the
//! customer journeys (with their stages) that a quarter of them describe.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use entity::enums::{EvidenceStrength, ResearchMethod, Visibility};
use entity::json::{Quote, QuoteList, TextList};
use entity::{
    journey, journey_proposition, journey_stage, study, study_commissioner, study_conductor, study_method,
    study_municipality, study_province, study_target_group,
};
use rand::Rng;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::ConnectionTrait;

use super::common_model::Model;
use super::insert::{insert_all, insert_with_ids};
use super::organisations::Network;
use super::propositions::Offers;
use super::text::{enumerate, pick, pick_some, study_summary, study_title};
use super::words::{ATTRIBUTIONS, GAINS, PAINS, QUOTES, STAGES, TOUCHPOINTS, theme_words};
use super::{Sizes, Summary, anchor, choose, moment_before};
use registry::error::AppError;
use registry::knowledge::study::{default_valid_until, evidence_strength};

/// What later rows need to know of a study.
#[derive(Debug, Clone)]
pub(super) struct StudyRef {
    pub id: i64,
    /// Index into [`Network::libraries`] of the library it was done for.
    pub library: usize,
    /// Index into [`Model::standards`] of what it is about.
    pub standard: usize,
    pub activity: String,
    pub phrase: &'static str,
    pub place: String,
    /// The methods in running text, e.g. "interviews en een enquête".
    pub methods: String,
    pub strength: EvidenceStrength,
    pub created: DateTime<Utc>,
    /// Index into [`Model::target_groups`] of its main target group.
    pub group: usize,
    /// Whether it used the customer-journey method and so describes a journey.
    pub journey: bool,
    pub stages: Vec<i64>,
    pub insights: Vec<i64>,
}

const METHODS: [ResearchMethod; 6] = [
    ResearchMethod::DeskResearch,
    ResearchMethod::Interviews,
    ResearchMethod::Survey,
    ResearchMethod::Observation,
    ResearchMethod::CoCreation,
    ResearchMethod::DataAnalysis,
];

fn method_nl(m: ResearchMethod) -> &'static str {
    match m {
        ResearchMethod::DeskResearch => "deskresearch",
        ResearchMethod::Interviews => "interviews",
        ResearchMethod::Survey => "een enquête",
        ResearchMethod::Observation => "observaties",
        ResearchMethod::CoCreation => "cocreatiesessies",
        ResearchMethod::DataAnalysis => "data-analyse",
        ResearchMethod::CustomerJourney => "een klantreis",
    }
}

fn at_nine(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(9, 0, 0).expect("09:00 exists")).min(anchor())
}

/// The links of one study to organisations, methods, groups and places.
struct Named {
    methods: Vec<ResearchMethod>,
    commissioners: Vec<i64>,
    conductor: i64,
    groups: Vec<i64>,
    province: i64,
    municipality: Option<i64>,
}

pub(super) async fn generate<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    model: &Model,
    network: &Network,
    offers: &Offers,
    sizes: &Sizes,
    summary: &mut Summary,
) -> Result<Vec<StudyRef>, AppError> {
    let libraries = &network.libraries;
    let mut rows = Vec::with_capacity(sizes.studies);
    let mut refs = Vec::with_capacity(sizes.studies);
    let mut named = Vec::with_capacity(sizes.studies);
    for i in 0..sizes.studies {
        let journey = i % 4 == 0 && i / 4 < sizes.journeys;
        let li = rng.random_range(0..libraries.len());
        let library = &libraries[li];
        // Half the studies are about something the library offers, so their links land on it.
        let own = &offers.by_library[li];
        let offered = (!own.is_empty() && rng.random_bool(0.5)).then(|| offers.all[*pick(rng, own)].standard);
        let standard = match offered.flatten() {
            Some(s) => s,
            None => offers.popularity.sample(rng),
        };
        let s = &model.standards[standard];
        let groups: Vec<usize> = pick_some(rng, &s.target_groups, 1..=2).into_iter().copied().collect();
        let phrase = model.group_phrase(rng, groups[0]);
        let municipality = *pick(rng, &library.municipalities);
        let place = model.municipalities[municipality].name.clone();
        let methods: Vec<ResearchMethod> = if journey {
            let mut m = vec![ResearchMethod::CustomerJourney];
            m.extend(pick_some(rng, &METHODS[..5], 1..=2).into_iter().copied());
            m
        } else {
            let k = choose(rng, &[(1, 45), (2, 35), (3, 20)]);
            pick_some(rng, &METHODS, k..=k).into_iter().copied().collect()
        };
        let quantitative = methods.iter().any(|m| matches!(m, ResearchMethod::Survey | ResearchMethod::DataAnalysis));
        let participants = rng
            .random_bool(0.9)
            .then(|| if quantitative { rng.random_range(40..=600) } else { rng.random_range(4..=40) });
        let strength = evidence_strength(&methods, participants);
        let start = moment_before(rng, 6 * 365).date_naive();
        let end = rng
            .random_bool(0.85)
            .then(|| (start + chrono::Duration::days(rng.random_range(30..=240))).min(anchor().date_naive()));
        let created = at_nine(end.unwrap_or(start) + chrono::Duration::days(rng.random_range(1..=30)));
        let by_support = rng.random_bool(0.75);
        let support = &network.support[library.support];
        let mut commissioners = vec![library.id];
        if rng.random_bool(0.15) {
            let other = rng.random_range(0..libraries.len());
            if other != li && libraries[other].province == library.province {
                commissioners.push(libraries[other].id);
            }
        }
        let activity = pick(rng, &s.names).clone();
        let methods_text = enumerate(&methods.iter().map(|m| method_nl(*m)).collect::<Vec<_>>());
        let words = theme_words(s.theme);
        let conductor_name = by_support.then_some(support.name.as_str());
        rows.push(study::ActiveModel {
            id: NotSet,
            title: Set(study_title(rng, journey, &activity, words, phrase, &place, &library.name)),
            summary: Set(study_summary(
                &library.name,
                conductor_name,
                &activity,
                phrase,
                &place,
                &methods_text,
                participants,
            )),
            period_start: Set(start),
            period_end: Set(end),
            participant_count: Set(participants),
            report_url: Set(rng
                .random_bool(0.4)
                .then(|| format!("https://www.{}.nl/onderzoek/{}", library.slug, i + 1))),
            quotes_anonymised: Set(rng.random_bool(0.9)),
            consent_recorded: Set(rng.random_bool(0.9)),
            valid_until: Set(default_valid_until(start, end)),
            visibility: Set(choose(
                rng,
                &[(Visibility::Public, 50), (Visibility::Network, 35), (Visibility::Private, 15)],
            )),
            evidence_strength: Set(strength),
            version: Set(1),
            created_at: Set(created),
            updated_at: Set(created),
        });
        named.push(Named {
            methods,
            commissioners,
            conductor: if by_support { support.id } else { library.id },
            groups: groups.iter().map(|g| model.target_groups[*g].id).collect(),
            province: model.provinces[library.province].id,
            municipality: rng.random_bool(0.6).then_some(model.municipalities[municipality].id),
        });
        refs.push(StudyRef {
            id: 0,
            library: li,
            standard,
            activity,
            phrase,
            place,
            methods: methods_text,
            strength,
            created,
            group: groups[0],
            journey,
            stages: Vec::new(),
            insights: Vec::new(),
        });
    }
    let ids = insert_with_ids(db, rows, study::Column::Id, study::Column::Title, |m| m.title.as_ref().clone()).await?;
    for (r, id) in refs.iter_mut().zip(&ids) {
        r.id = *id;
    }
    summary.studies = ids.len() as u64;
    summary.study_links = write_named(db, &ids, named).await?;
    add_journeys(db, rng, model, offers, &mut refs, summary).await?;
    Ok(refs)
}

async fn write_named<C: ConnectionTrait>(db: &C, ids: &[i64], named: Vec<Named>) -> Result<u64, AppError> {
    let (mut methods, mut commissioners, mut conductors) = (Vec::new(), Vec::new(), Vec::new());
    let (mut groups, mut provinces, mut municipalities) = (Vec::new(), Vec::new(), Vec::new());
    for (id, n) in ids.iter().copied().zip(named) {
        methods.extend(n.methods.into_iter().map(|m| study_method::ActiveModel { study_id: Set(id), method: Set(m) }));
        commissioners.extend(
            n.commissioners
                .into_iter()
                .map(|o| study_commissioner::ActiveModel { study_id: Set(id), organisation_id: Set(o) }),
        );
        conductors.push(study_conductor::ActiveModel { study_id: Set(id), organisation_id: Set(n.conductor) });
        groups.extend(
            n.groups
                .into_iter()
                .map(|g| study_target_group::ActiveModel { study_id: Set(id), target_group_id: Set(g) }),
        );
        provinces.push(study_province::ActiveModel { study_id: Set(id), province_id: Set(n.province) });
        municipalities.extend(
            n.municipality.map(|m| study_municipality::ActiveModel { study_id: Set(id), municipality_id: Set(m) }),
        );
    }
    Ok(insert_all(db, methods).await?
        + insert_all(db, commissioners).await?
        + insert_all(db, conductors).await?
        + insert_all(db, groups).await?
        + insert_all(db, provinces).await?
        + insert_all(db, municipalities).await?)
}

/// One journey for each study that used the customer-journey method, with four to six stages.
async fn add_journeys<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    model: &Model,
    offers: &Offers,
    studies: &mut [StudyRef],
    summary: &mut Summary,
) -> Result<(), AppError> {
    let journeys: Vec<usize> = (0..studies.len()).filter(|i| studies[*i].journey).collect();
    let mut rows = Vec::new();
    let mut followed = Vec::new();
    for &i in &journeys {
        let s = &studies[i];
        let ts = s.created;
        rows.push(journey::ActiveModel {
            id: NotSet,
            study_id: Set(s.id),
            title: Set(format!("Klantreis {} voor {}", s.activity, s.phrase)),
            description: Set(format!(
                "De reis van {} in {}, van de eerste kennismaking tot het terugkomen.",
                s.phrase, s.place
            )),
            target_group_id: Set(model.target_groups[s.group].id),
            standard_proposition_id: Set(Some(model.standards[s.standard].id)),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
        });
        let own = &offers.by_library[s.library];
        let mut props: Vec<i64> = own
            .iter()
            .filter(|o| offers.all[**o].standard == Some(s.standard))
            .take(2)
            .map(|o| offers.all[*o].id)
            .collect();
        if props.is_empty() && !own.is_empty() && rng.random_bool(0.5) {
            props.push(offers.all[*pick(rng, own)].id);
        }
        followed.push(props);
    }
    let ids =
        insert_with_ids(db, rows, journey::Column::Id, journey::Column::Title, |m| m.title.as_ref().clone()).await?;
    summary.journeys = ids.len() as u64;
    let links: Vec<journey_proposition::ActiveModel> = ids
        .iter()
        .zip(followed)
        .flat_map(|(j, props)| {
            props.into_iter().map(|p| journey_proposition::ActiveModel { journey_id: Set(*j), proposition_id: Set(p) })
        })
        .collect();
    summary.journey_propositions = insert_all(db, links).await?;

    let mut rows = Vec::new();
    let mut owners = Vec::new();
    for (&i, &journey_id) in journeys.iter().zip(&ids) {
        let k = rng.random_range(4..=6);
        for (position, (name, description)) in pick_some(rng, STAGES, k..=k).into_iter().enumerate() {
            let quotes = pick_some(rng, QUOTES, 0..=1)
                .into_iter()
                .map(|q| Quote { text: q.to_string(), attribution: Some(pick(rng, ATTRIBUTIONS).to_string()) })
                .collect();
            let texts = |rng: &mut R, list: &[&str], n: std::ops::RangeInclusive<usize>| {
                TextList(pick_some(rng, list, n).into_iter().map(|t| t.to_string()).collect())
            };
            rows.push(journey_stage::ActiveModel {
                id: NotSet,
                journey_id: Set(journey_id),
                position: Set(position as i32 + 1),
                name: Set(name.to_string()),
                description: Set(description.to_string()),
                touchpoints: Set(texts(rng, TOUCHPOINTS, 1..=3)),
                pains: Set(texts(rng, PAINS, 0..=2)),
                gains: Set(texts(rng, GAINS, 0..=2)),
                emotion_score: Set(rng.random_bool(0.9).then(|| rng.random_range(-2..=2))),
                quotes: Set(QuoteList(quotes)),
                version: Set(1),
                created_at: Set(studies[i].created),
                updated_at: Set(studies[i].created),
            });
            owners.push(i);
        }
    }
    let stage_ids =
        insert_with_ids(db, rows, journey_stage::Column::Id, journey_stage::Column::Name, |m| m.name.as_ref().clone())
            .await?;
    summary.journey_stages = stage_ids.len() as u64;
    for (id, i) in stage_ids.into_iter().zip(owners) {
        studies[i].stages.push(id);
    }
    Ok(())
}
