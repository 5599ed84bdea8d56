//! The site's pages the benchmark asks for, chosen from the database in a fixed order like the
//! GraphQL requests' records, each with the main heading it must show; the check that an answer is
//! that page (a 200 with the heading, so that a 404 is never measured as a page); and the weight of
//! every chosen page, in bytes and gzipped.

use std::io::Write;

use anyhow::{Context, Result, bail};
use entity::enums::{OrganisationKind, Visibility};
use entity::{journey, organisation, province, standard_proposition, study};
use flate2::Compression;
use flate2::write::GzEncoder;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::workload::Kind;

/// How many pages of each kind the clients walk through.
const PER_KIND: usize = 64;

/// One page: its address and the text of its `<h1>`.
#[derive(Debug, Clone)]
pub struct PageTarget {
    pub path: String,
    pub heading: String,
}

/// The chosen pages of each kind.
#[derive(Debug, Clone, Default)]
pub struct PageTargets {
    pub libraries: Vec<PageTarget>,
    pub standards: Vec<PageTarget>,
    pub provinces: Vec<PageTarget>,
    pub journeys: Vec<PageTarget>,
}

/// Every `step`-th item, at most [`PER_KIND`] of them, spread over the whole list.
fn spread<T>(items: Vec<T>) -> Vec<T> {
    let step = (items.len() / PER_KIND).max(1);
    items.into_iter().step_by(step).take(PER_KIND).collect()
}

impl PageTargets {
    /// Picks the pages from the database: generated libraries by slug, the common model's standard
    /// propositions by code, the provinces by code, and the public studies with a customer journey
    /// by id.
    pub async fn load(db: &DatabaseConnection) -> Result<Self> {
        let libraries = organisation::Entity::find()
            .filter(organisation::Column::Kind.eq(OrganisationKind::Library))
            .filter(organisation::Column::Slug.starts_with("bibliotheek-gen-"))
            .order_by_asc(organisation::Column::Slug)
            .all(db)
            .await?
            .into_iter()
            .map(|o| PageTarget { path: format!("/bibliotheken/{}", o.slug), heading: o.name })
            .collect();
        let standards = standard_proposition::Entity::find()
            .filter(standard_proposition::Column::Code.not_like("GEN_SP_%"))
            .order_by_asc(standard_proposition::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|s| PageTarget { path: format!("/standaardproposities/{}", s.code), heading: s.name_nl })
            .collect();
        let provinces = province::Entity::find()
            .order_by_asc(province::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|p| PageTarget {
                path: format!("/dekking?provincie={}", p.code),
                heading: format!("Dekking in {}", p.name),
            })
            .collect();
        let with_journey: Vec<i64> = journey::Entity::find()
            .select_only()
            .column(journey::Column::StudyId)
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        let journeys = study::Entity::find()
            .filter(study::Column::Id.is_in(with_journey))
            .filter(study::Column::Visibility.eq(Visibility::Public))
            .order_by_asc(study::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|s| PageTarget { path: format!("/onderzoek/{}", s.id), heading: s.title })
            .collect();
        let targets = Self {
            libraries: spread(libraries),
            standards: spread(standards),
            provinces: spread(provinces),
            journeys: spread(journeys),
        };
        if [&targets.libraries, &targets.standards, &targets.provinces, &targets.journeys].iter().any(|l| l.is_empty())
        {
            bail!("the database holds no library, standard proposition, province or public study with a journey");
        }
        Ok(targets)
    }

    /// The pages of one kind (empty for the GraphQL kinds).
    pub fn of(&self, kind: Kind) -> &[PageTarget] {
        match kind {
            Kind::LibraryPage => &self.libraries,
            Kind::StandardPage => &self.standards,
            Kind::CoveragePage => &self.provinces,
            Kind::JourneyPage => &self.journeys,
            _ => &[],
        }
    }
}

/// The text of the page's first `<h1>`, its tags removed and the entities askama writes undone.
fn main_heading(html: &str) -> Option<String> {
    let start = html.find("<h1")?;
    let open_end = start + html[start..].find('>')? + 1;
    let close = open_end + html[open_end..].find("</h1>")?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[open_end..close].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(unescape(&text))
}

/// Undoes HTML's character references: the named ones askama writes, and numeric ones.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let decoded = rest.find(';').and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => name.strip_prefix('#').and_then(|d| d.parse().ok()).and_then(char::from_u32),
                },
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Whether a 200's body is the page asked for: an error, if not.
pub fn check(target: &PageTarget, body: &[u8]) -> Option<String> {
    let html = match std::str::from_utf8(body) {
        Ok(html) => html,
        Err(_) => return Some(format!("{}: the page is not UTF-8", target.path)),
    };
    match main_heading(html) {
        Some(heading) if heading == target.heading => None,
        Some(heading) => Some(format!("{}: heading {heading:?}, expected {:?}", target.path, target.heading)),
        None => Some(format!("{}: no <h1>", target.path)),
    }
}

/// The weight of one kind of page over all its chosen pages: the median and the largest, in bytes
/// of HTML as sent and gzipped (the registry sends it uncompressed; a proxy in front may not).
#[derive(Debug, Clone)]
pub struct Weight {
    pub kind: Kind,
    pub pages: usize,
    pub median_bytes: usize,
    pub max_bytes: usize,
    pub median_gzip: usize,
    pub max_gzip: usize,
}

fn gzip_len(body: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(body)?;
    Ok(encoder.finish()?.len())
}

/// Fetches every chosen page of `kind` once, checks it, and weighs it; a page that is not a 200
/// with its heading stops the benchmark before anything is measured.
pub async fn weigh(http: &reqwest::Client, base: &str, kind: Kind, targets: &[PageTarget]) -> Result<Weight> {
    let mut bytes = Vec::new();
    let mut gzipped = Vec::new();
    for target in targets {
        let response = http.get(format!("{base}{}", target.path)).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        if status != reqwest::StatusCode::OK {
            bail!("{} answered {status}", target.path);
        }
        if let Some(error) = check(target, &body) {
            bail!("{error}");
        }
        bytes.push(body.len());
        gzipped.push(gzip_len(&body).context("gzip")?);
    }
    bytes.sort_unstable();
    gzipped.sort_unstable();
    Ok(Weight {
        kind,
        pages: targets.len(),
        median_bytes: bytes[bytes.len() / 2],
        max_bytes: *bytes.last().unwrap_or(&0),
        median_gzip: gzipped[gzipped.len() / 2],
        max_gzip: *gzipped.last().unwrap_or(&0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_main_heading_as_a_person_sees_it() {
        let html = r#"<nav>x</nav><h1 class="utrecht-heading-1">Dekking in <span>Frysl&#x27;n</span> &amp; co</h1>"#;
        assert_eq!(main_heading(html).as_deref(), Some("Dekking in Frysl'n & co"));
        assert_eq!(main_heading("<h1>Klik &#38; Tik &amp c</h1>").as_deref(), Some("Klik & Tik &amp c"));
        let target = PageTarget { path: "/x".into(), heading: "Pagina niet gevonden".into() };
        assert!(check(&target, b"<h1>Pagina niet gevonden</h1>").is_none());
        assert!(check(&target, b"<h1>Bibliotheek Zoetermeer</h1>").is_some());
        assert!(check(&target, b"<p>nothing</p>").is_some());
    }
}
