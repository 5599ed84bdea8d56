//! Abuse limits on every GraphQL document, checked at the HTTP edge before anything runs: its size
//! in tokens, its aliases and directives, its depth and its cost. Errors name the limit and both
//! numbers. The document is parsed once here and handed on to execution.

pub mod bounds;
mod measure;
mod tokens;

use std::sync::Arc;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned};

use crate::error::AppError;
use crate::kernel::page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use bounds::Directories;
use measure::{Measurer, SchemaShape};
use tokens::count_tokens;

/// The limits every document is checked against (values come from configuration).
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    /// Deepest nesting of fields.
    pub max_depth: usize,
    /// Highest cost: the most objects the answer can hold (each list of objects counted by its
    /// bound: its page, a directory's size or its hard cap).
    pub max_complexity: usize,
    /// Most aliased fields in the whole document.
    pub max_aliases: usize,
    /// Most directive uses in the whole document.
    pub max_directives: usize,
    /// Most lexical tokens in the query text.
    pub max_tokens: usize,
    /// Whether `__schema` and `__type` may be asked for.
    pub introspection: bool,
}

/// How deep a query may go that asks only for the schema (`__schema`, `__type`): GraphiQL's
/// introspection query is 13 levels deep (15 in newer clients), and its shape is fixed by the
/// schema, so it gets more room than data queries without opening a way to heavy ones.
const INTROSPECTION_DEPTH: usize = 16;

/// The items a page holds: `first` (the default page size when left out), clamped to 0..=100.
pub fn page_size(first: Option<i32>) -> usize {
    let page = match first {
        None => DEFAULT_PAGE_SIZE,
        Some(n) => u64::try_from(n).unwrap_or(0).min(MAX_PAGE_SIZE),
    };
    usize::try_from(page).unwrap_or(usize::MAX)
}

/// The limits and the schema's shape, to check documents against.
pub struct DocumentRules {
    limits: DocumentLimits,
    shape: SchemaShape,
    directories: Arc<Directories>,
}

/// What a document that passed the limits is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The kind of the operation that will run; `None` when the document does not parse or names
    /// no runnable operation (execution then reports why).
    pub operation: Option<OperationType>,
    /// The operation's cost: the most objects its answer can hold. The rate limit reserves it
    /// and settles at the objects the answer holds.
    pub cost: usize,
    /// The operation's top-level fields, also those selected through fragments.
    pub root_fields: Vec<String>,
}

impl DocumentRules {
    /// Rules for the schema described by `sdl` (with these root type names), bounding lists of
    /// directory entries by `directories`.
    pub fn new(
        limits: DocumentLimits,
        sdl: &str,
        query_root: &str,
        mutation_root: &str,
        directories: Arc<Directories>,
    ) -> Self {
        Self { limits, shape: SchemaShape::from_sdl(sdl, query_root, mutation_root), directories }
    }

    /// Checks a request's document against every limit and measures it; the parsed document goes
    /// back into the request, so that execution does not parse it again.
    pub fn inspect(&self, request: &mut async_graphql::Request) -> Result<Inspection, AppError> {
        let limits = self.limits;
        check(count_tokens(&request.query), limits.max_tokens, "tokens", "maxTokens")?;
        let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
            return Ok(Inspection { operation: None, cost: 0, root_fields: Vec::new() });
        };
        if !limits.introspection && asks_for_schema(&document) {
            return Err(AppError::LimitExceeded {
                limit: "introspection",
                message: "introspection is switched off on this registry (REGISTRY_SERVER__INTROSPECTION); see the \
                          published schema instead"
                    .into(),
            });
        }
        let (aliases, directives) = count_aliases_and_directives(&document);
        check(aliases, limits.max_aliases, "aliases", "maxAliases")?;
        check(directives, limits.max_directives, "directives", "maxDirectives")?;
        let operation = selected_operation(&document, request.operation_name.as_deref());
        let mut variables = request.variables.clone();
        if let Some(op) = operation {
            for definition in &op.node.variable_definitions {
                let name = &definition.node.name.node;
                if let (false, Some(default)) = (variables.contains_key(name), &definition.node.default_value) {
                    variables.insert(name.clone(), default.node.clone());
                }
            }
        }
        let mut measurer = Measurer::new(&self.shape, &self.directories, &document, &variables);
        // Without a selected operation (an unknown name, or several unnamed), measure them all:
        // execution refuses the request, but nothing unmeasured gets through.
        let operations: Vec<&Positioned<OperationDefinition>> = match operation {
            Some(op) => vec![op],
            None => document.operations.iter().map(|(_, op)| op).collect(),
        };
        let mut cost = 0usize;
        for op in &operations {
            let root = self.shape.root(op.node.ty == OperationType::Mutation);
            let measured = measurer.selection_set(&op.node.selection_set.node, Some(root), page_size(None));
            let max_depth =
                if is_introspection_only(op) { limits.max_depth.max(INTROSPECTION_DEPTH) } else { limits.max_depth };
            check_measure(measured.depth, max_depth, "depth", "maxDepth")?;
            cost = cost.saturating_add(measured.cost);
        }
        check_measure(cost, limits.max_complexity, "complexity", "maxComplexity")?;
        let root_fields = operation.map(|op| root_fields(&document, &op.node.selection_set.node)).unwrap_or_default();
        let inspection = Inspection { operation: operation.map(|op| op.node.ty), cost, root_fields };
        request.set_parsed_query(document);
        Ok(inspection)
    }
}

