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
