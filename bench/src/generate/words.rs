//! Dutch word lists for generated texts, grouped by theme so that titles, descriptions, insights and
//! ideas about one service use the words people would search for.

/// What a service is about; it decides which sentences, insights and ideas fit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Theme {
    Reading,
    Youth,
    School,
    Language,
    Digital,
    Information,
    Meeting,
    Debate,
    Culture,
    Work,
}

/// The words of one theme. `{g}` stands for a target group, `{G}` for the same capitalised and `{p}`
/// for a place.
pub(super) struct ThemeWords {
    /// What research on this theme is about, e.g. "Onderzoek naar {noun} onder ouderen".
    pub noun: &'static str,
    pub purposes: &'static [&'static str],
    pub sentences: &'static [&'static str],
    pub insights: &'static [&'static str],
    pub ideas: &'static [&'static str],
    /// Activities libraries run without a standard proposition: name, core function, target groups.
    pub local: &'static [(&'static str, &'static str, &'static [&'static str])],
}

pub(super) const THEMES: [Theme; 10] = [
    Theme::Reading,
    Theme::Youth,
    Theme::School,
    Theme::Language,
    Theme::Digital,
    Theme::Information,
    Theme::Meeting,
    Theme::Debate,
    Theme::Culture,
    Theme::Work,
];

pub(super) fn theme_words(theme: Theme) -> &'static ThemeWords {
    match theme {
        Theme::Reading => &READING,
        Theme::Youth => &YOUTH,
        Theme::School => &SCHOOL,
        Theme::Language => &LANGUAGE,
        Theme::Digital => &DIGITAL,
        Theme::Information => &INFORMATION,
        Theme::Meeting => &MEETING,
        Theme::Debate => &DEBATE,
        Theme::Culture => &CULTURE,
        Theme::Work => &WORK,
    }
}

/// The theme and the names libraries give to each standard proposition of the common model.
pub(super) fn standard_words(code: &str) -> Option<(Theme, &'static [&'static str])> {
    Some(match code {
        "BOEKSTART" => (Theme::Youth, &["BoekStart voor baby's", "BoekStart-voorleesuurtje", "BoekStart"]),
        "BOEKSTART_KINDEROPVANG" => (Theme::Youth, &["BoekStart in de kinderopvang", "Voorlezen in de kinderopvang"]),
        "DBOS_PO" => (Theme::School, &["de Bibliotheek op school", "Leesconsulent op de basisschool"]),
        "DBOS_VO" => (Theme::School, &["de Bibliotheek op school VO", "Leesbevordering in de brugklas"]),
        "TAALHUIS" => (Theme::Language, &["Taalhuis", "Taalspreekuur in het Taalhuis", "Taalcafé voor anderstaligen"]),
        "DIGISTERKER" => (Theme::Digital, &["Digisterker", "Cursus Digisterker: werken met de digitale overheid"]),
        "KLIK_EN_TIK" => (Theme::Digital, &["Klik & Tik", "Klik & Tik inloopochtend"]),
        "IDO" => (Theme::Information, &["Informatiepunt Digitale Overheid", "Hulp bij DigiD en Mijn Overheid"]),
        "VOORLEESEXPRESS" => (Theme::Youth, &["VoorleesExpress", "Voorlezen aan huis voor gezinnen"]),
        "NATIONALE_VOORLEESDAGEN" => (Theme::Youth, &["Voorleesontbijt", "Nationale Voorleesdagen in de bibliotheek"]),
        "KINDERBOEKENWEEK" => (Theme::Youth, &["Kinderboekenweek", "Kinderboekenweekfeest"]),
        "BOEKENWEEK" => (Theme::Reading, &["Boekenweek", "Boekenweekavond met een schrijver"]),
        "NATIONALE_VOORLEESWEDSTRIJD" => {
            (Theme::School, &["Voorleeswedstrijd", "Lokale ronde van de Voorleeswedstrijd"])
        }
        "LEESCLUB" => (Theme::Reading, &["Leesclub", "Literaire leesclub", "Leesclub in makkelijk Nederlands"]),
        "SENIOR_MEETING" => (
            Theme::Meeting,
            &[
                "Ontmoeten door en voor ouderen",
                "Koffieochtend voor senioren",
                "Ontmoetingsmiddag voor oudere inwoners",
            ],
        ),
        "HELPDESK_DIGITAL" => (Theme::Digital, &["Digitaal spreekuur", "Digitaal spreekuur voor ouderen"]),
        "VOORLEESMOMENT" => (Theme::Youth, &["Voorleesuurtje", "Peuterpret: voorlezen voor de allerkleinsten"]),
        "ONLINE_BIBLIOTHEEK" => (Theme::Reading, &["de online Bibliotheek", "E-books lenen: zo werkt het"]),
        "VAKANTIEBIEB" => (Theme::Reading, &["VakantieBieb", "Zomerlezen met de VakantieBieb"]),
        _ => return None,
    })
}

