// Live preview of the helpdesk editor: the Markdown goes to the hub, which renders and sanitises it; the answer is
// an HTML fragment with no script, event handler or javascript: URL, put into #preview.
(function () {
  "use strict";
  var editor = document.getElementById("Markdown");
  var preview = document.getElementById("preview");
  var form = document.getElementById("editor");
  if (!editor || !preview || !form) {
    return;
  }

  var token = form.querySelector("input[name='__RequestVerificationToken']");
  var timer = null;
  var sequence = 0;
  function render() {
    var mine = ++sequence;
    var body = new URLSearchParams();
    body.set("markdown", editor.value);
    if (token) {
      body.set("__RequestVerificationToken", token.value);
    }

    fetch(editor.getAttribute("data-preview-url"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && mine === sequence) {
          preview.innerHTML = html;
        }
      })
      .catch(function () { /* the last preview stays; saving does not depend on it */ });
  }

  editor.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(render, 250);
  });
})();
