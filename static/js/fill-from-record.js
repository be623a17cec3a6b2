/* A button that copies a figure offered from a record into a form field
   (data-target ← data-value, data-evidence-target ← data-evidence), then
   fires "change" so the form's preview follows. The person still saves. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-fill-from-record]");
    if (!button) { return; }
    var field = document.getElementById(button.dataset.target);
    if (!field || field.disabled) { return; }
    field.value = button.dataset.value;
    var evidence = document.getElementById(button.dataset.evidenceTarget);
    if (evidence && !evidence.disabled && button.dataset.evidence) {
      evidence.value = button.dataset.evidence;
    }
    field.dispatchEvent(new Event("change", { bubbles: true }));
    button.setAttribute("aria-pressed", "true");
  });
})();
