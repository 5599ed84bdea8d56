//! "Sign in as a demo person": for trying the registry on a laptop, one person per role of the demo
//! network. Offered only when no identity provider is configured and the built-in development
//! secret is in use ([`Settings::demo_sign_in_enabled`]): a [`DemoSignIn`] can only be had from
//! settings that allow it, so no code path signs anyone in as a demo person elsewhere.

use entity::{membership as membership_entity, person};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::identity::{Actor, Role};

use crate::error::{AppError, AppResult};
use crate::people::membership::{self, Grant, Identity};
use crate::registry::organisation as org_service;
use crate::settings::Settings;

/// The issuer demo persons are recorded under; no identity provider has it.
pub const DEMO_ISSUER: &str = "urn:registry:demo";

/// One demo person: who they are and the memberships of the demo network they hold.
#[derive(Debug, Clone, Copy)]
pub struct DemoPerson {
    /// The person's subject, and the form's value.
    pub key: &'static str,
    pub name: &'static str,
    /// What they can do, in Dutch and English.
    pub does_nl: &'static str,
    pub does_en: &'static str,
    /// (organisation slug, role, admin)
    pub memberships: &'static [(&'static str, Role, bool)],
}

/// The demo network's people, one per role (and one with two memberships, one with none).
pub const DEMO_PEOPLE: [DemoPerson; 7] = [
    DemoPerson {
        key: "redacteur-zoetermeer",
        name: "Sanne Jansen (demo)",
        does_nl: "redacteur bij Bibliotheek Zoetermeer",
        does_en: "editor at Bibliotheek Zoetermeer",
        memberships: &[("bibliotheek-zoetermeer", Role::LibraryEditor, false)],
    },
    DemoPerson {
        key: "beheerder-zoetermeer",
        name: "Pieter de Vries (demo)",
        does_nl: "redacteur en beheerder bij Bibliotheek Zoetermeer (beheert lidmaatschappen)",
        does_en: "editor and administrator at Bibliotheek Zoetermeer (manages memberships)",
        memberships: &[("bibliotheek-zoetermeer", Role::LibraryEditor, true)],
    },
    DemoPerson {
        key: "adviseur-probiblio",
        name: "Fatima El Amrani (demo)",
        does_nl: "adviseur bij Probiblio",
        does_en: "advisor at Probiblio",
        memberships: &[("probiblio", Role::SupportEditor, false)],
    },
    DemoPerson {
        key: "netwerkbeheerder-kb",
        name: "Joost Bakker (demo)",
        does_nl: "netwerkbeheerder bij de KB",
        does_en: "network maintainer at the KB",
        memberships: &[("koninklijke-bibliotheek", Role::NetworkMaintainer, true)],
    },
    DemoPerson {
        key: "partner-gemeente-zoetermeer",
        name: "Ayse Yilmaz (demo)",
        does_nl: "partner bij de gemeente Zoetermeer (leest)",
        does_en: "partner at the municipality of Zoetermeer (reads)",
        memberships: &[("gemeente-zoetermeer", Role::Partner, false)],
    },
    DemoPerson {
        key: "redacteur-flevoland",
        name: "Daan Visser (demo)",
        does_nl: "redacteur bij de bibliotheken van Almere en Lelystad (kiest er één)",
        does_en: "editor at the libraries of Almere and Lelystad (chooses one)",
        memberships: &[
            ("nieuwe-bibliotheek-almere", Role::LibraryEditor, false),
            ("bibliotheek-lelystad", Role::LibraryEditor, false),
        ],
    },
    DemoPerson {
        key: "lezer",
        name: "Noor de Boer (demo)",
        does_nl: "zonder lidmaatschap (leest alleen)",
        does_en: "without a membership (only reads)",
        memberships: &[],
    },
];

/// Permission to sign people in as demo persons; only settings that allow it make one.
#[derive(Debug, Clone, Copy)]
pub struct DemoSignIn(());

impl DemoSignIn {
    /// The demo sign-in, when the settings allow it.
    pub fn if_allowed(settings: &Settings) -> Option<Self> {
        settings.demo_sign_in_enabled().then_some(Self(()))
    }

    /// The demo person with this key.
    pub fn person(&self, key: &str) -> AppResult<&'static DemoPerson> {
        DEMO_PEOPLE.iter().find(|p| p.key == key).ok_or_else(|| AppError::invalid("persoon", "no such demo person"))
    }

    /// Signs in as a demo person: the person is recorded (as any person signing in is) and given
    /// the demo network's memberships they lack, by the system. Returns the person and their first
    /// membership.
    pub async fn sign_in(
        &self,
        db: &DatabaseConnection,
        demo: &DemoPerson,
    ) -> AppResult<(person::Model, Option<membership_entity::Model>)> {
        let person = membership::signed_in(
            db,
            Identity {
                issuer: DEMO_ISSUER.into(),
                subject: demo.key.into(),
                name: demo.name.into(),
                email: Some(format!("{}@demo.invalid", demo.key)),
            },
        )
        .await?;
        let mut first = None;
        for (slug, role, admin) in demo.memberships {
            let organisation = org_service::by_slug(db, slug).await?.ok_or_else(|| {
                AppError::Conflict(format!("the demo network is not loaded (no organisation {slug})"))
            })?;
            let held = membership_entity::Entity::find()
                .filter(membership_entity::Column::PersonId.eq(person.id))
                .filter(membership_entity::Column::OrganisationId.eq(organisation.id))
                .one(db)
                .await?;
            let held = match held {
                Some(m) => m,
                None => {
                    let grant =
                        Grant { person_id: person.id, organisation_id: organisation.id, role: *role, admin: *admin };
                    membership::grant(db, &Actor::system(), grant).await?
                }
            };
            first.get_or_insert(held);
        }
        Ok((person, first))
    }
}
