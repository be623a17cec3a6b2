/* A scene map: the incident and some cameras (granted ones on an agency's
 * console, nearby ones on the incident page), with the board's vendored
 * Leaflet and no tile server (nothing leaves the network). Each camera is
 * numbered in the order of the page's list; a camera whose register gives a
 * direction shows what it faces as a sector. Every element with
 * data-scene-map="<id of a json_script>" becomes one map. */
(function () {
  "use strict";
  if (!window.L) { return; }
  function icon(cls, label) {
    return L.divIcon({ className: "", html: '<span class="grant-marker ' + cls + '">' + label + "</span>",
                       iconSize: [26, 26], iconAnchor: [13, 13] });
  }
  // Labels come from imported registers: text nodes, never HTML.
  function tip(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  function draw(box) {
    var source = document.getElementById(box.dataset.sceneMap);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(box, { zoomSnap: 0.25, attributionControl: false });
    L.control.scale({ imperial: false }).addTo(map);
    var scene = [data.incident.lat, data.incident.lon];
    var points = [scene];
    data.cameras.forEach(function (camera, index) {
      var at = [camera.lat, camera.lon];
      points.push(at);
      if (camera.sector) {
        L.polygon(camera.sector, { className: "camera-sector", weight: 1, interactive: false }).addTo(map);
      }
      L.marker(at, { icon: icon("camera", String(index + 1)), title: camera.label, keyboard: false })
        .bindTooltip(tip(camera.label + " · " + camera.distance_m + " m"))
        .addTo(map);
    });
    L.marker(scene, { icon: icon("scene", "!"), title: box.dataset.sceneLabel, keyboard: false,
                      zIndexOffset: 1000 })
      .bindTooltip(tip([data.incident.label, data.incident.address].filter(Boolean).join(" · ")))
      .addTo(map);
    if (points.length > 1) {
      map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 18 });
    } else {
      map.setView(scene, 17);
    }
  }
  document.querySelectorAll("[data-scene-map]").forEach(draw);
})();
