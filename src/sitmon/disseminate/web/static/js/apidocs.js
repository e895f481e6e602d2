/* Swagger UI over the served OpenAPI document (installed from npm; nothing from a CDN). On a signed-in
   session, "Try it out" sends the session's CSRF token. */
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  if (!el || !window.SwaggerUIBundle) { return; }
  var csrf = null;
  fetch("/api/v1/auth/me", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; })
    .then(function (me) { csrf = me && me.csrf_token; }).catch(function () { csrf = null; });
  window.SwaggerUIBundle({
    url: el.getAttribute("data-url"), domNode: el, deepLinking: false, validatorUrl: null,
    requestInterceptor: function (req) { if (csrf) { req.headers["X-CSRF-Token"] = csrf; } return req; }
  });
})();
