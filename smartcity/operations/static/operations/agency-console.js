/* The agency console's grant list, live: the agency's event stream (SSE)
 * says a grant arrived, was extended or ended; the console fetches the
 * server-rendered tables again and announces the change to screen readers.
 * No reload, no client-side copy of the rules. */
(function () {
  "use strict";
  var root = document.getElementById("agency-console");
  if (!root || !window.EventSource) { return; }
  var grants = document.getElementById("agency-grants");
  var live = document.getElementById("agency-live-status");
  var announce = document.getElementById("agency-announce");
  var text = {};
  document.getElementById("agency-i18n").content.querySelectorAll("[data-key]").forEach(function (el) {
    text[el.dataset.key] = el.textContent;
  });

  function refresh(kind) {
    fetch(root.dataset.grantsUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        grants.innerHTML = html;
        if (kind && text[kind]) { announce.textContent = text[kind]; }
      })
      .catch(function () { live.dataset.state = "offline"; live.textContent = text.offline; });
  }

  var source = new EventSource(root.dataset.streamUrl);
  source.addEventListener("open", function () {
    live.dataset.state = "live";
    live.textContent = text.live;
  });
  source.addEventListener("error", function () {
    live.dataset.state = "offline";
    live.textContent = text.offline;
  });
  ["grant", "grant_ended", "grant_extended"].forEach(function (kind) {
    source.addEventListener(kind, function () { refresh(kind); });
  });
  source.addEventListener("reset", function () { refresh(""); });
})();
