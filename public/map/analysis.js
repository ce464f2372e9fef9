/* KBS map page, the technical service's tools (on window.kbsPage from map.js): what a failure of the
 * selected network lines and nodes would cut off (GraphQL networkImpact), the remote units cut off
 * now, and the cameras that see a clicked point (camerasSeeing). */
(function () {
  'use strict';
  var ol = window.ol;
  var page = window.kbsPage;
  var map = page.map;
  var escapeHtml = page.escapeHtml;
  var t = page.t;
  var geojson = new ol.format.GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

  var stroke = function (color, width, lineDash) { return new ol.style.Stroke({ color: color, width: width, lineDash: lineDash }); };
  var fill = function (color) { return new ol.style.Fill({ color: color }); };
  var RED = window.kbsSymbols.RED;
  var ring = function (radius, width, fillColor) {
    return new ol.style.Style({ image: new ol.style.Circle({ radius: radius, stroke: stroke(RED, width), fill: fillColor ? fill(fillColor) : undefined }) });
  };
  var cross = function (color, width) {
    return new ol.style.Style({ image: new ol.style.RegularShape({ points: 4, radius: 10, radius2: 0, angle: Math.PI / 4, stroke: stroke(color, width) }) });
  };
  var IMPACT_STYLES = {
    'remote-unit': ring(9, 3, 'rgba(227, 26, 28, 0.35)'),
    camera: ring(8, 2),
    node: ring(7, 2),
    line: new ol.style.Style({ stroke: stroke('rgba(227, 26, 28, 0.55)', 7) }),
    'down-line': new ol.style.Style({ stroke: stroke('#000', 4, [8, 6]) }),
    'down-node': cross('#000', 3),
  };
  var CUT_OFF_STYLE = [cross('#fff', 6), cross(RED, 3)];
  var SELECTED = {
    line: new ol.style.Style({ stroke: stroke('#ffd400', 6) }),
    node: new ol.style.Style({ image: new ol.style.Circle({ radius: 7, fill: fill('#ffd400'), stroke: stroke('#000', 1.5) }) }),
  };

  /** A vector layer above the tiles, named for the tests. */
  function overlay(name, zIndex, style) {
    var layer = new ol.layer.Vector({ source: new ol.source.Vector(), zIndex: zIndex, style: style });
    layer.set('name', name);
    map.addLayer(layer);
    return layer;
  }
  var impactLayer = overlay('impact', 100, function (f) { return IMPACT_STYLES[f.get('kind')]; });
  var cutOffLayer = overlay('cut-off', 101, CUT_OFF_STYLE);

  /** A GraphQL row with a GeoJSON geometry as a feature of an overlay, its id "kind:id". */
  function featureOf(kind, row) {
    if (!row.geometry) return null;
    var feature = new ol.Feature({ geometry: geojson.readGeometry(row.geometry), kind: kind, code: row.code });
    feature.setId(kind + ':' + row.id);
    return feature;
  }

  /** What to say when a GraphQL call failed: what the account lacks, or the error. */
  function explain(err, what) {
    var p = { what: t('what.' + what), grant: t('grant.' + what), message: err.message };
    return t(err.code === 'FORBIDDEN' ? 'forbidden' : err.code === 'UNAUTHENTICATED' ? 'needLogin' : 'askFailed', p);
  }
  // What each element says, as a function of the language: said again when the language changes.
  var saying = [];
  function say(element, state, html) {
    element.dataset.state = state;
    var render = typeof html === 'function' ? html : function () { return html; };
    saying = saying.filter(function (s) { return s.element !== element; }).concat([{ element: element, render: render }]);
    element.innerHTML = render();
  }
  page.i18n.onChange(function () {
    saying.forEach(function (s) { s.element.innerHTML = s.render(); });
    showSelection();
  });

  // Selection: the network lines and nodes a what-if takes down; drawn yellow on their tile layers.
  var selected = [];
  var selection = document.getElementById('selection');
  var whatIf = document.getElementById('what-if');
  var clear = document.getElementById('what-if-clear');
  var impact = document.getElementById('impact');
  var KIND_OF_LAYER = { 'network-lines': 'line', 'network-nodes': 'node' };
  var isSelected = function (kind, id) { return selected.some(function (s) { return s.kind === kind && s.id === String(id); }); };
  Object.keys(KIND_OF_LAYER).forEach(function (name) {
    var layer = page.layer(name);
    var base = layer.getStyle();
    layer.setStyle(function (feature, resolution) {
      if (isSelected(KIND_OF_LAYER[name], feature.getId())) return SELECTED[KIND_OF_LAYER[name]];
      return typeof base === 'function' ? base(feature, resolution) : base;
    });
  });
  function showSelection() {
    Object.keys(KIND_OF_LAYER).forEach(function (name) { page.layer(name).changed(); });
    whatIf.disabled = selected.length === 0;
    whatIf.textContent = t(selected.length > 1 ? 'whatIfMany' : 'whatIfOne');
    clear.disabled = selected.length === 0 && impactLayer.getSource().getFeatures().length === 0;
    selection.innerHTML = selected.length
      ? escapeHtml(t('selected')) + ' ' + selected.map(function (s) { return escapeHtml(t('kind.' + s.kind)) + ' <b>' + escapeHtml(s.code) + '</b>'; }).join(', ')
      : '<em>' + escapeHtml(t('selectHint')) + '</em>';
  }
  page.on('feature', function (hit) {
    var kind = KIND_OF_LAYER[hit.layer.get('name')];
    if (!kind) return;
    var item = { kind: kind, id: String(hit.feature.getId()), code: hit.feature.get('code') || hit.feature.getId() };
    if (!hit.shiftKey) selected = [item];
    else if (isSelected(kind, item.id)) selected = selected.filter(function (s) { return !(s.kind === kind && s.id === item.id); });
    else selected = selected.concat([item]);
    showSelection();
  });

  var IMPACT = 'query WhatIf($lines: [ID!]!, $nodes: [ID!]!, $current: Boolean!) { networkImpact(lineIds: $lines, nodeIds: $nodes, current: $current) {' +
    ' remoteUnits { id code name geometry } cameras { id code name geometry } lines { id code name geometry } nodes { id code name geometry }' +
    ' downLines { id code geometry } downNodes { id code geometry } } }';
  var LISTED = [['remoteUnits', 'remote-unit'], ['cameras', 'camera'], ['lines', 'line'], ['nodes', 'node']];
  var impactAsked = 0;
  whatIf.addEventListener('click', function () {
    var asked = ++impactAsked;
    var ids = function (kind) { return selected.filter(function (s) { return s.kind === kind; }).map(function (s) { return s.id; }); };
    impactLayer.getSource().clear();
    say(impact, 'pending', function () { return '<p>' + escapeHtml(t('asking')) + '</p>'; });
    page.gql(IMPACT, { lines: ids('line'), nodes: ids('node'), current: document.getElementById('what-if-current').checked })
      .then(function (data) {
        if (asked !== impactAsked) return;
        var r = data.networkImpact;
        var features = [];
        var add = function (kind, rows) { (rows || []).forEach(function (row) { var f = featureOf(kind, row); if (f) features.push(f); }); };
        LISTED.forEach(function (l) { add(l[1], r[l[0]]); });
        add('down-line', r.downLines);
        add('down-node', r.downNodes);
        impactLayer.getSource().addFeatures(features);
        say(impact, 'done', function () {
          return LISTED.map(function (l) {
            var rows = r[l[0]] || [];
            return '<h3>' + escapeHtml(t('impact.' + l[0])) + ' (' + rows.length + ')</h3>' + (rows.length ? '<ul>' + rows.map(function (row) {
              return '<li data-kind="' + l[1] + '" data-id="' + escapeHtml(row.id) + '" tabindex="0">' + escapeHtml(row.code) + (row.name ? ' – ' + escapeHtml(row.name) : '') + '</li>';
            }).join('') + '</ul>' : '');
          }).join('');
        });
        clear.disabled = false;
      })
      .catch(function (err) {
        if (asked === impactAsked) say(impact, 'error', function () { return '<p class="message">' + escapeHtml(explain(err, 'network')) + '</p>'; });
      });
  });
  // A listed row: the map shows it.
  impact.addEventListener('click', function (e) {
    var li = e.target.closest('li[data-kind]');
    var feature = li && impactLayer.getSource().getFeatureById(li.dataset.kind + ':' + li.dataset.id);
    if (feature) map.getView().fit(feature.getGeometry(), { maxZoom: 18, padding: [60, 60, 60, 60], duration: 300 });
  });
  function clearImpact() {
    impactAsked++;
    selected = [];
    impactLayer.getSource().clear();
    say(impact, '', '');
    showSelection();
  }
  clear.addEventListener('click', clearImpact);

  // The remote units cut off now: asked on login and when a network layer is switched on; marked
  // while the remote units are shown.
  var status = document.getElementById('network-status');
  var cutOffAsked = 0;
  function markCutOff() {
    var asked = ++cutOffAsked;
    cutOffLayer.getSource().clear();
    if (!page.loggedIn()) return say(status, 'out', function () { return escapeHtml(t('networkLogin')); });
    say(status, 'pending', function () { return escapeHtml(t('networkAsking')); });
    page.gql('query CutOff { networkImpact(current: true) { remoteUnits { id code name geometry } } }')
      .then(function (data) {
        if (asked !== cutOffAsked) return;
        var units = data.networkImpact.remoteUnits;
        cutOffLayer.getSource().addFeatures(units.map(function (u) { return featureOf('remote-unit', u); }).filter(Boolean));
        say(status, 'done', function () {
          return units.length
            ? '<b>' + escapeHtml(t('networkCutOff', { n: units.length })) + '</b> ' + escapeHtml(t('marked')) + ': ' + units.map(function (u) { return escapeHtml(u.code); }).join(', ')
            : escapeHtml(t('networkNone'));
        });
      })
      .catch(function (err) {
        if (asked === cutOffAsked) say(status, err.code === 'FORBIDDEN' ? 'forbidden' : 'error', function () { return '<span class="message">' + escapeHtml(explain(err, 'network')) + '</span>'; });
      });
  }
  markCutOff();
  showSelection();
  var units = page.layer('remote-units');
  cutOffLayer.setVisible(units.getVisible());
  page.on('layer', function (layer) {
    if (layer === units) cutOffLayer.setVisible(units.getVisible());
    if ((layer === units || layer === page.layer('network-lines')) && layer.getVisible()) {
      // The network as it is now: its tiles anew (a line's status may have changed), and what is cut off.
      ['network-lines', 'network-nodes', 'remote-units'].forEach(function (name) { page.layer(name).getSource().refresh(); });
      markCutOff();
    }
  });
  page.on('token', function () {
    clearImpact();
    markCutOff();
  });

  // The cameras that see a point clicked where no point or line is.
  var sightings = document.getElementById('sightings');
  var seeingAsked = 0;
  page.on('feature', function () {
    seeingAsked++;
    say(sightings, '', '');
  });
  var SEEING = 'query Seeing($x: Float!, $y: Float!) { camerasSeeing(x: $x, y: $y) { distanceMeters bearingDegrees camera { id code name } } }';
  page.on('point', function (e) {
    var asked = ++seeingAsked;
    var lonLat = ol.proj.toLonLat(e.coordinate);
    sightings.dataset.lon = String(lonLat[0]);
    sightings.dataset.lat = String(lonLat[1]);
    var title = function () { return '<h2>' + escapeHtml(t('seeingTitle')) + '</h2>'; };
    say(sightings, 'pending', function () { return title() + '<p>' + escapeHtml(t('asking')) + '</p>'; });
    page.gql(SEEING, { x: lonLat[0], y: lonLat[1] })
      .then(function (data) {
        if (asked !== seeingAsked) return;
        var rows = data.camerasSeeing;
        say(sightings, 'done', function () {
          return title() + (rows.length ? '<ul>' + rows.map(function (s) {
            return '<li data-id="' + escapeHtml(s.camera.id) + '"><b>' + escapeHtml(s.camera.code) + '</b> ' + escapeHtml(s.camera.name) + ': ' +
              escapeHtml(page.i18n.number(s.distanceMeters, 1)) + ' m' + (s.bearingDegrees == null ? '' : ', ' + escapeHtml(t('bearing', { deg: s.bearingDegrees.toFixed(0) }))) + '</li>';
          }).join('') + '</ul>' : '<p>' + escapeHtml(t('seeingNone')) + '</p>') +
            '<p class="note">' + escapeHtml(t('seeingNote')) + '</p>';
        });
      })
      .catch(function (err) {
        if (asked === seeingAsked) say(sightings, 'error', function () { return title() + '<p class="message">' + escapeHtml(explain(err, 'cameras')) + '</p>'; });
      });
  });
})();
