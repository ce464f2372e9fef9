/* KBS map page: OpenLayers (window.ol, bundled locally at /map/vendor/ol.js) over the vector tiles
 * at /tiles/{layer}/{z}/{x}/{y}.mvt. No base map: a plain background. The token (from the login
 * form, or pasted) is kept in memory only and sent in the Authorization header of tile requests and
 * GraphQL calls. The technical service's tools (analysis.js) hook in through window.kbsPage. */
(function () {
  'use strict';
  var ol = window.ol;
  var token = null;

  // What the tools of analysis.js listen to: 'token' (a login), 'feature' (a click on a point or line
  // feature: { feature, layer, shiftKey }), 'point' (a click where no point or line is: { coordinate }),
  // 'layer' (a layer switched on or off).
  var listeners = {};
  function emit(event, detail) { (listeners[event] || []).forEach(function (fn) { fn(detail); }); }

  var stroke = function (color, width, lineDash) { return new ol.style.Stroke({ color: color, width: width, lineDash: lineDash }); };
  var fill = function (color) { return new ol.style.Fill({ color: color }); };
  var circle = function (radius, color, strokeColor) {
    return new ol.style.Style({ image: new ol.style.Circle({ radius: radius, fill: fill(color), stroke: stroke(strokeColor || '#fff', 1.5) }) });
  };
  var LINE_COLORS = { ACTIVE: '#1f78b4', PLANNED: '#33a02c', OFFLINE: '#e31a1c', DECOMMISSIONED: '#999999' };
  var lineStyles = {};
  Object.keys(LINE_COLORS).forEach(function (status) {
    lineStyles[status] = new ol.style.Style({ stroke: stroke(LINE_COLORS[status], 2.5, status === 'PLANNED' ? [6, 4] : undefined) });
  });
  var cameraOnline = circle(6, '#d7301f');
  var cameraOther = circle(6, '#888888');

  // Bottom to top: what is drawn last is clicked first. A click on an area (`area`) still asks which
  // cameras see the point; a field of view (`passive`) is never the feature a click shows. `minzoom`
  // is the layer's in TileJSON: below it its tiles are empty.
  var LAYERS = [
    { name: 'neighbourhoods', minzoom: 8, title: 'Neighbourhoods', color: '#6a3d9a', area: true,
      style: new ol.style.Style({ stroke: stroke('#6a3d9a', 2), fill: fill('rgba(106, 61, 154, 0.04)') }) },
    { name: 'parcels', minzoom: 14, title: 'Parcels', color: '#8c6d31', area: true,
      style: new ol.style.Style({ stroke: stroke('#8c6d31', 0.7), fill: fill('rgba(0, 0, 0, 0)') }) },
    { name: 'camera-fov', minzoom: 14, title: 'Fields of view', color: 'rgba(255, 140, 0, 0.5)', area: true, passive: true, visible: false,
      style: new ol.style.Style({ stroke: stroke('rgba(215, 48, 31, 0.7)', 1), fill: fill('rgba(255, 140, 0, 0.25)') }) },
    { name: 'network-lines', minzoom: 10, title: 'Network lines', color: '#1f78b4',
      style: function (f) { return lineStyles[f.get('status')] || lineStyles.ACTIVE; } },
    { name: 'network-nodes', minzoom: 12, title: 'Network nodes', color: '#1f78b4', style: circle(4, '#1f78b4') },
    { name: 'remote-units', minzoom: 10, title: 'Remote units', color: '#ff7f00', style: circle(5, '#ff7f00') },
    { name: 'assets', minzoom: 14, title: 'Assets', color: '#b15928', style: circle(3, '#b15928'), visible: false },
    { name: 'faults', minzoom: 12, title: 'Faults', color: '#fb9a99', style: circle(4, '#fb9a99', '#e31a1c'), visible: false },
    { name: 'cameras', minzoom: 12, title: 'Cameras', color: '#d7301f',
      style: function (f) { return f.get('status') === 'ACTIVE' || !f.get('status') ? cameraOnline : cameraOther; } },
  ];

  /** Fetches a tile with the token, then hands its features to OpenLayers. */
  function tileLoadFunction(tile, url) {
    tile.setLoader(function (extent, _resolution, projection) {
      var headers = token ? { Authorization: 'Bearer ' + token } : {};
      fetch(url, { headers: headers })
        .then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status + ' for ' + url);
          return res.arrayBuffer();
        })
        .then(function (data) {
          tile.setFeatures(tile.getFormat().readFeatures(data, { extent: extent, featureProjection: projection }));
        })
        .catch(function (err) {
          console.warn('[kbs map] tile failed:', err.message);
          tile.setState(3); // TileState.ERROR
        });
    });
  }

  var layers = LAYERS.map(function (def, i) {
    var source = new ol.source.VectorTile({
      format: new ol.format.MVT(),
      url: '/tiles/' + def.name + '/{z}/{x}/{y}.mvt',
      // OpenLayers draws z tiles (512 pixels wide) from view zoom z + 1, so a layer would show only
      // from view zoom minzoom + 1: this draws its minzoom tiles from view zoom minzoom - 1 (the
      // layer's minZoom) and never asks for the empty ones below.
      minZoom: def.minzoom,
      maxZoom: 18,
      tileLoadFunction: tileLoadFunction,
    });
    var layer = new ol.layer.VectorTile({
      source: source, style: def.style, visible: def.visible !== false, zIndex: i, declutter: false, minZoom: def.minzoom - 1,
    });
    layer.set('name', def.name);
    layer.set('title', def.title);
    return layer;
  });

  var map = new ol.Map({
    target: 'map',
    layers: layers,
    view: new ol.View({ center: ol.proj.fromLonLat([37.795, 37.012]), zoom: 14, maxZoom: 21 }),
  });

  // Layer toggles.
  var fieldset = document.getElementById('layers');
  layers.slice().reverse().forEach(function (layer) {
    var def = LAYERS.find(function (d) { return d.name === layer.get('name'); });
    var label = document.createElement('label');
    var box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'layer-' + def.name;
    box.checked = layer.getVisible();
    box.addEventListener('change', function () {
      layer.setVisible(box.checked);
      emit('layer', layer);
    });
    var swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = def.color;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(document.createTextNode(def.title));
    fieldset.appendChild(label);
  });

  // Feature attributes on click: the topmost feature under the pointer.
  var info = document.getElementById('feature-info');
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function showFeature(feature, layer) {
    if (!feature) {
      info.innerHTML = '<em>No feature here.</em>';
      info.dataset.layer = '';
      info.dataset.id = '';
      return;
    }
    var props = feature.getProperties();
    var rows = [['layer', layer.get('name')], ['id', feature.getId()]];
    Object.keys(props).forEach(function (key) {
      if (key === 'layer' || key === 'geometry') return;
      rows.push([key, props[key]]);
    });
    info.dataset.layer = layer.get('name');
    info.dataset.id = String(feature.getId());
    info.innerHTML = '<h2>' + escapeHtml(layer.get('title')) + '</h2><table>' +
      rows.map(function (r) { return '<tr><th>' + escapeHtml(r[0]) + '</th><td>' + escapeHtml(r[1] == null ? '' : r[1]) + '</td></tr>'; }).join('') +
      '</table>';
  }
  function defOf(layer) { return LAYERS.find(function (d) { return d.name === layer.get('name'); }); }
  function isArea(layer) { return !!defOf(layer).area; }
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
  /** The point or line feature a click at the pixel picks, if any. */
  function pointOrLineAt(pixel) { return hitAt(pixel, function (l) { return !isArea(l); }); }
  // A point or a line: its attributes. Elsewhere: the area there (a parcel, a neighbourhood), if
  // any, and the cameras that see the point.
  map.on('singleclick', function (evt) {
    var shiftKey = !!(evt.originalEvent && evt.originalEvent.shiftKey);
    pointOrLineAt(evt.pixel).then(function (hit) {
      if (hit) {
        showFeature(hit.feature, hit.layer);
        emit('feature', { feature: hit.feature, layer: hit.layer, shiftKey: shiftKey });
        return null;
      }
      return hitAt(evt.pixel, function (l) { return isArea(l) && !defOf(l).passive; }).then(function (area) {
        showFeature(area && area.feature, area && area.layer);
        emit('point', { coordinate: evt.coordinate });
      });
    });
  });
  map.on('pointermove', function (evt) {
    if (evt.dragging) return;
    map.getTargetElement().style.cursor = map.hasFeatureAtPixel(evt.pixel, { hitTolerance: 4 }) ? 'pointer' : '';
  });

  /**
   * POSTs a GraphQL operation with the token (unless `anonymous`: a login must not send an expired
   * one); resolves to its data, or rejects with the first error (its extensions.code as `code`) when
   * the operation's fields came back null.
   */
  function gql(query, variables, anonymous) {
    var headers = { 'content-type': 'application/json' };
    if (token && !anonymous) headers.Authorization = 'Bearer ' + token;
    return fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify({ query: query, variables: variables || {} }) })
      .then(function (res) {
        return res.json().catch(function () { throw new Error('HTTP ' + res.status + ' from /graphql'); });
      })
      .then(function (body) {
        var data = body.data;
        var failed = !data || Object.keys(data).some(function (k) { return data[k] == null; });
        if (body.errors && body.errors.length && failed) {
          var err = new Error(body.errors[0].message);
          err.code = body.errors[0].extensions && body.errors[0].extensions.code;
          throw err;
        }
        if (!data) throw new Error('no data from /graphql');
        return data;
      });
  }

  // Login: GraphQL `login`, or a pasted token. Then every source reloads its tiles with the token.
  var status = document.getElementById('login-status');
  function useToken(newToken, who) {
    token = newToken || null;
    layers.forEach(function (layer) { layer.getSource().refresh(); });
    status.textContent = token ? 'Logged in' + (who ? ' as ' + who : ' with a token') + '.' : 'Not logged in: public features only.';
    status.dataset.state = token ? 'in' : 'out';
    emit('token', token);
  }
  document.getElementById('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var username = document.getElementById('username').value;
    var password = document.getElementById('password').value;
    status.textContent = 'Logging in…';
    status.dataset.state = 'pending';
    gql('mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken user { fullName } } }', { u: username, p: password }, true)
      .then(function (data) {
        document.getElementById('password').value = '';
        var user = data.login.user;
        useToken(data.login.accessToken, user && user.fullName ? user.fullName : username);
      })
      .catch(function (err) {
        status.textContent = 'Login failed: ' + err.message;
        status.dataset.state = 'error';
      });
  });
  document.getElementById('token-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = document.getElementById('token');
    useToken(input.value.trim());
    input.value = '';
  });

  /** What analysis.js (and the browser tests) build on. */
  window.kbsPage = {
    map: map,
    layer: function (name) { return layers.find(function (l) { return l.get('name') === name; }); },
    gql: gql,
    escapeHtml: escapeHtml,
    loggedIn: function () { return token !== null; },
    pointOrLineAt: pointOrLineAt,
    on: function (event, fn) { (listeners[event] = listeners[event] || []).push(fn); },
  };
  window.kbsMap = map;
  window.kbsReady = new Promise(function (resolve) {
    map.once('rendercomplete', function () {
      window.kbsReady.done = true;
      resolve(map);
    });
  });
})();
