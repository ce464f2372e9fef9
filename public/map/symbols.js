/* KBS map page: the layers and their symbols. One table says, per layer, which legend entry (`key`)
 * a feature falls under and how that entry is drawn; the map's style functions and the legend's
 * swatches are both drawn from it, so the legend shows exactly the symbols on the map. Red means
 * "not working" on every layer; grey "out of use"; a hollow symbol or a dashed line "planned". */
(function () {
  'use strict';
  var ol = window.ol;
  var I = window.kbsI18n;
  var t = I.t;

  var RED = '#d7191c';
  var GREY = '#9a9a9a';
  var stroke = function (color, width, lineDash) { return new ol.style.Stroke({ color: color, width: width, lineDash: lineDash }); };
  var fill = function (color) { return new ol.style.Fill({ color: color }); };

  /** A point symbol: circle, square, diamond, triangle (pointing at `rotation`) or plus. */
  function mark(shape, radius, color, hollow, rotation) {
    var o = {
      radius: radius, declutterMode: 'none',
      fill: fill(hollow ? '#ffffff' : color), stroke: hollow ? stroke(color, 2) : stroke('#ffffff', 1.2),
    };
    if (shape === 'circle') return new ol.style.Circle(o);
    if (shape === 'square') return new ol.style.RegularShape(Object.assign(o, { points: 4, angle: Math.PI / 4 }));
    if (shape === 'diamond') return new ol.style.RegularShape(Object.assign(o, { points: 4, angle: 0 }));
    if (shape === 'triangle') return new ol.style.RegularShape(Object.assign(o, { points: 3, angle: 0, rotation: rotation || 0 }));
    return new ol.style.RegularShape({ points: 4, radius: radius, radius2: 0, angle: 0, stroke: stroke(color, 2.5), declutterMode: 'none' });
  }
  var point = function (shape, radius, color, hollow) { return new ol.style.Style({ image: mark(shape, radius, color, hollow) }); };
  var statusOf = function (f) { return f.get('status') || 'ACTIVE'; };

  // Cameras: small dots when zoomed out (they line the streets); from zoom 17 a triangle pointing
  // along the camera's azimuth (a 360° camera stays a circle).
  var CAMERA = { ACTIVE: ['#1a9641', false], OFFLINE: [RED, false], PLANNED: ['#1a9641', true], DECOMMISSIONED: [GREY, false] };
  var cameraCache = {};
  function cameraStyle(key, zoom, feature) {
    var c = CAMERA[key] || CAMERA.ACTIVE;
    var size = zoom < 15 ? 's' : zoom < 17 ? 'm' : 'l';
    var fov = feature && feature.get('horizontalFov');
    var dir = size === 'l' && feature && fov && fov < 360 ? Math.round(Number(feature.get('azimuth')) || 0) : null;
    var id = key + size + dir;
    if (!cameraCache[id]) {
      cameraCache[id] = new ol.style.Style({
        image: dir === null ? mark('circle', size === 's' ? 3 : size === 'm' ? 4.5 : 6, c[0], c[1]) : mark('triangle', 8, c[0], c[1], (dir * Math.PI) / 180),
        zIndex: key === 'ACTIVE' ? 1 : 2,
      });
    }
    return cameraCache[id];
  }

  var text = function (value, o) {
    return new ol.style.Text(Object.assign({
      text: value, font: '11px system-ui, sans-serif', fill: fill('#222'), stroke: stroke('rgba(255,255,255,0.9)', 3), overflow: false,
    }, o || {}));
  };

  /**
   * Bottom to top: what is drawn last is clicked first. `minzoom` is the layer's in TileJSON. A click
   * on an `area` still asks which cameras see the point; a `passive` one is never the feature a click
   * shows. `entries`: the legend entries, each { key, label, style(zoom) }.
   */
  var LAYERS = [
    { name: 'neighbourhoods', minzoom: 8, area: true, collection: 'neighbourhoods', one: 'neighbourhood',
      key: function () { return 'boundary'; },
      entries: [{ key: 'boundary', label: function () { return t('legend.boundary'); },
        style: function () { return new ol.style.Style({ stroke: stroke('#56606b', 1.6, [8, 4]), fill: fill('rgba(86, 96, 107, 0.03)') }); } }] },
    { name: 'parcels', minzoom: 14, area: true, collection: 'parcels', one: 'parcel',
      key: function () { return 'parcel'; },
      entries: [{ key: 'parcel', label: function () { return t('legend.parcel'); },
        style: function () { return new ol.style.Style({ stroke: stroke('#b89a6a', 0.9), fill: fill('rgba(0, 0, 0, 0)') }); } }] },
    { name: 'camera-fov', minzoom: 14, area: true, passive: true, visible: false,
      key: function () { return 'fov'; },
      entries: [{ key: 'fov', label: function () { return t('legend.fov'); },
        style: function () { return new ol.style.Style({ stroke: stroke('rgba(230, 97, 0, 0.7)', 1), fill: fill('rgba(255, 140, 0, 0.22)') }); } }] },
    { name: 'network-lines', minzoom: 10, labels: true, collection: 'network-lines', one: 'networkLine',
      key: statusOf,
      entries: [
        { key: 'ACTIVE', style: function () { return new ol.style.Style({ stroke: stroke('#1f6fb4', 2.5) }); } },
        { key: 'PLANNED', style: function () { return new ol.style.Style({ stroke: stroke('#1f6fb4', 2, [7, 5]) }); } },
        { key: 'OFFLINE', style: function () { return new ol.style.Style({ stroke: stroke(RED, 3.5) }); } },
        { key: 'DECOMMISSIONED', style: function () { return new ol.style.Style({ stroke: stroke(GREY, 2, [2, 4]) }); } },
      ],
      text: function (f, zoom) { return zoom >= 17 ? text(f.get('code'), { placement: 'line', fill: fill('#174f80') }) : null; } },
    { name: 'network-nodes', minzoom: 12, collection: 'network-nodes', one: 'networkNode',
      key: function (f) { return f.get('kind') === 'CENTRAL_DATA_ROOM' ? 'CENTRAL_DATA_ROOM' : statusOf(f); },
      entries: [
        { key: 'ACTIVE', style: function () { return point('diamond', 6, '#1f6fb4'); } },
        { key: 'PLANNED', style: function () { return point('diamond', 6, '#1f6fb4', true); } },
        { key: 'OFFLINE', style: function () { return point('diamond', 6, RED); } },
        { key: 'DECOMMISSIONED', style: function () { return point('diamond', 6, GREY); } },
        { key: 'CENTRAL_DATA_ROOM', style: function () { return point('diamond', 10, '#08306b'); } },
      ] },
    { name: 'remote-units', minzoom: 10, labels: true, collection: 'remote-units', one: 'remoteUnit',
      key: statusOf,
      entries: [
        { key: 'ACTIVE', style: function () { return point('square', 8, '#f08c00'); } },
        { key: 'PLANNED', style: function () { return point('square', 8, '#f08c00', true); } },
        { key: 'OFFLINE', style: function () { return point('square', 8, RED); } },
        { key: 'CLOSED', style: function () { return point('square', 8, GREY); } },
      ],
      text: function (f, zoom) { return zoom >= 14 ? text(f.get('code'), { offsetY: 15, font: 'bold 11px system-ui, sans-serif', fill: fill('#8a4f00') }) : null; } },
    { name: 'assets', minzoom: 14, visible: false, collection: 'assets', one: 'asset',
      key: function (f) {
        var s = f.get('state');
        return s === 'IN_USE' ? 'IN_USE' : ['FAULTY', 'IN_REPAIR', 'AT_VENDOR'].indexOf(s) >= 0 ? 'repair' : 'stock';
      },
      entries: [
        { key: 'IN_USE', style: function () { return point('plus', 5, '#8c510a'); } },
        { key: 'repair', label: function () { return t('legend.repair'); }, style: function () { return point('plus', 5, RED); } },
        { key: 'stock', label: function () { return t('legend.stock'); }, style: function () { return point('plus', 5, GREY); } },
      ] },
    { name: 'faults', minzoom: 12, visible: false, collection: 'faults', one: 'fault',
      key: function (f) { return ['RESOLVED', 'CLOSED', 'CANCELLED'].indexOf(f.get('state')) >= 0 ? 'closed' : 'open'; },
      entries: [
        { key: 'open', label: function () { return t('legend.open'); }, style: function () { return new ol.style.Style({ image: new ol.style.RegularShape({ points: 3, radius: 7, fill: fill('#fdae61'), stroke: stroke('#7f2704', 1.5), declutterMode: 'none' }) }); } },
        { key: 'closed', label: function () { return t('legend.closed'); }, style: function () { return new ol.style.Style({ image: new ol.style.RegularShape({ points: 3, radius: 6, fill: fill('#d9d9d9'), stroke: stroke('#737373', 1), declutterMode: 'none' }) }); } },
      ] },
    { name: 'cameras', minzoom: 12, collection: 'cameras', one: 'camera',
      key: statusOf,
      entries: ['ACTIVE', 'PLANNED', 'OFFLINE', 'DECOMMISSIONED'].map(function (key) {
        return { key: key, style: function (zoom, feature) { return cameraStyle(key, zoom === undefined ? 15 : zoom, feature); } };
      }),
      note: function () { return t('legendCameraSize'); } },
  ];
  LAYERS.forEach(function (def) {
    def.styles = {};
    def.entries.forEach(function (e) { def.styles[e.key] = e.style(); });
  });

  function keyOf(def, feature) {
    var key = def.key(feature);
    return def.styles[key] ? key : def.entries[0].key;
  }

  /** The style function of a layer's tiles: its legend entry's symbol, and a label where it has one. */
  function styleFunction(def, zoomAt) {
    var labelled = {};
    return function (feature, resolution) {
      var key = keyOf(def, feature);
      var zoom = zoomAt(resolution);
      var entry = def.entries.find(function (e) { return e.key === key; });
      var base = def.name === 'cameras' ? entry.style(zoom, feature) : def.styles[key];
      var label = def.text && def.text(feature, zoom);
      if (!label) return base;
      var id = key + '|' + label.getText();
      if (!labelled[id]) labelled[id] = [base, new ol.style.Style({ text: label })];
      return labelled[id];
    };
  }

  /** A 20-pixel canvas with a legend entry's symbol, drawn by OpenLayers' own renderer. */
  function drawSymbol(def, entry) {
    var canvas = document.createElement('canvas');
    canvas.width = 20;
    canvas.height = 20;
    canvas.className = 'sym';
    canvas.setAttribute('aria-hidden', 'true');
    var vc = ol.render.toContext(canvas.getContext('2d'), { size: [20, 20], pixelRatio: 1 });
    var style = def.name === 'cameras' ? entry.style(15) : def.styles[entry.key];
    vc.setStyle(style);
    if (def.name === 'network-lines') vc.drawGeometry(new ol.geom.LineString([[1, 10], [19, 10]]));
    else if (def.area) vc.drawGeometry(new ol.geom.Polygon([[[2, 2], [18, 2], [18, 18], [2, 18], [2, 2]]]));
    else vc.drawGeometry(new ol.geom.Point([10, 10]));
    return canvas;
  }
  /** The symbols of a layer side by side, for the layer list. */
  function swatch(def) {
    var span = document.createElement('span');
    span.className = 'swatches';
    span.setAttribute('aria-hidden', 'true');
    def.entries.slice(0, 3).forEach(function (e) { span.appendChild(drawSymbol(def, e)); });
    return span;
  }
  /** The legend: each layer, each entry: its symbol and what it means. */
  function legend(container) {
    container.innerHTML = '';
    LAYERS.slice().reverse().forEach(function (def) {
      var h = document.createElement('h3');
      h.textContent = t('layer.' + def.name);
      var ul = document.createElement('ul');
      ul.dataset.layer = def.name;
      def.entries.forEach(function (e) {
        var li = document.createElement('li');
        li.dataset.layer = def.name;
        li.dataset.key = e.key;
        li.appendChild(drawSymbol(def, e));
        var span = document.createElement('span');
        span.textContent = e.label ? e.label() : I.label(e.key);
        li.appendChild(span);
        ul.appendChild(li);
      });
      container.appendChild(h);
      container.appendChild(ul);
      if (def.note) {
        var p = document.createElement('p');
        p.className = 'note';
        p.textContent = def.note();
        container.appendChild(p);
      }
    });
  }

  var labelStyle = new ol.style.Style({
    text: text('', { font: 'bold 13px system-ui, sans-serif', fill: fill('#2f3b45'), stroke: stroke('rgba(255,255,255,0.95)', 4) }),
    geometry: function (f) {
      var g = f.getGeometry();
      var polygons = g.getType() === 'MultiPolygon' ? g.getPolygons() : [g];
      polygons.sort(function (a, b) { return b.getArea() - a.getArea(); });
      return polygons[0].getInteriorPoint();
    },
  });
  function neighbourhoodLabel(f) {
    labelStyle.getText().setText(f.get('name'));
    return labelStyle;
  }

  var parcelStyle = new ol.style.Style({ text: text('', { font: '10px system-ui, sans-serif', fill: fill('#6b5532') }) });
  function parcelLabel(f) {
    parcelStyle.getText().setText(f.get('ada') + '/' + f.get('parsel'));
    return parcelStyle;
  }

  window.kbsSymbols = {
    LAYERS: LAYERS, keyOf: keyOf, styleFunction: styleFunction, swatch: swatch, legend: legend,
    neighbourhoodLabel: neighbourhoodLabel, parcelLabel: parcelLabel, mark: mark, RED: RED,
  };
})();
