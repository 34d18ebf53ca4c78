/* Live previews of a form: the server renders what the form would save, as you type.
 *
 * A form with data-live-preview posts itself to data-preview-url (after a short pause in typing)
 * and puts the answer's "html" into the element data-preview-target names, and its "findings"
 * into data-findings-target. The answer's "errors" (input name -> message) are shown at their
 * fields. Used for a section's Markdown with live figures and for the shares' sums.
 */
(function () {
  "use strict";

  function setUp(form) {
    var url = form.getAttribute("data-preview-url");
    var target = document.getElementById(form.getAttribute("data-preview-target"));
    var findings = document.getElementById(form.getAttribute("data-findings-target") || "");
    var timer = null;
    var sent = 0;
    var shown = 0;

    function showErrors(errors) {
      var spans = form.querySelectorAll("[data-error-for]");
      for (var i = 0; i < spans.length; i += 1) {
        var name = spans[i].getAttribute("data-error-for");
        var message = errors[name] || "";
        var input = form.elements.namedItem(name);
        spans[i].textContent = message;
        spans[i].hidden = !message;
        if (input && input.setAttribute) {
          if (message) {
            input.setAttribute("aria-invalid", "true");
          } else {
            input.removeAttribute("aria-invalid");
          }
        }
      }
    }

    function preview() {
      sent += 1;
      var number = sent;
      fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (result) {
          if (number < shown) {
            return;
          }
          shown = number;
          target.innerHTML = result.html;
          if (findings && typeof result.findings === "string") {
            findings.innerHTML = result.findings;
          }
          showErrors(result.errors || {});
        })
        .catch(function () {
          // The preview is a help, not the save: the form keeps what was typed either way.
        });
    }

    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(preview, 300);
    });
  }

  var forms = document.querySelectorAll("form[data-live-preview]");
  for (var i = 0; i < forms.length; i += 1) {
    setUp(forms[i]);
  }
})();