/// Ways to name a target group in running text, by target group code.
pub(super) fn group_phrases(code: &str) -> &'static [&'static str] {
    match code {
        "YOUTH" => &["kinderen en jongeren"],
        "YOUTH_0_4" => &["peuters en dreumesen", "de allerkleinsten", "jonge kinderen"],
        "YOUTH_4_12" => &["kinderen van 4 tot 12 jaar", "basisschoolkinderen"],
        "YOUNG_PEOPLE" => &["jongeren", "tieners"],
        "ADULTS" => &["volwassenen", "inwoners"],
        "SENIORS" => &["ouderen", "oudere inwoners", "senioren"],
        "SENIORS_LESS_SELF_RELIANT" => &["minder redzame ouderen", "ouderen die minder mobiel zijn"],
        "LOW_LITERATE_ADULTS" => &["laaggeletterden", "volwassenen die moeite hebben met lezen en schrijven"],
        "JOB_SEEKERS" => &["werkzoekenden"],
        "PARENTS" => &["ouders en verzorgers", "jonge ouders"],
        "LANGUAGE_LEARNERS" => &["anderstaligen", "taalleerders"],
        "NEWCOMERS" => &["nieuwkomers", "statushouders"],
        "IDO_VISITORS" => &["inwoners met vragen over de digitale overheid"],
        "SCHOOLS" => &["scholen"],
        "PRIMARY_SCHOOLS" => &["basisscholen", "leerlingen van de basisschool"],
        "SECONDARY_SCHOOLS" => &["middelbare scholieren"],
        "PUPILS_ISK" => &["ISK-leerlingen"],
        "EDUCATION_PROFESSIONALS" => &["leerkrachten"],
        "CHILDCARE" => &["pedagogisch medewerkers in de kinderopvang"],
        _ => &["alle inwoners", "buurtbewoners"],
    }
}

const READING: ThemeWords = ThemeWords {
    noun: "leesplezier",
    purposes: &[
        "samen genieten van mooie boeken",
        "het leesplezier van {g} vergroten",
        "boeken ontdekken en erover praten",
    ],
    sentences: &[
        "Lezen is de basis om mee te kunnen doen in de samenleving.",
        "De bibliotheek werkt aan leesbevordering voor {g}.",
        "Elke bijeenkomst bespreken we een ander boek.",
        "U kunt de besproken titels gewoon lenen bij de bibliotheek.",
        "Ook luisterboeken en e-books van de online Bibliotheek komen aan bod.",
    ],
    insights: &[
        "{G} lezen vaker als ze zelf mogen kiezen wat ze lezen",
        "{G} weten vaak niet dat de bibliotheek ook e-books en luisterboeken heeft",
        "Een vaste avond en een vaste gespreksleider maken dat {g} blijven komen",
        "Het gesprek na afloop vinden {g} belangrijker dan het boek zelf",
        "{G} vinden de titelkeuze soms te zwaar",
    ],
    ideas: &[
        "Laat de groep zelf de boeken kiezen",
        "Bied ook titels in makkelijk Nederlands aan",
        "Zet de besproken boeken op een aparte tafel",
    ],
    local: &[
        ("Boekenmarkt", "READING_LITERATURE", &["ALL_RESIDENTS"]),
        ("Zaterdagochtend voorlezen", "READING_LITERATURE", &["YOUTH_4_12", "PARENTS"]),
    ],
};

