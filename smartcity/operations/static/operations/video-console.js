/* The agency's video console: one single-use stream token per frame.
 *
 * Every refresh asks the server for a fresh token (the server checks the
 * grant, the officer's certification and the session clock, and logs the
 * attempt), then loads the frame through the gateway. The countdown follows
 * the server's remaining seconds; 60 s before the end it shows the warning
 * with the extend button. Once the server says the session is over, the
 * console stops and says so.
 */
(function () {
  "use strict";
  var root = document.getElementById("video-console");
  if (!root) return;
  var csrf = root.dataset.csrf;
  var warnAt = parseInt(root.dataset.warningSeconds, 10);
  var refreshMs = Math.max(1, parseInt(root.dataset.refreshSeconds, 10)) * 1000;
  var remaining = parseInt(root.dataset.remaining, 10);
  var ended = remaining <= 0;
  var status = document.getElementById("video-session");
  var warning = document.getElementById("video-warning");
  var tiles = Array.prototype.slice.call(root.querySelectorAll(".video-tile"));
  var text = {};
  Array.prototype.forEach.call(document.querySelectorAll("#video-i18n [data-key]"), function (el) {
    text[el.dataset.key] = el.textContent;
  });

  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function render() {
    var counter = document.getElementById("video-remaining");
    if (counter) counter.textContent = clock(remaining);
    root.dataset.state = ended ? "ended" : remaining <= warnAt ? "warning" : "active";
    warning.hidden = ended || remaining > warnAt;
  }

  function end(message) {
    ended = true;
    status.textContent = message || text.ended;
    tiles.forEach(function (tile) {
      tile.querySelector("img").removeAttribute("src");
      tile.querySelector(".video-message").textContent = message || text.ended;
    });
    render();
  }

  function message(tile, value) {
    tile.querySelector(".video-message").textContent = value;
  }

  // One request per tile at a time; the next frame is loaded off-screen and
  // swapped in when complete (a token opens once, so a half-loaded frame is
  // never re-requested).
  function load(tile) {
    if (ended || tile.dataset.busy) return;
    tile.dataset.busy = "1";
    fetch(tile.dataset.tokenUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      var data = result.data;
      if (!result.ok) {
        delete tile.dataset.busy;
        if (data.ends_session) end(data.message);
        else message(tile, data.message);
        return;
      }
      remaining = data.remaining;
      render();
      var current = tile.querySelector("img");
      var next = new Image(current.width, current.height);
      next.alt = current.alt;
      next.onload = function () {
        delete tile.dataset.busy;
        if (ended) return;
        current.replaceWith(next);
        message(tile, "");
      };
      next.onerror = function () {
        delete tile.dataset.busy;
        if (!ended) message(tile, text.failed);
      };
      next.src = data.url;
    }).catch(function () {
      delete tile.dataset.busy;
      message(tile, text.failed);
    });
  }

  function refreshAll() { tiles.forEach(load); }

  var extendForm = warning.querySelector("form");
  extendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(extendForm.action, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (data.remaining !== undefined) {
        remaining = data.remaining;
        status.firstChild && render();
      } else if (data.message) {
        warning.querySelector("p").textContent = data.message;
      }
    });
  });

  if (ended) { end(); return; }
  render();
  refreshAll();
  setInterval(refreshAll, refreshMs);
  setInterval(function () {
    if (ended) return;
    remaining = Math.max(0, remaining - 1);
    render();
  }, 1000);
})();
