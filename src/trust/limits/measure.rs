//! The depth and cost of a document, from the schema's shape: the cost is the most objects its
//! answer can hold. Each object counts 1; a list of objects counts its bound ([`super::bounds`])
//! times each item; scalars and enums count nothing (the request's own point pays for them).
//!
//! Measuring at the HTTP edge, rather than in an async-graphql extension, keeps extensions off the
//! schema: with any extension registered, every resolved field takes async-graphql's slower path.

use std::collections::{HashMap, HashSet};

use async_graphql::Variables;
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Field, Selection, SelectionSet, Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Name, Value};

use super::bounds::{Bound, Directories, bound_of};
use super::page_size;

/// A field of an object or interface type.
struct FieldShape {
    /// The named type it returns.
    ty: String,
    /// Whether it returns a list (at any depth of nesting).
    list: bool,
    /// Whether it pages (takes `first`): its connection's items are the page.
    paged: bool,
    /// The bound of a list of objects.
    bound: Option<Bound>,
    /// Its description in the schema.
    #[cfg_attr(not(test), allow(dead_code))]
    description: String,
}

/// Which fields each object and interface type has, and which types are objects.
pub struct SchemaShape {
    types: HashMap<String, HashMap<String, FieldShape>>,
    composite: HashSet<String>,
    query: String,
    mutation: String,
}

fn named(ty: &Type) -> (&str, bool) {
    match &ty.base {
        BaseType::Named(name) => (name.as_str(), false),
        BaseType::List(inner) => (named(inner).0, true),
    }
}

/// What a list of objects without a bound counts (none should exist: a test checks the table).
const UNBOUNDED: Bound = Bound::AtMost(crate::kernel::page::MAX_PAGE_SIZE as usize);

impl SchemaShape {
    /// Reads the shape from the schema's own SDL.
    pub fn from_sdl(sdl: &str, query: &str, mutation: &str) -> Self {
        let document = async_graphql::parser::parse_schema(sdl).expect("the schema's own SDL parses");
        let mut types = HashMap::new();
        let mut composite = HashSet::new();
        for definition in document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else { continue };
            let name = ty.node.name.node.to_string();
            let fields = match &ty.node.kind {
                TypeKind::Object(object) => &object.fields,
                TypeKind::Interface(interface) => &interface.fields,
                TypeKind::Union(_) => {
                    composite.insert(name);
                    continue;
                }
                _ => continue,
            };
            let shapes = fields
                .iter()
                .map(|field| {
                    let (ty, list) = named(&field.node.ty.node);
                    let field_name = field.node.name.node.to_string();
                    let shape = FieldShape {
                        ty: ty.to_string(),
                        list,
                        paged: field.node.arguments.iter().any(|a| a.node.name.node == "first"),
                        bound: bound_of(&name, &field_name),
                        description: field.node.description.as_ref().map(|d| d.node.clone()).unwrap_or_default(),
                    };
                    (field_name, shape)
                })
                .collect();
            composite.insert(name.clone());
            types.insert(name, shapes);
        }
        Self { types, composite, query: query.to_string(), mutation: mutation.to_string() }
    }

    /// The root type of an operation kind.
    pub fn root(&self, mutation: bool) -> &str {
        if mutation { &self.mutation } else { &self.query }
    }

    fn field(&self, parent: Option<&str>, name: &str) -> Option<&FieldShape> {
        self.types.get(parent?)?.get(name)
    }

    /// Every list of objects: (parent type, field, description) — what the bounds table must cover.
    #[cfg(test)]
    pub fn lists_of_objects(&self) -> Vec<(String, String, String)> {
        let mut lists: Vec<(String, String, String)> = self
            .types
            .iter()
            .flat_map(|(parent, fields)| {
                fields
                    .iter()
                    .filter(|(_, f)| f.list && self.composite.contains(&f.ty))
                    .map(move |(name, f)| (parent.clone(), name.clone(), f.description.clone()))
            })
            .collect();
        lists.sort();
        lists
    }
}

/// How deep and how costly a selection is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measure {
    pub depth: usize,
    pub cost: usize,
}

/// Measures selections of one document; each fragment is measured once per page size, however
/// often it is spread, so that a document of fragments spreading fragments cannot make this
/// exponential.
pub struct Measurer<'a> {
    shape: &'a SchemaShape,
    directories: &'a Directories,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    fragments: HashMap<(&'a Name, usize), Measure>,
    /// Fragments being measured now: a cycle (refused later by validation) counts as empty.
    active: Vec<&'a Name>,
}

impl<'a> Measurer<'a> {
    pub fn new(
        shape: &'a SchemaShape,
        directories: &'a Directories,
        document: &'a ExecutableDocument,
        variables: &'a Variables,
    ) -> Self {
        Self { shape, directories, document, variables, fragments: HashMap::new(), active: Vec::new() }
    }

    /// Depth and cost of a selection set under a parent type (`None` when unknown), whose lists
    /// bounded by the page hold `page` items.
    pub fn selection_set(&mut self, set: &'a SelectionSet, parent: Option<&str>, page: usize) -> Measure {
        let mut total = Measure::default();
        for selection in &set.items {
            let measure = match &selection.node {
                Selection::Field(field) => self.field(&field.node, parent, page),
                Selection::InlineFragment(inline) => {
                    let parent = inline.node.type_condition.as_ref().map(|c| c.node.on.node.as_str()).or(parent);
                    self.selection_set(&inline.node.selection_set.node, parent, page)
                }
                Selection::FragmentSpread(spread) => self.fragment(&spread.node.fragment_name.node, page),
            };
            total.depth = total.depth.max(measure.depth);
            total.cost = total.cost.saturating_add(measure.cost);
        }
        total
    }

    fn field(&mut self, field: &'a Field, parent: Option<&str>, page: usize) -> Measure {
        let shape = self.shape.field(parent, field.name.node.as_str());
        let inner_page = match shape {
            Some(s) if s.paged => page_size(self.first(field)),
            _ => page_size(None),
        };
        let children = self.selection_set(&field.selection_set.node, shape.map(|s| s.ty.as_str()), inner_page);
        let has_selection = !field.selection_set.node.items.is_empty();
        let cost = match shape {
            // Unknown here (introspection, or a field validation refuses): an object counts once.
            None => children.cost.saturating_add(usize::from(has_selection)),
            Some(s) if !self.shape.composite.contains(&s.ty) => 0,
            Some(s) => {
                let each = children.cost.saturating_add(1);
                if s.list {
                    let bound = s.bound.unwrap_or(UNBOUNDED);
                    let items = self.directories.items(bound, page);
                    match bound {
                        Bound::Groups(..) => items.saturating_add(children.cost),
                        _ => items.saturating_mul(each),
                    }
                } else {
                    each
                }
            }
        };
        Measure { depth: children.depth + 1, cost }
    }

    fn fragment(&mut self, name: &'a Name, page: usize) -> Measure {
        if let Some(measure) = self.fragments.get(&(name, page)) {
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
        let measure = self.selection_set(&fragment.node.selection_set.node, Some(on), page);
        self.active.pop();
        self.fragments.insert((name, page), measure);
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
