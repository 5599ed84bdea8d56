//! The words of the site's own chrome (headings, labels, navigation, table headers, the footer and
//! the error pages) in Dutch and English: one typed catalogue, each string's two languages side by
//! side. A label missing in one language does not compile; a sentence around data (a count, a
//! name) is a method. What the registry holds is not here: library names, proposition titles and
//! study texts stay as written (Dutch), and the common model's labels come from the API in the
//! page's language.
//!
//! Plain Rust rather than a message-format crate (fluent, rust-i18n): two languages, no runtime
//! lookup that can miss, and askama checks every `ui.…` a template uses at compile time.

use std::fmt::Display;

use crate::web::lang::Lang;

macro_rules! catalogue {
    ($($field:ident: $nl:literal, $en:literal;)*) => {
        /// The site's words in one language; `ui` in the templates.
        #[derive(Debug)]
        pub struct Labels {
            pub lang: Lang,
            $(pub $field: &'static str,)*
        }

        /// Dutch.
        pub static NL: Labels = Labels { lang: Lang::Nl, $($field: $nl,)* };
        /// English.
        pub static EN: Labels = Labels { lang: Lang::En, $($field: $en,)* };
    };
}

// `nl` is the attribute that marks the registry's (Dutch) data inside an English page.
catalogue! {
    code: "nl", "en";
    other_code: "en", "nl";
    prefix: "", "/en";
    home: "/", "/en";
    site_name: "Propositieregister bibliotheken", "Proposition registry of the public libraries";
    skip_link: "Naar de inhoud", "Skip to content";
    brand: "Propositieregister", "Proposition registry";
    brand_rest: "openbare bibliotheken", "public libraries";
    main_menu: "Hoofdmenu", "Main menu";
    nav_home: "Start", "Home";
    nav_libraries: "Bibliotheken", "Libraries";
    nav_standards: "Standaardproposities", "Standard propositions";
    nav_coverage: "Dekking", "Coverage";
    nav_compare: "Vergelijk", "Compare";
    nav_search: "Zoeken", "Search";
    switch_label: "English", "Nederlands";
    switch_aria: "This page in English", "Deze pagina in het Nederlands";
    question_summary: "Deze pagina als GraphQL-query", "This page as a GraphQL query";
    question_intro: "Alles op deze pagina komt uit de openbare GraphQL-API van het register, met deze vraag:", "Everything on this page comes from the registry’s public GraphQL API, with this question:";
    question_query: "GraphQL-query", "GraphQL query";
    question_variables: "Variabelen", "Variables";
    question_open: "Open deze vraag in GraphiQL", "Open this question in GraphiQL";
    footer: "Het gedeelde register van proposities, klantkennis en klantreizen van de openbare bibliotheken in Nederland.", "The shared registry of the propositions, customer knowledge and customer journeys of the public libraries in the Netherlands.";
    footer_api: "GraphQL-API", "GraphQL API";
    error_home: "Naar de startpagina", "To the home page";
    home_title: "Wat bibliotheken aanbieden", "What libraries offer";
    home_lead: "Welke bibliotheek wat aanbiedt, waar en voor wie, en welk klantonderzoek erachter zit: het gedeelde register van de openbare bibliotheken.", "Which library offers what, where and for whom, and which customer research lies behind it: the shared registry of the public libraries of the Netherlands.";
    search_label: "Zoek in aanbod, bibliotheken en klantonderzoek", "Search offers, libraries and customer research";
    search_placeholder: "bijvoorbeeld: taalcafé, ouderen, Digisterker", "for example: taalcafé, ouderen, Digisterker (in Dutch)";
    search_button: "Zoeken", "Search";
    home_figures: "Het netwerk in cijfers", "The network in figures";
    published_propositions: "Gepubliceerde proposities", "Published propositions";
    library_organisations: "Bibliotheekorganisaties", "Library organisations";
    home_by_task: "Per maatschappelijke opgave", "By societal task";
    home_by_target_group: "Per doelgroep", "By target group";
    home_by_province: "Per provincie", "By province";
    libraries: "Bibliotheken", "Libraries";
    or_by_province: "of per provincie", "or by province";
    in_: "in", "in";
    supported_by: "Ondersteund door", "Supported by";
    website: "Website", "Website";
    municipalities: "Gemeenten", "Municipalities";
    propositions: "Proposities", "Propositions";
    offer: "Aanbod", "Offer";
    for_: "voor", "for";
    without_task: "Zonder maatschappelijke opgave", "Without a societal task";
    local_propositions: "Lokale proposities", "Local propositions";
    not_yet_mapped: "nog niet gekoppeld aan een standaardpropositie", "not yet mapped onto a standard proposition";
    branches: "Vestigingen", "Branches";
    no_branches: "Geen vestigingen bekend.", "No branches known.";
    branch: "Vestiging", "Branch";
    address: "Adres", "Address";
    municipality: "Gemeente", "Municipality";
    research: "Klantonderzoek", "Customer research";
    adopted_ideas: "Overgenomen verbeterideeën", "Improvement ideas adopted";
    idea: "Idee", "Idea";
    state: "Stand", "Status";
    from_study: "Uit onderzoek", "From research";
    in_proposition: "In propositie", "In proposition";
    breadcrumb: "Kruimelpad", "Breadcrumb";
    local: "Lokaal", "Local";
    offer_of: "Aanbod van", "Offered by";
    for_whom: "Voor wie", "For whom";
    everyone: "Iedereen", "Everyone";
    how: "Hoe", "How";
    cost: "Kosten", "Cost";
    when: "Wanneer", "When";
    from_date: "Vanaf", "From";
    until: "tot", "until";
    more_information: "Meer informatie", "More information";
    together_with: "Samen met", "Together with";
    in_the_model: "In het gemeenschappelijke model", "In the common model";
    implements: "Een uitvoering van de standaardpropositie", "An implementation of the standard proposition";
    deviates: "Wijkt af", "Deviates";
    not_mapped: "Deze propositie is (nog) niet gekoppeld aan een standaardpropositie van het netwerk.", "This proposition is not (yet) mapped onto a standard proposition of the network.";
    societal_task: "Maatschappelijke opgave", "Societal task";
    core_function: "Kernfunctie", "Core function";
    where_: "Waar", "Where";
    evidence_heading: "Onderbouwing uit klantonderzoek", "Evidence from customer research";
    no_evidence: "Er is geen openbaar klantonderzoek aan deze propositie gekoppeld.", "No public customer research is linked to this proposition.";
    studies: "Onderzoek", "Studies";
    by: "door", "by";
    insights: "Inzichten", "Insights";
    from: "uit", "from";
    result_kind: "Soort resultaat", "Kind of result";
    everything: "Alles", "Everything";
    nothing_found: "Niets gevonden. Probeer een ander of korter woord.", "Nothing found. Try another or a shorter word (the search understands Dutch).";
    next_results: "Volgende resultaten", "Next results";
    standard_proposition: "Standaardpropositie", "Standard proposition";
    what_it_is: "Wat het is", "What it is";
    retired: "vervallen", "retired";
    target_groups: "Doelgroepen", "Target groups";
    offered_by: "Aangeboden door", "Offered by";
    not_yet_offered_by: "Nog niet aangeboden door", "Not yet offered by";
    coverage_by_province: "Dekking per provincie", "Coverage by province";
    tilemap_desc: "Elke tegel is een provincie; hoe donkerder, hoe meer bibliotheken het aanbieden. De tabel hieronder geeft dezelfde cijfers.", "Each tile is a province; the darker, the more libraries offer it. The table below gives the same figures.";
    tilemap_legend: "Lichtrood: geen enkele bibliotheek; van lichtblauw naar donkerblauw: een groter deel van de bibliotheken. Grijs: geen bibliotheken in het register.", "Light red: no library at all; from light to dark blue: a larger share of the libraries. Grey: no libraries in the registry.";
    province: "Provincie", "Province";
    offer_it: "Bieden het aan", "Offer it";
    share: "Aandeel", "Share";
    not_yet: "Nog niet", "Not yet";
    who_offers: "Wie biedt het aan", "Who offers it";
    none_offers: "Geen van de bibliotheken biedt het aan.", "None of the libraries offers it.";
    municipalities_without: "Gemeenten zonder dit aanbod", "Municipalities without this offer";
    strongest_insights: "Sterkste inzichten", "Strongest insights";
    of: "van", "of";
    coverage_lead: "Welke bibliotheken welke standaardproposities aanbieden: het aantal gepubliceerde proposities per bibliotheek en standaardpropositie.", "Which libraries offer which standard propositions: the number of published propositions per library and standard proposition.";
    whole_country: "Heel Nederland", "All of the Netherlands";
    or_support: "of ondersteuningsinstelling", "or support organisation";
    no_choice: "Geen keuze", "None";
    show_coverage: "Toon dekking", "Show coverage";
    download_csv: "Download deze tabel als CSV", "Download this table as CSV";
    library: "Bibliotheek", "Library";
    total: "Totaal", "Total";
    local_offer: "Lokaal aanbod", "Local offer";
    libraries_offering: "Bibliotheken die het aanbieden", "Libraries offering it";
    heat_legend: "Hoe donkerder een vak, hoe meer proposities. Proposities die bij geen standaardpropositie horen (lokaal aanbod) tellen niet mee in de kolommen.", "The darker a cell, the more propositions. Propositions that belong to no standard proposition (local offer) do not count in the columns.";
    standards_hyphenated: "Standaard&shy;proposities", "Standard propo&shy;sitions";
    choose_libraries: "Kies twee tot tien bibliotheken", "Choose two to ten libraries";
    offer_per_library: "aanbod per bibliotheek", "offer per library";
    no: "Nee", "No";
    standards_for: "Standaardproposities voor", "Standard propositions for";
    stale_study: "Verouderd onderzoek.", "Out-of-date research.";
    commissioned_by: "Opdrachtgever", "Commissioned by";
    conducted_by: "Uitgevoerd door", "Conducted by";
    methods: "Methoden", "Methods";
    not_recorded: "Niet vastgelegd", "Not recorded";
    period: "Periode", "Period";
    participants: "Deelnemers", "Participants";
    visibility: "Zichtbaarheid", "Visibility";
    evidence: "Onderbouwing", "Evidence";
    valid_until: "Geldig tot en met", "Valid until";
    stale: "Verouderd", "Out of date";
    current: "actueel", "current";
    report: "Rapport", "Report";
    read_report: "Lees het volledige rapport", "Read the full report (in Dutch)";
    journey: "Klantreis", "Customer journey";
    target_group: "Doelgroep", "Target group";
    service: "Dienst", "Service";
    followed_offer: "Gevolgd aanbod", "Offer followed";
    journey_stages: "Fasen van de klantreis", "Stages of the customer journey";
    stage: "Fase", "Stage";
    feeling: "Gevoel", "Feeling";
    touchpoints: "Contactmomenten", "Touchpoints";
    pains: "Pijnen", "Pains";
    gains: "Winsten", "Gains";
    emotion_curve: "Emotiecurve", "Emotion curve";
    curve_desc: "Hoe deelnemers zich per fase voelden, van −2 (zeer negatief) tot +2 (zeer positief)", "How participants felt in each stage, from −2 (very negative) to +2 (very positive)";
    same_figures: "De tabel hieronder geeft dezelfde cijfers.", "The table below gives the same figures.";
    curve_caption: "De emotiecurve in cijfers: gevoel per fase, van −2 (zeer negatief) tot +2 (zeer positief)", "The emotion curve in figures: feeling per stage, from −2 (very negative) to +2 (very positive)";
    score: "Score", "Score";
    no_insights: "Bij dit onderzoek zijn (nog) geen inzichten vastgelegd.", "No insights have been recorded for this study (yet).";
    from_stage: "uit de fase", "from the stage";
    superseded_insights: "Vervangen inzichten", "Superseded insights";
    superseded: "Vervangen", "Superseded";
    superseded_by: "Vervangen door", "Superseded by";
    ideas: "Verbeterideeën", "Improvement ideas";
    no_ideas: "Geen ideeën.", "No ideas.";
    not_adopted: "Nog door geen bibliotheek overgenomen.", "Not yet adopted by any library.";
    adopted_by: "Overgenomen door", "Adopted by";
    a_library: "Een bibliotheek", "A library";
    informed_offer: "Aanbod dat op dit onderzoek steunt", "Offer based on this research";
    no_informed_offer: "Er is (nog) geen openbaar aanbod aan dit onderzoek gekoppeld.", "No public offer is linked to this research (yet).";
    from_org: "van", "by";
    within: "binnen", "within";
    age: "Leeftijd", "Age";
    published_offer: "Gepubliceerd aanbod", "Published offer";
    narrower_groups: "Smallere doelgroepen", "Narrower target groups";
    most_adopted: "Meest overgenomen verbeterideeën", "Most adopted improvement ideas";
    count: "Aantal", "Number";
    priority: "Prioriteit", "Priority";
    nl: "", " lang=\"nl\"";
    error_not_found: "Pagina niet gevonden", "Page not found";
    error_not_found_text: "Deze pagina bestaat niet (meer), of is niet openbaar.", "This page does not exist (any more), or is not public.";
    error_bad_input: "Dit adres klopt niet", "This address is not right";
    error_bad_input_text: "Het register begrijpt dit niet", "The registry does not understand this";
    error_rate_limited: "Even rustig aan", "Please slow down";
    error_rate_limited_text: "U heeft in korte tijd veel pagina's opgevraagd. Probeer het over een minuut opnieuw.", "You asked for many pages in a short time. Please try again in a minute.";
    error_unavailable: "Het register is even niet bereikbaar", "The registry cannot be reached just now";
    error_unavailable_text: "Probeer het over enkele seconden opnieuw.", "Please try again in a few seconds.";
    error_internal: "Er ging iets mis", "Something went wrong";
    error_internal_text: "Er ging bij ons iets mis. Probeer het later opnieuw.", "Something went wrong on our side. Please try again later.";
    compare_title: "Bibliotheken vergelijken", "Compare libraries";
    compare_description: "Zet twee tot tien bibliotheken naast elkaar: wat ze aanbieden, per maatschappelijke opgave en standaardpropositie.", "Put two to ten libraries side by side: what they offer, by societal task and standard proposition.";
    comparison: "Vergelijking", "Comparison";
    without_task_group: "Zonder maatschappelijke opgave", "Without a societal task";
    every_task: "Alle maatschappelijke opgaven", "Every societal task";
    the_netherlands: "Nederland", "the Netherlands";
    libraries_title: "Bibliotheken", "Libraries";
    libraries_lead: "Alle bibliotheekorganisaties in het register, op naam.", "All library organisations in the registry, by name.";
    libraries_filter_province: "Provincie", "Province";
    libraries_all_provinces: "Alle provincies", "All provinces";
    libraries_show: "Toon bibliotheken", "Show libraries";
    libraries_none: "Er zijn hier geen bibliotheken in het register.", "There are no libraries here in the registry.";
    next_page: "Volgende pagina", "Next page";
    pages_nav: "Pagina's", "Pages";
    first_page: "Eerste pagina", "First page";
    standards_description: "De standaardproposities van het bibliotheeknetwerk per maatschappelijke opgave, met hoeveel bibliotheken elk aanbieden.", "The library network's standard propositions by societal task, with how many libraries offer each.";
    search_description: "Zoek in het aanbod, de bibliotheken en het klantonderzoek van de openbare bibliotheken.", "Search the offer, the libraries and the customer research of the public libraries.";
    unknown: "Onbekend", "Unknown";
    free: "Gratis", "Free";
    organisation_unknown: "Organisatie onbekend", "Organisation unknown";
    province_unknown: "Provincie onbekend", "Province unknown";
    without_support: "Zonder ondersteuningsinstelling", "Without a support organisation";
    no_libraries: "geen bibliotheken", "no libraries";
    paid: "Betaald", "Paid";
    not_measured: "Niet gemeten", "Not measured";
    score_unknown: "onbekend", "unknown";
    sign_in: "Aanmelden", "Sign in";
    sign_out: "Afmelden", "Sign out";
    signed_in_as: "Aangemeld als", "Signed in as";
    account_menu: "Uw account", "Your account";
    sign_in_title: "Aanmelden", "Sign in";
    sign_in_lead: "Medewerkers van bibliotheken, ondersteuningsinstellingen en het netwerk melden zich aan om hun aanbod en klantkennis bij te houden. Lezen kan iedereen, ook zonder aan te melden.", "Staff of libraries, support organisations and the network sign in to keep their offer and customer knowledge up to date. Anyone can read, also without signing in.";
    sign_in_provider: "Aanmelden met uw organisatieaccount", "Sign in with your organisation account";
    sign_in_none: "Aanmelden is op dit register niet ingesteld: er is geen identiteitsprovider geconfigureerd.", "Signing in is not set up on this registry: no identity provider is configured.";
    sign_in_already: "U bent al aangemeld.", "You are already signed in.";
    demo_heading: "Demo: aanmelden als demopersoon", "Demo: sign in as a demo person";
    demo_warning: "Alleen voor uitproberen op uw eigen computer. Dit register gebruikt de ontwikkelsleutel en heeft geen identiteitsprovider; met een geconfigureerde sleutel verdwijnt deze keuze.", "Only for trying out on your own computer. This registry uses the development key and has no identity provider; with a configured key this choice is gone.";
    demo_sign_in_as: "Aanmelden als", "Sign in as";
    account_title: "Uw account", "Your account";
    account_email: "E-mailadres", "E-mail address";
    account_memberships: "Uw lidmaatschappen", "Your memberships";
    account_no_memberships: "U hebt nog geen lidmaatschap. U kunt alles lezen wat openbaar is; een beheerder van uw organisatie of een netwerkbeheerder kan u een lidmaatschap geven.", "You hold no membership yet. You can read everything public; an administrator of your organisation or a network maintainer can grant you a membership.";
    account_acting: "U werkt nu als", "You now act as";
    account_acting_none: "U hebt nog geen lidmaatschap gekozen om in te werken.", "You have not chosen a membership to act in yet.";
    account_choose: "Werk als", "Act as";
    account_active: "actief", "active";
    account_admin: "beheerder", "administrator";
    organisation_: "Organisatie", "Organisation";
    role_: "Rol", "Role";
    members_heading: "Leden van uw organisatie", "Members of your organisation";
    members_person: "Persoon", "Person";
    members_revoke: "Intrekken", "Revoke";
    members_grant: "Lidmaatschap toekennen", "Grant a membership";
    members_grant_lead: "De persoon moet zich eerst één keer hebben aangemeld.", "The person must have signed in once first.";
    members_admin: "Beheerder van de organisatie", "Administrator of the organisation";
    members_grant_button: "Toekennen", "Grant";
    members_unknown_email: "Met dit e-mailadres heeft zich nog niemand aangemeld.", "Nobody has signed in with this e-mail address yet.";
    form_refused: "Formulier geweigerd", "Form refused";
    form_refused_text: "Dit formulier is verlopen of kwam niet van deze site. Laad de pagina opnieuw en probeer het nog eens.", "This form has expired or did not come from this site. Reload the page and try again.";
    sign_in_failed: "Aanmelden mislukt", "Signing in failed";
    not_done: "Niet gelukt", "Not done";
    back_to_account: "Terug naar uw account", "Back to your account";
    back_to_sign_in: "Terug naar aanmelden", "Back to sign in";
    nav_staff: "Beheer", "Manage";
    staff_no_library: "Geen bibliotheek om te beheren", "No library to manage";
    staff_no_library_text: "U werkt nu niet als redacteur van een bibliotheek. Kies op uw accountpagina een lidmaatschap als redacteur om het aanbod van die bibliotheek bij te houden.", "You are not acting as a library's editor now. Choose an editor membership on your account page to keep that library's offer up to date.";
    staff_offer_title: "Aanbod beheren", "Manage the offer";
    staff_offer_lead: "Concepten, gepubliceerd en gearchiveerd aanbod van uw bibliotheek. Alleen gepubliceerd aanbod is voor iedereen te zien.", "Your library's drafts, published and archived propositions. Only published ones are visible to everyone.";
    staff_by_state: "Aanbod per status", "Propositions by state";
    staff_all: "Alles", "All";
    staff_drafts: "Concepten", "Drafts";
    staff_published: "Gepubliceerd", "Published";
    staff_archived: "Gearchiveerd", "Archived";
    staff_unknown_state: "Onbekende status.", "Unknown state.";
    staff_none: "Hier staat nog geen aanbod.", "No propositions here yet.";
    staff_changed: "Laatst gewijzigd", "Last changed";
    staff_local: "Lokaal aanbod", "Local proposition";
    staff_next: "Volgende pagina", "Next page";
    staff_new_title: "Nieuw aanbod", "New proposition";
    staff_required: "verplicht", "required";
    staff_what: "Wat het is", "What it is";
    staff_mapping: "Koppeling aan het gemeenschappelijk model", "Mapping onto the common model";
    staff_mapping_lead: "Koppel het aanbod aan een standaardpropositie als het daarop lijkt; dan volgen kernfunctie en maatschappelijke opgave uit die standaard. Anders is het lokaal aanbod en kiest u zelf een kernfunctie.", "Map the proposition onto a standard proposition when it resembles one; its core function and societal task then come from that standard. Otherwise it is a local proposition and you choose a core function yourself.";
    staff_suggestions: "Lijkt op", "Resembles";
    staff_shared_words: "gedeelde woorden", "shared words";
    staff_map_onto: "Koppel aan", "Map onto";
    staff_mapped_now: "nu gekoppeld", "mapped now";
    staff_local_option: "Geen: lokaal aanbod", "None: a local proposition";
    staff_local_only: "Alleen voor lokaal aanbod (zonder standaardpropositie):", "Only for a local proposition (without a standard proposition):";
    staff_how_when: "Hoe, wanneer en waar", "How, when and where";
    staff_no_branches: "Uw bibliotheek heeft geen vestigingen in het register.", "Your library has no branches in the registry.";
    staff_cost_contact: "Kosten en contact", "Cost and contact";
    staff_save: "Wijzigingen opslaan", "Save changes";
    staff_save_draft: "Opslaan als concept", "Save as draft";
    staff_publish: "Publiceren", "Publish";
    staff_unpublish: "Terug naar concept", "Back to draft";
    staff_archive: "Archiveren", "Archive";
    staff_view_public: "Bekijk de openbare pagina", "View the public page";
    staff_history: "Geschiedenis", "History";
    staff_no_history: "Nog geen wijzigingen.", "No changes yet.";
    staff_when: "Wanneer", "When";
    staff_who: "Door", "By";
    staff_what_happened: "Wat", "What";
    staff_fields: "Velden", "Fields";
    staff_errors_title: "Controleer deze velden", "Check these fields";
    staff_bad_price: "vul een bedrag in euro in, zoals 12,50", "enter an amount in euros, such as 12.50";
    staff_bad_date: "vul een datum in, zoals 2026-09-01", "enter a date, such as 2026-09-01";
    staff_form_incomplete: "Het formulier is onvolledig; laad de pagina opnieuw.", "The form is incomplete; reload the page.";
    staff_state_conflict: "Iemand anders heeft dit aanbod gewijzigd nadat u de pagina opende. Bekijk de nieuwste versie en probeer het opnieuw.", "Someone else changed this proposition after you opened the page. Look at the latest version and try again.";
    staff_back_to_form: "Terug naar het aanbod", "Back to the proposition";
    staff_conflict_title: "Iemand anders heeft dit aanbod intussen gewijzigd", "Someone else changed this proposition meanwhile";
    staff_conflict_text: "Uw wijzigingen zijn nog niet opgeslagen. Het formulier toont het aanbod zoals het nu is, met uw eigen wijzigingen erin", "Your changes have not been saved yet. The form shows the proposition as it is now, with your own changes in it";
    staff_conflict_changed: "Wat de ander veranderde", "What the other person changed";
    staff_field: "Veld", "Field";
    staff_their_value: "Nu opgeslagen", "Saved now";
    staff_your_change: "Uw wijziging", "Your change";
    staff_mine_too: "U wijzigde dit ook: uw waarde staat in het formulier", "You changed this too: your value is in the form";
    staff_kept_theirs: "Overgenomen in het formulier", "Taken into the form";
    staff_conflict_again: "Controleer het formulier en sla opnieuw op om uw wijzigingen toe te passen.", "Check the form and save again to apply your changes.";
    staff_empty: "(leeg)", "(empty)";
    sheet_title: "Aanbod importeren uit een spreadsheet", "Import the offer from a spreadsheet";
    sheet_lead: "Houdt u uw aanbod bij in een spreadsheet? Download uw huidige aanbod (of het lege sjabloon), werk het bij en upload het als CSV of Excel-werkmap (.xlsx). U ziet eerst wat elke rij zou doen; er wordt niets opgeslagen tot u bevestigt. Nieuwe rijen worden concepten.", "Do you keep your offer in a spreadsheet? Download your current offer (or the empty template), update it and upload it as CSV or Excel workbook (.xlsx). You first see what each row would do; nothing is saved until you confirm. New rows become drafts.";
    sheet_unreadable: "Het bestand kon niet worden gelezen", "The file could not be read";
    sheet_preview: "Voorbeeld: nog niets opgeslagen", "Preview: nothing saved yet";
    sheet_done: "Geïmporteerd", "Imported";
    sheet_nothing_yet: "Rijen met fouten worden overgeslagen; verbeter ze en upload het bestand opnieuw.", "Rows with errors are left out; fix them and upload the file again.";
    sheet_unknown_columns: "Genegeerde kolommen (onbekend)", "Ignored columns (unknown)";
    sheet_refused: "Rijen met fouten", "Rows with errors";
    sheet_refused_lead: "Deze rijen worden niet opgeslagen. De regel is die in het bestand (de kopregel is regel 1).", "These rows are not saved. The line is the file's (the header is line 1).";
    sheet_line: "Regel", "Line";
    sheet_column_error: "Kolom en fout", "Column and error";
    sheet_created: "Nieuw", "New";
    sheet_changed: "Gewijzigd", "Changed";
    sheet_detail: "Details", "Details";
    sheet_upload: "Een spreadsheet uploaden", "Upload a spreadsheet";
    sheet_download_offer: "Download uw huidige aanbod (CSV)", "Download your current offer (CSV)";
    sheet_download_template: "Download het lege sjabloon (CSV)", "Download the empty template (CSV)";
    sheet_file: "Bestand", "File";
    sheet_file_hint: "Een CSV-bestand in UTF-8, gescheiden door puntkomma’s of komma’s, of een Excel-werkmap (.xlsx; het eerste werkblad), met de kolommen hieronder in de eerste rij; hoogstens 1 MB en 2000 rijen.", "A CSV file in UTF-8, separated by semicolons or commas, or an Excel workbook (.xlsx; its first worksheet), with the columns below in its first row; at most 1 MB and 2,000 rows.";
    sheet_check: "Controleren", "Check";
    sheet_columns: "De kolommen", "The columns";
    sheet_holds: "Inhoud", "Contents";
    sheet_too_large: "Het bestand is groter dan 1 MB; splits het.", "The file is larger than 1 MB; split it.";
    sheet_missing: "Kies een bestand om te uploaden.", "Choose a file to upload.";
    sheet_not_utf8: "Het bestand is geen UTF-8-tekst; sla de CSV op als UTF-8.", "The file is not UTF-8 text; save the CSV as UTF-8.";
    sheet_link: "Importeren uit een spreadsheet", "Import from a spreadsheet";
    staff_drafts_title: "Concepten van uw bibliotheken", "Drafts of your libraries";
    staff_drafts_lead: "Het aanbod dat de bibliotheken die u ondersteunt nog niet hebben gepubliceerd, het laatst gewijzigde eerst", "What the libraries you support have not published yet, most recently changed first";
    staff_no_support: "Geen ondersteuningsorganisatie", "No support organisation";
    staff_no_support_text: "U werkt nu niet als adviseur van een ondersteuningsorganisatie. Kies op uw accountpagina een lidmaatschap als adviseur om de concepten van haar bibliotheken te zien.", "You are not acting as an advisor at a support organisation. Choose an advisor membership on your account page to see the drafts of its libraries.";
    yes: "Ja", "Yes";
    staff_bad_number: "vul een getal in dat past", "enter a number in range";
    staff_choose_one: "kies ten minste één", "choose at least one";
    record_conflict_title: "Iemand anders heeft dit intussen gewijzigd", "Someone else changed this meanwhile";
    record_conflict_text: "Uw wijzigingen zijn nog niet opgeslagen. Het formulier toont hoe het nu is, met uw eigen wijzigingen erin", "Your changes have not been saved yet. The form shows how it is now, with your own changes in it";
    record_stale_action: "Iemand anders heeft dit gewijzigd nadat u de pagina opende. Bekijk de nieuwste versie en probeer het opnieuw.", "Someone else changed this after you opened the page. Look at the latest version and try again.";
    nav_staff_knowledge: "Klantkennis", "Customer knowledge";
    k_title: "Klantkennis beheren", "Manage customer knowledge";
    k_lead: "Het klantonderzoek van uw organisatie, met klantreizen, inzichten en verbeterideeën, en de ideeën van anderen die u overneemt.", "Your organisation’s customer research, with its customer journeys, insights and improvement ideas, and the ideas of others you take up.";
    k_no_writer: "Geen bibliotheek of ondersteuningsorganisatie", "No library or support organisation";
    k_no_writer_text: "U werkt nu niet als redacteur van een bibliotheek of adviseur van een ondersteuningsorganisatie. Kies op uw accountpagina zo’n lidmaatschap om klantkennis vast te leggen.", "You are not acting as an editor at a library or an advisor at a support organisation. Choose such a membership on your account page to record customer knowledge.";
    k_new_study: "Nieuw onderzoek", "New study";
    k_studies: "Onderzoeken", "Studies";
    k_no_studies: "Uw organisatie heeft nog geen onderzoek vastgelegd.", "Your organisation has not recorded any research yet.";
    k_adoptions: "Overgenomen ideeën", "Adopted ideas";
    k_no_adoptions_of_idea: "Nog niemand heeft dit idee overgenomen.", "Nobody has adopted this idea yet.";
    k_no_adoptions: "Uw bibliotheek heeft nog geen ideeën van anderen overgenomen.", "Your library has not taken up ideas of others yet.";
    k_elsewhere: "Ideeën van anderen", "Ideas of others";
    k_elsewhere_lead: "Verbeterideeën uit onderzoek van andere organisaties dat u mag zien. Neem een idee over om bij te houden hoe het bij u gaat; de andere bibliotheken zien dat het is overgenomen.", "Improvement ideas from other organisations’ research that you may see. Adopt an idea to keep track of how it goes at your library; other libraries see that it was taken up.";
    k_no_elsewhere: "Er zijn geen ideeën van anderen die u kunt overnemen.", "There are no ideas of others you can adopt.";
    k_adopt: "Neem over", "Adopt";
    k_adopted_already: "al overgenomen", "adopted already";
    k_journeys: "Klantreizen", "Customer journeys";
    k_no_journeys: "Nog geen klantreis bij dit onderzoek.", "No customer journey in this study yet.";
    k_add_journey: "Klantreis toevoegen", "Add a customer journey";
    k_insights: "Inzichten", "Insights";
    k_no_insights: "Nog geen inzichten bij dit onderzoek.", "No insights in this study yet.";
    k_add_insight: "Inzicht toevoegen", "Add an insight";
    k_ideas: "Verbeterideeën", "Improvement ideas";
    k_no_ideas: "Nog geen verbeterideeën bij dit onderzoek.", "No improvement ideas in this study yet.";
    k_add_idea: "Verbeteridee toevoegen", "Add an improvement idea";
    k_links: "Koppelingen met aanbod", "Links to propositions";
    k_links_lead: "Welk aanbod dit onderzoek onderbouwt, vormgaf of verbeterde.", "Which propositions this research supports, shaped or improved.";
    k_no_links: "Dit onderzoek is nog niet aan aanbod gekoppeld.", "This research is not linked to any proposition yet.";
    k_add_link: "Koppeling toevoegen", "Add a link";
    k_unlink: "Ontkoppelen", "Unlink";
    k_stages: "Etappes", "Stages";
    k_stages_lead: "De etappes van de klantreis, in volgorde.", "The stages of the customer journey, in order.";
    k_no_stages: "Deze klantreis heeft nog geen etappes.", "This customer journey has no stages yet.";
    k_add_stage: "Etappe toevoegen", "Add a stage";
    k_edit_stage: "Etappe bewerken", "Edit the stage";
    k_stage_removed: "Iemand anders heeft deze etappe intussen verwijderd. Uw invoer staat hieronder; voeg de etappe opnieuw toe als u haar wilt houden.", "Someone else removed this stage meanwhile. What you entered is below; add the stage again if you want to keep it.";
    k_up: "Omhoog", "Up";
    k_down: "Omlaag", "Down";
    k_remove: "Verwijderen", "Remove";
    k_study_form: "Gegevens van het onderzoek", "The study’s details";
    k_journey_form: "Gegevens van de klantreis", "The journey’s details";
    k_insight_form: "Het inzicht", "The insight";
    k_idea_form: "Het verbeteridee", "The improvement idea";
    k_adoption_form: "Hoe het bij u gaat", "How it goes at your library";
    k_back: "Terug naar klantkennis", "Back to customer knowledge";
    k_back_to_study: "Terug naar het onderzoek", "Back to the study";
    k_back_to_journey: "Terug naar de klantreis", "Back to the journey";
    k_view_public: "Bekijk de pagina van het onderzoek", "View the study’s page";
    k_idea_from: "uit", "from";
    k_link_one_target: "kies aanbod van uw bibliotheek of een standaardpropositie, één van beide", "choose a proposition of your library or a standard proposition, one of the two";
    k_add: "Toevoegen", "Add";
    f_methods: "Onderzoeksmethoden", "Research methods";
    f_period_start: "Begin van het onderzoek", "Start of the research";
    f_period_end: "Einde van het onderzoek", "End of the research";
    f_participants: "Aantal deelnemers", "Number of participants";
    f_visibility: "Wie het mag zien", "Who may see it";
    f_consent: "Toestemming van de deelnemers is vastgelegd", "The participants’ consent is recorded";
    f_anonymised: "Citaten zijn geanonimiseerd", "Quotes are anonymised";
    f_report_url: "Link naar het rapport", "Link to the report";
    f_valid_until: "Actueel tot", "Current until";
    f_municipalities: "Gemeenten", "Municipalities";
    f_provinces: "Provincies (als geheel)", "Provinces (as a whole)";
    f_commissioned: "Opdrachtgevers", "Commissioned by";
    f_conducted: "Uitgevoerd door", "Conducted by";
    f_target_group: "Doelgroep", "Target group";
    f_journey_propositions: "Aanbod dat deze reis volgt", "Propositions this journey follows";
    f_name: "Naam", "Name";
    f_emotion: "Emotie", "Emotion";
    f_touchpoints: "Contactmomenten", "Touchpoints";
    f_pains: "Pijnpunten", "Pains";
    f_gains: "Wat het oplevert", "Gains";
    f_quotes: "Citaten", "Quotes";
    f_statement: "Inzicht in één zin", "The insight in one sentence";
    f_explanation: "Toelichting", "Explanation";
    f_stage: "Etappe van de klantreis", "Stage of the customer journey";
    f_standards: "Standaardproposities", "Standard propositions";
    f_priority: "Prioriteit", "Priority";
    f_idea_insights: "Inzichten waarop het antwoordt", "Insights it answers";
    f_relation: "Soort koppeling", "Kind of link";
    f_own_proposition: "Aanbod van uw bibliotheek", "A proposition of your library";
    f_note: "Notitie", "Note";
    f_adoption_status: "Stand van zaken", "Status";
    f_started_on: "Gestart op", "Started on";
    f_completed_on: "Afgerond of gestopt op", "Completed or dropped on";
    f_effect: "Wat het opleverde", "What it brought about";
    f_carried_in: "Uitgevoerd in aanbod", "Carried out in the proposition";
    h_per_line: "Eén per regel.", "One per line.";
    h_municipalities: "Eén per regel: de CBS-code (GM0637) of de naam.", "One per line: the CBS code (GM0637) or the name.";
    h_quotes: "Eén per regel; zet na een gedachtestreepje wie het zei, zoals: Het is hier te druk — een deelnemer", "One per line; after a dash, who said it, such as: It is too busy here — a participant";
    h_emotion: "Van -2 (zeer negatief) tot 2 (zeer positief); leeg als onbekend.", "From -2 (very negative) to 2 (very positive); empty when unknown.";
    h_valid_until: "Leeg: drie jaar na het einde.", "Empty: three years after the end.";
    keys_title: "API-sleutels", "API keys";
    keys_lead: "Sleutels waarmee systemen van uw organisatie of van partners de GraphQL-API aanroepen, met wat ze mogen. Een sleutel wordt één keer getoond, bij het aanmaken; het register bewaart alleen een afgeleide ervan.", "Keys with which your organisation’s or partners’ systems call the GraphQL API, with what they may do. A key is shown once, when it is made; the registry keeps only a digest of it.";
    keys_not_admin: "Geen beheerder", "Not an administrator";
    keys_not_admin_text: "Alleen de beheerders van een organisatie en netwerkbeheerders beheren haar API-sleutels. Kies op uw accountpagina een lidmaatschap als beheerder.", "Only an organisation’s administrators and network maintainers manage its API keys. Choose an administrator membership on your account page.";
    keys_none: "Uw organisatie heeft nog geen API-sleutels.", "Your organisation has no API keys yet.";
    keys_new: "Nieuwe sleutel", "New key";
    keys_make: "Sleutel aanmaken", "Make the key";
    keys_revoke: "Intrekken", "Revoke";
    keys_revoked: "ingetrokken", "revoked";
    keys_expired: "verlopen", "expired";
    keys_active: "actief", "active";
    keys_last_used: "laatst gebruikt", "last used";
    keys_never_used: "nog niet gebruikt", "not used yet";
    keys_expires: "verloopt", "expires";
    keys_made: "gemaakt", "made";
    keys_shown_once_title: "Uw nieuwe sleutel: kopieer hem nu", "Your new key: copy it now";
    keys_shown_once_text: "Deze sleutel wordt niet meer getoond. Bewaar hem waar uw systeem hem leest en stuur hem mee in de kop Authorization: Bearer ….", "This key will not be shown again. Keep it where your system reads it and send it in the header Authorization: Bearer ….";
    f_key_name: "Waarvoor de sleutel is", "What the key is for";
    f_scopes: "Wat de sleutel mag", "What the key may do";
    f_expires: "Werkt tot en met", "Works until";
    h_expires: "Leeg: tot hij wordt ingetrokken.", "Empty: until it is revoked.";
    nav_staff_keys: "API-sleutels", "API keys";
    back_to_page: "Terug naar de pagina", "Back to the page";
    branches_title: "Vestigingen", "Branches";
    branches_lead: "De vestigingen van uw bibliotheek: waar uw aanbod plaatsvindt en waar het register uw bibliotheek op de kaart zet.", "Your library’s branches: where your offer takes place and where the registry puts your library on the map.";
    branches_edit: "Vestiging bewerken", "Edit the branch";
    branches_add: "Vestiging toevoegen", "Add a branch";
    f_address: "Adres (straat en huisnummer)", "Address (street and number)";
    f_postcode: "Postcode", "Postcode";
    f_municipality: "Gemeente", "Municipality";
    f_latitude: "Breedtegraad", "Latitude";
    f_longitude: "Lengtegraad", "Longitude";
    h_municipality: "De CBS-code (GM0637) of de naam.", "The CBS code (GM0637) or the name.";
    h_coordinates: "Voor de kaart: beide of geen, zoals 52,0575 en 4,4931.", "For the map: both or neither, such as 52.0575 and 4.4931.";
    model_title: "Het gemeenschappelijk model", "The common model";
    model_lead: "De standaardproposities, doelgroepen, kernfuncties en maatschappelijke opgaven waarop alle bibliotheken hun aanbod koppelen. Codes zijn vast; namen en beschrijvingen kunt u wijzigen.", "The standard propositions, target groups, core functions and societal tasks onto which every library maps its offer. Codes are stable; names and descriptions can be changed.";
    model_not_maintainer: "Geen netwerkbeheerder", "Not a network maintainer";
    model_not_maintainer_text: "Alleen netwerkbeheerders beheren het gemeenschappelijk model. Kies op uw accountpagina een lidmaatschap als netwerkbeheerder.", "Only network maintainers keep the common model. Choose a network maintainer membership on your account page.";
    model_retired: "uit gebruik", "retired";
    model_new_standard: "Nieuwe standaardpropositie", "New standard proposition";
    model_new_group: "Nieuwe doelgroep", "New target group";
    model_within: "binnen", "within";
    model_core_functions: "Kernfuncties", "Core functions";
    model_societal_tasks: "Maatschappelijke opgaven", "Societal tasks";
    model_edit_labels: "Namen en beschrijvingen", "Names and descriptions";
    model_standard_form: "De standaardpropositie", "The standard proposition";
    model_group_form: "De doelgroep", "The target group";
    model_retire: "Uit gebruik nemen", "Retire";
    model_retire_lead: "Nieuw aanbod kan er dan niet meer aan worden gekoppeld; aanbod dat er al aan gekoppeld is, houdt zijn koppeling.", "New propositions can then no longer be mapped onto it; those mapped already keep their mapping.";
    f_code: "Code", "Code";
    h_code: "Vast en uniek: hoofdletters, cijfers en liggende streepjes, zoals LEESCLUB_JONGEREN.", "Stable and unique: capitals, digits and underscores, such as READING_CLUB_YOUTH.";
    f_name_nl: "Naam (Nederlands)", "Name (Dutch)";
    f_name_en: "Naam (Engels)", "Name (English)";
    f_description_nl: "Beschrijving (Nederlands)", "Description (Dutch)";
    f_description_en: "Beschrijving (Engels)", "Description (English)";
    f_societal_tasks: "Maatschappelijke opgaven", "Societal tasks";
    f_parent_group: "Valt binnen de doelgroep", "Falls within the target group";
    f_min_age: "Vanaf leeftijd", "From age";
    f_max_age: "Tot en met leeftijd", "Up to age";
    orgs_title: "Organisaties", "Organisations";
    orgs_lead: "De bibliotheken, provinciale ondersteuningsinstellingen, landelijke organisaties en partners van het netwerk.", "The network’s libraries, provincial support organisations, national bodies and partners.";
    orgs_new: "Nieuwe organisatie", "New organisation";
    orgs_form: "De organisatie", "The organisation";
    orgs_members: "Leden", "Members";
    orgs_no_members: "Deze organisatie heeft nog geen leden.", "This organisation has no members yet.";
    f_slug: "Korte naam in adressen", "Short name in addresses";
    h_slug: "Uniek: kleine letters, cijfers en streepjes, zoals bibliotheek-zoetermeer. Een nieuwe korte naam verandert de adressen van de organisatie.", "Unique: lower-case letters, digits and hyphens, such as bibliotheek-zoetermeer. A new short name changes the organisation’s addresses.";
    f_kind: "Soort organisatie", "Kind of organisation";
    f_province: "Provincie", "Province";
    f_support_organisation: "Ondersteuningsinstelling", "Support organisation";
    h_support_organisation: "Alleen voor een bibliotheek.", "For a library only.";
    f_website: "Website", "Website";
    f_title: "Titel", "Title";
    f_summary: "Samenvatting", "Summary";
    f_description: "Beschrijving", "Description";
    f_standard: "Standaardpropositie", "Standard proposition";
    f_deviation: "Afwijking van de standaard", "Deviation from the standard";
    f_core_function: "Kernfunctie", "Core function";
    f_societal_task: "Maatschappelijke opgave", "Societal task";
    f_target_groups: "Doelgroepen", "Target groups";
    f_channel: "Kanaal", "Channel";
    f_lifecycle: "Fase", "Stage";
    f_start_date: "Startdatum", "Start date";
    f_end_date: "Einddatum", "End date";
    f_schedule: "Wanneer (dagen en tijden)", "When (days and times)";
    f_cost_kind: "Kosten", "Cost";
    f_price: "Prijs in euro (bij betaald)", "Price in euros (when paid)";
    f_cost_note: "Toelichting op de kosten", "Note on the cost";
    f_contact_name: "Contactpersoon of balie", "Contact person or desk";
    f_contact_email: "E-mailadres voor contact", "Contact e-mail address";
    f_contact_phone: "Telefoonnummer voor contact", "Contact phone number";
    f_url: "Webpagina", "Web page";
    f_branches: "Vestigingen waar het loopt", "Branches where it runs";
    f_partners: "Partners", "Partners";
    f_verified_at: "Laatst bevestigd", "Last confirmed";
    f_publication_state: "Status", "State";
}

/// A number as a count in a sentence; templates pass numbers by value or by reference.
pub trait Count {
    fn count(self) -> u64;
}

impl Count for u64 {
    fn count(self) -> u64 {
        self
    }
}

impl Count for &u64 {
    fn count(self) -> u64 {
        *self
    }
}

impl Count for usize {
    fn count(self) -> u64 {
        self as u64
    }
}

impl Count for &usize {
    fn count(self) -> u64 {
        *self as u64
    }
}

impl Labels {
    /// A proposition's publication state.
    pub fn publication_state(&self, state: &str) -> &'static str {
        match (self.lang, state) {
            (Lang::Nl, "DRAFT") => "Concept",
            (Lang::Nl, "PUBLISHED") => "Gepubliceerd",
            (Lang::Nl, "ARCHIVED") => "Gearchiveerd",
            (Lang::En, "DRAFT") => "Draft",
            (Lang::En, "PUBLISHED") => "Published",
            (Lang::En, "ARCHIVED") => "Archived",
            _ => self.unknown,
        }
    }

    /// A proposition's stage.
    pub fn lifecycle(&self, lifecycle: &str) -> &'static str {
        match (self.lang, lifecycle) {
            (Lang::Nl, "PILOT") => "Pilot",
            (Lang::Nl, "REGULAR") => "Regulier",
            (Lang::Nl, "PAUSED") => "Gepauzeerd",
            (Lang::Nl, "STOPPED") => "Gestopt",
            (Lang::En, "PILOT") => "Pilot",
            (Lang::En, "REGULAR") => "Regular",
            (Lang::En, "PAUSED") => "Paused",
            (Lang::En, "STOPPED") => "Stopped",
            _ => self.unknown,
        }
    }

    /// Free or paid.
    pub fn cost_kind(&self, kind: &str) -> &'static str {
        match kind {
            "FREE" => self.free,
            "PAID" => self.paid,
            _ => self.unknown,
        }
    }

    /// What a change in a record's history did.
    pub fn change_action(&self, action: &str) -> &'static str {
        match (self.lang, action) {
            (Lang::Nl, "CREATE") => "Aangemaakt",
            (Lang::Nl, "UPDATE") => "Gewijzigd",
            (Lang::Nl, "PUBLISH") => "Gepubliceerd",
            (Lang::Nl, "UNPUBLISH") => "Terug naar concept",
            (Lang::Nl, "ARCHIVE") => "Gearchiveerd",
            (Lang::Nl, "DELETE") => "Verwijderd",
            (Lang::Nl, _) => "Gewijzigd",
            (Lang::En, "CREATE") => "Created",
            (Lang::En, "UPDATE") => "Changed",
            (Lang::En, "PUBLISH") => "Published",
            (Lang::En, "UNPUBLISH") => "Back to draft",
            (Lang::En, "ARCHIVE") => "Archived",
            (Lang::En, "DELETE") => "Deleted",
            (Lang::En, _) => "Changed",
        }
    }

    /// How many drafts the support organisation's libraries have.
    pub fn staff_drafts_count(&self, n: &u64) -> String {
        self.plural(n, ("concept", "concepten"), ("draft", "drafts"))
    }

    /// What an import did, or would do.
    pub fn sheet_counts(&self, created: &u64, changed: &u64, unchanged: &u64, refused: &u64) -> String {
        match self.lang {
            Lang::Nl => format!("{created} nieuw, {changed} gewijzigd, {unchanged} ongewijzigd, {refused} met fouten."),
            Lang::En => format!("{created} new, {changed} changed, {unchanged} unchanged, {refused} with errors."),
        }
    }

    /// The confirmation button of an import's preview.
    pub fn sheet_confirm(&self, rows: u64) -> String {
        match self.lang {
            Lang::Nl => format!("Importeer {rows} {}", if rows == 1 { "rij" } else { "rijen" }),
            Lang::En => format!("Import {rows} {}", if rows == 1 { "row" } else { "rows" }),
        }
    }

    /// What a staff form just did, named in its address after the redirect (`?gedaan=…`).
    pub fn staff_done(&self, done: &str) -> Option<&'static str> {
        Some(match (self.lang, done) {
            (Lang::Nl, "aangemaakt") => {
                "Opgeslagen als concept. Alleen uw bibliotheek en haar ondersteuner zien het, tot u het publiceert."
            }
            (Lang::Nl, "opgeslagen") => "Uw wijzigingen zijn opgeslagen.",
            (Lang::Nl, "ongewijzigd") => "Er was niets gewijzigd; er is niets opgeslagen.",
            (Lang::Nl, "gepubliceerd") => "Gepubliceerd: iedereen kan het nu zien.",
            (Lang::Nl, "teruggezet") => "Teruggezet naar concept: het is niet meer openbaar.",
            (Lang::Nl, "gearchiveerd") => {
                "Gearchiveerd: het wordt niet meer aangeboden en blijft bewaard met zijn geschiedenis."
            }
            (Lang::En, "aangemaakt") => {
                "Saved as a draft. Only your library and its support organisation see it until you publish it."
            }
            (Lang::En, "opgeslagen") => "Your changes have been saved.",
            (Lang::En, "ongewijzigd") => "Nothing had changed; nothing was saved.",
            (Lang::En, "gepubliceerd") => "Published: everyone can see it now.",
            (Lang::En, "teruggezet") => "Back to draft: it is no longer public.",
            (Lang::En, "gearchiveerd") => "Archived: it is no longer offered and is kept with its history.",
            (Lang::Nl, "ingetrokken") => "De sleutel is ingetrokken: hij werkt niet meer.",
            (Lang::En, "ingetrokken") => "The key is revoked: it no longer works.",
            (Lang::Nl, "uit-gebruik") => "Uit gebruik genomen: aanbod dat eraan gekoppeld is, houdt zijn koppeling.",
            (Lang::En, "uit-gebruik") => "Retired: propositions mapped onto it keep their mapping.",
            (Lang::Nl, "ingetrokken-lid") => "Het lidmaatschap is ingetrokken.",
            (Lang::En, "ingetrokken-lid") => "The membership is revoked.",
            (Lang::Nl, "toegevoegd") => "Toegevoegd.",
            (Lang::Nl, "vastgelegd") => "Het onderzoek is vastgelegd. Voeg nu de klantreis, inzichten en ideeën toe.",
            (Lang::Nl, "verplaatst") => "De volgorde is opgeslagen.",
            (Lang::Nl, "verwijderd") => "Verwijderd.",
            (Lang::Nl, "ontkoppeld") => "De koppeling is verwijderd.",
            (Lang::Nl, "overgenomen") => "Het idee is overgenomen. Houd hier bij hoe het bij u gaat.",
            (Lang::En, "toegevoegd") => "Added.",
            (Lang::En, "vastgelegd") => "The study is recorded. Now add its journey, insights and ideas.",
            (Lang::En, "verplaatst") => "The order has been saved.",
            (Lang::En, "verwijderd") => "Removed.",
            (Lang::En, "ontkoppeld") => "The link has been removed.",
            (Lang::En, "overgenomen") => "The idea is adopted. Keep track here of how it goes at your library.",
            _ => return None,
        })
    }

    /// The API's validation message in the page's language (the API speaks English; a message
    /// this catalogue does not know is shown as the API wrote it).
    pub fn validation(&self, message: &str) -> String {
        if self.lang == Lang::En {
            return message.to_string();
        }
        let known = match message {
            "is required" => Some("vul dit in"),
            "must not contain control characters" => Some("mag geen stuurtekens bevatten"),
            "must be an absolute http or https URL" => {
                Some("moet een volledig webadres zijn dat begint met https:// of http://")
            }
            "must be an e-mail address" => Some("moet een e-mailadres zijn"),
            "must not be before startDate" => Some("mag niet vóór de startdatum liggen"),
            "must be empty for a free proposition" => Some("laat leeg bij gratis aanbod"),
            "is required for a paid proposition" => Some("vul een prijs in bij betaald aanbod"),
            "is required for a local proposition (one without a standard proposition)" => {
                Some("kies een kernfunctie voor lokaal aanbod (zonder standaardpropositie)")
            }
            "comes from the standard proposition; set it only on a local proposition" => {
                Some("volgt uit de standaardpropositie; kies dit alleen bij lokaal aanbod")
            }
            "applies only to a proposition mapped onto a standard proposition" => {
                Some("hoort alleen bij aanbod dat aan een standaardpropositie is gekoppeld")
            }
            "every branch must be one of the library's own branches" => {
                Some("kies alleen vestigingen van uw eigen bibliotheek")
            }
            "must not be in the future" => Some("mag niet in de toekomst liggen"),
            "must be between 1 and 1000000 cents" => Some("moet tussen € 0,01 en € 10.000 liggen"),
            "name at least one research method" => Some("kies ten minste één onderzoeksmethode"),
            "cannot be read as an Excel workbook (.xlsx); save it again, or as CSV" => {
                Some("is geen leesbare Excel-werkmap (.xlsx); sla het opnieuw op, of als CSV")
            }
            "unpacks to more than 32 MB; split it, or save it as CSV" => {
                Some("pakt uit tot meer dan 32 MB; splits het, of sla het op als CSV")
            }
            "is required with a latitude" => Some("vul ook de lengtegraad in"),
            "is required with a longitude" => Some("vul ook de breedtegraad in"),
            "must not be before periodStart" => Some("mag niet vóór het begin van het onderzoek liggen"),
            "must not be before startedOn" => Some("mag niet vóór de startdatum liggen"),
            "must be between -2 and 2" => Some("moet tussen -2 en 2 liggen"),
            "a journey has at most 30 stages" => Some("een klantreis heeft hoogstens 30 etappes"),
            "every insight must be one of the same study" => Some("kies alleen inzichten uit hetzelfde onderzoek"),
            "must be a stage of a journey in the same study" => {
                Some("kies een etappe van een klantreis in hetzelfde onderzoek")
            }
            "is set only when the adoption is DONE or DROPPED" => {
                Some("vul dit alleen in als het idee is uitgevoerd of gestopt")
            }
            "must be a proposition of the adopting library" => Some("kies aanbod van uw eigen bibliotheek"),
            "name the service the journey follows: a standard proposition, propositions, or both" => {
                Some("kies de dienst die de reis volgt: een standaardpropositie, aanbod van uw bibliotheek, of beide")
            }
            "name your own organisation on the study, as commissioner or as conductor" => {
                Some("noem uw eigen organisatie als opdrachtgever of uitvoerder")
            }
            _ => None,
        };
        if let Some(text) = known {
            return text.to_string();
        }
        if let Some((_, codes)) = message.strip_prefix("unknown ").and_then(|m| m.split_once(" code(s): ")) {
            return format!("onbekende code: {codes}");
        }
        if let Some(max) = message.strip_prefix("must be at most ").and_then(|m| m.strip_suffix(" characters")) {
            return format!("mag hoogstens {max} tekens lang zijn");
        }
        message.to_string()
    }

    /// What an API key may do.
    pub fn scope(&self, scope: &str) -> &'static str {
        match (self.lang, scope) {
            (Lang::Nl, "READ_PUBLISHED") => "Gepubliceerd aanbod en openbaar onderzoek lezen",
            (Lang::Nl, "READ_NETWORK_RESEARCH") => "Ook onderzoek lezen dat met het netwerk is gedeeld",
            (Lang::Nl, "WRITE_OWN_ORGANISATION") => "De gegevens van de eigen organisatie wijzigen",
            (Lang::En, "READ_PUBLISHED") => "Read published propositions and public research",
            (Lang::En, "READ_NETWORK_RESEARCH") => "Also read research shared with the network",
            (Lang::En, "WRITE_OWN_ORGANISATION") => "Change the organisation’s own records",
            _ => self.unknown,
        }
    }

    /// How often an idea was taken up by other libraries.
    pub fn adopted_times(&self, n: i64) -> String {
        match (self.lang, n) {
            (Lang::Nl, 0) => "nog niet overgenomen".into(),
            (Lang::Nl, n) => format!("{n} keer overgenomen"),
            (Lang::En, 0) => "not adopted yet".into(),
            (Lang::En, 1) => "adopted once".into(),
            (Lang::En, n) => format!("adopted {n} times"),
        }
    }

    /// `one` or `many` by the count.
    fn plural(&self, n: impl Count, nl: (&str, &str), en: (&str, &str)) -> String {
        let n = n.count();
        let (one, many) = if self.lang == Lang::Nl { nl } else { en };
        format!("{n} {}", if n == 1 { one } else { many })
    }

    fn pick<T: Display>(&self, nl: T, en: T) -> String {
        if self.lang == Lang::Nl { nl.to_string() } else { en.to_string() }
    }

    /// The common model's text in the page's language: the English one where the model has it.
    pub fn pick_text<'a>(&self, nl: &'a str, en: &'a str) -> &'a str {
        if self.lang == Lang::En && !en.trim().is_empty() { en } else { nl }
    }

    pub fn published_count(&self, n: impl Count) -> String {
        self.plural(
            n,
            ("gepubliceerde propositie", "gepubliceerde proposities"),
            ("published proposition", "published propositions"),
        )
    }

    pub fn all_libraries(&self, n: impl Count) -> String {
        let n = n.count();
        self.pick(format!("Alle {n} bibliotheken"), format!("All {n} libraries"))
    }

    pub fn library_count(&self, n: impl Count) -> String {
        self.plural(n, ("bibliotheek", "bibliotheken"), ("library", "libraries"))
    }

    pub fn study_count(&self, n: impl Count) -> String {
        self.plural(n, ("onderzoek", "onderzoeken"), ("study", "studies"))
    }

    pub fn proposition_count(&self, n: impl Count) -> String {
        self.plural(n, ("propositie", "proposities"), ("proposition", "propositions"))
    }

    pub fn libraries_supported_by(&self, name: &str) -> String {
        self.pick(format!("Bibliotheken die {name} ondersteunt"), format!("Libraries {name} supports"))
    }

    pub fn no_propositions_yet(&self, name: &str) -> String {
        self.pick(
            format!("{name} heeft nog geen proposities gepubliceerd."),
            format!("{name} has not published any propositions yet."),
        )
    }

    pub fn branches_of(&self, name: &str) -> String {
        self.pick(format!("Vestigingen van {name}"), format!("Branches of {name}"))
    }

    pub fn no_research_with(&self, name: &str) -> String {
        self.pick(
            format!("Geen openbaar klantonderzoek waaraan {name} meedeed."),
            format!("No public customer research that {name} took part in."),
        )
    }

    pub fn studies_with(&self, n: impl Count, name: &str) -> String {
        let studies = self.study_count(n);
        self.pick(format!("{studies} waaraan {name} meedeed."), format!("{studies} that {name} took part in."))
    }

    pub fn no_adoptions(&self, name: &str) -> String {
        self.pick(
            format!("{name} heeft (nog) geen verbeterideeën uit klantonderzoek overgenomen."),
            format!("{name} has not adopted any improvement ideas from customer research (yet)."),
        )
    }

    pub fn ideas_adopted_by(&self, name: &str) -> String {
        self.pick(format!("Verbeterideeën die {name} overnam"), format!("Improvement ideas {name} adopted"))
    }

    pub fn results_for(&self, n: impl Count) -> String {
        let results = self.plural(n, ("resultaat", "resultaten"), ("result", "results"));
        self.pick(format!("{results} voor"), format!("{results} for"))
    }

    pub fn standards_lead(&self, libraries: impl Count) -> String {
        let n = libraries.count();
        self.pick(
            format!(
                "Het gemeenschappelijke aanbod van het bibliotheeknetwerk, per maatschappelijke opgave. Bij elke \
                 standaardpropositie staat hoeveel van de {n} bibliotheken haar aanbieden."
            ),
            format!(
                "The common offer of the library network, by societal task. With each standard proposition, how \
                 many of the {n} libraries offer it."
            ),
        )
    }

    pub fn libraries_in_municipalities(&self, libraries: impl Count, municipalities: impl Count) -> String {
        let libraries = self.library_count(libraries);
        let municipalities = self.plural(municipalities, ("gemeente", "gemeenten"), ("municipality", "municipalities"));
        format!("{libraries}, {} {municipalities}", self.in_)
    }

    pub fn tilemap_title(&self, name: &str) -> String {
        self.pick(
            format!("Aandeel bibliotheken per provincie dat {name} aanbiedt"),
            format!("Share of libraries per province that offer {name}"),
        )
    }

    pub fn province_table_caption(&self, name: &str) -> String {
        self.pick(
            format!("Bibliotheken per provincie die {name} wel en niet aanbieden"),
            format!("Libraries per province that do and do not offer {name}"),
        )
    }

    pub fn no_research_about(&self, name: &str) -> String {
        self.pick(
            format!("Er is geen openbaar klantonderzoek over {name}."),
            format!("There is no public customer research about {name}."),
        )
    }

    pub fn studies_and_insights(&self, studies: impl Count, insights: impl Count) -> String {
        let insights = self.plural(insights, ("inzicht", "inzichten"), ("insight", "insights"));
        format!("{}, {insights}.", self.study_count(studies))
    }

    pub fn coverage_in(&self, region: &str) -> String {
        self.pick(format!("Dekking in {region}"), format!("Coverage in {region}"))
    }

    pub fn coverage_description(&self, region: &str) -> String {
        self.pick(
            format!("Welke bibliotheken in {region} welke standaardproposities aanbieden, met totalen per bibliotheek en per propositie."),
            format!("Which libraries in {region} offer which standard propositions, with totals per library and per proposition."),
        )
    }

    pub fn no_libraries_in(&self, region: &str) -> String {
        self.pick(
            format!("Er zijn geen bibliotheken in {region} in het register."),
            format!("There are no libraries in {region} in the registry."),
        )
    }

    pub fn coverage_caption(&self, region: &str) -> String {
        self.pick(
            format!("Gepubliceerde proposities per bibliotheek en standaardpropositie in {region}"),
            format!("Published propositions per library and standard proposition in {region}"),
        )
    }

    pub fn stale_explanation(&self, until: &str) -> String {
        self.pick(
            format!("Dit onderzoek gold tot en met {until}; de uitkomsten kunnen inmiddels anders zijn."),
            format!("This research was valid until {until}; its findings may have changed since."),
        )
    }

    pub fn emotion_curve_of(&self, title: &str) -> String {
        self.pick(
            format!("Emotiecurve van de klantreis {title}"),
            format!("Emotion curve of the customer journey {title}"),
        )
    }

    pub fn also_relevant_for(&self, n: impl Count) -> String {
        let many = n.count() != 1;
        match (self.lang, many) {
            (Lang::Nl, false) => "Ook van belang voor de standaardpropositie".into(),
            (Lang::Nl, true) => "Ook van belang voor de standaardproposities".into(),
            (Lang::En, false) => "Also relevant to the standard proposition".into(),
            (Lang::En, true) => "Also relevant to the standard propositions".into(),
        }
    }

    pub fn also_for_groups_within(&self, name: &str) -> String {
        self.pick(
            format!("Wat hieronder staat, geldt ook voor deze groepen binnen {name}."),
            format!("What follows also holds for these groups within {name}."),
        )
    }

    pub fn studies_about(&self, n: impl Count, name: &str, narrower: bool) -> String {
        let studies = self.study_count(n);
        match (self.lang, narrower) {
            (Lang::Nl, true) => format!("{studies} over {name} of een smallere groep, nieuwste eerst."),
            (Lang::Nl, false) => format!("{studies} over {name}, nieuwste eerst."),
            (Lang::En, true) => format!("{studies} about {name} or a narrower group, newest first."),
            (Lang::En, false) => format!("{studies} about {name}, newest first."),
        }
    }

    pub fn no_insights_about(&self, name: &str) -> String {
        self.pick(
            format!("Er zijn geen openbare inzichten over {name}."),
            format!("There are no public insights about {name}."),
        )
    }

    pub fn insights_summary(&self, shown: impl Count, total: impl Count) -> String {
        let (shown, total) = (shown.count(), total.count());
        match (self.lang, shown < total) {
            (Lang::Nl, true) => {
                format!("De {shown} best onderbouwde van {total} actuele inzichten, best onderbouwd eerst.")
            }
            (Lang::Nl, false) => format!(
                "{}, best onderbouwd eerst.",
                self.plural(total, ("actueel inzicht", "actuele inzichten"), ("", ""))
            ),
            (Lang::En, true) => {
                format!("The {shown} best supported of {total} current insights, best supported first.")
            }
            (Lang::En, false) => format!(
                "{}, best supported first.",
                self.plural(total, ("", ""), ("current insight", "current insights"))
            ),
        }
    }

    pub fn no_adopted_ideas(&self, ideas: impl Count, name: &str) -> String {
        let n = ideas.count();
        match (self.lang, n) {
            (Lang::Nl, 0) => format!("Er zijn geen openbare verbeterideeën voor {name}."),
            (Lang::Nl, n) => format!("Nog geen van de {n} verbeterideeën is door een bibliotheek overgenomen."),
            (Lang::En, 0) => format!("There are no public improvement ideas for {name}."),
            (Lang::En, n) => format!("None of the {n} improvement ideas has been adopted by a library yet."),
        }
    }

    pub fn ideas_caption(&self, name: &str) -> String {
        self.pick(
            format!("Verbeterideeën voor {name}, meest overgenomen eerst"),
            format!("Improvement ideas for {name}, most adopted first"),
        )
    }

    pub fn offer_for(&self, name: &str) -> String {
        self.pick(format!("Aanbod voor {name}"), format!("Offer for {name}"))
    }

    pub fn no_offer_for(&self, name: &str) -> String {
        self.pick(
            format!("Er is nog geen gepubliceerd aanbod voor {name}."),
            format!("There is no published offer for {name} yet."),
        )
    }

    pub fn offer_summary(&self, propositions: impl Count, organisations: impl Count) -> String {
        let orgs = self.plural(organisations, ("organisatie", "organisaties"), ("organisation", "organisations"));
        let props = self.plural(
            propositions,
            ("gepubliceerde propositie", "gepubliceerde proposities"),
            ("published proposition", "published propositions"),
        );
        self.pick(format!("{props} van {orgs}."), format!("{props} from {orgs}."))
    }

    pub fn standard_description(&self, name: &str) -> String {
        self.pick(
            format!(
                "{name}: welke bibliotheken dit aanbieden, waar het nog ontbreekt, en het klantonderzoek erachter."
            ),
            format!("{name}: which libraries offer it, where it is still missing, and the research behind it."),
        )
    }

    pub fn choose_to_compare(&self, most: usize) -> String {
        self.pick(
            format!("Kies twee tot {most} bibliotheken om te vergelijken."),
            format!("Choose two to {most} libraries to compare."),
        )
    }

    pub fn target_group_description(&self, name: &str) -> String {
        self.pick(
            format!("{name}: het klantonderzoek, de inzichten en de overgenomen verbeterideeën over deze doelgroep, en het aanbod van bibliotheken ervoor."),
            format!("{name}: the customer research, insights and adopted improvement ideas about this target group, and the libraries' offer for it."),
        )
    }

    pub fn research_about_with(&self, name: &str) -> String {
        self.pick(
            format!("Wat {name} aanbiedt, waar, en welk klantonderzoek erachter zit."),
            format!("What {name} offers, where, and which customer research lies behind it."),
        )
    }

    /// A kind of search result.
    pub fn search_kind(&self, kind: &str) -> &'static str {
        match (self.lang, kind) {
            (Lang::Nl, "PROPOSITION") => "Aanbod",
            (Lang::Nl, "ORGANISATION") => "Organisaties",
            (Lang::Nl, "STUDY") => "Onderzoek",
            (Lang::Nl, "INSIGHT") => "Inzichten",
            (Lang::Nl, "IMPROVEMENT_IDEA") => "Verbeterideeën",
            (Lang::En, "PROPOSITION") => "Offer",
            (Lang::En, "ORGANISATION") => "Organisations",
            (Lang::En, "STUDY") => "Studies",
            (Lang::En, "INSIGHT") => "Insights",
            (Lang::En, "IMPROVEMENT_IDEA") => "Improvement ideas",
            _ => "",
        }
    }

    /// How a proposition is offered.
    pub fn channel(&self, channel: &str) -> &'static str {
        match (self.lang, channel) {
            (Lang::Nl, "ON_SITE") => "In de bibliotheek",
            (Lang::Nl, "ONLINE") => "Online",
            (Lang::Nl, "HYBRID") => "In de bibliotheek en online",
            (Lang::En, "ON_SITE") => "In the library",
            (Lang::En, "ONLINE") => "Online",
            (Lang::En, "HYBRID") => "In the library and online",
            _ => self.unknown,
        }
    }

    /// A membership's role.
    pub fn role(&self, role: &str) -> &'static str {
        match (self.lang, role) {
            (Lang::Nl, "PARTNER") => "partner",
            (Lang::Nl, "LIBRARY_EDITOR") => "redacteur",
            (Lang::Nl, "SUPPORT_EDITOR") => "adviseur",
            (Lang::Nl, "NETWORK_MAINTAINER") => "netwerkbeheerder",
            (Lang::Nl, _) => "lid",
            (Lang::En, "PARTNER") => "partner",
            (Lang::En, "LIBRARY_EDITOR") => "editor",
            (Lang::En, "SUPPORT_EDITOR") => "advisor",
            (Lang::En, "NETWORK_MAINTAINER") => "network maintainer",
            (Lang::En, _) => "member",
        }
    }

    /// The kind of an organisation.
    pub fn organisation_kind(&self, kind: &str) -> &'static str {
        match (self.lang, kind) {
            (Lang::Nl, "LIBRARY") => "Bibliotheekorganisatie",
            (Lang::Nl, "SUPPORT_ORGANISATION") => "Provinciale ondersteuningsinstelling",
            (Lang::Nl, "NATIONAL_BODY") => "Landelijke organisatie",
            (Lang::Nl, "PARTNER") => "Partner",
            (Lang::Nl, _) => "Organisatie",
            (Lang::En, "LIBRARY") => "Library organisation",
            (Lang::En, "SUPPORT_ORGANISATION") => "Provincial support organisation",
            (Lang::En, "NATIONAL_BODY") => "National body",
            (Lang::En, "PARTNER") => "Partner",
            (Lang::En, _) => "Organisation",
        }
    }

    /// How strong the evidence of a study or insight is.
    pub fn evidence(&self, strength: &str) -> &'static str {
        match (self.lang, strength) {
            (Lang::Nl, "STRONG") => "Sterk onderbouwd",
            (Lang::Nl, "MODERATE") => "Redelijk onderbouwd",
            (Lang::Nl, "LIMITED") => "Beperkt onderbouwd",
            (Lang::En, "STRONG") => "Strong evidence",
            (Lang::En, "MODERATE") => "Moderate evidence",
            (Lang::En, "LIMITED") => "Limited evidence",
            _ => self.unknown,
        }
    }

    /// How far a library is with an idea.
    pub fn adoption(&self, status: &str) -> &'static str {
        match (self.lang, status) {
            (Lang::Nl, "PLANNED") => "Gepland",
            (Lang::Nl, "IN_PROGRESS") => "Bezig",
            (Lang::Nl, "DONE") => "Gedaan",
            (Lang::Nl, "DROPPED") => "Gestopt",
            (Lang::En, "PLANNED") => "Planned",
            (Lang::En, "IN_PROGRESS") => "In progress",
            (Lang::En, "DONE") => "Done",
            (Lang::En, "DROPPED") => "Dropped",
            _ => self.unknown,
        }
    }

    /// The bucket an improvement idea is ranked in.
    pub fn priority(&self, priority: &str) -> &'static str {
        match (self.lang, priority) {
            (Lang::Nl, "DO_NOW") => "Meteen doen",
            (Lang::Nl, "LATER") => "Later oppakken",
            (Lang::Nl, "CONSIDER") => "Overwegen",
            (Lang::En, "DO_NOW") => "Do now",
            (Lang::En, "LATER") => "Pick up later",
            (Lang::En, "CONSIDER") => "Consider",
            _ => self.unknown,
        }
    }

    /// A research method.
    pub fn method(&self, method: &str) -> &'static str {
        match (self.lang, method) {
            (Lang::Nl, "CO_CREATION") => "Co-creatie",
            (Lang::Nl, "CUSTOMER_JOURNEY") => "Klantreis",
            (Lang::Nl, "DATA_ANALYSIS") => "Data-analyse",
            (Lang::Nl, "DESK_RESEARCH") => "Deskresearch",
            (Lang::Nl, "INTERVIEWS") => "Interviews",
            (Lang::Nl, "OBSERVATION") => "Observatie",
            (Lang::Nl, "SURVEY") => "Enquête",
            (Lang::En, "CO_CREATION") => "Co-creation",
            (Lang::En, "CUSTOMER_JOURNEY") => "Customer journey",
            (Lang::En, "DATA_ANALYSIS") => "Data analysis",
            (Lang::En, "DESK_RESEARCH") => "Desk research",
            (Lang::En, "INTERVIEWS") => "Interviews",
            (Lang::En, "OBSERVATION") => "Observation",
            (Lang::En, "SURVEY") => "Survey",
            _ => self.unknown,
        }
    }

    /// Who may see a study.
    pub fn visibility(&self, visibility: &str) -> &'static str {
        match (self.lang, visibility) {
            (Lang::Nl, "PUBLIC") => "Openbaar",
            (Lang::Nl, "NETWORK") => "Alleen binnen het bibliotheeknetwerk",
            (Lang::Nl, "PRIVATE") => "Alleen voor de betrokken organisaties",
            (Lang::En, "PUBLIC") => "Public",
            (Lang::En, "NETWORK") => "Only within the library network",
            (Lang::En, "PRIVATE") => "Only for the organisations involved",
            _ => self.unknown,
        }
    }

    /// How knowledge relates to a proposition.
    pub fn relation(&self, relation: &str) -> &'static str {
        match (self.lang, relation) {
            (Lang::Nl, "EVIDENCE_FOR") => "onderbouwt het aanbod",
            (Lang::Nl, "IMPROVES") => "leidde tot een verbetering",
            (Lang::Nl, "INFORMED_DESIGN_OF") => "gaf vorm aan het ontwerp",
            (Lang::Nl, _) => "gekoppeld",
            (Lang::En, "EVIDENCE_FOR") => "supports the offer",
            (Lang::En, "IMPROVES") => "led to an improvement",
            (Lang::En, "INFORMED_DESIGN_OF") => "shaped its design",
            (Lang::En, _) => "linked",
        }
    }

    /// How a score from -2 to +2 feels.
    pub fn emotion(&self, score: i64) -> &'static str {
        match (self.lang, score) {
            (Lang::Nl, ..=-2) => "Zeer negatief",
            (Lang::Nl, -1) => "Negatief",
            (Lang::Nl, 0) => "Neutraal",
            (Lang::Nl, 1) => "Positief",
            (Lang::Nl, 2..) => "Zeer positief",
            (Lang::En, ..=-2) => "Very negative",
            (Lang::En, -1) => "Negative",
            (Lang::En, 0) => "Neutral",
            (Lang::En, 1) => "Positive",
            (Lang::En, 2..) => "Very positive",
        }
    }

    /// A date as `2022-01-17` in words: 17 januari 2022, or 17 January 2022 (anything else as it came).
    pub fn date(&self, date: &str) -> String {
        const NL_MONTHS: [&str; 12] = [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ];
        const EN_MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let months = if self.lang == Lang::Nl { NL_MONTHS } else { EN_MONTHS };
        let parts: Vec<&str> = date.splitn(3, '-').collect();
        match parts[..] {
            [year, month, day] => match (month.parse::<usize>(), day.get(..2).unwrap_or(day).parse::<u32>()) {
                (Ok(m @ 1..=12), Ok(d)) => format!("{d} {} {year}", months[m - 1]),
                _ => date.to_string(),
            },
            _ => date.to_string(),
        }
    }

    /// A study's period.
    pub fn period(&self, start: &str, end: Option<&str>) -> String {
        match (self.lang, end) {
            (Lang::Nl, Some(end)) => format!("{} tot en met {}", self.date(start), self.date(end)),
            (Lang::Nl, None) => format!("Vanaf {}", self.date(start)),
            (Lang::En, Some(end)) => format!("{} to {}", self.date(start), self.date(end)),
            (Lang::En, None) => format!("From {}", self.date(start)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_words() {
        assert_eq!(NL.date("2022-01-17"), "17 januari 2022");
        assert_eq!(NL.date("2027-05-31"), "31 mei 2027");
        assert_eq!(EN.date("2027-05-31"), "31 May 2027");
        assert_eq!(NL.date("gisteren"), "gisteren");
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(NL.library_count(1_u64), "1 bibliotheek");
        assert_eq!(EN.library_count(3_u64), "3 libraries");
        assert_eq!(EN.insights_summary(2_usize, 2_u64), "2 current insights, best supported first.");
        assert_eq!(NL.insights_summary(1_usize, 1_u64), "1 actueel inzicht, best onderbouwd eerst.");
    }
}
