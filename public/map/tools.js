/* KBS map page: measuring and exporting.
 * Measures are geodesic on the WGS84 ellipsoid, as the API's lengthMeters and areaSquareMeters are
 * (GeographicLib's, through PostGIS): each segment's length is its distance from the segment's start
 * in an azimuthal equidistant projection centred there, which proj4 computes with Vincenty's inverse
 * formula (sub-millimetre); an area is measured in a Lambert azimuthal equal-area projection centred
 * on the polygon. ol/sphere would measure on a sphere, up to 0.5 % off the API's figures.
 * Export: the features of a layer in the current view as GeoJSON, from the API's OGC items (bbox,
 * the session's token: the same grants as everywhere), page after page. */
(function () {
  'use strict';
  var ol = window.ol;
  var proj4 = window.proj4;
  var page = window.kbsPage;
  var I = page.i18n;
  var t = page.t;
  var map = page.map;

  var WGS84 = ' +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs'; // proj4's laea needs x_0 and y_0 spelt out
  /** Geodesic length in metres of a path of [lon, lat] points. */
  function lengthMeters(lonLats) {
    var sum = 0;
    for (var i = 1; i < lonLats.length; i++) {
      var a = lonLats[i - 1];
      var b = lonLats[i];
      if (a[0] === b[0] && a[1] === b[1]) continue;
      var xy = proj4('+proj=aeqd +lat_0=' + a[1] + ' +lon_0=' + a[0] + WGS84, b);
      sum += Math.hypot(xy[0], xy[1]);
    }
    return sum;
  }
  /** Area in m² on the ellipsoid of a ring of [lon, lat] points. */
  function areaSquareMeters(ring) {
    var extent = ol.extent.boundingExtent(ring);
    var centre = ol.extent.getCenter(extent);
    var laea = '+proj=laea +lat_0=' + centre[1] + ' +lon_0=' + centre[0] + WGS84;
    var projected = ring.map(function (p) { return proj4(laea, p); });
    return Math.abs(new ol.geom.Polygon([projected]).getArea());
  }
  function lonLatsOf(geometry) {
    var coords = geometry.getType() === 'Polygon' ? geometry.getCoordinates()[0] : geometry.getCoordinates();
    return coords.map(function (c) { return ol.proj.toLonLat(c); });
  }
  function format(kind, value) {
    if (kind === 'length') return value >= 1000 ? I.number(value / 1000, 3) + ' km' : I.number(value, 2) + ' m';
    return value >= 100000 ? I.number(value / 10000, 4) + ' ha' : I.number(value, 1) + ' m²';
  }

  var measureLayer = new ol.layer.Vector({
    source: new ol.source.Vector(), zIndex: 95,
    style: new ol.style.Style({
      stroke: new ol.style.Stroke({ color: '#6a00a8', width: 2.5, lineDash: [10, 6] }),
      fill: new ol.style.Fill({ color: 'rgba(106, 0, 168, 0.12)' }),
      image: new ol.style.Circle({ radius: 4, fill: new ol.style.Fill({ color: '#6a00a8' }) }),
    }),
  });
  measureLayer.set('name', 'measure');
  map.addLayer(measureLayer);

  var result = document.getElementById('measure-result');
  var buttons = { length: document.getElementById('measure-length'), area: document.getElementById('measure-area') };
  var clearButton = document.getElementById('measure-clear');
  var draw = null;
  var last = null; // { kind, value, lonLats, done }

  function show() {
    if (!last) {
      result.textContent = draw ? t('measureHint') : '';
      return;
    }
    result.innerHTML = '';
    var b = document.createElement('b');
    b.textContent = t(last.kind === 'length' ? 'lengthResult' : 'areaResult', { value: format(last.kind, last.value) });
    result.appendChild(b);
    var note = document.createElement('span');
    note.className = 'note';
    note.textContent = ' ' + (last.done ? t('geodesicNote') : t('measureHint'));
    result.appendChild(note);
    result.dataset.kind = last.kind;
    result.dataset.value = String(last.value);
    result.dataset.state = last.done ? 'done' : 'drawing';
    result.dataset.coordinates = JSON.stringify(last.lonLats);
  }
  function measure(geometry, kind, done) {
    var lonLats = lonLatsOf(geometry);
    last = { kind: kind, value: kind === 'length' ? lengthMeters(lonLats) : areaSquareMeters(lonLats), lonLats: lonLats, done: done };
    show();
  }
  function stop() {
    if (draw) map.removeInteraction(draw);
    draw = null;
    page.busy = false;
    Object.keys(buttons).forEach(function (k) {
      buttons[k].setAttribute('aria-pressed', 'false');
      buttons[k].textContent = t(k === 'length' ? 'measureLength' : 'measureArea');
    });
  }
  function start(kind) {
    var again = draw && draw.get('kind') === kind;
    stop();
    if (again) return show();
    measureLayer.getSource().clear();
    last = null;
    delete result.dataset.state;
    draw = new ol.interaction.Draw({ source: measureLayer.getSource(), type: kind === 'length' ? 'LineString' : 'Polygon', stopClick: true });
    draw.set('kind', kind);
    draw.on('drawstart', function (e) {
      measureLayer.getSource().clear();
      e.feature.getGeometry().on('change', function (g) { measure(g.target, kind, false); });
    });
    draw.on('drawend', function (e) {
      measure(e.feature.getGeometry(), kind, true);
      clearButton.disabled = false;
      // The map's clicks return to selecting features after this click has passed.
      setTimeout(stop, 0);
    });
    map.addInteraction(draw);
    page.busy = true;
    buttons[kind].setAttribute('aria-pressed', 'true');
    buttons[kind].textContent = t('measureStop');
    show();
  }
  buttons.length.addEventListener('click', function () { start('length'); });
  buttons.area.addEventListener('click', function () { start('area'); });
  clearButton.addEventListener('click', function () {
    stop();
    measureLayer.getSource().clear();
    last = null;
    result.textContent = '';
    delete result.dataset.state;
    clearButton.disabled = true;
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && draw) {
      draw.abortDrawing();
      stop();
      show();
    }
  });

  // Export.
  var exportLayer = document.getElementById('export-layer');
  var exportMessage = document.getElementById('export-message');
  var exportable = page.layers.filter(function (d) { return d.collection; });
  function fillLayers() {
    var chosen = exportLayer.value || 'cameras';
    exportLayer.innerHTML = exportable.map(function (d) { return '<option value="' + d.collection + '">' + page.escapeHtml(t('layer.' + d.name)) + '</option>'; }).join('');
    exportLayer.value = chosen;
  }
  fillLayers();
  var said = null;
  function sayExport(state, key, params) {
    said = { key: key, params: params };
    exportMessage.dataset.state = state;
    exportMessage.textContent = t(key, params);
  }
  I.onChange(function () {
    fillLayers();
    show();
    if (said) exportMessage.textContent = t(said.key, said.params);
    if (draw) buttons[draw.get('kind')].textContent = t('measureStop');
  });

  /** Every page of OGC items in the view's box, as one FeatureCollection. */
  function fetchAll(url, features) {
    return page.session.fetch(url, { headers: { Accept: 'application/geo+json' } }).then(function (res) {
      if (res.status === 401 || res.status === 403) {
        var err = new Error(res.statusText);
        err.code = 'FORBIDDEN';
        throw err;
      }
      if (!res.ok) return res.json().catch(function () { return {}; }).then(function (body) { throw new Error(body.description || 'HTTP ' + res.status); });
      return res.json().then(function (body) {
        var all = features.concat(body.features || []);
        var next = (body.links || []).find(function (l) { return l.rel === 'next'; });
        return next ? fetchAll(next.href, all) : all;
      });
    });
  }
  document.getElementById('export-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var collection = exportLayer.value;
    var box = ol.proj.transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326');
    var url = '/ogc/collections/' + collection + '/items?limit=10000&bbox=' + box.map(function (v) { return v.toFixed(7); }).join(',');
    sayExport('pending', 'exporting');
    fetchAll(url, [])
      .then(function (features) {
        var file = 'kbs-' + collection + '-' + new Date().toISOString().slice(0, 10) + '.geojson';
        var blob = new Blob([JSON.stringify({ type: 'FeatureCollection', features: features })], { type: 'application/geo+json' });
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = file;
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        exportMessage.dataset.count = String(features.length);
        sayExport('done', 'exported', { n: features.length, file: file });
      })
      .catch(function (err) {
        if (err.code === 'FORBIDDEN') sayExport('error', 'exportForbidden');
        else sayExport('error', 'exportFailed', { message: err.message });
      });
  });

  page.measure = { lengthMeters: lengthMeters, areaSquareMeters: areaSquareMeters, last: function () { return last; } };
})();
