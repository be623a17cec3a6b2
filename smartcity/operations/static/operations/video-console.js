/* The agency's video console: one single-use stream token per piece of video.
 *
 * Every piece asks the server for a fresh token (the server checks the
 * grant, the officer's certification and the session clock, and logs the
 * attempt), then loads it through the gateway: with real video (ffmpeg
 * backend, ADR 0021) the next fMP4 segment of the camera, appended to the
 * tile's <video> through Media Source Extensions; with the fake backend a
 * PNG frame every few seconds. The countdown follows
 * the server's remaining seconds; 60 s before the end it shows the warning
 * with the extend button. The agency's event stream (SSE) says when the
 * centre stops, extends or ends the grant. Once the grant is over the
 * console removes the pictures and says why and when it ended, in the
 * server's words (state.json), never leaving a broken image.
 */
(function () {
  "use strict";
  var root = document.getElementById("video-console");
  if (!root) return;
  var csrf = root.dataset.csrf;
  var grantId = parseInt(root.dataset.grant, 10);
  var warnAt = parseInt(root.dataset.warningSeconds, 10);
  var refreshMs = Math.max(1, parseInt(root.dataset.refreshSeconds, 10)) * 1000;
  var remaining = parseInt(root.dataset.remaining, 10);
  var ended = root.dataset.state === "ended" || remaining <= 0;
  var status = document.getElementById("video-session");
  var warning = document.getElementById("video-warning");
  var endsAt = document.getElementById("video-ends-at");
  var tiles = Array.prototype.slice.call(root.querySelectorAll(".video-tile"));
  var source = null;
  var timers = [];
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

  function end(message, label) {
    ended = true;
    timers.forEach(clearInterval);
    if (source) { source.close(); }
    status.textContent = message || text.ended;
    tiles.forEach(function (tile) {
      var img = tile.querySelector("img");
      if (img) img.remove();
      var video = tile.querySelector("video");
      if (video) { video.pause(); video.removeAttribute("src"); video.load(); video.remove(); }
      tile.querySelector(".video-message").textContent = label || message || text.ended;
    });
    render();
  }

  // The server's word on the grant: why and when it ended, or the time left.
  function checkState(fallback) {
    return fetch(root.dataset.stateUrl, {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : Promise.reject(response.status);
    }).then(function (data) {
      if (data.ended) {
        end(data.message, data.cause_label);
        if (endsAt) endsAt.textContent = data.message;
      } else {
        remaining = data.remaining;
        if (endsAt) endsAt.textContent = data.ends_at_local + " " + text.until;
        render();
      }
    }).catch(function () { if (fallback) end(fallback); });
  }

  // A tile's word; once the session ended, only end() writes (a segment or
  // a refusal still in flight must not replace why it ended).
  function message(tile, value) {
    if (ended) return;
    tile.querySelector(".video-message").textContent = value;
  }

  // A single-use token for one camera: its URL, or null after a refusal
  // (said on the tile, or the session's end checked with the server).
  function requestToken(tile) {
    return fetch(tile.dataset.tokenUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      var data = result.data;
      if (!result.ok) {
        if (data.ends_session) checkState(data.message);
        else message(tile, data.message);
        return null;
      }
      remaining = data.remaining;
      render();
      return data.url;
    });
  }

  // Real video: segments end to end in a MediaSource ("sequence" mode, so a
  // restarted gateway or a skipped segment only shifts time), kept near the
  // live edge, old data trimmed.
  function play(tile) {
    var video = tile.querySelector("video");
    var codec = root.dataset.codec;
    if (!window.MediaSource || !MediaSource.isTypeSupported(codec)) {
      message(tile, text.unsupported);
      return;
    }
    var media = new MediaSource();
    var buffer = null, after = "", generation = "", segments = 0;
    video.src = URL.createObjectURL(media);
    function whenUpdated() {
      return new Promise(function (resolve, reject) {
        buffer.addEventListener("updateend", resolve, { once: true });
        buffer.addEventListener("error", reject, { once: true });
      });
    }
    function append(data) {
      var done = whenUpdated();
      buffer.appendBuffer(data);
      return done.then(function () {
        var ranges = buffer.buffered;
        if (ranges.length && video.currentTime - ranges.start(0) > 30) {
          var trimmed = whenUpdated();
          buffer.remove(ranges.start(0), video.currentTime - 10);
          return trimmed;
        }
      });
    }
    function chase() {
      var ranges = video.buffered;
      if (!ranges.length) return;
      var edge = ranges.end(ranges.length - 1);
      if (edge - video.currentTime > 4) video.currentTime = Math.max(0, edge - 1);
      if (video.paused) video.play().catch(function () {});
    }
    function fetchPiece(url) {
      var query = "?after=" + encodeURIComponent(after) + "&gen=" + encodeURIComponent(generation);
      return fetch(url + query, { credentials: "same-origin" }).then(function (response) {
        if (response.status === 204) return 0;
        if (!response.ok) {
          return response.text().then(function (said) {
            if (response.status === 503) { message(tile, said); return 2000; }
            checkState(said);
            return -1;
          });
        }
        after = response.headers.get("X-Segment") || "";
        generation = response.headers.get("X-Generation") || "";
        return response.arrayBuffer().then(append).then(function () {
          segments += 1;
          tile.dataset.segments = String(segments);
          message(tile, "");
          chase();
          return 0;
        });
      });
    }
    function next() {
      if (ended) return;
      requestToken(tile).then(function (url) {
        return url ? fetchPiece(url) : 2000;
      }).then(function (wait) {
        if (wait >= 0 && !ended) setTimeout(next, wait);
      }, function () {
        message(tile, text.failed);
        if (!ended) setTimeout(next, 2000);
      });
    }
    media.addEventListener("sourceopen", function () {
      buffer = media.addSourceBuffer(codec);
      buffer.mode = "sequence";
      message(tile, text.waiting);
      next();
    }, { once: true });
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
        if (data.ends_session) checkState(data.message);
        else message(tile, data.message);
        return;
      }
      remaining = data.remaining;
      render();
      var current = tile.querySelector("img");
      if (!current) { delete tile.dataset.busy; return; }
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
        if (!ended) { message(tile, text.failed); checkState(""); }
      };
      next.src = data.url;
    }).catch(function () {
      delete tile.dataset.busy;
      message(tile, text.failed);
    });
  }

  function refreshAll() { tiles.forEach(load); }
  var realVideo = root.dataset.backend !== "fake";

  var extendForm = warning.querySelector("form");
  extendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(extendForm.action, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (data.remaining !== undefined) {
        remaining = data.remaining;
        checkState("");
      } else if (data.message) {
        warning.querySelector("p").textContent = data.message;
      }
    });
  });

  if (ended) { render(); return; }
  render();
  if (realVideo) {
    tiles.forEach(play);
  } else {
    refreshAll();
    timers.push(setInterval(refreshAll, refreshMs));
  }
  timers.push(setInterval(function () {
    if (ended) return;
    remaining = Math.max(0, remaining - 1);
    render();
    if (remaining === 0) checkState(text.ended);
  }, 1000));
  // The centre stops or extends the grant: the agency's stream says so at once.
  if (window.EventSource && root.dataset.streamUrl) {
    source = new EventSource(root.dataset.streamUrl);
    ["grant", "grant_ended", "grant_extended"].forEach(function (kind) {
      source.addEventListener(kind, function (e) {
        var data = JSON.parse(e.data);
        if (data.grant === grantId) checkState("");
      });
    });
  }
})();
