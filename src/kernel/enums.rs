//! The API's enums, kept apart from the database's and mapped both ways.

use async_graphql::Enum;
use entity::enums as db;

macro_rules! mapped_enum {
    ($(#[$meta:meta])* $name:ident => $db:ty { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl From<$db> for $name {
            fn from(value: $db) -> Self {
                match value { $(<$db>::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $db {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => <$db>::$variant),+ }
            }
        }
    };
}

mapped_enum!(
    /// What kind of organisation takes part in the network.
    OrganisationKind => db::OrganisationKind {
        /// A public library organisation (bibliotheekorganisatie), with branches.
        Library,
        /// A provincial support organisation (POI), such as Probiblio or Cubiss.
        SupportOrganisation,
        /// A national body, such as the KB or SPN.
        NationalBody,
        /// A partner: a municipality, welfare organisation, school board or other.
        Partner,
    }
);

mapped_enum!(
    /// Whether a standard proposition is part of the current common model.
    StandardPropositionStatus => db::StandardStatus {
        /// In use: libraries can map propositions onto it.
        Active,
        /// No longer offered as a standard; existing mappings are kept.
        Retired,
    }
);

mapped_enum!(
    /// How a proposition reaches people.
    Channel => db::Channel {
        /// In a branch or another physical place.
        OnSite,
        /// Online only.
        Online,
        /// Both on site and online.
        Hybrid,
    }
);

mapped_enum!(
    /// Where a proposition is in its life.
    Lifecycle => db::Lifecycle {
        /// Being tried out.
        Pilot,
        /// Part of the regular offer.
        Regular,
        /// Temporarily not offered.
        Paused,
        /// No longer offered.
        Stopped,
    }
);

mapped_enum!(
    /// Who can see a proposition.
    PublicationState => db::PublicationState {
        /// Being prepared: visible to the library and its support organisation only.
        Draft,
        /// Visible to everyone.
        Published,
        /// Withdrawn: visible to the library and its support organisation only.
        Archived,
    }
);

mapped_enum!(
    /// Whether taking part costs money.
    CostKind => db::CostKind {
        /// Free of charge.
        Free,
        /// A price applies (see `priceCents`).
        Paid,
    }
);

/// The language of a label.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum Language {
    /// Dutch (Nederlands).
    #[default]
    Nl,
    /// English.
    En,
}

/// The direction of a sort.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum SortDirection {
    /// Smallest first.
    #[default]
    Asc,
    /// Largest first.
    Desc,
}

mapped_enum!(
    /// A way of doing customer research.
    ResearchMethod => db::ResearchMethod {
        /// Reading what is already known: reports, figures, earlier studies (deskresearch).
        DeskResearch,
        /// Conversations with customers or partners (interviews, gesprekken).
        Interviews,
        /// A questionnaire (enquête).
        Survey,
        /// Watching how people use a service (observatie).
        Observation,
        /// Designing together with customers (co-creatie).
        CoCreation,
        /// Analysing data, such as segmentation or neighbourhood statistics (data-analyse).
        DataAnalysis,
        /// Mapping a customer journey (klantreis).
        CustomerJourney,
    }
);

mapped_enum!(
    /// Who may see a study and everything in it.
    Visibility => db::Visibility {
        /// Only the organisations named on the study.
        Private,
        /// Every signed-in organisation of the network.
        Network,
        /// Everyone, also without signing in.
        Public,
    }
);

mapped_enum!(
    /// How strongly a study's method and size support what it found. STRONG: a survey or data
    /// analysis over at least 100 people, or three or more methods (one meeting customers) with at
    /// least 20 participants. MODERATE: a method meeting customers with at least 8 participants, or two
    /// or more methods. LIMITED: anything less.
    EvidenceStrength => db::EvidenceStrength {
        /// Desk research alone, or a handful of conversations.
        Limited,
        /// Enough to act on with care.
        Moderate,
        /// Broad or triangulated research.
        Strong,
    }
);

mapped_enum!(
    /// Whether an insight still holds.
    InsightState => db::InsightState {
        /// It holds.
        Current,
        /// A later insight replaced it.
        Superseded,
    }
);

mapped_enum!(
    /// The bucket an improvement idea was ranked in.
    IdeaPriority => db::IdeaPriority {
        /// Meteen doen: do it now.
        DoNow,
        /// Later oppakken: pick it up later.
        Later,
        /// Overwegen: worth considering.
        Consider,
    }
);

mapped_enum!(
    /// How far a library is with an idea it took up.
    AdoptionStatus => db::AdoptionStatus {
        /// Decided, not started.
        Planned,
        /// Being carried out.
        InProgress,
        /// Carried out.
        Done,
        /// Stopped without carrying it out.
        Dropped,
    }
);

mapped_enum!(
    /// How a piece of knowledge relates to an offering.
    LinkRelation => db::LinkRelation {
        /// The knowledge supports offering it.
        EvidenceFor,
        /// The knowledge shaped how it was designed.
        InformedDesignOf,
        /// The knowledge led to an improvement of it.
        Improves,
    }
);