const YOUTH: ThemeWords = ThemeWords {
    noun: "voorlezen",
    purposes: &[
        "voorlezen aan de allerkleinsten",
        "ouders laten ontdekken hoe leuk voorlezen is",
        "de taalontwikkeling van jonge kinderen stimuleren",
    ],
    sentences: &[
        "Voorlezen is goed voor de taalontwikkeling van jonge kinderen.",
        "Ouders krijgen tips om thuis zelf voor te lezen.",
        "Na het voorlezen is er tijd om samen boekjes te bekijken en te lenen.",
        "Kinderen tot 18 jaar zijn gratis lid van de bibliotheek.",
        "We werken samen met het consultatiebureau en de kinderopvang.",
    ],
    insights: &[
        "{G} wisten niet wanneer activiteiten plaatsvonden, omdat de tijden steeds veranderden",
        "Jonge ouders vinden de bibliotheek vooral via het consultatiebureau",
        "{G} voelen zich welkomer als er een vaste voorlezer is",
        "Ouders lezen thuis minder voor dan ze zelf denken",
        "Een activiteit op zaterdagochtend past beter bij werkende ouders",
    ],
    ideas: &[
        "Een vast rooster dat het hele jaar gelijk blijft",
        "Een voorleestas om mee naar huis te nemen",
        "Herinneringen via WhatsApp aan ouders",
    ],
    local: &[
        ("Peuterochtend", "READING_LITERATURE", &["YOUTH_0_4", "PARENTS"]),
        ("Verhalenmiddag", "READING_LITERATURE", &["YOUTH_4_12"]),
    ],
};

const SCHOOL: ThemeWords = ThemeWords {
    noun: "leesbevordering op school",
    purposes: &[
        "de leesmotivatie op school vergroten",
        "leerkrachten ondersteunen bij leesbevordering",
        "mediawijsheid in de klas een plek geven",
    ],
    sentences: &[
        "Een leesconsulent van de bibliotheek werkt samen met het team van de school.",
        "De schoolbibliotheek wordt regelmatig aangevuld met nieuwe boeken.",
        "Met de monitor van de Bibliotheek op school meten we leesplezier en leesgedrag.",
        "Leerlingen leren informatie te zoeken en kritisch te beoordelen.",
        "Leerkrachten krijgen advies over boeken die passen bij hun groep.",
    ],
    insights: &[
        "Leerlingen lezen meer als de schoolbibliotheek er aantrekkelijk uitziet",
        "Leerkrachten hebben weinig tijd om zich in nieuwe kinderboeken te verdiepen",
        "{G} kennen de bibliotheek buiten school nauwelijks",
        "Het leesplezier daalt sterk na de overstap naar het voortgezet onderwijs",
        "Een vaste contactpersoon op school maakt de samenwerking sterker",
    ],
    ideas: &[
        "Een boekenkist per klas die elke maand wisselt",
        "Een leesconsulent die maandelijks in de lerarenkamer zit",
        "Leerlingen zelf boeken laten aanraden",
    ],
    local: &[("Klassenbezoek aan de bibliotheek", "DEVELOPMENT_EDUCATION", &["PRIMARY_SCHOOLS", "YOUTH_4_12"])],
};

const LANGUAGE: ThemeWords = ThemeWords {
    noun: "taalvaardigheid",
    purposes: &[
        "samen oefenen met Nederlands praten",
        "werken aan lezen, schrijven en rekenen",
        "de weg vinden naar een passende taalcursus",
    ],
    sentences: &[
        "In het Taalhuis helpen vrijwilligers bij het verbeteren van lezen, schrijven en rekenen.",
        "Laaggeletterdheid komt vaker voor dan veel mensen denken.",
        "We oefenen met alledaagse situaties, zoals een gesprek bij de huisarts.",
        "U hoeft zich niet aan te melden en u kunt op elk niveau meedoen.",
        "We werken samen met de gemeente, het welzijnswerk en taalaanbieders in de regio.",
    ],
    insights: &[
        "{G} durven in een groep pas te praten als ze de anderen kennen",
        "{G} schamen zich vaak om hulp te vragen bij lezen en schrijven",
        "{G} komen vooral via een bekende of een hulpverlener binnen",
        "Oefenen met praktische situaties motiveert {g} meer dan grammatica",
        "{G} willen graag een vast taalmaatje",
    ],
    ideas: &[
        "Een vast taalmaatje voor elke nieuwe deelnemer",
        "Folders in eenvoudige taal en met pictogrammen",
        "Een warme overdracht vanuit het wijkteam",
    ],
    local: &[
        ("Conversatiegroep Nederlands", "DEVELOPMENT_EDUCATION", &["LANGUAGE_LEARNERS", "NEWCOMERS"]),
        ("Voorleesgroep in eenvoudig Nederlands", "READING_LITERATURE", &["LOW_LITERATE_ADULTS"]),
    ],
};

