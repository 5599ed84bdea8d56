//! Relay connections: `edges`, `node`, `cursor`, `pageInfo` and a lazily counted `totalCount`.

use async_graphql::SimpleObject;

use crate::kernel::page::Page;

/// Where a page sits in the whole list.
#[derive(SimpleObject, Clone, Debug)]
pub struct PageInfo {
    /// Whether more items follow this page.
    pub has_next_page: bool,
    /// Whether items come before this page.
    pub has_previous_page: bool,
    /// The cursor of the first item on this page.
    pub start_cursor: Option<String>,
    /// The cursor of the last item on this page; pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    /// The page info of a service page.
    pub fn of<T>(page: &Page<T>) -> Self {
        Self {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: page.items.first().map(|(c, _)| c.clone()),
            end_cursor: page.items.last().map(|(c, _)| c.clone()),
        }
    }
}

/// Defines a connection type and its edge type for a node type. The connection holds a closure-free
/// `count` source so `totalCount` costs a query only when asked for.
#[macro_export]
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty, $count:ty, $what:literal) => {
        #[doc = concat!("One ", $what, " in a list, with its cursor.")]
        #[derive(async_graphql::SimpleObject, Clone)]
        pub struct $edge {
            #[doc = concat!("The ", $what, ".")]
            pub node: $node,
            /// An opaque cursor; pass it as `after` to continue after this item.
            pub cursor: String,
        }

        #[doc = concat!("A page of ", $what, "s.")]
        pub struct $conn {
            pub edges: Vec<$edge>,
            pub page_info: $crate::kernel::connection::PageInfo,
            pub count: $count,
        }

        #[doc = concat!("A page of ", $what, "s.")]
        #[async_graphql::Object]
        impl $conn {
            /// The items on this page, with cursors.
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }

            /// The items on this page.
            async fn nodes(&self) -> Vec<$node> {
                self.edges.iter().map(|e| e.node.clone()).collect()
            }

            /// Where this page sits in the whole list.
            async fn page_info(&self) -> &$crate::kernel::connection::PageInfo {
                &self.page_info
            }

            /// How many items the whole list holds.
            async fn total_count(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<u64> {
                self.count.count(ctx).await
            }
        }

        impl $conn {
            /// Builds the connection from a service page.
            pub fn new<T>(page: $crate::kernel::page::Page<T>, count: $count, to_node: impl Fn(T) -> $node) -> Self {
                let page_info = $crate::kernel::connection::PageInfo::of(&page);
                Self {
                    edges: page.items.into_iter().map(|(cursor, item)| $edge { node: to_node(item), cursor }).collect(),
                    page_info,
                    count,
                }
            }
        }
    };
}
