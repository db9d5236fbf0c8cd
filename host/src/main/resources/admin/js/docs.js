// Swagger UI over the host's own /openapi.json; "Authorize" takes an API token (never put in the URL).
window.addEventListener('DOMContentLoaded', () => {
  window.ui = window.SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: false,
    validatorUrl: null,
  });
});