const DIGITAL: ThemeWords = ThemeWords {
    noun: "digitale vaardigheden",
    purposes: &[
        "hulp bij computer, tablet en smartphone",
        "veilig en zelfstandig online zaken regelen",
        "leren omgaan met de digitale overheid",
    ],
    sentences: &[
        "Steeds meer zaken regelt u online, zoals uw DigiD of een afspraak bij de gemeente.",
        "Vrijwilligers helpen u stap voor stap, in uw eigen tempo.",
        "Neem uw eigen tablet, smartphone of laptop mee.",
        "Mediawijsheid gaat ook over het herkennen van nepnieuws en oplichting.",
        "Deze activiteit hoort bij het landelijke aanbod voor digitale vaardigheden.",
    ],
    insights: &[
        "{G} vinden het spannend om hun DigiD te gebruiken",
        "{G} willen hulp bij hun eigen apparaat, niet bij een computer van de bibliotheek",
        "{G} vragen liever een bekende om hulp dan een onbekende vrijwilliger",
        "Angst voor oplichting houdt {g} tegen om online te bankieren",
        "Een korte reeks lessen werkt voor {g} beter dan één lange bijeenkomst",
    ],
    ideas: &[
        "Een inloopspreekuur op vaste tijden zonder aanmelding",
        "Lesmateriaal om thuis na te lezen",
        "Een smartphonecafé met vaste vrijwilligers",
    ],
    local: &[
        ("Smartphonecafé", "DEVELOPMENT_EDUCATION", &["SENIORS", "ADULTS"]),
        ("Tabletcursus voor beginners", "DEVELOPMENT_EDUCATION", &["SENIORS"]),
    ],
};

const INFORMATION: ThemeWords = ThemeWords {
    noun: "informatievoorziening",
    purposes: &[
        "antwoord op vragen over geld, zorg en wonen",
        "de juiste instantie vinden voor uw vraag",
        "betrouwbare informatie zoeken en vinden",
    ],
    sentences: &[
        "In de bibliotheek helpen we u gratis en zonder afspraak.",
        "We werken samen met de gemeente, het Juridisch Loket en de Belastingdienst.",
        "Staat uw vraag niet op onze lijst? Dan zoeken we samen wie u verder kan helpen.",
        "Uw gegevens worden vertrouwelijk behandeld.",
        "Ook voor vragen over toeslagen en zorgverzekering kunt u terecht.",
    ],
    insights: &[
        "{G} weten niet dat de bibliotheek helpt bij vragen over de overheid",
        "{G} komen pas als een probleem al groot is geworden",
        "Een vast gezicht achter de balie geeft {g} vertrouwen",
        "{G} vinden brieven van de overheid moeilijk te begrijpen",
        "{G} willen liever persoonlijk geholpen worden dan via een website",
    ],
    ideas: &[
        "Een spreekuur samen met de gemeente",
        "Een herkenbare informatiebalie bij de ingang",
        "Uitleg in eenvoudige taal bij veelgestelde vragen",
    ],
    local: &[
        ("Spreekuur zorg en welzijn", "KNOWLEDGE_INFORMATION", &["ADULTS", "SENIORS"]),
        ("Informatiemarkt", "KNOWLEDGE_INFORMATION", &["ALL_RESIDENTS"]),
    ],
};

