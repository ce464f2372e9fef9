/* KBS map page: the record panel. A click on a feature (or a search result) shows its whole record
 * from GraphQL, read with the session's grants and labelled in the interface language: the related
 * items (a camera's asset, custody and open faults, a parcel's neighbourhood, a line's two ends, …)
 * open in turn; the feature is highlighted, a camera's field of view drawn; "zoom to" and links to
 * the same record in GraphQL and OGC API. The tile's attributes are shown until the record comes. */
(function () {
  'use strict';
  var ol = window.ol;
  var page = window.kbsPage;
  var I = page.i18n;
  var t = page.t;
  var esc = page.escapeHtml;
  var map = page.map;
  var geojson = new ol.format.GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
  var info = document.getElementById('feature-info');

  var REF = '{ id code name }';
  var END = '{ __typename ... on NetworkNode { id code name } ... on RemoteUnit { id code name } }';
  var NB = 'neighbourhood { id name }';
  var FAULTS = 'faults { id category priority state reportedAt description }';
  var CUSTODIAN = 'custodian { __typename ... on User { fullName } ... on OrgUnit { name } }';
  /** Per layer: the GraphQL field, what to ask, and the rows to show in order. */
  var RECORDS = {
    cameras: { field: 'camera', ask: 'code name kind purpose status azimuth horizontalFov rangeMeters mountHeightMeters installedOn recorder recorderChannel streamUrl isPublic version updatedAt ' + NB +
      ' ownerOrgUnit { code name } servedBy ' + END + ' asset { id inventoryNo type state make model ' + CUSTODIAN + ' ' + FAULTS + ' } geometry fieldOfView',
      rows: ['code', 'name', 'kind', 'purpose', 'status', 'azimuth', 'horizontalFov', 'rangeMeters', 'mountHeightMeters', 'installedOn', 'recorder', 'recorderChannel', 'streamUrl', 'neighbourhood', 'servedBy', 'asset', 'ownerOrgUnit', 'isPublic', 'updatedAt'] },
    parcels: { field: 'parcel', ask: 'mahalle ada parsel nitelik pafta district province areaSquareMeters registeredAreaSquareMeters areaDifferenceSquareMeters source importedAt isPublic updatedAt ' + NB + ' geometry',
      rows: ['mahalle', 'ada', 'parsel', 'nitelik', 'pafta', 'district', 'province', 'areaSquareMeters', 'registeredAreaSquareMeters', 'areaDifferenceSquareMeters', 'neighbourhood', 'source', 'importedAt'] },
    neighbourhoods: { field: 'neighbourhood', ask: 'code name district province population areaSquareMeters counts { cameras parcels networkLines networkNodes remoteUnits assets } geometry',
      rows: ['name', 'code', 'district', 'province', 'population', 'areaSquareMeters', 'counts'] },
    'network-lines': { field: 'networkLine', ask: 'code name medium status capacityMbps provider circuitId lengthMeters updatedAt ' + NB + ' aEnd ' + END + ' zEnd ' + END + ' asset { id inventoryNo type state } geometry',
      rows: ['code', 'name', 'status', 'medium', 'capacityMbps', 'provider', 'circuitId', 'lengthMeters', 'aEnd', 'zEnd', 'asset', 'neighbourhood', 'updatedAt'] },
    'network-nodes': { field: 'networkNode', ask: 'code name kind status updatedAt ' + NB + ' asset { id inventoryNo type state } lines { id code name status } geometry',
      rows: ['code', 'name', 'kind', 'status', 'asset', 'neighbourhood', 'lines', 'updatedAt'] },
    'remote-units': { field: 'remoteUnit', ask: 'code name status updatedAt address { street doorNo mahalle } orgUnit { code name } internet { provider line bandwidthMbps } ' + NB + ' lines { id code name status } geometry',
      rows: ['code', 'name', 'status', 'orgUnit', 'address', 'internet', 'neighbourhood', 'lines', 'updatedAt'] },
    assets: { field: 'asset', ask: 'inventoryNo serialNo type make model state site ipAddress purchasedOn warrantyEndsOn updatedAt ' + NB + ' remoteUnit ' + REF + ' camera ' + REF + ' ' + CUSTODIAN + ' ' + FAULTS + ' geometry',
      rows: ['inventoryNo', 'serialNo', 'type', 'make', 'model', 'state', 'custodian', 'site', 'ipAddress', 'purchasedOn', 'warrantyEndsOn', 'camera', 'remoteUnit', 'neighbourhood', 'updatedAt'] },
    faults: { field: 'fault', ask: 'category priority state description reportedAt reporterName assigneeName ageDays ' + NB + ' asset { id inventoryNo type state } geometry',
      rows: ['category', 'priority', 'state', 'description', 'asset', 'reportedAt', 'reporterName', 'assigneeName', 'ageDays', 'neighbourhood'] },
  };
  var ENUM_FIELDS = ['kind', 'purpose', 'status', 'medium', 'state', 'type', 'category', 'priority', 'connectivity'];
  var OPEN = function (f) { return ['RESOLVED', 'CLOSED', 'CANCELLED'].indexOf(f.state) < 0; };
  var LAYER_OF = { NetworkNode: 'network-nodes', RemoteUnit: 'remote-units', neighbourhood: 'neighbourhoods', asset: 'assets', camera: 'cameras', remoteUnit: 'remote-units', lines: 'network-lines' };

  // The highlight: the selected feature, and a selected camera's field of view.
  var highlight = new ol.layer.Vector({
    source: new ol.source.Vector(), zIndex: 90,
    style: function (f) {
      if (f.get('role') === 'fov') return new ol.style.Style({ fill: new ol.style.Fill({ color: 'rgba(255, 140, 0, 0.28)' }), stroke: new ol.style.Stroke({ color: '#e66100', width: 2 }) });
      var type = f.getGeometry().getType();
      if (/Point/.test(type)) return new ol.style.Style({ image: new ol.style.Circle({ radius: 12, stroke: new ol.style.Stroke({ color: '#ffd400', width: 4 }) }) });
      return [
        new ol.style.Style({ stroke: new ol.style.Stroke({ color: '#000', width: 7 }) }),
        new ol.style.Style({ stroke: new ol.style.Stroke({ color: '#ffd400', width: 4 }), fill: new ol.style.Fill({ color: 'rgba(255, 212, 0, 0.15)' }) }),
      ];
    },
  });
  highlight.set('name', 'highlight');
  map.addLayer(highlight);

  var current = null; // { layer, id, tile, record, state, message }
  var asked = 0;

  function value(key, v) {
    if (v == null) return key === 'streamUrl' ? '<span class="note">' + esc(t('withheld')) + '</span>' : '—';
    if (typeof v === 'boolean') return esc(v ? t('yes') : t('no'));
    if (ENUM_FIELDS.indexOf(key) >= 0 && typeof v === 'string') return esc(I.label(v)) + ' <code class="enum">' + esc(v) + '</code>';
    if (typeof v === 'number') return esc(I.number(v, Number.isInteger(v) ? 0 : /Meters$|Days$/.test(key) ? 1 : 2));
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return esc(new Date(v).toLocaleString(I.lang() === 'tr' ? 'tr-TR' : 'en-GB'));
    if (Array.isArray(v)) return v.length ? '<ul>' + v.map(function (x) { return '<li>' + value(key, x) + '</li>'; }).join('') + '</ul>' : '—';
    if (typeof v === 'object') {
      var layer = LAYER_OF[v.__typename] || LAYER_OF[key];
      var words = v.fullName || [v.code || v.inventoryNo, v.name].filter(Boolean).join(' – ') || '';
      if (v.type && !v.name) words += ' (' + I.label(v.type) + ')';
      if (v.status || v.state) words += ' · ' + I.label(v.status || v.state);
      if (key === 'address') words = [v.street, v.doorNo, v.mahalle].filter(Boolean).join(', ');
      if (key === 'internet') words = [v.provider, v.line, v.bandwidthMbps && v.bandwidthMbps + ' Mbit/s'].filter(Boolean).join(', ');
      if (key === 'counts') return '<ul>' + Object.keys(v).map(function (k) { return '<li>' + esc(I.field(k)) + ': ' + esc(I.number(v[k])) + '</li>'; }).join('') + '</ul>';
      if (key === 'ownerOrgUnit' || key === 'orgUnit') words = v.name + (v.code ? ' (' + v.code + ')' : '');
      return layer && v.id ? '<button type="button" class="link" data-layer="' + layer + '" data-id="' + esc(v.id) + '">' + esc(words) + '</button>' : esc(words);
    }
    return esc(v);
  }
  function table(pairs) {
    return '<table>' + pairs.map(function (p) { return '<tr><th scope="row">' + esc(I.field(p[0])) + '</th><td>' + value(p[0], p[1]) + '</td></tr>'; }).join('') + '</table>';
  }
  function titleOf(layer, props) {
    var words = props.code || props.inventoryNo || (props.ada != null ? props.mahalle + ' ' + props.ada + '/' + props.parsel : '') || props.name || '';
    if (props.name && words !== props.name) words += ' – ' + props.name;
    return t('one.' + layer) + (words ? ': ' + words : '');
  }
  function queryOf(layer, id) {
    var r = RECORDS[layer];
    return 'query Record($id: ID!) { ' + r.field + '(id: $id) { id ' + r.ask + ' } }';
  }
  function links(layer, id) {
    var query = queryOf(layer, id).replace('query Record($id: ID!)', '{').replace('(id: $id)', '(id: "' + id + '")') + ' }';
    return '<details class="links"><summary>' + esc(t('inGraphQL')) + ' · OGC</summary>' +
      '<pre class="gql">' + esc(query) + '</pre>' +
      '<p><button type="button" class="copy">' + esc(t('copy')) + '</button> <a href="/graphql" target="_blank" rel="noopener">' + esc(t('openGraphiQL')) + '</a> · ' +
      '<a class="ogc" href="/ogc/collections/' + layer + '/items/' + encodeURIComponent(id) + '?f=json" target="_blank" rel="noopener">' + esc(t('inOGC')) + '</a></p></details>';
  }

  function render() {
    if (!current) {
      info.innerHTML = '<em>' + esc(t('featureHint')) + '</em>';
      return;
    }
    if (current.layer === null) {
      info.innerHTML = '<em>' + esc(t('noFeature')) + '</em>';
      return;
    }
    var c = current;
    var props = c.record || c.tile || {};
    var html = '<h2>' + esc(titleOf(c.layer, props)) + '</h2><p class="buttons"><button type="button" id="zoom-to">' + esc(t('zoomTo')) + '</button> ' +
      '<button type="button" id="panel-close">' + esc(t('close')) + '</button></p>';
    if (c.record) {
      html += table(RECORDS[c.layer].rows.filter(function (k) { return k in c.record; }).map(function (k) { return [k, c.record[k]]; }));
      var faults = c.record.asset && c.record.asset.faults ? c.record.asset.faults : c.layer === 'assets' ? c.record.faults : null;
      if (faults) {
        var open = faults.filter(OPEN);
        html += '<h3>' + esc(t('openFaults')) + ' (' + open.length + ')</h3>' + (open.length ? '<ul class="faults">' + open.map(function (f) {
          return '<li><button type="button" class="link" data-layer="faults" data-id="' + esc(f.id) + '">' + esc(I.label(f.category) + ' · ' + I.label(f.priority) + ' · ' + I.label(f.state)) + '</button> ' + esc(f.description || '') + '</li>';
        }).join('') + '</ul>' : '<p class="note">' + esc(t('noOpenFaults')) + '</p>');
      }
      if (c.record.asset && c.record.asset.custodian) html += table([['custodian', c.record.asset.custodian]]);
    } else {
      if (c.state === 'forbidden') html += '<p class="note">' + esc(t('recordForbidden')) + '</p>';
      else if (c.state === 'error') html += '<p class="message">' + esc(t('recordFailed', { message: c.message })) + '</p>';
      else html += '<p class="note">' + esc(t('loading')) + '</p>';
      html += table(Object.keys(props).filter(function (k) { return k !== 'geometry' && k !== 'layer'; }).map(function (k) { return [k, props[k]]; }));
    }
    if (RECORDS[c.layer]) html += links(c.layer, c.id);
    info.innerHTML = html;
  }

  function draw(record, zoom) {
    var source = highlight.getSource();
    source.clear();
    if (!record || !record.geometry) return;
    var f = new ol.Feature({ geometry: geojson.readGeometry(record.geometry), role: 'feature' });
    f.setId('feature');
    if (record.fieldOfView) {
      var fov = new ol.Feature({ geometry: geojson.readGeometry(record.fieldOfView), role: 'fov' });
      fov.setId('fov');
      source.addFeature(fov);
    }
    source.addFeature(f);
    if (zoom) zoomTo();
  }
  function zoomTo() {
    var extent = highlight.getSource().getExtent();
    if (!highlight.getSource().getFeatures().length) return;
    map.getView().fit(extent, { maxZoom: 18, padding: [60, 60, 60, 60], duration: 300 });
  }

  /** Shows the record of a layer's feature: its tile attributes at once (if given), then GraphQL's. */
  function open(layer, id, opts) {
    opts = opts || {};
    var mine = ++asked;
    id = String(id);
    current = { layer: layer, id: id, tile: opts.tile || null, record: null, state: 'loading' };
    info.dataset.layer = layer;
    info.dataset.id = id;
    info.dataset.state = 'loading';
    highlight.getSource().clear();
    render();
    if (!RECORDS[layer]) return Promise.resolve();
    return page.gql(queryOf(layer, id), { id: id })
      .then(function (data) {
        if (mine !== asked) return;
        current.record = data[RECORDS[layer].field];
        current.state = 'done';
        info.dataset.state = 'done';
        render();
        draw(current.record, opts.zoom);
      })
      .catch(function (err) {
        if (mine !== asked) return;
        current.state = err.code === 'FORBIDDEN' || err.code === 'NOT_FOUND' ? 'forbidden' : 'error';
        current.message = err.message;
        info.dataset.state = current.state;
        render();
      });
  }
  function clear(none) {
    asked++;
    current = none ? { layer: null } : null;
    info.dataset.layer = '';
    info.dataset.id = '';
    info.dataset.state = '';
    highlight.getSource().clear();
    render();
  }

  page.on('feature', function (hit) {
    var props = Object.assign({}, hit.feature.getProperties());
    delete props.layer;
    open(hit.layer.get('name'), hit.feature.getId(), { tile: props });
  });
  page.on('area', function (hit) {
    if (!hit) return clear(true);
    var props = Object.assign({}, hit.feature.getProperties());
    delete props.layer;
    open(hit.layer.get('name'), hit.feature.getId(), { tile: props });
  });
  info.addEventListener('click', function (e) {
    var link = e.target.closest('button.link[data-layer]');
    if (link) return open(link.dataset.layer, link.dataset.id, { zoom: true });
    if (e.target.id === 'zoom-to') return zoomTo();
    if (e.target.id === 'panel-close') return clear(false);
    if (e.target.classList.contains('copy')) {
      var pre = info.querySelector('pre.gql');
      if (pre && navigator.clipboard) navigator.clipboard.writeText(pre.textContent).then(function () { e.target.textContent = t('copied'); }, function () {});
    }
  });
  // A new session may read more, or less: the panel starts again.
  page.on('token', function () { clear(false); });
  I.onChange(render);
  render();

  page.panel = { open: open, clear: clear, highlight: highlight, draw: draw, current: function () { return current; } };
})();
