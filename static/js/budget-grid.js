/* The budget grid: spreadsheet keys, and figures recomputed by the server as you type.
 *
 * Nothing here adds numbers. On every change the unsaved grid is posted to the preview endpoint,
 * which builds the computation's input from it, runs budget/calc.py and the checks, and answers
 * with the formatted figures, the errors of malformed cells and the check panel's HTML.
 * Without JavaScript the page still works: the figures update when the form is submitted.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-budget-grid]");
  if (!form) {
    return;
  }
  var previewUrl = form.getAttribute("data-preview-url");
  var status = document.getElementById("grid-status");
  var checks = document.getElementById("grid-checks");
  var timer = null;
  var sent = 0;
  var shown = 0;
  var dirty = false;

  // --- Moving like a spreadsheet -----------------------------------------------------------

  function cell(row, col) {
    return form.querySelector('input[data-r="' + row + '"][data-c="' + col + '"]');
  }

  function lastRow() {
    var inputs = form.querySelectorAll("input[data-r]");
    return inputs.length ? Number(inputs[inputs.length - 1].getAttribute("data-r")) : 0;
  }

  function neighbour(input, rowStep, colStep) {
    var row = Number(input.getAttribute("data-r"));
    var col = Number(input.getAttribute("data-c"));
    var last = lastRow();
    // Lines with sub-lines show a sum instead of an input: step over them.
    for (var i = 0; i <= last + 50; i += 1) {
      row += rowStep;
      col += colStep;
      if (row < 0 || row > last || col < 0 || col > 50) {
        return null;
      }
      var found = cell(row, col);
      if (found) {
        return found;
      }
    }
    return null;
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-r")) {
      return;
    }
    var rowStep = 0;
    var colStep = 0;
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    if (event.key === "Enter") {
      event.preventDefault(); // Enter moves on; it does not submit the form
      rowStep = event.shiftKey ? -1 : 1;
    } else if (event.key === "ArrowDown") {
      rowStep = 1;
    } else if (event.key === "ArrowUp") {
      rowStep = -1;
    } else if (event.key === "ArrowLeft" && atStart) {
      colStep = -1;
    } else if (event.key === "ArrowRight" && atEnd) {
      colStep = 1;
    } else {
      return;
    }
    var next = neighbour(input, rowStep, colStep);
    if (next) {
      event.preventDefault();
      next.focus();
      next.select();
    }
  });

  // --- Recomputing on the server ---------------------------------------------------------

  function showErrors(errors) {
    var spans = form.querySelectorAll("[data-error-for]");
    for (var i = 0; i < spans.length; i += 1) {
      var span = spans[i];
      var name = span.getAttribute("data-error-for");
      var input = form.elements.namedItem(name);
      var message = errors[name] || "";
      span.textContent = message;
      span.hidden = !message;
      if (input && input.setAttribute) {
        if (message) {
          input.setAttribute("aria-invalid", "true");
        } else {
          input.removeAttribute("aria-invalid");
        }
      }
    }
  }

  function showFigures(figures) {
    var outputs = form.querySelectorAll("[data-calc]");
    for (var i = 0; i < outputs.length; i += 1) {
      var key = outputs[i].getAttribute("data-calc");
      if (Object.prototype.hasOwnProperty.call(figures, key)) {
        outputs[i].textContent = figures[key];
      }
    }
  }

  function preview() {
    var data = new FormData(form);
    data.delete("op");
    sent += 1;
    var number = sent;
    form.setAttribute("aria-busy", "true");
    fetch(previewUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (result) {
        if (number < shown) {
          return; // an older answer arriving after a newer one
        }
        shown = number;
        showFigures(result.figures);
        showErrors(result.errors);
        checks.innerHTML = result.checks;
        var count = Object.keys(result.errors).length;
        status.textContent = count
          ? "Summorna är omräknade. " + count + (count === 1 ? " cell har fel och räknas som tom." : " celler har fel och räknas som tomma.")
          : "Summorna är omräknade. Inget är sparat ännu.";
      })
      .catch(function () {
        status.textContent = "Kunde inte räkna om just nu. Det du skrivit finns kvar; försök igen eller spara.";
      })
      .then(function () {
        if (number === sent) {
          form.removeAttribute("aria-busy");
        }
      });
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (!target.name || target.name === "new_group_kind") {
      return;
    }
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 250);
  });
  form.addEventListener("change", function (event) {
    if (event.target instanceof HTMLSelectElement && event.target.name !== "new_group_kind") {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(preview, 50);
    }
  });

  // Leaving with unsaved changes asks first; submitting (saving or a structural change) does not.
  form.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  if (form.hasAttribute("data-dirty")) {
    dirty = true;
  }

  // After a structural change (a row added, moved or removed) the page comes back with the
  // control to continue from.
  var focus = form.getAttribute("data-focus");
  if (focus) {
    var element = document.getElementById(focus);
    if (element) {
      if (element.disabled) {
        element = status;
      }
      element.focus();
    }
  }
})();