const MEETING: ThemeWords = ThemeWords {
    noun: "ontmoeting",
    purposes: &[
        "elkaar ontmoeten bij een kop koffie",
        "nieuwe mensen leren kennen in de buurt",
        "samen iets ondernemen tegen eenzaamheid",
    ],
    sentences: &[
        "Ontmoeting staat centraal: er is altijd tijd om na te praten.",
        "Veel deelnemers komen om anderen te ontmoeten en nieuwe contacten te leggen.",
        "We werken samen met het welzijnswerk om eenzaamheid onder {g} tegen te gaan.",
        "De koffie staat een kwartier van tevoren klaar, zodat u elkaar al kunt ontmoeten.",
        "De bibliotheek is een plek waar iedereen welkom is, ook zonder lidmaatschap.",
    ],
    insights: &[
        "Na hun pensioen verliezen {g} hun collega's en de structuur van de dag",
        "Activiteiten laten weinig ruimte om elkaar voor, tijdens en na afloop te ontmoeten",
        "De behoeften van {g} lopen sterk uiteen: sommigen willen onder de mensen zijn, anderen zoeken nieuwe vriendschappen",
        "{G} komen vaker terug als ze de begeleider al kennen",
        "{G} vinden het moeilijk om alleen binnen te stappen bij een groep",
    ],
    ideas: &[
        "Koffie vooraf, zodat er tijd is om elkaar te ontmoeten",
        "Een strippenkaart voor een reeks activiteiten",
        "Statafels en een huiskamersfeer",
        "Een reeks activiteiten rond één thema",
    ],
    local: &[
        ("Spelletjesmiddag", "MEETING_DEBATE", &["ALL_RESIDENTS", "SENIORS"]),
        ("Wijkcafé", "MEETING_DEBATE", &["ALL_RESIDENTS"]),
        ("Koffie-uurtje", "MEETING_DEBATE", &["SENIORS"]),
    ],
};

const DEBATE: ThemeWords = ThemeWords {
    noun: "dialoog en debat",
    purposes: &[
        "in gesprek over actuele thema's",
        "verschillende meningen horen en delen",
        "samen nadenken over de toekomst van {p}",
    ],
    sentences: &[
        "Een gespreksleider zorgt dat iedereen aan het woord komt.",
        "Sprekers uit {p} en uit de regio delen hun kennis.",
        "Na afloop is er gelegenheid om met elkaar na te praten.",
        "Het programma sluit aan bij wat er in de gemeente speelt.",
        "De toegang is gratis, maar vol is vol.",
    ],
    insights: &[
        "{G} komen vooral af op onderwerpen uit hun eigen buurt",
        "Een bekende spreker trekt meer {g} dan het onderwerp zelf",
        "{G} willen na een lezing graag zelf iets kunnen vragen",
        "Avonden doordeweeks passen beter bij {g} dan het weekend",
        "{G} vinden de bibliotheek een neutrale plek om te praten",
    ],
    ideas: &[
        "Een vaste debatavond per maand",
        "Sprekers uit de eigen gemeente uitnodigen",
        "Een vragenronde met een microfoon in de zaal",
    ],
    local: &[
        ("Lezing over de geschiedenis van {p}", "MEETING_DEBATE", &["ADULTS", "SENIORS"]),
        ("Buurtgesprek", "MEETING_DEBATE", &["ALL_RESIDENTS"]),
    ],
};

const CULTURE: ThemeWords = ThemeWords {
    noun: "kunst en cultuur",
    purposes: &[
        "kennismaken met kunst en cultuur",
        "zelf creatief aan de slag",
        "genieten van film, muziek en verhalen",
    ],
    sentences: &[
        "Kunstenaars uit {p} laten hun werk zien en vertellen erover.",
        "Iedereen kan meedoen, ervaring is niet nodig.",
        "Alle materialen zijn aanwezig.",
        "We werken samen met het lokale kunstencentrum en de muziekschool.",
        "Het programma wisselt per seizoen.",
    ],
    insights: &[
        "{G} zoeken laagdrempelige cultuur dicht bij huis",
        "{G} komen eerder als ze zelf iets mogen maken",
        "De prijs is voor {g} vaak een drempel",
        "{G} hechten aan een gezellige sfeer na afloop",
        "{G} kennen het culturele aanbod van de bibliotheek nauwelijks",
    ],
    ideas: &[
        "Werk van deelnemers tentoonstellen in de bibliotheek",
        "Een gratis proefles",
        "Samenwerken met het kunstencentrum",
    ],
    local: &[
        ("Tekenclub", "ART_CULTURE", &["YOUTH_4_12"]),
        ("Muziekmiddag", "ART_CULTURE", &["SENIORS", "ALL_RESIDENTS"]),
    ],
};

