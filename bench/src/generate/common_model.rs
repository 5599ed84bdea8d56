//! The common model as the generator sees it: the reference data already loaded, completed with the
//! rest of the country's municipalities and the standard propositions the network has beyond the 19
//! of the reference data.

use entity::enums::StandardStatus;
use entity::{
    core_function, municipality, province, societal_task, standard_proposition, standard_proposition_societal_task,
    standard_proposition_target_group, target_group,
};
use rand::Rng;
use rand::seq::SliceRandom;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::insert::{insert_all, insert_with_ids};
use super::text::{fill, word};
use super::words::{PLACE_HEADS, PLACE_TAILS, Theme, group_phrases, standard_words, theme_words};
use super::{Summary, anchor};
use registry::error::AppError;

/// Municipalities per province (CBS code) in 2025: 342 in all.
const MUNICIPALITIES_PER_PROVINCE: [(&str, usize); 12] = [
    ("PV20", 10),
    ("PV21", 18),
    ("PV22", 12),
    ("PV23", 25),
    ("PV24", 6),
    ("PV25", 51),
    ("PV26", 26),
    ("PV27", 44),
    ("PV28", 50),
    ("PV29", 13),
    ("PV30", 56),
    ("PV31", 31),
];

/// Standard propositions added to the 19 of the reference data, so the network has about 60:
/// Dutch name, English name, core function, societal tasks, target groups, theme.
type GeneratedStandard =
    (&'static str, &'static str, &'static str, &'static [&'static str], &'static [&'static str], Theme);

const LIT: &str = "GELETTERDE_SAMENLEVING";
const DIG: &str = "PARTICIPATIE_INFORMATIESAMENLEVING";
const LLO: &str = "LEVEN_LANG_ONTWIKKELEN";

#[rustfmt::skip]
const GENERATED: [GeneratedStandard; 41] = [
    ("Taalcafé", "Language café", "DEVELOPMENT_EDUCATION", &[LIT, LLO], &["LANGUAGE_LEARNERS", "NEWCOMERS"], Theme::Language),
    ("Voorleesontbijt", "Reading breakfast", "READING_LITERATURE", &[LIT], &["YOUTH_0_4", "PARENTS"], Theme::Youth),
    ("Huiswerkbegeleiding", "Homework support", "DEVELOPMENT_EDUCATION", &[LLO], &["YOUTH_4_12", "YOUNG_PEOPLE"], Theme::School),
    ("Mediawijsheid voor ouders", "Media literacy for parents", "DEVELOPMENT_EDUCATION", &[DIG], &["PARENTS"], Theme::Digital),
    ("MediaLab voor jongeren", "Media lab for young people", "ART_CULTURE", &[DIG], &["YOUNG_PEOPLE"], Theme::Digital),
    ("Repair café", "Repair café", "MEETING_DEBATE", &[LLO], &["ALL_RESIDENTS"], Theme::Meeting),
    ("Schrijfwerkplaats", "Writing workshop", "ART_CULTURE", &[LIT], &["ADULTS", "YOUNG_PEOPLE"], Theme::Reading),
    ("Leesclub voor jongeren", "Book club for young people", "READING_LITERATURE", &[LIT], &["YOUNG_PEOPLE"], Theme::Reading),
    ("Spreekuur geldzaken", "Money matters help desk", "KNOWLEDGE_INFORMATION", &[DIG], &["ADULTS", "JOB_SEEKERS"], Theme::Information),
    ("Werkplein in de bibliotheek", "Job centre in the library", "DEVELOPMENT_EDUCATION", &[LLO], &["JOB_SEEKERS"], Theme::Work),
    ("Sollicitatiehulp", "Job application help", "DEVELOPMENT_EDUCATION", &[LLO], &["JOB_SEEKERS"], Theme::Work),
    ("Digicafé", "Digital café", "DEVELOPMENT_EDUCATION", &[DIG], &["SENIORS", "ADULTS"], Theme::Digital),
    ("Cursus Werken met de computer", "Computer course", "DEVELOPMENT_EDUCATION", &[DIG, LLO], &["ADULTS", "LOW_LITERATE_ADULTS"], Theme::Digital),
    ("Klimaatcafé", "Climate café", "MEETING_DEBATE", &[LLO], &["ADULTS"], Theme::Debate),
    ("Debatavond", "Debate evening", "MEETING_DEBATE", &[LLO], &["ADULTS", "YOUNG_PEOPLE"], Theme::Debate),
    ("Lezing en gesprek", "Lecture and conversation", "MEETING_DEBATE", &[LLO], &["ADULTS", "SENIORS"], Theme::Debate),
    ("Filmhuis in de bibliotheek", "Film club", "ART_CULTURE", &[LLO], &["ADULTS"], Theme::Culture),
    ("Expositie van lokale kunstenaars", "Exhibition of local artists", "ART_CULTURE", &[LLO], &["ALL_RESIDENTS"], Theme::Culture),
    ("Muziekles voor kinderen", "Music lessons for children", "ART_CULTURE", &[LLO], &["YOUTH_4_12"], Theme::Culture),
    ("Makerspace", "Makerspace", "DEVELOPMENT_EDUCATION", &[DIG], &["YOUTH_4_12", "YOUNG_PEOPLE"], Theme::Digital),
    ("Codeclub", "Code club", "DEVELOPMENT_EDUCATION", &[DIG], &["YOUTH_4_12"], Theme::Digital),
    ("Samenleesgroep", "Shared reading group", "READING_LITERATURE", &[LIT], &["SENIORS", "ADULTS"], Theme::Reading),
    ("Voorlezen aan huis voor ouderen", "Reading aloud at home for seniors", "READING_LITERATURE", &[LIT], &["SENIORS_LESS_SELF_RELIANT"], Theme::Meeting),
    ("Boek aan huis", "Books delivered at home", "READING_LITERATURE", &[LIT], &["SENIORS_LESS_SELF_RELIANT"], Theme::Reading),
    ("Ontmoetingsochtend voor nieuwkomers", "Meeting morning for newcomers", "MEETING_DEBATE", &[LLO], &["NEWCOMERS"], Theme::Language),
    ("Taalmaatjes", "Language buddies", "DEVELOPMENT_EDUCATION", &[LIT], &["LANGUAGE_LEARNERS", "LOW_LITERATE_ADULTS"], Theme::Language),
    ("Online Nederlands oefenen", "Practising Dutch online", "DEVELOPMENT_EDUCATION", &[LIT, DIG], &["LANGUAGE_LEARNERS"], Theme::Language),
    ("Spreekuur toeslagen en belastingaangifte", "Benefits and tax return help", "KNOWLEDGE_INFORMATION", &[DIG], &["ADULTS", "IDO_VISITORS"], Theme::Information),
    ("Juridisch spreekuur", "Legal advice hour", "KNOWLEDGE_INFORMATION", &[DIG], &["ADULTS"], Theme::Information),
    ("Gezondheidsvaardigheden", "Health literacy", "KNOWLEDGE_INFORMATION", &[LLO], &["ADULTS", "SENIORS"], Theme::Information),
    ("Boekenpret voor peuters", "Book fun for toddlers", "READING_LITERATURE", &[LIT], &["YOUTH_0_4", "CHILDCARE"], Theme::Youth),
    ("Leesbevordering in het mbo", "Reading promotion in vocational education", "READING_LITERATURE", &[LIT], &["YOUNG_PEOPLE"], Theme::School),
    ("Bibliotheek op school voor ISK-leerlingen", "Library at school for ISK pupils", "DEVELOPMENT_EDUCATION", &[LIT], &["PUPILS_ISK"], Theme::School),
    ("Mediawijsheid in de klas", "Media literacy in the classroom", "DEVELOPMENT_EDUCATION", &[DIG], &["PRIMARY_SCHOOLS", "EDUCATION_PROFESSIONALS"], Theme::School),
    ("Gamecafé", "Gaming café", "MEETING_DEBATE", &[DIG], &["YOUNG_PEOPLE"], Theme::Meeting),
    ("Breicafé", "Knitting café", "MEETING_DEBATE", &[LLO], &["SENIORS", "ADULTS"], Theme::Meeting),
    ("Huiskamer van de wijk", "Neighbourhood living room", "MEETING_DEBATE", &[LLO], &["ALL_RESIDENTS", "SENIORS"], Theme::Meeting),
    ("Schrijversbezoek", "Author visit", "READING_LITERATURE", &[LIT], &["ADULTS"], Theme::Reading),
    ("Poëzieavond", "Poetry evening", "ART_CULTURE", &[LIT], &["ADULTS"], Theme::Culture),
    ("Erfgoed en lokale geschiedenis", "Heritage and local history", "KNOWLEDGE_INFORMATION", &[LLO], &["ADULTS", "SENIORS"], Theme::Culture),
    ("Stamboomonderzoek", "Family history research", "KNOWLEDGE_INFORMATION", &[LLO], &["SENIORS"], Theme::Information),
];

/// A record known by code.
#[derive(Debug, Clone)]
pub(super) struct Coded {
    pub id: i64,
    pub code: String,
}

#[derive(Debug, Clone)]
pub(super) struct Province {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub(super) struct Municipality {
    pub id: i64,
    pub name: String,
    /// Index into [`Model::provinces`].
    pub province: usize,
}

#[derive(Debug, Clone)]
pub(super) struct Standard {
    pub id: i64,
    /// What libraries call their version of it.
    pub names: Vec<String>,
    /// Indexes into [`Model::target_groups`]; never empty.
    pub target_groups: Vec<usize>,
    pub theme: Theme,
    pub core_function_id: i64,
    /// One of the well-known standard propositions, which libraries offer more often.
    pub well_known: bool,
}

/// The common model, each list ordered by code so the same choices come out on any database.
#[derive(Debug, Clone)]
pub(super) struct Model {
    pub provinces: Vec<Province>,
    pub municipalities: Vec<Municipality>,
    pub core_functions: Vec<Coded>,
    pub societal_tasks: Vec<Coded>,
    pub target_groups: Vec<Coded>,
    /// The active standard propositions.
    pub standards: Vec<Standard>,
}

impl Model {
    pub fn core_function(&self, code: &str) -> Option<i64> {
        self.core_functions.iter().find(|c| c.code == code).map(|c| c.id)
    }

    pub fn target_group(&self, code: &str) -> Option<usize> {
        self.target_groups.iter().position(|g| g.code == code)
    }

    /// A phrase for a target group in running text.
    pub fn group_phrase<R: Rng>(&self, rng: &mut R, group: usize) -> &'static str {
        word(rng, group_phrases(&self.target_groups[group].code))
    }
}

fn theme_of_core_function(code: &str) -> Theme {
    match code {
        "KNOWLEDGE_INFORMATION" => Theme::Information,
        "DEVELOPMENT_EDUCATION" => Theme::Digital,
        "MEETING_DEBATE" => Theme::Meeting,
        "ART_CULTURE" => Theme::Culture,
        _ => Theme::Reading,
    }
}

/// Completes the common model and reads it back.
pub(super) async fn extend<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    summary: &mut Summary,
) -> Result<Model, AppError> {
    summary.municipalities = add_municipalities(db, rng).await?;
    summary.standard_propositions = add_standards(db, rng).await?;
    load(db).await
}

async fn add_municipalities<C: ConnectionTrait, R: Rng>(db: &C, rng: &mut R) -> Result<u64, AppError> {
    let provinces = province::Entity::find().order_by_asc(province::Column::Code).all(db).await?;
    let existing = municipality::Entity::find().order_by_asc(municipality::Column::Code).all(db).await?;
    let mut names: Vec<String> = PLACE_HEADS
        .iter()
        .flat_map(|h| PLACE_TAILS.iter().map(move |t| (h, t)))
        .filter(|(h, t)| !h.to_lowercase().ends_with(&t[..1]))
        .map(|(h, t)| format!("{h}{t}"))
        .filter(|n| !existing.iter().any(|m| &m.name == n))
        .collect();
    names.shuffle(rng);
    let mut names = names.into_iter();
    let mut codes = (9001..=9999).map(|n| format!("GM{n}")).filter(|c| !existing.iter().any(|m| &m.code == c));
    let ts = anchor();
    let mut rows = Vec::new();
    for p in &provinces {
        let want = MUNICIPALITIES_PER_PROVINCE.iter().find(|(code, _)| *code == p.code).map_or(0, |(_, n)| *n);
        let have = existing.iter().filter(|m| m.province_id == p.id).count();
        for _ in have..want {
            let (Some(code), Some(name)) = (codes.next(), names.next()) else {
                return Err(AppError::internal("generate: ran out of municipality codes or names"));
            };
            rows.push(municipality::ActiveModel {
                id: NotSet,
                code: Set(code),
                name: Set(name),
                province_id: Set(p.id),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            });
        }
    }
    insert_all(db, rows).await
}

async fn add_standards<C: ConnectionTrait, R: Rng>(db: &C, rng: &mut R) -> Result<u64, AppError> {
    let functions = core_function::Entity::find().all(db).await?;
    let tasks = societal_task::Entity::find().all(db).await?;
    let groups = target_group::Entity::find().all(db).await?;
    let id_of = |list: &[(i64, &str)], code: &str| {
        list.iter()
            .find(|(_, c)| *c == code)
            .map(|(id, _)| *id)
            .ok_or_else(|| AppError::internal(format!("generate: the common model lacks {code}")))
    };
    let functions: Vec<(i64, &str)> = functions.iter().map(|f| (f.id, f.code.as_str())).collect();
    let tasks: Vec<(i64, &str)> = tasks.iter().map(|t| (t.id, t.code.as_str())).collect();
    let groups: Vec<(i64, &str)> = groups.iter().map(|g| (g.id, g.code.as_str())).collect();
    let ts = anchor() - chrono::Duration::days(400);
    let mut rows = Vec::new();
    for (i, (name_nl, name_en, function, _, group_codes, theme)) in GENERATED.iter().enumerate() {
        let words = theme_words(*theme);
        let group = word(rng, group_phrases(group_codes[0]));
        let description = format!("{name_nl}: {}.", fill(word(rng, words.purposes), group, "de gemeente"));
        rows.push(standard_proposition::ActiveModel {
            id: NotSet,
            code: Set(format!("GEN_SP_{:02}", i + 1)),
            name_nl: Set(name_nl.to_string()),
            name_en: Set(name_en.to_string()),
            description_nl: Set(description),
            description_en: Set(format!("{name_en}: a standard proposition of the generated network.")),
            core_function_id: Set(id_of(&functions, function)?),
            status: Set(StandardStatus::Active),
            retired_at: Set(None),
            retirement_note: Set(None),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
        });
    }
    let ids = insert_with_ids(db, rows, standard_proposition::Column::Id, standard_proposition::Column::Code, |m| {
        m.code.as_ref().clone()
    })
    .await?;
    let (mut task_links, mut group_links) = (Vec::new(), Vec::new());
    for (id, (_, _, _, task_codes, group_codes, _)) in ids.iter().zip(GENERATED.iter()) {
        for code in *task_codes {
            task_links.push(standard_proposition_societal_task::ActiveModel {
                standard_proposition_id: Set(*id),
                societal_task_id: Set(id_of(&tasks, code)?),
            });
        }
        for code in *group_codes {
            group_links.push(standard_proposition_target_group::ActiveModel {
                standard_proposition_id: Set(*id),
                target_group_id: Set(id_of(&groups, code)?),
            });
        }
    }
    insert_all(db, task_links).await?;
    insert_all(db, group_links).await?;
    Ok(ids.len() as u64)
}

async fn load<C: ConnectionTrait>(db: &C) -> Result<Model, AppError> {
    let provinces: Vec<Province> = province::Entity::find()
        .order_by_asc(province::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|p| Province { id: p.id, code: p.code, name: p.name })
        .collect();
    let municipalities = municipality::Entity::find()
        .order_by_asc(municipality::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| {
            let province = provinces.iter().position(|p| p.id == m.province_id)?;
            Some(Municipality { id: m.id, name: m.name, province })
        })
        .collect();
    let coded = |rows: Vec<(i64, String)>| rows.into_iter().map(|(id, code)| Coded { id, code }).collect::<Vec<_>>();
    let core_functions = coded(
        core_function::Entity::find()
            .order_by_asc(core_function::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.code))
            .collect(),
    );
    let societal_tasks = coded(
        societal_task::Entity::find()
            .order_by_asc(societal_task::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.code))
            .collect(),
    );
    let target_groups = coded(
        target_group::Entity::find()
            .order_by_asc(target_group::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|g| (g.id, g.code))
            .collect(),
    );
    let group_links = standard_proposition_target_group::Entity::find().all(db).await?;
    let functions: Vec<(i64, String)> = core_functions.iter().map(|c| (c.id, c.code.clone())).collect();
    let everyone = target_groups.iter().position(|g| g.code == "ALL_RESIDENTS").unwrap_or(0);
    let standards = standard_proposition::Entity::find()
        .filter(standard_proposition::Column::Status.eq(StandardStatus::Active))
        .order_by_asc(standard_proposition::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            let mut groups: Vec<usize> = group_links
                .iter()
                .filter(|l| l.standard_proposition_id == s.id)
                .filter_map(|l| target_groups.iter().position(|g| g.id == l.target_group_id))
                .collect();
            groups.sort_unstable();
            if groups.is_empty() {
                groups.push(everyone);
            }
            let well_known = standard_words(&s.code).is_some();
            let (theme, names) = match standard_words(&s.code) {
                Some((theme, names)) => (theme, names.iter().map(|n| n.to_string()).collect()),
                None => {
                    let function = functions.iter().find(|(id, _)| *id == s.core_function_id);
                    let theme = GENERATED
                        .iter()
                        .find(|g| g.0 == s.name_nl)
                        .map(|g| g.5)
                        .unwrap_or_else(|| theme_of_core_function(function.map_or("", |(_, c)| c.as_str())));
                    (theme, vec![s.name_nl.clone()])
                }
            };
            Standard { id: s.id, names, target_groups: groups, theme, core_function_id: s.core_function_id, well_known }
        })
        .collect();
    Ok(Model { provinces, municipalities, core_functions, societal_tasks, target_groups, standards })
}
