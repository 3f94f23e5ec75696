/**
 * The interactive API documentation page served at `/docs`: a self-contained HTML page
 * (no external scripts or styles, so it works offline) that reads `/openapi.json`,
 * lists the operations with their descriptions and examples, shows the feature table,
 * and sends any example, edited or not, to the server.
 *
 * @module
 */

/** The page; all data is inserted with `textContent`, never as HTML. */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Prediction API</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 4rem; color: #1d232a; }
  h1 { font-size: 1.6rem; } h2 { font-size: 1.15rem; margin: 0; }
  .op { border: 1px solid #d0d7de; border-radius: 6px; margin: 1rem 0; padding: 0.8rem 1rem; }
  .method { display: inline-block; min-width: 3.5rem; font-weight: 700; color: #fff; background: #0969da; border-radius: 4px; padding: 0 0.4rem; margin-right: 0.5rem; text-align: center; }
  .method.post { background: #1a7f37; }
  textarea { width: 100%; box-sizing: border-box; font: 12px/1.4 ui-monospace, monospace; height: 12rem; }
  pre { background: #f6f8fa; padding: 0.6rem; overflow: auto; max-height: 24rem; font-size: 12px; }
  .desc { white-space: pre-wrap; color: #424a53; }
  table { border-collapse: collapse; font-size: 13px; width: 100%; }
  td, th { border-bottom: 1px solid #d0d7de; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
  button { margin: 0.4rem 0.4rem 0.4rem 0; } .status { font-weight: 700; }
</style>
</head>
<body>
<h1 id="title">Prediction API</h1>
<p id="description" class="desc">Loading <a href="/openapi.json">/openapi.json</a>...</p>
<div id="operations"></div>
<h2>Input features</h2>
<table id="features"><thead><tr><th>name</th><th>range</th><th>nullable</th><th>description</th></tr></thead><tbody></tbody></table>
<script>
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
async function send(method, path, body, out) {
  out.replaceChildren("sending...");
  const started = performance.now();
  try {
    const init = { method, headers: {} };
    if (body !== undefined) { init.body = body; init.headers["content-type"] = "application/json"; }
    const response = await fetch(path, init);
    const text = await response.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
    const ms = (performance.now() - started).toFixed(1);
    const head = ["x-request-id", "x-model-version"].filter((h) => response.headers.has(h))
      .map((h) => h + ": " + response.headers.get(h)).join("\\n");
    out.replaceChildren(el("div", { className: "status", textContent: response.status + " " + response.statusText + " (" + ms + " ms)" }), el("pre", { textContent: head + (head ? "\\n\\n" : "") + shown }));
  } catch (error) {
    out.replaceChildren(el("pre", { textContent: String(error) }));
  }
}
function operation(path, method, op) {
  const out = el("div");
  const box = el("div", { className: "op" },
    el("h2", {}, el("span", { className: "method " + method, textContent: method.toUpperCase() }), path + "  ", el("small", { textContent: op.summary ?? "" })));
  if (op.description) box.append(el("p", { className: "desc", textContent: op.description }));
  const examples = op.requestBody?.content?.["application/json"]?.examples;
  if (examples) {
    const area = el("textarea");
    const pick = el("select");
    for (const [name, ex] of Object.entries(examples)) pick.append(el("option", { value: name, textContent: ex.summary ?? name }));
    const show = () => { area.value = JSON.stringify(examples[pick.value].value, null, 2); };
    pick.onchange = show;
    show();
    box.append(el("div", {}, "Example: ", pick), area, el("button", { textContent: "Send", onclick: () => send(method.toUpperCase(), path, area.value, out) }));
  } else {
    box.append(el("button", { textContent: "Send", onclick: () => send(method.toUpperCase(), path, undefined, out) }));
  }
  box.append(out);
  return box;
}
(async () => {
  const response = await fetch("/openapi.json");
  if (!response.ok) {
    document.getElementById("description").textContent = "The API description is not available yet (" + response.status + "): " + (await response.text());
    return;
  }
  const spec = await response.json();
  document.getElementById("title").textContent = spec.info.title + " (model version " + spec.info.version + ")";
  document.getElementById("description").textContent = spec.info.description;
  const ops = document.getElementById("operations");
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) ops.append(operation(path, method, op));
  }
  const row = spec.components.schemas.FeatureRow;
  const body = document.querySelector("#features tbody");
  for (const [name, schema] of Object.entries(row.properties)) {
    const number = schema.anyOf ? schema.anyOf.find((s) => s.type === "number") : schema;
    body.append(el("tr", {},
      el("td", { textContent: name }),
      el("td", { textContent: "[" + number.minimum + ", " + number.maximum + "]" }),
      el("td", { textContent: schema.anyOf ? "yes" : "no" }),
      el("td", { textContent: schema.description ?? "" })));
  }
})();
</script>
</body>
</html>
`;
