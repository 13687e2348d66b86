// Map of the places listed on /trouver-un-conseiller/: a progressive enhancement. The list stays the reference;
// without JavaScript, Leaflet or the OpenStreetMap tiles, the page works the same.
(function () {
  "use strict";

  var container = document.getElementById("carte-lieux");
  if (!container || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var items = document.querySelectorAll(".cnum-place[data-lat][data-lon]");
  if (!items.length) {
    return;
  }
  container.hidden = false;

  var icon = L.icon({
    iconUrl: container.dataset.icon,
    iconRetinaUrl: container.dataset.icon2x,
    shadowUrl: container.dataset.shadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41]
  });
  var map = L.map(container, { scrollWheelZoom: false });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  L.tileLayer(container.dataset.tiles, {
    subdomains: "abc",
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>'
  }).addTo(map);

  var points = [];
  items.forEach(function (item) {
    var lat = parseFloat(item.dataset.lat);
    var lon = parseFloat(item.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) {
      return;
    }
    var marker = L.marker([lat, lon], { icon: icon, title: item.dataset.name, alt: item.dataset.name });
    var link = document.createElement("a");
    link.href = "#" + item.id;
    link.textContent = item.dataset.name;
    marker.bindPopup(link).addTo(map);
    points.push([lat, lon]);
  });
  if (points.length === 1) {
    map.setView(points[0], 14);
  } else {
    map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
  }
})();
