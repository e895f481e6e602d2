/* The filing form: the catalog's rules checked as the filer types (errors and warnings next to the field,
   announced to screen readers), a warning points at the 上报说明 box, and a form with errors is not sent.
   The intake checks everything again when the report arrives. */
(function () {
  "use strict";
  var src = document.getElementById("rules-data");
  var form = document.getElementById("report-form");
  if (!src || !form || !window.sitmonRules) { return; }
  var spec = JSON.parse(src.textContent);
  var status = document.getElementById("form-status");
  var noteHint = document.getElementById("note-hint");
  var noteField = document.getElementById("note-field");
  var timer = null;
  function raw() {
    var out = {};
    spec.rules.fields.forEach(function (f) { var el = form.elements[f.code]; out[f.code] = el ? el.value : ""; });
    return out;
  }
  function show() {
    var issues = window.sitmonRules.check(spec.rules, raw(), spec.context, spec.lang);
    var byField = {};
    issues.forEach(function (i) { (byField[i.field] = byField[i.field] || []).push(i); });
    spec.rules.fields.forEach(function (f) {
      var box = document.getElementById("msg-" + f.code), input = form.elements[f.code];
      if (!box || !input) { return; }
      box.querySelectorAll(".client").forEach(function (n) { n.remove(); });
      var list = byField[f.code] || [];
      var fromServer = Array.prototype.map.call(box.querySelectorAll(".server"), function (n) { return n.textContent; });
      list.forEach(function (i) {
        if (fromServer.indexOf(i.message) >= 0) { return; }  /* the intake said it already */
        var span = document.createElement("span");
        span.className = "client " + i.severity;
        span.setAttribute("data-rule", i.rule);
        span.textContent = i.message;
        box.appendChild(span);
      });
      var bad = list.some(function (i) { return i.severity === "error"; }) || !!box.querySelector(".server");
      input.setAttribute("aria-invalid", bad ? "true" : "false");
      input.closest(".field").classList.toggle("has-error", bad);
      input.closest(".field").classList.toggle("has-warning", list.some(function (i) { return i.severity === "warning"; }));
    });
    var warned = issues.some(function (i) { return i.severity === "warning"; });
    noteField.classList.toggle("needed", warned);
    if (warned) { noteHint.textContent = spec.messages.explain; }
    var errors = issues.filter(function (i) { return i.severity === "error"; });
    status.textContent = errors.length ? spec.messages.fix.replace("{n}", errors.length) : spec.messages.ok;
    return errors;
  }
  form.addEventListener("input", function (e) {
    var box = e.target && e.target.name ? document.getElementById("msg-" + e.target.name) : null;
    if (box) { box.querySelectorAll(".server").forEach(function (n) { n.remove(); }); }
    clearTimeout(timer);
    timer = setTimeout(show, 120);
  });
  form.addEventListener("submit", function (e) {
    var errors = show();
    if (errors.length) {
      e.preventDefault();
      var first = form.elements[errors[0].field];
      if (first) { first.focus(); }
    }
  });
  if (document.querySelector(".field-msg .server")) { show(); }
})();
