// Starts GraphiQL on /graphiql, with the query and variables of the address (`?query=…&variables=…`),
// so that a page's "this page as a GraphQL query" opens in it ready to run.
"use strict";
(() => {
  const params = new URLSearchParams(window.location.search);
  const root = document.getElementById("graphiql");
  const fetcher = GraphiQL.createFetcher({ url: root.dataset.endpoint });
  const props = { fetcher, defaultEditorToolsVisibility: params.has("variables") };
  if (params.has("query")) props.query = params.get("query");
  if (params.has("variables")) props.variables = params.get("variables");
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