/// The operation a request runs: the named one, or the only one.
fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The top-level fields of an operation, through fragments and inline fragments at the root.
fn root_fields(document: &ExecutableDocument, set: &SelectionSet) -> Vec<String> {
    let mut fields = Vec::new();
    let mut seen: Vec<&Name> = Vec::new();
    let mut sets = vec![set];
    while let Some(set) = sets.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => fields.push(field.node.name.node.to_string()),
                Selection::InlineFragment(inline) => sets.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if !seen.contains(&name)
                        && let Some(fragment) = document.fragments.get(name)
                    {
                        seen.push(name);
                        sets.push(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
    fields
}

/// Whether an operation's top-level selection is only `__schema`, `__type` or `__typename`
/// (fragments at the top level count as data, to keep this simple and strict).
fn is_introspection_only(op: &Positioned<OperationDefinition>) -> bool {
    op.node.selection_set.node.items.iter().all(|item| match &item.node {
        Selection::Field(field) => matches!(field.node.name.node.as_str(), "__schema" | "__type" | "__typename"),
        _ => false,
    })
}

/// `the query has 101 aliases; the limit is 30 (maxAliases)`.
fn check(count: usize, limit: usize, what: &str, name: &'static str) -> Result<(), AppError> {
    if count <= limit {
        return Ok(());
    }
    Err(AppError::LimitExceeded {
        limit: name,
        message: format!("the query has {count} {what}; the limit is {limit} ({name})"),
    })
}

/// `the query has depth 13; the limit is 12 (maxDepth)`.
fn check_measure(value: usize, limit: usize, what: &str, name: &'static str) -> Result<(), AppError> {
    if value <= limit {
        return Ok(());
    }
    Err(AppError::LimitExceeded {
        limit: name,
        message: format!("the query has {what} {value}; the limit is {limit} ({name})"),
    })
}

/// Counts the aliased fields and the directive uses in every operation and fragment definition,
/// as written (a fragment spread twice is counted once).
fn count_aliases_and_directives(doc: &ExecutableDocument) -> (usize, usize) {
    let mut aliases = 0;
    let mut directives = 0;
    let mut sets: Vec<&SelectionSet> = Vec::new();
    for (_, operation) in doc.operations.iter() {
        let operation = &operation.node;
        directives += operation.directives.len();
        directives += operation.variable_definitions.iter().map(|v| v.node.directives.len()).sum::<usize>();
        sets.push(&operation.selection_set.node);
    }
    for fragment in doc.fragments.values() {
        directives += fragment.node.directives.len();
        sets.push(&fragment.node.selection_set.node);
    }
    while let Some(set) = sets.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    aliases += usize::from(field.node.alias.is_some());
                    directives += field.node.directives.len();
                    sets.push(&field.node.selection_set.node);
                }
                Selection::FragmentSpread(spread) => directives += spread.node.directives.len(),
                Selection::InlineFragment(inline) => {
                    directives += inline.node.directives.len();
                    sets.push(&inline.node.selection_set.node);
                }
            }
        }
    }
    (aliases, directives)
}

