/* The catalog's validation rules evaluated in the browser, as the intake evaluates them (rules.yaml, handed
   to the page as syntax trees by sitmon.disseminate.web.rules): the same arithmetic on doubles, a rule skipped
   when a name it reads has no value, the same messages with the same placeholders. */
(function (global) {
  "use strict";
  var FULL = /[\uFF10-\uFF19\uFF0E\uFF0C\uFF0D]/g;
  function halfWidth(c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); }
  /* A cell as the intake reads it: thousands separators and full-width digits allowed; NaN when not a number. */
  function parseNumber(text) {
    var s = String(text === null || text === undefined ? "" : text).replace(FULL, halfWidth).replace(/[,\s]/g, "");
    if (s === "") { return null; }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) { return NaN; }
    var v = Number(s);
    return isFinite(v) ? v : NaN;
  }
  function truthy(x) { return typeof x === "boolean" ? x : x !== 0; }
  var BIN = { "+": function (a, b) { return a + b; }, "-": function (a, b) { return a - b; },
              "*": function (a, b) { return a * b; }, "/": function (a, b) { return a / b; } };
  var CMP = { "<": function (a, b) { return a < b; }, "<=": function (a, b) { return a <= b; },
              ">": function (a, b) { return a > b; }, ">=": function (a, b) { return a >= b; },
              "==": function (a, b) { return a === b; }, "!=": function (a, b) { return a !== b; } };
  var CALL = { abs: Math.abs, min: Math.min, max: Math.max };
  function evaluate(node, env) {
    if ("num" in node) { return node.num; }
    if ("name" in node) { return env[node.name]; }
    if ("bin" in node) { return BIN[node.bin](+evaluate(node.l, env), +evaluate(node.r, env)); }
    if ("neg" in node) { return -evaluate(node.neg, env); }
    if ("not" in node) { return !truthy(evaluate(node.not, env)); }
    if ("and" in node) { return node.and.every(function (n) { return truthy(evaluate(n, env)); }); }
    if ("or" in node) { return node.or.some(function (n) { return truthy(evaluate(n, env)); }); }
    if ("cmp" in node) {
      var vals = node.args.map(function (n) { return evaluate(n, env); });
      for (var i = 0; i < node.cmp.length; i++) { if (!CMP[node.cmp[i]](vals[i], vals[i + 1])) { return false; } }
      return true;
    }
    if ("call" in node) { return CALL[node.call].apply(null, node.args.map(function (n) { return +evaluate(n, env); })); }
    throw new Error("unknown node");
  }
  function format(template, params) {
    return template.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, function (m, k) { return k in params ? String(params[k]) : m; });
  }
  /* Every issue of one report: raw = {code: text}; returns [{rule, severity, field, message}]. */
  function check(spec, raw, context, lang) {
    var fields = {}, env = {}, issues = [];
    spec.fields.forEach(function (f) { fields[f.code] = f; });
    Object.keys(context).forEach(function (k) { env[k] = context[k]; });
    spec.fields.forEach(function (f) { var v = parseNumber(raw[f.code]); env[f.code] = v === null ? NaN : v; });
    function issue(rule, code) {
      var f = fields[code] || {}, value = raw[code] === undefined ? "" : String(raw[code]);
      var name = (lang === "zh" ? f.name_zh : f.name_en) || code;  /* {field}: the indicator in the page's language */
      var params = Object.assign({}, rule.params || {}, { column: name, value: value, field: name,
                                  field_zh: f.name_zh || code, field_en: f.name_en || code });
      issues.push({ rule: rule.id, severity: rule.severity, field: code,
                    message: format(lang === "zh" ? rule.message_zh : rule.message_en, params) });
    }
    spec.rules.forEach(function (rule) {
      if (rule.kind === "required") {
        spec.fields.forEach(function (f) { if (f.required && parseNumber(raw[f.code]) === null) { issue(rule, f.code); } });
      } else if (rule.kind === "number") {
        spec.fields.forEach(function (f) { var v = parseNumber(raw[f.code]); if (v !== null && isNaN(v)) { issue(rule, f.code); } });
      } else if (rule.kind === "integer") {
        spec.fields.forEach(function (f) { var v = env[f.code]; if (f.integer && !isNaN(v) && (v < 0 || Math.floor(v) !== v)) { issue(rule, f.code); } });
      } else if (rule.kind === "nonnegative") {
        spec.fields.forEach(function (f) { var v = env[f.code]; if (f.nonnegative && !f.integer && v < 0) { issue(rule, f.code); } });
      } else if (rule.kind === "expression") {
        var applicable = rule.names.every(function (n) { return typeof env[n] === "number" && !isNaN(env[n]); });
        if (applicable && !truthy(evaluate(rule.tree, env))) { issue(rule, rule.field); }
      }
    });
    return issues;
  }
  global.sitmonRules = { check: check, evaluate: evaluate, parseNumber: parseNumber };
})(window);
