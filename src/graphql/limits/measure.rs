//! The depth and cost of a document, counted the way the schema's complexity rules count (each field
//! 1 plus its children, a paged list field `first` × its children), from the schema's shape.
//!
//! Measuring at the HTTP edge, rather than in an async-graphql extension, keeps extensions off the
//! schema: with any extension registered, every resolved field takes async-graphql's slower path.

use std::collections::HashMap;

use async_graphql::Variables;
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Field, Selection, SelectionSet, Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Name, Value};

use super::list_cost;

/// A field of an object type: the named type it returns and whether it pages (takes `first`).
struct FieldShape {
    ty: String,
    paged: bool,
}

/// Which fields each object and interface type has.
pub struct SchemaShape {
    types: HashMap<String, HashMap<String, FieldShape>>,
    query: String,
    mutation: String,
}

fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

impl SchemaShape {
    /// Reads the shape from the schema's own SDL.
    pub fn from_sdl(sdl: &str, query: &str, mutation: &str) -> Self {
        let document = async_graphql::parser::parse_schema(sdl).expect("the schema's own SDL parses");
        let mut types = HashMap::new();
        for definition in document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else { continue };
            // Only object types have fields whose complexity the schema computes (async-graphql
            // applies a field's rule only under an object parent); interfaces count plainly.
            let (fields, pages) = match &ty.node.kind {
                TypeKind::Object(object) => (&object.fields, true),
                TypeKind::Interface(interface) => (&interface.fields, false),
                _ => continue,
            };
            let shapes = fields
                .iter()
                .map(|field| {
                    let paged = pages && field.node.arguments.iter().any(|a| a.node.name.node == "first");
                    (field.node.name.node.to_string(), FieldShape { ty: named(&field.node.ty.node).to_string(), paged })
                })
                .collect();
            types.insert(ty.node.name.node.to_string(), shapes);
        }
        Self { types, query: query.to_string(), mutation: mutation.to_string() }
    }

    /// The root type of an operation kind.
    pub fn root(&self, mutation: bool) -> &str {
        if mutation { &self.mutation } else { &self.query }
    }

    fn field(&self, parent: Option<&str>, name: &str) -> Option<&FieldShape> {
        self.types.get(parent?)?.get(name)
    }
}

/// How deep and how costly a selection is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measure {
    pub depth: usize,
    pub cost: usize,
}

/// Measures selections of one document; each fragment is measured once, however often it is spread,
/// so that a document of fragments spreading fragments cannot make this exponential.
pub struct Measurer<'a> {
    shape: &'a SchemaShape,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    fragments: HashMap<&'a Name, Measure>,
    /// Fragments being measured now: a cycle (refused later by validation) counts as empty.
    active: Vec<&'a Name>,
}

impl<'a> Measurer<'a> {
    pub fn new(shape: &'a SchemaShape, document: &'a ExecutableDocument, variables: &'a Variables) -> Self {
        Self { shape, document, variables, fragments: HashMap::new(), active: Vec::new() }
    }

    /// Depth and cost of a selection set under a parent type (`None` when unknown).
    pub fn selection_set(&mut self, set: &'a SelectionSet, parent: Option<&str>) -> Measure {
        let mut total = Measure::default();
        for selection in &set.items {
            let measure = match &selection.node {
                Selection::Field(field) => self.field(&field.node, parent),
                Selection::InlineFragment(inline) => {
                    let parent = inline.node.type_condition.as_ref().map(|c| c.node.on.node.as_str()).or(parent);
                    self.selection_set(&inline.node.selection_set.node, parent)
                }
                Selection::FragmentSpread(spread) => self.fragment(&spread.node.fragment_name.node),
            };
            total.depth = total.depth.max(measure.depth);
            total.cost = total.cost.saturating_add(measure.cost);
        }
        total
    }

    fn field(&mut self, field: &'a Field, parent: Option<&str>) -> Measure {
        let shape = self.shape.field(parent, field.name.node.as_str());
        let children = self.selection_set(&field.selection_set.node, shape.map(|s| s.ty.as_str()));
        let cost = match shape {
            Some(s) if s.paged => list_cost(self.first(field), children.cost),
            _ => children.cost.saturating_add(1),
        };
        Measure { depth: children.depth + 1, cost }
    }

    fn fragment(&mut self, name: &'a Name) -> Measure {
        if let Some(measure) = self.fragments.get(name) {
            return *measure;
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Measure::default(); // an unknown fragment: validation reports it
        };
        if self.active.contains(&name) {
            return Measure::default();
        }
        self.active.push(name);
        let on = fragment.node.type_condition.node.on.node.as_str();
        let measure = self.selection_set(&fragment.node.selection_set.node, Some(on));
        self.active.pop();
        self.fragments.insert(name, measure);
        measure
    }

    /// The field's `first` argument, literal or from a variable; `None` when absent or not a number.
    fn first(&self, field: &Field) -> Option<i32> {
        let argument = field.get_argument("first")?.node.clone();
        let value = argument.into_const_with(|name| self.variables.get(&name).cloned().ok_or(())).ok()?;
        let Value::Number(number) = value else { return None };
        let number = number.as_i64()?;
        Some(i32::try_from(number).unwrap_or(if number < 0 { i32::MIN } else { i32::MAX }))
    }
}
