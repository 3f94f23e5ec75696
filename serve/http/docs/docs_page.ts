/**
 * The `/docs` page: Swagger UI (the pinned npm package `swagger-ui-dist`) on the server's
 * OpenAPI document: every operation with its request examples, its response schemas, a
 * "Try it out" that sends the request and shows its copyable curl command, and, when an
 * admin token is configured, an Authorize field for it (the document declares the bearer
 * scheme only then). Its script and styles are imported as text, so the compiled binary
 * embeds them; nothing is loaded from elsewhere, and the content security policy allows
 * nothing else.
 *
 * @module
 */
import script from "./docs.js" with { type: "text" };
import bundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };
import styles from "swagger-ui-dist/swagger-ui.css" with { type: "text" };

/** The page's own script, which starts Swagger UI. */
export const DOCS_SCRIPT: string = script;

/** Swagger UI's bundle (about 1.7 MB). */
export const SWAGGER_UI_SCRIPT: string = bundle;

/** Swagger UI's styles. */
export const SWAGGER_UI_CSS: string = styles;

/** Scripts, styles and requests to this server only; Swagger UI sets inline styles. */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'";

/** The page. */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Prediction API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/docs.js"></script>
</body>
</html>
`;
