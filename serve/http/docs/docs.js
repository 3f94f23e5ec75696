// Starts Swagger UI on /openapi.json. Everything it loads comes from this server: the
// validator badge (which would send the document to validator.swagger.io) is off.
/* global SwaggerUIBundle */
globalThis.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  validatorUrl: null,
  deepLinking: true,
  // Try it out shows each request's curl command, with a copy button. (Not opened at
  // once: with tryItOutEnabled, Execute sends nothing until Try it out is toggled.)
  requestSnippetsEnabled: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
