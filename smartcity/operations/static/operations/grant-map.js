/* The grant page's map: the incident and the granted cameras, with the
 * board's vendored Leaflet and no tile server (nothing leaves the network).
 * Each camera is numbered as in the video tiles' captions' order. */
(function () {
  "use strict";
  var box = document.getElementById("grant-map");
  var source = document.getElementById("grant-map-data");
  if (!box || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(box, { zoomSnap: 0.25, attributionControl: false });
  L.control.scale({ imperial: false }).addTo(map);
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
  var scene = [data.incident.lat, data.incident.lon];
  var points = [scene];
  L.marker(scene, { icon: icon("scene", "!"), title: box.dataset.sceneLabel, keyboard: false })
    .bindTooltip(tip([data.incident.label, data.incident.address].filter(Boolean).join(" · ")))
    .addTo(map);
  data.cameras.forEach(function (camera, index) {
    var at = [camera.lat, camera.lon];
    points.push(at);
    L.marker(at, { icon: icon("camera", String(index + 1)), title: camera.label, keyboard: false })
      .bindTooltip(tip(camera.label + " · " + camera.distance_m + " m"))
      .addTo(map);
  });
  if (points.length > 1) {
    map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 18 });
  } else {
    map.setView(scene, 17);
  }
})();
