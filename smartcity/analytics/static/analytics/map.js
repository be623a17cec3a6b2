/* The national map: Leaflet with GeoJSON layers and no tile server. Basic
   local governments are filled by their colour; metropolitan governments are
   drawn above them as thick outlines (filled only where nothing lies beneath,
   Sejong and Jeju). A click opens the city page. */
(function () {
  "use strict";
  var root = document.getElementById("analytics-map");
  if (!root || !window.L) { return; }
  var map = L.map(root, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.setView([36.2, 127.8], 7);
  fetch(root.dataset.featuresUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (geo) {
      map.attributionControl.addAttribution(geo.attribution);
      document.getElementById("map-attribution").textContent = geo.attribution;
      var basicCodes = {};
      geo.features.forEach(function (f) {
        if (f.properties.level === "basic") { basicCodes[f.properties.code.slice(0, 2)] = true; }
      });
      var drawn = 0;
      function bind(f, layer) {
        drawn += 1;
        var p = f.properties;
        layer.bindTooltip(p.name + (p.score ? " · " + p.score + "%" : ""), { sticky: true });
        layer.on("click", function () { window.location.href = p.url; });
      }
      var basic = L.geoJSON(geo, {
        filter: function (f) { return f.properties.level === "basic"; },
        style: function (f) {
          return { color: "#666", weight: 0.6, fillColor: f.properties.colour, fillOpacity: 0.85 };
        },
        onEachFeature: bind
      }).addTo(map);
      var metro = L.geoJSON(geo, {
        filter: function (f) { return f.properties.level === "metro"; },
        style: function (f) {
          var alone = !basicCodes[f.properties.code.slice(0, 2)];
          var plain = f.properties.status === "none" && f.properties.score === null;
          return {
            color: alone || plain ? "#333" : f.properties.colour,
            weight: alone ? 0.8 : plain ? 1.2 : 3.5,
            fill: alone, fillColor: f.properties.colour, fillOpacity: 0.85
          };
        },
        onEachFeature: bind
      }).addTo(map);
      var overlays = {};
      overlays[root.dataset.labelBasic] = basic;
      overlays[root.dataset.labelMetro] = metro;
      L.control.layers(null, overlays).addTo(map);
      if (basic.getBounds().isValid()) { map.fitBounds(basic.getBounds()); }
      root.dataset.features = String(drawn);
    });
})();
