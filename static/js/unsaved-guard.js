/* Unsaved edits are not lost by leaving a form by mistake.
 *
 * A form marked data-unsaved-guard="<message>" remembers each field's value
 * when the page loads; while any field differs and the form has not been
 * sent, leaving the page (a link, the back button, closing the tab) asks
 * the browser's own "leave this page?" question. Sending the form (saving)
 * lifts the guard. The browser shows its own wording; the attribute's text
 * is kept for browsers that still show a custom one. No dependencies.
 */
(function () {
  "use strict";

  function snapshot(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") {
        return;
      }
      values.push(el.name + "=" + (el.type === "checkbox" || el.type === "radio" ? el.checked : el.value));
    });
    return values.join("\u0000");
  }

  function guard(form) {
    var initial = snapshot(form);
    var sending = false;
    form.addEventListener("submit", function () { sending = true; });
    window.addEventListener("beforeunload", function (event) {
      if (sending || snapshot(form) === initial) {
        return undefined;
      }
      var message = form.getAttribute("data-unsaved-guard") || "";
      event.preventDefault();
      event.returnValue = message;
      return message;
    });
    form.setAttribute("data-unsaved-guard-ready", "true");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-unsaved-guard]"), guard);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