const WORK: ThemeWords = ThemeWords {
    noun: "werk en inkomen",
    purposes: &[
        "hulp bij solliciteren en het vinden van werk",
        "werken aan vaardigheden voor een nieuwe baan",
        "sterker staan op de arbeidsmarkt",
    ],
    sentences: &[
        "Vrijwilligers helpen bij het schrijven van een cv en een motivatiebrief.",
        "We werken samen met het UWV en het werkplein van de gemeente.",
        "U kunt gebruikmaken van de computers en printers in de bibliotheek.",
        "Ook voor vragen over omscholing kunt u bij ons terecht.",
        "Deelname is gratis en vertrouwelijk.",
    ],
    insights: &[
        "{G} ervaren online solliciteren als een grote drempel",
        "{G} zoeken vooral persoonlijke begeleiding",
        "Een vaste vrijwilliger maakt dat {g} blijven komen",
        "{G} kennen het aanbod van de bibliotheek via het UWV",
        "{G} willen hun cv kunnen printen en meenemen",
    ],
    ideas: &[
        "Een cv-spreekuur samen met het UWV",
        "Een oefenruimte voor sollicitatiegesprekken",
        "Een vaste vrijwilliger per deelnemer",
    ],
    local: &[("Cv-spreekuur", "DEVELOPMENT_EDUCATION", &["JOB_SEEKERS"])],
};

/// Practical sentences that fit any activity.
pub(super) const PRACTICAL: &[&str] = &[
    "Aanmelden is niet nodig.",
    "Aanmelden kan via de website of aan de balie.",
    "De activiteit is gratis voor leden van de bibliotheek.",
    "De ruimte is toegankelijk voor rolstoelen.",
    "Vrijwilligers van de bibliotheek begeleiden de bijeenkomsten.",
    "Kijk voor de actuele data op de website van de bibliotheek.",
];

pub(super) const SCHEDULES: &[&str] = &[
    "Elke dinsdag van 10.00 tot 12.00 uur",
    "Iedere eerste zaterdag van de maand om 10.30 uur",
    "Op woensdagmiddag van 14.00 tot 15.30 uur",
    "Op afspraak",
    "Tijdens de schoolvakanties",
    "Elke donderdagavond om 19.30 uur",
    "Vrijdagochtend van 9.30 tot 11.30 uur",
];

pub(super) const DEVIATION_NOTES: &[&str] = &[
    "We bieden dit aan in een kleinere groep dan landelijk bedoeld.",
    "Bij ons duurt het programma zes in plaats van tien weken.",
    "We doen dit samen met het welzijnswerk in de wijk.",
];

pub(super) const COST_NOTES: &[&str] =
    &["Inclusief koffie en thee.", "Leden krijgen korting.", "Inclusief materiaalkosten."];

pub(super) const FIRST_NAMES: &[&str] = &[
    "Anouk", "Sanne", "Fatima", "Mohammed", "Jan", "Pieter", "Ingrid", "Sevda", "Joost", "Marieke", "Kees", "Lotte",
    "Daan", "Noor", "Yusuf", "Esther", "Henk", "Anke", "Bram", "Ilse",
];

pub(super) const LAST_NAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Brouwer",
];

