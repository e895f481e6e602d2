/* The explorer's copy buttons: the API URL that gives the same table goes to the clipboard. */
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  document.querySelectorAll("button.copy").forEach(function (b) {
    b.addEventListener("click", function () {
      var url = window.location.origin + b.getAttribute("data-copy");
      var done = function () { if (status) { status.textContent = url; } b.setAttribute("data-copied", "1"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, done);
      } else {
        var t = document.createElement("textarea");
        t.value = url; document.body.appendChild(t); t.select();
        try { document.execCommand("copy"); } catch (err) { /* the URL stays shown below */ }
        t.remove(); done();
      }
    });
  });
})();
