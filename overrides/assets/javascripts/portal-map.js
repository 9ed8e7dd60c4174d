/* Care-access portal: the map page's filters, and the interactive map on request.
 *
 * The list of places is the page's content and works without this script.
 * With it, the filters hide what does not match, and a button loads Leaflet
 * (served by the site itself) and the map background. Nothing is requested
 * from the tile server before the reader presses that button, unless they
 * asked the site to remember that choice on this device.
 */
(function () {
  "use strict";

  var settingsElement = document.getElementById("portal-map-settings");
  if (!settingsElement) return;
  var settings = JSON.parse(settingsElement.textContent);
  var labels = settings.labels;
  var REMEMBER = "portal-map-opt-in";

  var list = Array.prototype.slice.call(document.querySelectorAll(".portal-maplist > li[data-id]"));
  var form = document.querySelector("[data-portal-filters]");
  var counter = document.querySelector("[data-portal-count]");
  var optin = document.querySelector("[data-portal-map-optin]");
  var remember = document.querySelector("[data-portal-map-remember]");
  var container = document.querySelector("[data-portal-map]");

  var features = null; // the GeoJSON of the services, fetched from this site when needed
  var map = null;
  var cluster = null;

  function words(text) {
    return text ? text.split(" ").filter(Boolean) : [];
  }

  function format(template, n) {
    return template.replace("%(n)s", String(n));
  }

  function loadFeatures() {
    if (features) return Promise.resolve(features);
    return fetch(settings.data)
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        features = {};
        collection.features.forEach(function (feature) { features[feature.id] = feature; });
        return features;
      });
  }

  function isOpenNow(id) {
    var feature = features && features[id];
    if (!feature) return false;
    var now = Date.now() / 1000;
    return feature.properties.open.some(function (span) { return span[0] <= now && now < span[1]; });
  }

  function wanted() {
    var data = new FormData(form);
    return {
      categories: data.getAll("category"),
      publics: data.getAll("public"),
      free: data.has("free"),
      withoutAppointment: data.has("without_appointment"),
      openNow: data.has("open_now"),
      wheelchair: data.has("wheelchair")
    };
  }

  function matches(item, filters) {
    var categories = words(item.getAttribute("data-categories"));
    var publics = words(item.getAttribute("data-publics"));
    if (filters.categories.length && !categories.some(function (c) { return filters.categories.indexOf(c) >= 0; })) return false;
    // A place open to everyone (no public given) is open to each public too.
    if (filters.publics.length && publics.length && !publics.some(function (p) { return filters.publics.indexOf(p) >= 0; })) return false;
    if (filters.free && item.getAttribute("data-free") !== "1") return false;
    if (filters.withoutAppointment && item.getAttribute("data-without-appointment") !== "1") return false;
    if (filters.wheelchair && item.getAttribute("data-wheelchair") !== "1") return false;
    if (filters.openNow && !isOpenNow(item.getAttribute("data-id"))) return false;
    return true;
  }

  function visibleIds() {
    return list.filter(function (item) { return !item.hidden; }).map(function (item) { return item.getAttribute("data-id"); });
  }

  function applyFilters() {
    var filters = wanted();
    var ready = filters.openNow ? loadFeatures() : Promise.resolve(null);
    return ready.then(function () {
      var shown = 0;
      list.forEach(function (item) {
        item.hidden = !matches(item, filters);
        if (!item.hidden) shown += 1;
      });
      counter.textContent = format(labels.shown, shown);
      if (map) drawMarkers();
    });
  }

  function loadOnce(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function loadLeaflet() {
    if (window.L && window.L.markerClusterGroup) return Promise.resolve();
    var base = settings.vendor;
    return Promise.all([
      loadOnce("link", { rel: "stylesheet", href: base + "leaflet-1.9.4/leaflet.css" }),
      loadOnce("link", { rel: "stylesheet", href: base + "leaflet.markercluster-1.5.3/MarkerCluster.css" }),
      loadOnce("link", { rel: "stylesheet", href: base + "leaflet.markercluster-1.5.3/MarkerCluster.Default.css" }),
      loadOnce("script", { src: base + "leaflet-1.9.4/leaflet.js" })
    ]).then(function () {
      return loadOnce("script", { src: base + "leaflet.markercluster-1.5.3/leaflet.markercluster.js" });
    });
  }

  function markerFor(feature) {
    var name = feature.properties.name[settings.language] || feature.properties.name.fr;
    var coordinates = feature.geometry.coordinates; // GeoJSON: longitude first
    var icon = L.divIcon({
      className: "portal-marker portal-marker--" + feature.properties.symbol,
      html: '<span aria-hidden="true"></span>',
      iconSize: [22, 22]
    });
    var marker = L.marker([coordinates[1], coordinates[0]], { icon: icon, title: name, alt: name, keyboard: true });
    var link = document.createElement("a");
    link.href = settings.data.replace(/data\/services\.geojson$/, "") + feature.properties.url[settings.language];
    link.textContent = labels.open.replace("%(name)s", name);
    marker.bindPopup(link);
    marker.on("add", function () {
      var element = marker.getElement();
      if (element) element.setAttribute("aria-label", name + ", " + feature.properties.address.commune_name);
    });
    return marker;
  }

  function drawMarkers() {
    var ids = visibleIds();
    cluster.clearLayers();
    cluster.addLayers(ids.filter(function (id) { return features[id]; }).map(function (id) { return markerFor(features[id]); }));
  }

  function showMap() {
    optin.hidden = true;
    if (remember && remember.checked) {
      try { localStorage.setItem(REMEMBER, "1"); } catch (error) { /* private browsing */ }
    }
    return Promise.all([loadLeaflet(), loadFeatures()]).then(function () {
      container.hidden = false;
      var rtl = settings.direction === "rtl";
      map = L.map(container, { zoomControl: false, keyboard: true }).setView(settings.center, 11);
      L.control.zoom({
        position: rtl ? "topright" : "topleft",
        zoomInTitle: labels.zoomIn,
        zoomOutTitle: labels.zoomOut
      }).addTo(map);
      map.attributionControl.setPosition(rtl ? "bottomleft" : "bottomright");
      map.attributionControl.setPrefix(false);
      L.tileLayer(settings.tiles, { maxZoom: settings.maxZoom, attribution: settings.attribution }).addTo(map);
      cluster = L.markerClusterGroup({
        showCoverageOnHover: false,
        iconCreateFunction: function (group) {
          var count = group.getChildCount();
          var name = format(labels.cluster, count);
          return L.divIcon({
            className: "portal-cluster",
            html: '<span aria-hidden="true">' + count + '</span><span class="portal-visually-hidden">' + name + "</span>",
            iconSize: [40, 40]
          });
        }
      });
      map.addLayer(cluster);
      drawMarkers();
    });
  }

  // Enhance: the filters and the button exist for readers with this script.
  form.hidden = false;
  form.addEventListener("change", applyFilters);
  optin.hidden = false;
  remember.parentNode.parentNode.hidden = false;
  optin.addEventListener("click", showMap);
  var remembered = false;
  try { remembered = localStorage.getItem(REMEMBER) === "1"; } catch (error) { remembered = false; }
  if (remembered) {
    remember.checked = true;
    showMap();
  }
  window.portalMap = { applyFilters: applyFilters, showMap: showMap }; // for tests
})();