/// Whether the document selects `__schema` or `__type` anywhere (they are valid only at the root,
/// but a fragment may carry them there).
fn asks_for_schema(doc: &ExecutableDocument) -> bool {
    let mut sets: Vec<&SelectionSet> = doc.operations.iter().map(|(_, op)| &op.node.selection_set.node).collect();
    sets.extend(doc.fragments.values().map(|f| &f.node.selection_set.node));
    while let Some(set) = sets.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    if matches!(field.node.name.node.as_str(), "__schema" | "__type") {
                        return true;
                    }
                    sets.push(&field.node.selection_set.node);
                }
                Selection::FragmentSpread(_) => {}
                Selection::InlineFragment(inline) => sets.push(&inline.node.selection_set.node),
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_aliases_and_directives_in_operations_and_fragments() {
        let doc = async_graphql::parser::parse_query(
            r#"query Q($a: Int @d1) @d2 {
                x: organisation { y: name @include(if: true) ...F @skip(if: false) }
                ... on Query @d3 { z: name }
            }
            fragment F on Organisation @d4 { w: slug @d5 @d6 }"#,
        )
        .unwrap();
        assert_eq!(count_aliases_and_directives(&doc), (4, 8));
    }

    #[test]
    fn a_page_is_first_clamped_to_the_largest_page() {
        assert_eq!(page_size(None), 20);
        assert_eq!(page_size(Some(5)), 5);
        assert_eq!(page_size(Some(100)), 100);
        assert_eq!(page_size(Some(1_000)), 100);
        assert_eq!(page_size(Some(0)), 0);
        assert_eq!(page_size(Some(-5)), 0);
        assert_eq!(page_size(Some(i32::MAX)), 100);
    }

    /// A schema with a connection (`PropositionConnection`, paged), a list bounded by a directory
    /// (`provinces`, 12 of them) and one with a hard cap (`Organisation.branches`).
    fn rules_with(max_complexity: usize) -> DocumentRules {
        let limits = DocumentLimits {
            max_depth: 6,
            max_complexity,
            max_aliases: 1,
            max_directives: 1,
            max_tokens: 60,
            introspection: true,
        };
        let sdl = "type QueryRoot { a: Int q: QueryRoot items(first: Int): PropositionConnection provinces: [Item!]! \
                       organisation: Organisation }
                   type PropositionConnection { nodes: [Item!]! total: Int }
                   type Item { a: Int tags: [String!]! organisation: Organisation q: QueryRoot }
                   type Organisation { branches: [Item!]! }
                   type Mutation { m: Int }";
        let sizes = crate::common_model::DirectorySizes { provinces: 12, ..Default::default() };
        DocumentRules::new(limits, sdl, "QueryRoot", "Mutation", Arc::new(Directories::with(sizes)))
    }

    fn rules() -> DocumentRules {
        let mut rules = rules_with(30);
        rules.limits.max_depth = 3;
        rules.limits.max_tokens = 40;
        rules
    }

    fn refusal(query: &str) -> Option<String> {
        match rules().inspect(&mut async_graphql::Request::new(query)) {
            Ok(_) => None,
            Err(AppError::LimitExceeded { message, .. }) => Some(message),
            Err(other) => panic!("not a limit error: {other:?}"),
        }
    }

    #[test]
    fn documents_over_a_limit_are_refused_naming_the_limit_and_both_numbers() {
        assert_eq!(refusal("{ a x: a }"), None);
        assert_eq!(refusal("{ q { q { a } } }"), None);
        assert_eq!(refusal("{ x: a y: a }").unwrap(), "the query has 2 aliases; the limit is 1 (maxAliases)");
        assert_eq!(
            refusal("{ a @skip(if: false) q @skip(if: false) { a } }").unwrap(),
            "the query has 2 directives; the limit is 1 (maxDirectives)"
        );
        assert_eq!(refusal("{ q { q { q { a } } } }").unwrap(), "the query has depth 4; the limit is 3 (maxDepth)");
        assert_eq!(refusal("{ items(first: 29) { nodes { a } } }"), None);
        assert_eq!(
            refusal("{ items(first: 30) { nodes { a } } }").unwrap(),
            "the query has complexity 31; the limit is 30 (maxComplexity)"
        );
        assert_eq!(
            refusal(&format!("{{ {} }}", "a ".repeat(39))).unwrap(),
            "the query has 41 tokens; the limit is 40 (maxTokens)"
        );
    }

    fn cost(query: &str, variables: serde_json::Value) -> usize {
        let mut request = async_graphql::Request::new(query).variables(async_graphql::Variables::from_json(variables));
        rules_with(usize::MAX).inspect(&mut request).unwrap().cost
    }

    #[test]
    fn the_cost_is_the_most_objects_the_answer_can_hold() {
        // Scalars cost nothing; each object 1.
        assert_eq!(cost("{ a q { a } }", serde_json::json!({})), 1);
        // A connection: itself and its page of items.
        assert_eq!(cost("{ items(first: 2) { total nodes { a } } }", serde_json::json!({})), 3);
        assert_eq!(cost("{ items { nodes { a } } }", serde_json::json!({})), 21, "the default page is 20");
        assert_eq!(cost("query($n: Int) { items(first: $n) { nodes { a } } }", serde_json::json!({ "n": 3 })), 4);
        assert_eq!(cost("query($n: Int = 4) { items(first: $n) { nodes { a } } }", serde_json::json!({})), 5);
        // A list of a directory's entries: one per entry; lists of scalars cost nothing.
        assert_eq!(cost("{ provinces { a tags } }", serde_json::json!({})), 12);
        // A list with a hard cap counts the cap, under each item of the list above it.
        assert_eq!(cost("{ provinces { organisation { branches { a } } } }", serde_json::json!({})), 12 * (2 + 100));
        // A page under a page: each item's own page.
        assert_eq!(
            cost("{ items(first: 3) { nodes { q { items(first: 2) { nodes { a } } } } } }", serde_json::json!({})),
            1 + 3 * (1 + 1 + 1 + 2)
        );
        // Fragments count once per spread, and per page size they are spread under.
        assert_eq!(cost("{ ...F ...F } fragment F on QueryRoot { a q { a } }", serde_json::json!({})), 2);
        assert_eq!(
            cost(
                "{ x: items(first: 1) { ...N } items(first: 5) { ...N } } fragment N on PropositionConnection { nodes { a } }",
                serde_json::json!({})
            ),
            2 + 6
        );
        // A cycle is left to validation, not measured forever.
        assert_eq!(cost("{ ...F } fragment F on QueryRoot { ...F a }", serde_json::json!({})), 0);
    }

    #[test]
    fn every_list_of_objects_in_the_schema_has_a_bound_and_every_bound_a_list() {
        let schema = crate::graphql::build_schema(None, true);
        let shape = SchemaShape::from_sdl(&schema.sdl(), "QueryRoot", "MutationRoot");
        let lists = shape.lists_of_objects();
        let unbounded: Vec<_> = lists.iter().filter(|(p, f, _)| bounds::bound_of(p, f).is_none()).collect();
        assert!(unbounded.is_empty(), "lists of objects without a bound in limits/bounds.rs: {unbounded:?}");
        let stale: Vec<_> = bounds::BOUNDS
            .iter()
            .filter(|(p, f, _)| !lists.iter().any(|(lp, lf, _)| lp == p && lf == f))
            .map(|(p, f, _)| format!("{p}.{f}"))
            .collect();
        assert!(stale.is_empty(), "bounds for lists the schema does not have: {stale:?}");
        // A cut a client cannot see coming is a lost record: each cap is named where clients read.
        for (parent, field, description) in &lists {
            if let Some(bounds::Bound::Cap(n)) = bounds::bound_of(parent, field) {
                assert!(
                    description.contains(&format!("at most {n}")),
                    "{parent}.{field} is cut at {n}, and its description must say \"at most {n}\": {description:?}"
                );
            }
        }
    }

    #[test]
    fn the_operation_and_its_root_fields_are_found_through_fragments() {
        let mut request = async_graphql::Request::new("query A { a } mutation B { ...M } fragment M on Mutation { m }")
            .operation_name("B");
        let inspection = rules().inspect(&mut request).unwrap();
        assert_eq!(inspection.operation, Some(OperationType::Mutation));
        assert_eq!(inspection.root_fields, vec!["m".to_string()]);
        let unparsable = rules().inspect(&mut async_graphql::Request::new("{ a")).unwrap();
        assert_eq!(unparsable.operation, None);
    }
}