/// Parts of generated municipality names: "Ooster" + "wolde".
pub(super) const PLACE_HEADS: &[&str] = &[
    "Ooster", "Wester", "Noorder", "Zuider", "Nieuw", "Oud", "Hoog", "Laag", "Groot", "Klein", "Mid", "Holt", "Berg",
    "Wold", "Veen", "Dal", "Brouwers", "Ketel", "Molen", "Rozen", "Linden", "Eiken", "Beuken", "Hazel",
];
pub(super) const PLACE_TAILS: &[&str] = &[
    "wolde", "veen", "dam", "dijk", "horst", "hoven", "broek", "meer", "wijk", "loo", "zijl", "hout", "beek", "brug",
    "kerk", "mond", "sluis", "burg", "haven", "rade", "lo", "stein",
];

/// Neighbourhoods for branch names.
pub(super) const DISTRICTS: &[&str] = &[
    "Centrum",
    "Noord",
    "Zuid",
    "Oost",
    "West",
    "De Hoven",
    "Molenwijk",
    "Het Park",
    "De Akkers",
    "Kerkbuurt",
    "Stationskwartier",
    "Bloemenbuurt",
    "De Vaart",
    "Waterwijk",
    "Hoogland",
    "De Weide",
];

pub(super) const STREETS: &[&str] = &[
    "Dorpsstraat",
    "Kerkplein",
    "Stationsweg",
    "Marktplein",
    "Molenstraat",
    "Schoolstraat",
    "Raadhuisplein",
    "Julianalaan",
    "Wilhelminastraat",
    "Beatrixplein",
    "Nieuwe Gracht",
    "Kanaalweg",
];

/// Stages of a customer journey, in order, as in the source documents.
pub(super) const STAGES: &[(&str, &str)] = &[
    ("Oriëntatie", "Hoe iemand hoort van de activiteit en besluit te gaan."),
    ("Aanmelden", "Inschrijven, of besluiten gewoon langs te komen."),
    ("Voorafgaand aan de activiteit", "Aankomen, de weg vinden en op de activiteit wachten."),
    ("Tijdens de activiteit", "De activiteit zelf en het contact met anderen."),
    ("Na afloop", "Napraten, naar huis gaan en erop terugkijken."),
    ("Terugkomen", "Besluiten of iemand nog eens komt."),
];

pub(super) const TOUCHPOINTS: &[&str] = &[
    "website van de bibliotheek",
    "flyer in de wijk",
    "balie",
    "telefoon",
    "nieuwsbrief",
    "sociale media",
    "wijkcentrum",
    "huisarts of welzijnswerker",
    "school",
    "consultatiebureau",
    "lokale krant",
];

pub(super) const PAINS: &[&str] = &[
    "De tijden veranderen steeds",
    "Aanmelden kan alleen online",
    "Er is geen ruimte om na te praten",
    "De ingang is lastig te vinden",
    "Niemand heet nieuwe deelnemers welkom",
    "De ruimte is te klein en te rumoerig",
    "De informatie is te moeilijk geschreven",
];

pub(super) const GAINS: &[&str] = &[
    "Een gezellige sfeer",
    "Vriendelijke vrijwilligers",
    "Nieuwe mensen leren kennen",
    "Koffie en thee staan klaar",
    "Het is dichtbij huis",
    "Je leert iets nieuws",
];

pub(super) const QUOTES: &[&str] = &[
    "Ik kende hier niemand, nu kom ik elke week.",
    "Ik wist niet dat de bibliotheek dit ook deed.",
    "De eerste keer vond ik het spannend om binnen te komen.",
    "Na afloop wil je nog even blijven zitten en praten.",
    "Als de tijden steeds veranderen, haak je af.",
    "De vrijwilligers nemen echt de tijd voor je.",
];

pub(super) const ATTRIBUTIONS: &[&str] =
    &["een deelnemer van het onderzoek", "een bezoeker", "een vrijwilliger", "een ouder", "een medewerker"];

pub(super) const EFFECT_NOTES: &[&str] = &[
    "Meer deelnemers komen terug na de eerste keer.",
    "Deelnemers blijven langer na afloop.",
    "Het aantal aanmeldingen is gestegen.",
    "Nog te vroeg om het effect te meten.",
];

pub(super) const LINK_NOTES: &[&str] = &[
    "Onderbouwt de keuze voor deze doelgroep.",
    "Gebruikt bij het ontwerp van het programma.",
    "Aanleiding om de tijden aan te passen.",
];
