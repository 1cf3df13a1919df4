// The API docs page (/docs/openapi/): Swagger UI over this service's own contract
// (/docs/openapi.json). "Try it out" calls this very service (the document's `servers` are
// replaced by the page's own origin and base path), which the page's Content-Security-Policy
// allows (`connect-src 'self'`); nothing is loaded from anywhere else (no validator badge).
'use strict';

(async function () {
  const root = document.getElementById('swagger-ui');
  const here = new URL('../openapi.json', window.location.href);
  let spec;
  try {
    const response = await fetch(here, { headers: { accept: 'application/json' } });
    if (!response.ok) {
      throw new Error(`${here.pathname} answered ${response.status}`);
    }
    spec = await response.json();
  } catch (error) {
    root.textContent = `The API document could not be loaded: ${error.message}`;
    return;
  }
  // The service's base: the page is at <base>/docs/openapi/.
  const base = new URL('../../', window.location.href).href.replace(/\/$/, '');
  spec.servers = [{ url: base, description: 'this Unlatch' }];
  window.ui = window.SwaggerUIBundle({
    spec,
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
})();
