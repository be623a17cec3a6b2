/* The situation board: Leaflet without a tile server (boundaries only), one
   symbol per event type, nearby incidents clustered (Leaflet.markercluster),
   the centre's cameras as a layer with their view sectors, live updates over
   SSE (EventSource), an alert for new incidents by grade (banner, optional
   beep), and per incident the time since it was reported and who took it
   on. Plain ES2017, no build step. The server renders the first snapshot; the
   stream adds, moves and removes incidents; on "reset" the snapshot is
   fetched again. Times are KST (operations-elapsed.js). */
(function () {
  "use strict";
  var root = document.getElementById("ops-board");
  if (!root || !window.L || !window.opsTime) { return; }
  var lang = (root.dataset.lang || "ko").indexOf("en") === 0 ? "en" : "ko";
  var text = {};
  document.getElementById("ops-i18n").content.querySelectorAll("[data-key]").forEach(function (el) {
    text[el.dataset.key] = el.textContent;
  });
  var $ = function (id) { return document.getElementById(id); };
  var list = $("ops-list"), count = $("ops-count"), empty = $("ops-empty");
  var announce = $("ops-announce"), live = $("ops-live-status");
  var store = window.localStorage;
  function saved(key, fallback) {
    try { var v = store.getItem("ops." + key); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function save(key, value) { try { store.setItem("ops." + key, value); } catch (e) { /* private mode */ } }

  var map = L.map("ops-map", { zoomSnap: 0.25, maxZoom: 19 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(root.dataset.attribution);
  map.setView([36.4, 127.8], 7);
  var fitted = false;
  // The centre's area is fitted once its outline arrives, unless the operator
  // has already moved the map (a cluster clicked, a zoom): their view stays.
  var moved = false;
  map.once("movestart", function () { moved = true; });
  fetch(root.dataset.boundariesUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (geo) {
      var layer = L.geoJSON(geo, {
        style: { color: "#0b4f8a", weight: 1.5, fillColor: "#dbe7f3", fillOpacity: 0.5 },
        onEachFeature: function (f, l) { l.bindTooltip(f.properties.name, { sticky: true }); }
      }).addTo(map);
      layer.bringToBack();
      if (layer.getBounds().isValid()) {
        if (!moved) { map.fitBounds(layer.getBounds()); }
        fitted = true;
      }
    });

  // Nearby incidents collapse into one numbered circle (red if any is urgent).
  var clusters = L.markerClusterGroup({
    maxClusterRadius: 40, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
    iconCreateFunction: function (cluster) {
      var children = cluster.getAllChildMarkers();
      var urgent = children.some(function (m) { return m.options.urgent; });
      var span = document.createElement("span");
      span.textContent = String(children.length);
      span.title = text.cluster + " " + children.length;
      return L.divIcon({ html: span, className: "ops-cluster" + (urgent ? " urgent" : ""),
                         iconSize: [38, 38] });
    }
  }).addTo(map);

  var markers = new Map();
  var rows = new Map();

  function label(inc) { return lang === "en" && inc.type_en ? inc.type_en : inc.type_ko; }
  function statusName(inc) { return lang === "en" && inc.status_en ? inc.status_en : inc.status_ko; }
  function meta(inc) {
    return [inc.address, statusName(inc), window.opsTime.kst(inc.occurred_at, false)]
      .filter(Boolean).join(" · ");
  }
  function symbol(icon) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("aria-hidden", "true");
    var use = document.createElementNS("http://www.w3.org/2000/svg", "use");
    use.setAttribute("href", "#ops-icon-" + icon);
    svg.appendChild(use);
    return svg;
  }
  function markerIcon(inc) {
    var box = document.createElement("span");
    box.className = "ops-marker-inner";
    box.dataset.incidentId = inc.id;
    box.appendChild(symbol(inc.icon));
    return L.divIcon({
      className: "ops-marker" + (inc.urgent ? " urgent" : ""),
      html: box, iconSize: [34, 34], iconAnchor: [17, 17], popupAnchor: [0, -16]
    });
  }
  function popup(inc) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = inc.url;
    a.textContent = label(inc) + " #" + inc.id;
    var p = document.createElement("p");
    p.textContent = meta(inc);
    div.appendChild(a);
    div.appendChild(p);
    return div;
  }
  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (content) { node.textContent = content; }
    return node;
  }
  function ackPart(inc) {
    if (inc.acknowledged_at) {
      return el("span", "ops-ack done",
                text.acked + ": " + inc.acknowledged_by + " " + window.opsTime.kst(inc.acknowledged_at, false));
    }
    var button = el("button", "ops-ack-button", text.ack);
    button.type = "button";
    button.setAttribute("aria-label", text.ack_label + ": " + label(inc) + " #" + inc.id);
    button.addEventListener("click", function () { acknowledge(inc, button); });
    return button;
  }
  function row(inc) {
    var li = el("li", inc.urgent ? "urgent" : "");
    li.dataset.incidentId = inc.id;
    li.dataset.occurredAt = inc.occurred_at;
    var icon = el("span", "ops-symbol" + (inc.urgent ? " urgent" : ""));
    icon.appendChild(symbol(inc.icon));
    var a = el("a", "", label(inc));
    a.href = inc.url;
    a.addEventListener("focus", function () { focusMarker(inc.id); });
    var line = el("div", "ops-row-line");
    var elapsed = el("span", "ops-elapsed", window.opsTime.elapsed(inc.reported_at));
    elapsed.dataset.since = inc.reported_at;
    line.appendChild(el("span", "visually-hidden", text.elapsed));
    line.appendChild(elapsed);
    line.appendChild(ackPart(inc));
    li.appendChild(icon);
    li.appendChild(a);
    li.appendChild(el("div", "muted", meta(inc)));
    li.appendChild(line);
    return li;
  }
  function acknowledge(inc, button) {
    button.disabled = true;
    fetch(inc.acknowledge_url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": root.dataset.csrf, "Accept": "application/json" }
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (res.ok) { upsert(res.body.incident, false); return; }
      var li = rows.get(inc.id);
      var note = el("p", "errors", res.body.message || "");
      note.setAttribute("role", "alert");
      if (li) { li.appendChild(note); }
      button.disabled = false;
    }).catch(function () { button.disabled = false; });
  }
  function focusMarker(id) {
    var m = markers.get(id);
    if (m) { clusters.zoomToShowLayer(m); }
  }
  function placeRow(li) {
    var after = null;
    list.querySelectorAll("li").forEach(function (other) {
      if (!after && other !== li && other.dataset.occurredAt < li.dataset.occurredAt) { after = other; }
    });
    list.insertBefore(li, after);
  }
  function refreshCount() {
    count.textContent = String(rows.size);
    empty.hidden = rows.size > 0;
  }
  function remove(id) {
    var m = markers.get(id);
    if (m) { clusters.removeLayer(m); markers.delete(id); }
    var li = rows.get(id);
    if (li) { li.remove(); rows.delete(id); }
    refreshCount();
  }
  function upsert(inc, fresh) {
    if (inc.final) { remove(inc.id); return; }
    var m = markers.get(inc.id);
    if (m) {
      clusters.removeLayer(m);
      m.setLatLng([inc.lat, inc.lon]).setIcon(markerIcon(inc)).setPopupContent(popup(inc));
      m.options.urgent = inc.urgent;
      clusters.addLayer(m);
    } else {
      m = L.marker([inc.lat, inc.lon], { icon: markerIcon(inc), title: label(inc), riseOnHover: true,
                                         urgent: inc.urgent }).bindPopup(popup(inc));
      clusters.addLayer(m);
      markers.set(inc.id, m);
    }
    var old = rows.get(inc.id);
    var li = row(inc);
    if (old) { old.replaceWith(li); }
    rows.set(inc.id, li);
    placeRow(li);
    refreshCount();
    if (fresh) {
      announce.textContent = text["new"] + ": " + label(inc) + " " + (inc.address || "");
      alertFor(inc);
      if (fitted && !map.getBounds().contains(m.getLatLng())) { map.panTo(m.getLatLng()); }
    }
  }
  function load(items) {
    Array.from(markers.keys()).forEach(remove);
    items.forEach(function (inc) { upsert(inc, false); });
  }

  // --- New-incident alert: a banner by grade, and a beep when the operator turned it on.
  var gradeSelect = $("ops-alert-grade"), soundBox = $("ops-sound-toggle");
  var banner = $("ops-alert"), audio = null;
  gradeSelect.value = saved("alertGrade", "all");
  soundBox.checked = saved("sound", "off") === "on";
  gradeSelect.addEventListener("change", function () { save("alertGrade", gradeSelect.value); });
  soundBox.addEventListener("change", function () {
    save("sound", soundBox.checked ? "on" : "off");
    if (soundBox.checked) { beep(false); }  // a click lets the page play sound; the operator hears it works
  });
  $("ops-alert-close").addEventListener("click", function () { banner.hidden = true; });
  function beep(urgent) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    audio = audio || new Context();
    if (audio.state === "suspended") { audio.resume(); }
    var times = urgent ? 3 : 1;
    for (var i = 0; i < times; i++) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      var start = audio.currentTime + i * 0.3;
      osc.frequency.value = urgent ? 880 : 660;
      gain.gain.setValueAtTime(0.2, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.22);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.25);
    }
    root.dataset.lastBeep = urgent ? "urgent" : "normal";
  }
  function alertFor(inc) {
    var wanted = gradeSelect.value;
    if (wanted === "none" || (wanted === "urgent" && !inc.urgent)) { return; }
    banner.classList.toggle("urgent", !!inc.urgent);
    banner.dataset.incidentId = inc.id;
    $("ops-alert-title").textContent = inc.urgent ? text.new_urgent : text["new"];
    var link = $("ops-alert-link");
    link.href = inc.url;
    link.textContent = label(inc) + " #" + inc.id;
    $("ops-alert-meta").textContent = meta(inc);
    banner.hidden = false;
    if (soundBox.checked) { beep(inc.urgent); }
  }

  // --- The camera layer: loaded once, when first turned on.
  var cameraBox = $("ops-cameras-toggle"), cameraLayer = null;
  var cameraRenderer = L.canvas({ padding: 0.2 });
  function showCameras(on) {
    save("cameras", on ? "on" : "off");
    if (!on) { if (cameraLayer) { map.removeLayer(cameraLayer); } return; }
    if (cameraLayer) { cameraLayer.addTo(map); return; }
    fetch(root.dataset.camerasUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        cameraLayer = L.layerGroup();
        data.cameras.forEach(function (c) {
          if (c.sector) {
            L.polygon(c.sector, { renderer: cameraRenderer, color: "#5a3e8c", weight: 1,
                                  fillOpacity: 0.15, interactive: false }).addTo(cameraLayer);
          }
          var tip = el("span", "", c.label + " · " + c.purpose);
          L.circleMarker([c.lat, c.lon], { renderer: cameraRenderer, radius: 4, color: "#5a3e8c",
                                           weight: 1.5, fillColor: "#fff", fillOpacity: 1 })
            .bindTooltip(tip).addTo(cameraLayer);
        });
        $("ops-cameras-count").textContent = data.cameras.length + text.cameras;
        root.dataset.cameras = String(data.cameras.length);
        if (cameraBox.checked) { cameraLayer.addTo(map); }
      });
  }
  cameraBox.checked = saved("cameras", "off") === "on";
  cameraBox.addEventListener("change", function () { showCameras(cameraBox.checked); });
  if (cameraBox.checked) { showCameras(true); }

  load(JSON.parse($("ops-incidents").textContent));

  if (!window.EventSource) { return; }
  var source = new EventSource(root.dataset.streamUrl);
  source.addEventListener("open", function () {
    live.dataset.state = "live";
    live.textContent = text.live;
  });
  source.addEventListener("error", function () {
    live.dataset.state = "offline";
    live.textContent = text.offline;
  });
  source.addEventListener("incident", function (e) {
    var inc = JSON.parse(e.data);
    upsert(inc, !markers.has(inc.id));
  });
  source.addEventListener("incident_removed", function (e) { remove(JSON.parse(e.data).id); });
  source.addEventListener("reset", function () {
    fetch(root.dataset.snapshotUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { load(data.incidents); });
  });
})();
