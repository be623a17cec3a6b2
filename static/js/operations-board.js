/* The situation board: Leaflet without a tile server (boundaries only), one
   symbol per event type, live updates over SSE (EventSource). Plain ES2017,
   no build step. The server renders the first snapshot; the stream adds,
   moves and removes incidents; on "reset" the snapshot is fetched again. */
(function () {
  "use strict";
  var root = document.getElementById("ops-board");
  if (!root || !window.L) { return; }
  var lang = (root.dataset.lang || "ko").indexOf("en") === 0 ? "en" : "ko";
  var text = {};
  document.getElementById("ops-i18n").content.querySelectorAll("[data-key]").forEach(function (el) {
    text[el.dataset.key] = el.textContent;
  });
  var list = document.getElementById("ops-list");
  var count = document.getElementById("ops-count");
  var empty = document.getElementById("ops-empty");
  var announce = document.getElementById("ops-announce");
  var live = document.getElementById("ops-live-status");

  var map = L.map("ops-map", { zoomSnap: 0.25 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(root.dataset.attribution);
  map.setView([36.4, 127.8], 7);
  var fitted = false;
  fetch(root.dataset.boundariesUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (geo) {
      var layer = L.geoJSON(geo, {
        style: { color: "#0b4f8a", weight: 1.5, fillColor: "#dbe7f3", fillOpacity: 0.5 },
        onEachFeature: function (f, l) { l.bindTooltip(f.properties.name, { sticky: true }); }
      }).addTo(map);
      layer.bringToBack();
      if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); fitted = true; }
    });

  var markers = new Map();
  var rows = new Map();

  function label(inc) { return lang === "en" && inc.type_en ? inc.type_en : inc.type_ko; }
  function statusName(inc) { return lang === "en" && inc.status_en ? inc.status_en : inc.status_ko; }
  function when(inc) {
    var d = new Date(inc.occurred_at);
    return isNaN(d) ? inc.occurred_at : d.toLocaleString(lang === "en" ? "en-GB" : "ko-KR");
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
    p.textContent = [inc.address, statusName(inc), when(inc)].filter(Boolean).join(" · ");
    div.appendChild(a);
    div.appendChild(p);
    return div;
  }
  function row(inc) {
    var li = document.createElement("li");
    li.dataset.incidentId = inc.id;
    li.dataset.occurredAt = inc.occurred_at;
    li.className = inc.urgent ? "urgent" : "";
    var icon = document.createElement("span");
    icon.className = "ops-symbol" + (inc.urgent ? " urgent" : "");
    icon.appendChild(symbol(inc.icon));
    var a = document.createElement("a");
    a.href = inc.url;
    a.textContent = label(inc);
    var meta = document.createElement("span");
    meta.className = "muted";
    meta.textContent = [inc.address, statusName(inc), when(inc)].filter(Boolean).join(" · ");
    a.addEventListener("focus", function () { focusMarker(inc.id); });
    li.appendChild(icon);
    li.appendChild(a);
    li.appendChild(document.createElement("br"));
    li.appendChild(meta);
    return li;
  }
  function focusMarker(id) {
    var m = markers.get(id);
    if (m) { map.panTo(m.getLatLng()); }
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
    if (m) { map.removeLayer(m); markers.delete(id); }
    var li = rows.get(id);
    if (li) { li.remove(); rows.delete(id); }
    refreshCount();
  }
  function upsert(inc, fresh) {
    if (inc.final) { remove(inc.id); return; }
    var m = markers.get(inc.id);
    if (m) {
      m.setLatLng([inc.lat, inc.lon]).setIcon(markerIcon(inc)).setPopupContent(popup(inc));
    } else {
      m = L.marker([inc.lat, inc.lon], { icon: markerIcon(inc), title: label(inc), riseOnHover: true })
        .bindPopup(popup(inc)).addTo(map);
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
      if (fitted && !map.getBounds().contains(m.getLatLng())) { map.panTo(m.getLatLng()); }
    }
  }
  function load(items) {
    Array.from(markers.keys()).forEach(remove);
    items.forEach(function (inc) { upsert(inc, false); });
  }

  load(JSON.parse(document.getElementById("ops-incidents").textContent));

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
