/* Elapsed time since a moment, ticking every second, and moments shown in
   KST: the board's rows and the incident page share it. The count uses the
   server's clock (the page says what time the server had when it rendered,
   data-server-now), so a browser whose clock is off still counts right. */
(function () {
  "use strict";
  var KST_MS = 9 * 3600 * 1000;  // Korea keeps no summer time.
  var stamp = document.querySelector("[data-server-now]");
  var offset = 0;
  if (stamp) {
    var server = Date.parse(stamp.dataset.serverNow);
    if (!isNaN(server)) { offset = server - Date.now(); }
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function now() { return Date.now() + offset; }
  function elapsed(sinceIso) {
    var since = Date.parse(sinceIso);
    if (isNaN(since)) { return ""; }
    var s = Math.max(0, Math.floor((now() - since) / 1000));
    var h = Math.floor(s / 3600);
    return (h ? h + ":" : "") + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
  }
  function kst(iso, withSeconds) {
    var t = Date.parse(iso);
    if (isNaN(t)) { return iso || ""; }
    var d = new Date(t + KST_MS);
    var text = d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) +
      " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
    return text + (withSeconds ? ":" + pad(d.getUTCSeconds()) : "") + " KST";
  }
  function tick() {
    document.querySelectorAll(".ops-elapsed[data-since]").forEach(function (el) {
      var text = elapsed(el.dataset.since);
      if (el.textContent !== text) { el.textContent = text; }
    });
  }
  window.opsTime = { elapsed: elapsed, kst: kst, now: now, tick: tick };
  tick();
  window.setInterval(tick, 1000);
})();
