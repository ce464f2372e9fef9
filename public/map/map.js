/* KBS map page: OpenLayers (window.ol, served locally at /map/vendor/ol.js) over the vector tiles at
 * /tiles/{layer}/{z}/{x}/{y}.mvt, on the server's own 256-pixel XYZ grid. No base map: a plain
 * background, neighbourhood names from GraphQL, a scale bar, the pointer's position in TM39 or WGS84
 * (proj4, at /map/vendor/proj4.js) and a home button. Each layer's symbols come from one table
 * (symbols.js) that draws both the map and the legend. Tiles and GraphQL go through
 * window.kbsSession (session.js); the record panel, search, tools and the technical service's tools
 * (panel.js, search.js, tools.js, analysis.js) hook in through window.kbsPage. */
(function () {
  'use strict';
  var ol = window.ol;
  var I = window.kbsI18n;
  var t = I.t;
  var session = window.kbsSession;
  var symbols = window.kbsSymbols;

  // TUREF / TM39 as PROJ defines EPSG:5257 (`projinfo EPSG:5257 -o PROJ`).
  window.proj4.defs('EPSG:5257', '+proj=tmerc +lat_0=0 +lon_0=39 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs');
  ol.proj.proj4.register(window.proj4);

  // What the other scripts listen to: 'token' (a session began or ended), 'feature' (a click on a point
  // or line: { feature, layer, shiftKey }), 'area' (a click on an area feature, or on nothing:
  // { feature, layer } or null), 'point' (a click where no point or line is: { coordinate }),
  // 'layer' (a layer switched on or off).
  var listeners = {};
  function emit(event, detail) { (listeners[event] || []).forEach(function (fn) { fn(detail); }); }

  var LAYERS = symbols.LAYERS;
  var view = new ol.View({ center: ol.proj.fromLonLat([37.795, 37.012]), zoom: 14, maxZoom: 21, minZoom: 8 });
  var HOME = { center: view.getCenter(), zoom: view.getZoom() };
  var zoomAt = function (resolution) { return view.getZoomForResolution(resolution); };

  /** Per layer, what its tiles last answered: '' (drawn), 'login' (401) or 'forbidden' (403). */
  var refusal = {};
  function tileLoader(name) {
    return function (tile, url) {
      tile.setLoader(function (extent, _resolution, projection) {
        session.fetch(url)
          .then(function (res) {
            if (res.status === 401 || res.status === 403) {
              setRefusal(name, res.status === 401 ? 'login' : 'forbidden');
              return tile.setFeatures([]);
            }
            if (!res.ok) throw new Error('HTTP ' + res.status + ' for ' + url);
            setRefusal(name, '');
            return res.arrayBuffer().then(function (data) {
              tile.setFeatures(tile.getFormat().readFeatures(data, { extent: extent, featureProjection: projection }));
            });
          })
          .catch(function (err) {
            console.warn('[kbs map] tile failed:', err.message);
            tile.setState(3); // TileState.ERROR
          });
      });
    };
  }

  var layers = LAYERS.map(function (def, i) {
    var source = new ol.source.VectorTile({
      format: new ol.format.MVT(),
      url: '/tiles/' + def.name + '/{z}/{x}/{y}.mvt',
      // The server's tiles are 256 pixels wide (XYZ): view zoom z draws tiles z. Zooms below the
      // layer's TileJSON minzoom are never asked for (their tiles are empty).
      tileGrid: ol.tilegrid.createXYZ({ tileSize: 256, minZoom: def.minzoom, maxZoom: 18 }),
      tileLoadFunction: tileLoader(def.name),
    });
    var layer = new ol.layer.VectorTile({
      source: source, style: symbols.styleFunction(def, zoomAt), visible: def.visible !== false, zIndex: i,
      declutter: !!def.labels, minZoom: def.minzoom - 0.5, renderBuffer: 120,
    });
    layer.set('name', def.name);
    return layer;
  });
  var byName = function (name) { return layers.find(function (l) { return l.get('name') === name; }); };
  var defOf = function (layer) { return LAYERS.find(function (d) { return d.name === layer.get('name'); }); };

  // Neighbourhood names: one label per neighbourhood (its largest part's interior point), from
  // GraphQL rather than the tiles, which would repeat a name in every tile the boundary crosses.
  var labels = new ol.layer.Vector({
    source: new ol.source.Vector(), declutter: 'labels', zIndex: 2.5, minZoom: 11,
    style: symbols.neighbourhoodLabel,
  });
  labels.set('name', 'labels');
  var geojson = new ol.format.GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
  var labelsReady;
  function loadLabels() {
    labelsReady = session.gql('{ neighbourhoods(first: 1000) { featureCollection } }')
      .then(function (data) {
        labels.getSource().clear();
        labels.getSource().addFeatures(geojson.readFeatures(data.neighbourhoods.featureCollection));
        emit('neighbourhoods', labels.getSource().getFeatures().map(function (f) { return f.get('name'); }));
      })
      .catch(function (err) { console.warn('[kbs map] neighbourhood names:', err.message); });
    return labelsReady;
  }

  // Parcel numbers (ada/parsel) from zoom 17: one per parcel of the view, from GraphQL, for the tiles
  // would label each piece of a parcel that a tile boundary cuts.
  var parcelLabels = new ol.layer.Vector({ source: new ol.source.Vector(), declutter: 'labels', zIndex: 2.6, minZoom: 16.5, style: symbols.parcelLabel });
  parcelLabels.set('name', 'parcel-labels');
  var parcelsAsked = 0;
  function loadParcelLabels() {
    var mine = ++parcelsAsked;
    var source = parcelLabels.getSource();
    if (view.getZoom() < 16.5 || !byName('parcels').getVisible()) return source.clear();
    var e = ol.proj.transformExtent(view.calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326');
    session.gql('query ParcelLabels($b: BBoxInput!) { parcels(spatial: { bbox: $b }, first: 1000) { featureCollection } }', { b: { minx: e[0], miny: e[1], maxx: e[2], maxy: e[3] } })
      .then(function (data) {
        if (mine !== parcelsAsked) return;
        source.clear();
        source.addFeatures(geojson.readFeatures(data.parcels.featureCollection));
      })
      .catch(function () { if (mine === parcelsAsked) source.clear(); });
  }

  /** Fits the view to what the account may see of the neighbourhoods, or the opening view. */
  function home() {
    var extent = labels.getSource().getExtent();
    if (labels.getSource().getFeatures().length && ol.extent.getWidth(extent) > 0) view.fit(extent, { padding: [20, 20, 20, 20], duration: 300 });
    else view.animate({ center: HOME.center, zoom: HOME.zoom, duration: 300 });
  }
  var homeButton = document.createElement('button');
  homeButton.type = 'button';
  homeButton.className = 'kbs-home';
  homeButton.textContent = '⌂';
  homeButton.addEventListener('click', home);
  var homeControl = new ol.control.Control({ element: (function () {
    var div = document.createElement('div');
    div.className = 'kbs-home-control ol-unselectable ol-control';
    div.appendChild(homeButton);
    return div;
  })() });

  var crsSelect = document.getElementById('crs-select');
  function coordinateFormat(c) {
    if (crsSelect.value === 'EPSG:5257') return t('tm39Format', { e: I.number(c[0], 2), n: I.number(c[1], 2) });
    return t('wgs84Format', { lat: I.number(c[1], 6), lon: I.number(c[0], 6) });
  }
  var mousePosition = new ol.control.MousePosition({
    projection: crsSelect.value, coordinateFormat: coordinateFormat, target: document.getElementById('mouse-position'), placeholder: '&nbsp;',
  });
  crsSelect.addEventListener('change', function () { mousePosition.setProjection(crsSelect.value); });
  var scaleLine = new ol.control.ScaleLine({ units: 'metric', bar: true, steps: 4, text: false, minWidth: 120 });

  var map = new ol.Map({
    target: 'map',
    layers: layers.concat([labels, parcelLabels]),
    view: view,
    controls: ol.control.defaults.defaults({ attribution: false, rotate: false }).extend([scaleLine, mousePosition, homeControl]),
  });

  // Layer list: a checkbox, the layer's symbols, and why it shows nothing when it does not.
  var fieldset = document.getElementById('layers');
  var rows = {};
  layers.slice().reverse().forEach(function (layer) {
    var def = defOf(layer);
    var label = document.createElement('label');
    label.className = 'layer-row';
    label.dataset.layer = def.name;
    var box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'layer-' + def.name;
    box.checked = layer.getVisible();
    box.addEventListener('change', function () {
      layer.setVisible(box.checked);
      if (def.name === 'neighbourhoods') labels.setVisible(box.checked);
      if (def.name === 'parcels') loadParcelLabels();
      updateRanges();
      emit('layer', layer);
    });
    var title = document.createElement('span');
    title.className = 'title';
    var note = document.createElement('span');
    note.className = 'layer-note';
    label.appendChild(box);
    label.appendChild(symbols.swatch(def));
    label.appendChild(title);
    label.appendChild(note);
    fieldset.appendChild(label);
    rows[def.name] = { label: label, title: title, note: note, def: def };
  });
  function setRefusal(name, why) {
    if (refusal[name] === why) return;
    refusal[name] = why;
    updateRanges();
  }
  /** Greys out the layers the view's zoom or the account's grants keep from drawing, and says why. */
  function updateRanges() {
    var zoom = view.getZoom();
    var hidden = [];
    LAYERS.forEach(function (def) {
      var row = rows[def.name];
      var layer = byName(def.name);
      var inRange = zoom > def.minzoom - 0.5;
      var why = !inRange ? 'zoom' : refusal[def.name] || '';
      row.title.textContent = t('layer.' + def.name);
      row.label.dataset.state = why || 'drawn';
      row.label.classList.toggle('inactive', !!why);
      row.note.textContent = why === 'zoom' ? t('zoomInFor', { layer: t('layer.' + def.name), z: def.minzoom })
        : why === 'login' ? t('loginFor') : why === 'forbidden' ? t('notPermitted') : '';
      if (!inRange && layer.getVisible()) hidden.push(t('layer.' + def.name));
    });
    var hint = document.getElementById('zoom-hint');
    hint.textContent = hidden.length ? t('hiddenLayers', { layers: hidden.join(', ') }) : '';
    hint.hidden = !hidden.length;
  }
  view.on('change:resolution', updateRanges);
  I.onChange(function () {
    updateRanges();
    homeButton.title = t('home');
    homeButton.setAttribute('aria-label', t('home'));
    layers.forEach(function (l) { l.changed(); });
    labels.changed();
  });
  homeButton.title = t('home');
  homeButton.setAttribute('aria-label', t('home'));
  updateRanges();
  var legendBox = document.getElementById('legend-layers');
  symbols.legend(legendBox);
  I.onChange(function () { symbols.legend(legendBox); });

  /**
   * The topmost feature at the pixel among the visible layers that `accept`, as { feature, layer },
   * or null. Layer by layer from the top: layer.getFeatures(pixel) reads the layer's hit-detection
   * canvas (which finds the points of vector tiles, where map.forEachFeatureAtPixel may miss them),
   * then forEachFeatureAtPixel with a few pixels' tolerance for thin lines.
   */
  function hitAt(pixel, accept) {
    var visible = layers.filter(function (l) { return l.getVisible() && accept(l); }).sort(function (a, b) { return b.getZIndex() - a.getZIndex(); });
    return Promise.all(visible.map(function (layer) { return layer.getFeatures(pixel).catch(function () { return []; }); })).then(function (found) {
      for (var i = 0; i < visible.length; i++) {
        var feature = found[i][0];
        if (!feature) {
          map.forEachFeatureAtPixel(pixel, function (f) { feature = f; return true; }, {
            hitTolerance: 4,
            layerFilter: function (l) { return l === visible[i]; },
          });
        }
        if (feature) return { feature: feature, layer: visible[i] };
      }
      return null;
    });
  }
  var isArea = function (layer) { return !!defOf(layer).area; };
  /** The point or line feature a click at the pixel picks, if any. */
  function pointOrLineAt(pixel) { return hitAt(pixel, function (l) { return !isArea(l); }); }

  var page = {
    map: map,
    view: view,
    layers: LAYERS,
    layer: byName,
    gql: session.gql,
    session: session,
    t: t,
    i18n: I,
    escapeHtml: function (s) {
      return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
    },
    loggedIn: session.loggedIn,
    pointOrLineAt: pointOrLineAt,
    home: home,
    labels: labels,
    labelsReady: function () { return labelsReady; },
    /** The legend entry a drawn feature of a layer falls under. */
    legendKey: function (name, feature) { return symbols.keyOf(LAYERS.find(function (d) { return d.name === name; }), feature); },
    /** Set by a tool that takes the map's clicks for itself (measuring). */
    busy: false,
    on: function (event, fn) { (listeners[event] = listeners[event] || []).push(fn); },
    emit: emit,
  };

  // A point or a line: its record. Elsewhere: the area there (a parcel, a neighbourhood), if any,
  // and the cameras that see the point.
  map.on('singleclick', function (evt) {
    if (page.busy) return;
    var shiftKey = !!(evt.originalEvent && evt.originalEvent.shiftKey);
    pointOrLineAt(evt.pixel).then(function (hit) {
      if (hit) return emit('feature', { feature: hit.feature, layer: hit.layer, shiftKey: shiftKey });
      return hitAt(evt.pixel, function (l) { return isArea(l) && !defOf(l).passive; }).then(function (area) {
        emit('area', area);
        emit('point', { coordinate: evt.coordinate });
      });
    });
  });
  map.on('pointermove', function (evt) {
    if (evt.dragging || page.busy) return;
    map.getTargetElement().style.cursor = map.hasFeatureAtPixel(evt.pixel, { hitTolerance: 4 }) ? 'pointer' : '';
  });

  // A session began or ended: every layer anew with the new token (or none), the names too.
  session.onChange(function (token) {
    refusal = {};
    layers.forEach(function (layer) { layer.getSource().refresh(); });
    updateRanges();
    loadLabels();
    loadParcelLabels();
    emit('token', token);
  });
  loadLabels();
  map.on('moveend', loadParcelLabels);

  // The language switch, and the panel's toggle on a phone.
  var langSelect = document.getElementById('lang-select');
  langSelect.value = I.lang();
  langSelect.addEventListener('change', function () { I.setLang(langSelect.value); });
  var toggle = document.getElementById('panel-toggle');
  toggle.addEventListener('click', function () {
    var collapsed = document.body.classList.toggle('panel-collapsed');
    toggle.setAttribute('aria-expanded', String(!collapsed));
    map.updateSize();
  });
  window.addEventListener('resize', function () { map.updateSize(); });

  window.kbsPage = page;
  window.kbsMap = map;
  window.kbsReady = new Promise(function (resolve) {
    map.once('rendercomplete', function () {
      window.kbsReady.done = true;
      resolve(map);
    });
  });
})();
