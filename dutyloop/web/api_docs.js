// Swagger UI for the DutyLoop API, started from a file of our own (the site allows no inline
// scripts). A logged-in person's writes carry the session's CSRF token, read from /api/v1/me.
window.addEventListener("load", async () => {
  let csrf = null;
  try {
    const me = await fetch("/api/v1/me", { credentials: "same-origin" });
    if (me.ok) csrf = (await me.json()).csrf_token;
  } catch (error) {
    csrf = null;
  }
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    requestInterceptor: (request) => {
      if (csrf && request.method !== "GET") request.headers["X-CSRF-Token"] = csrf;
      return request;
    },
  });
});
