/* Care-access portal: the map page's filters, and the interactive map on request.
 *
 * The list of places is the page's content and works without this script.
 * With it, the filters hide what does not match, and a button loads Leaflet
 * (served by the site itself) and the map background. Nothing is requested
 * from the tile server before the reader presses that button, unless they
 * asked the site to remember that choice on this device.
 *
 * A large territory's page lists communes, not places (`settings.communes`):
 * the map then shows one marker per commune, and loads a commune's places
 * (data/communes/<slug>.geojson) only when the reader zooms in on it, so that
 * a phone never downloads the whole territory.
 *
 * With GTFS feeds (`settings.transport`), the map also draws the public-transport
 * stops and lines of data/transport.geojson, as a layer the reader can turn off:
 * each line with its own stroke pattern (`settings.lines`, the same as the page's
 * legend) and its name as a label, each stop with its name and lines in a popup.
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
  var transportControls = document.querySelector("[data-portal-transport]");
  var transportToggle = document.querySelector("[data-portal-transport-toggle]");
  var transportLayer = null; // the stops and lines, once fetched
  var labelled = {}; // the lines whose name is already on the map

  var byCommune = Boolean(settings.communes);
  var features = null; // the services' GeoJSON features by id, fetched from this site when needed
  var loaded = {}; // by commune: its data file asked for (a promise), in a large territory
  var map = null;
  var cluster = null;
  var communeLayer = null;
  var communeMarkers = {}; // by data file: the markers of the communes not loaded yet
  var pending = Promise.resolve(); // the communes' files being loaded
  var DETAIL_ZOOM = 12; // from this zoom on, the communes in view show their places
  var MOST_COMMUNES = 12; // never more communes' files at once than this

  function words(text) {
    return text ? text.split(" ").filter(Boolean) : [];
  }

  // Functions as replacements: a name with "$&" in it stays as it is.
  function format(template, n) {
    return template.replace("%(n)s", function () { return String(n); });
  }

  function named(template, name) {
    return template.replace("%(name)s", function () { return name; });
  }

  // The services of a GeoJSON collection, kept by id; returns those not known before.
  function addFeatures(collection) {
    var added = [];
    collection.features.forEach(function (feature) {
      if (feature.properties.kind === "service" && !features[feature.id]) {
        features[feature.id] = feature;
        added.push(feature);
      }
    });
    return added;
  }

  function loadFeatures() {
    if (byCommune) {
      features = features || {};
      return Promise.resolve(features);
    }
    if (features) return Promise.resolve(features);
    return fetch(settings.data)
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        features = {};
        addFeatures(collection);
        return features;
      });
  }

  function loadCommune(commune) {
    var file = commune[4];
    if (!loaded[file]) {
      loaded[file] = fetch(file)
        .then(function (response) { return response.json(); })
        .then(addFeatures)
        .catch(function () { delete loaded[file]; }); // try again on the next move
    }
    return loaded[file];
  }

  function isOpenNow(feature) {
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

  // What the filters look at, from a list item or from a GeoJSON feature.
  function itemFacts(item) {
    var id = item.getAttribute("data-id");
    return {
      categories: words(item.getAttribute("data-categories")),
      publics: words(item.getAttribute("data-publics")),
      free: item.getAttribute("data-free") === "1",
      withoutAppointment: item.getAttribute("data-without-appointment") === "1",
      wheelchair: item.getAttribute("data-wheelchair") === "1",
      openNow: function () { return isOpenNow(features && features[id]); }
    };
  }

  function featureFacts(feature) {
    var p = feature.properties;
    return {
      categories: p.categories,
      publics: p.publics,
      free: p.free,
      withoutAppointment: p.without_appointment,
      wheelchair: p.wheelchair_accessible,
      openNow: function () { return isOpenNow(feature); }
    };
  }

  function matches(facts, filters) {
    if (filters.categories.length && !facts.categories.some(function (c) { return filters.categories.indexOf(c) >= 0; })) return false;
    // A place open to everyone (no public given) is open to each public too.
    if (filters.publics.length && facts.publics.length && !facts.publics.some(function (p) { return filters.publics.indexOf(p) >= 0; })) return false;
    if (filters.free && !facts.free) return false;
    if (filters.withoutAppointment && !facts.withoutAppointment) return false;
    if (filters.wheelchair && !facts.wheelchair) return false;
    if (filters.openNow && !facts.openNow()) return false;
    return true;
  }

  // The features the map shows: the list's visible items, or (large territory) the loaded ones that match.
  function shownFeatures() {
    if (!byCommune) {
      return list.filter(function (item) { return !item.hidden; })
        .map(function (item) { return features[item.getAttribute("data-id")]; })
        .filter(Boolean);
    }
    var filters = wanted();
    return Object.keys(features).map(function (id) { return features[id]; })
      .filter(function (feature) { return matches(featureFacts(feature), filters); });
  }

  function applyFilters() {
    var filters = wanted();
    var ready = filters.openNow ? loadFeatures() : Promise.resolve(null);
    return ready.then(function () {
      if (byCommune) {
        if (map) drawMarkers();
        return;
      }
      var shown = 0;
      list.forEach(function (item) {
        item.hidden = !matches(itemFacts(item), filters);
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
    link.href = settings.root + feature.properties.url[settings.language];
    link.textContent = named(labels.open, name);
    marker.bindPopup(link);
    marker.on("add", function () {
      var element = marker.getElement();
      if (element) element.setAttribute("aria-label", name + ", " + feature.properties.address.commune_name);
    });
    return marker;
  }

  function drawMarkers() {
    var shown = shownFeatures();
    cluster.clearLayers();
    cluster.addLayers(shown.map(markerFor));
    if (byCommune) {
      countInView();
      drawCommunes();
    }
  }

  // A large territory: the places of the view that match, as the reader moves.
  function countInView() {
    var bounds = map.getBounds();
    var n = shownFeatures().filter(function (feature) {
      var c = feature.geometry.coordinates;
      return bounds.contains([c[1], c[0]]);
    }).length;
    counter.textContent = format(labels.shown, n);
  }

  // A large territory: a marker for each commune whose places are not on the map yet.
  function communeMarker(commune) {
    var name = format(named(labels.commune, commune[0]), commune[3]);
    var marker = L.marker([commune[1], commune[2]], {
      icon: L.divIcon({
        className: "portal-cluster portal-cluster--commune",
        html: '<span aria-hidden="true">' + commune[3] + '</span><span class="portal-visually-hidden"></span>',
        iconSize: [40, 40]
      }),
      title: name,
      keyboard: true
    });
    function zoomIn() { map.setView([commune[1], commune[2]], Math.max(map.getZoom(), DETAIL_ZOOM + 1)); }
    marker.on("click", zoomIn);
    // Leaflet gives a marker without a popup no key: Enter and Space zoom in, as a click does.
    marker.on("keypress", function (event) {
      var key = event.originalEvent.key;
      if (key === "Enter" || key === " ") {
        event.originalEvent.preventDefault();
        zoomIn();
      }
    });
    marker.on("add", function () {
      var element = marker.getElement();
      if (!element) return;
      element.setAttribute("aria-label", name);
      element.querySelector(".portal-visually-hidden").textContent = name;
    });
    return marker;
  }

  function drawCommunes() {
    communeLayer.clearLayers();
    communeMarkers = {};
    settings.communes.forEach(function (commune) {
      if (!loaded[commune[4]]) {
        communeMarkers[commune[4]] = communeMarker(commune);
        communeLayer.addLayer(communeMarkers[commune[4]]);
      }
    });
  }

  // The communes in view, nearest to its centre first: their places are loaded, then drawn.
  function loadInView() {
    if (map.getZoom() < DETAIL_ZOOM) return Promise.resolve();
    var bounds = map.getBounds().pad(0.2);
    var centre = map.getCenter();
    var inView = settings.communes
      .filter(function (commune) { return bounds.contains([commune[1], commune[2]]); })
      .sort(function (a, b) { return centre.distanceTo([a[1], a[2]]) - centre.distanceTo([b[1], b[2]]); })
      .slice(0, MOST_COMMUNES);
    var fresh = inView.filter(function (commune) { return !loaded[commune[4]]; });
    if (!fresh.length) return pending; // what is on its way, if anything
    // Only what is new is added: an open popup and the focused marker stay where they are.
    pending = Promise.all(fresh.map(loadCommune)).then(function (lists) {
      var filters = wanted();
      var added = [];
      lists.forEach(function (list) { if (list) added = added.concat(list); });
      cluster.addLayers(added.filter(function (feature) { return matches(featureFacts(feature), filters); }).map(markerFor));
      fresh.forEach(function (commune) {
        var marker = communeMarkers[commune[4]];
        if (marker && loaded[commune[4]]) {
          communeLayer.removeLayer(marker);
          delete communeMarkers[commune[4]];
        }
      });
      countInView();
    });
    return pending;
  }

  // "Stop Redon Gare. Lines: 1, 2" (names are text, never markup).
  function filled(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, key) { return key in values ? values[key] : whole; });
  }

  function transportFeature(feature) {
    var p = feature.properties;
    var c = feature.geometry.coordinates;
    if (p.kind === "stop") {
      var stop = L.circleMarker([c[1], c[0]], { radius: 5, color: "#1f2937", weight: 2.5, fillColor: "#ffffff", fillOpacity: 1 });
      var text = document.createElement("p");
      text.textContent = filled(labels.stop, { name: p.name, lines: p.lines.join(", ") });
      stop.bindPopup(text);
      return stop;
    }
    var style = settings.lines[p.feed + ":" + p.route_id] || ["", "#1f2937"];
    var line = L.polyline(c.map(function (point) { return [point[1], point[0]]; }), {
      color: style[1], weight: 4, opacity: 0.9, dashArray: style[0] || null, lineCap: "round"
    });
    var popup = document.createElement("p");
    var title = document.createElement("strong");
    title.textContent = filled(labels.line, { name: p.short_name || p.long_name });
    popup.appendChild(title);
    if (p.short_name && p.long_name) {
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(p.long_name));
    }
    line.bindPopup(popup);
    // the name on the line itself (once per line, not per direction): told apart without colour
    if (!labelled[p.feed + ":" + p.route_id]) {
      labelled[p.feed + ":" + p.route_id] = true;
      line.bindTooltip(p.short_name || p.long_name, { permanent: true, direction: "center", className: "portal-line-label" });
    }
    return line;
  }

  function showTransport() {
    if (!settings.transport || !transportToggle.checked) {
      if (transportLayer) map.removeLayer(transportLayer);
      return Promise.resolve();
    }
    if (transportLayer) {
      map.addLayer(transportLayer);
      return Promise.resolve();
    }
    return fetch(settings.transport)
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        // lines first, so that the stops are drawn over them; a direction that runs back along
        // another is drawn once (two dashed strokes on top of each other would look solid)
        var paths = {};
        var sorted = collection.features.filter(function (feature) {
          var p = feature.properties;
          if (p.kind !== "line") return true;
          var key = p.feed + ":" + p.route_id + "|";
          if (paths[key + p.stop_ids.slice().reverse().join(",")]) return false;
          paths[key + p.stop_ids.join(",")] = true;
          return true;
        }).sort(function (a, b) {
          return (a.properties.kind === "stop") - (b.properties.kind === "stop");
        });
        transportLayer = L.layerGroup(sorted.map(transportFeature));
        if (transportToggle.checked) map.addLayer(transportLayer);
      });
  }

  function showMap() {
    optin.hidden = true;
    if (remember && remember.checked) {
      try { localStorage.setItem(REMEMBER, "1"); } catch (error) { /* private browsing */ }
    }
    return Promise.all([loadLeaflet(), loadFeatures()]).then(function () {
      container.hidden = false;
      var rtl = settings.direction === "rtl";
      map = L.map(container, { zoomControl: false, keyboard: true });
      // The first view, without animation: a large territory's communes all in sight.
      if (byCommune && settings.communes.length) {
        map.fitBounds(settings.communes.map(function (commune) { return [commune[1], commune[2]]; }),
          { padding: [20, 20], maxZoom: DETAIL_ZOOM - 1 }); // one commune alone: not zoomed in to the street
      } else {
        map.setView(settings.center, 11);
      }
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
      if (transportControls) {
        transportControls.hidden = false;
        transportToggle.addEventListener("change", showTransport);
        showTransport();
      }
      if (byCommune) {
        communeLayer = L.layerGroup().addTo(map);
        map.on("moveend", function () { loadInView(); countInView(); });
      }
      drawMarkers();
      if (byCommune) {
        form.hidden = false; // the filters choose among the places on the map
        return loadInView();
      }
    });
  }

  // Enhance: the filters and the button exist for readers with this script
  // (in a large territory, the filters once the map shows places).
  form.hidden = byCommune;
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
  window.portalMap = { // for tests and the benchmark
    applyFilters: applyFilters,
    showMap: showMap,
    view: function (latitude, longitude, zoom) { map.setView([latitude, longitude], zoom, { animate: false }); return loadInView(); }
  };
})();
