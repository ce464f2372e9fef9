/* KBS map page: search. A parcel by mahalle, ada and parsel (GraphQL parcelByNumber, which matches
 * the mahalle the Turkish way: "şahinbey" finds ŞAHİNBEY); a camera, asset, remote unit or network
 * node or line by code or name (each layer's `search` filter, under the session's grants); a
 * coordinate in TM39 (EPSG:5257) or WGS84. The result is opened in the panel, highlighted and zoomed to. */
(function () {
  'use strict';
  var ol = window.ol;
  var page = window.kbsPage;
  var t = page.t;
  var esc = page.escapeHtml;
  var form = document.getElementById('search-form');
  var kind = document.getElementById('search-kind');
  var message = document.getElementById('search-message');
  var results = document.getElementById('search-results');
  var shown = null; // what the message says, to say it again in another language

  function say(state, key, params) {
    shown = key ? { key: key, params: params } : null;
    message.dataset.state = state;
    message.textContent = key ? t(key, params) : '';
  }
  page.i18n.onChange(function () { if (shown) message.textContent = t(shown.key, shown.params); });
  kind.addEventListener('change', function () {
    form.dataset.kind = kind.value;
    say('', null);
    results.innerHTML = '';
  });
  form.dataset.kind = kind.value;

  // The neighbourhood names the account may read, as suggestions for the mahalle.
  page.on('neighbourhoods', function (names) {
    document.getElementById('mahalle-list').innerHTML = names.slice().sort().map(function (n) { return '<option value="' + esc(n) + '">'; }).join('');
  });

  function searchParcel() {
    var mahalle = document.getElementById('search-mahalle').value.trim();
    var ada = parseInt(document.getElementById('search-ada').value, 10);
    var parsel = parseInt(document.getElementById('search-parsel').value, 10);
    if (!mahalle || !Number.isInteger(ada) || !Number.isInteger(parsel)) return say('error', 'noParcel', { mahalle: mahalle || '?', ada: ada || '?', parsel: parsel || '?' });
    return page.gql('query Parcel($m: String!, $a: Int!, $p: Int!) { parcelByNumber(mahalle: $m, ada: $a, parsel: $p) { id } }', { m: mahalle, a: ada, p: parsel })
      .then(function (data) {
        if (!data.parcelByNumber) return say('none', 'noParcel', { mahalle: mahalle, ada: ada, parsel: parsel });
        say('done', null);
        return page.panel.open('parcels', data.parcelByNumber.id, { zoom: true });
      })
      .catch(function (err) {
        if (err.code && err.code !== 'FORBIDDEN' && err.code !== 'NOT_FOUND') throw err;
        say('none', 'noParcel', { mahalle: mahalle, ada: ada, parsel: parsel });
      });
  }

  /** Per layer: its list query and the words a result is shown with. */
  var BY_CODE = [
    { layer: 'cameras', list: 'cameras', fields: 'id code name status', words: function (n) { return n.code + ' – ' + n.name; } },
    { layer: 'remote-units', list: 'remoteUnits', fields: 'id code name status', words: function (n) { return n.code + ' – ' + n.name; } },
    { layer: 'assets', list: 'assets', fields: 'id inventoryNo type make model', words: function (n) { return n.inventoryNo + ' – ' + page.i18n.label(n.type) + ' ' + [n.make, n.model].filter(Boolean).join(' '); } },
    { layer: 'network-nodes', list: 'networkNodes', fields: 'id code name status', words: function (n) { return n.code + ' – ' + n.name; } },
    { layer: 'network-lines', list: 'networkLines', fields: 'id code name status', words: function (n) { return n.code + ' – ' + n.name; } },
  ];
  function searchCode() {
    var q = document.getElementById('search-text').value.trim();
    if (!q) return null;
    // One request per layer: a layer the account may not read answers FORBIDDEN and is left out.
    return Promise.all(BY_CODE.map(function (b) {
      return page.session.gqlRaw('query Find($q: String!) { ' + b.list + '(filter: { search: $q }, first: 10) { edges { node { ' + b.fields + ' } } } }', { q: q })
        .then(function (r) { return r.data && r.data[b.list] ? r.data[b.list].edges.map(function (e) { return { b: b, node: e.node }; }) : []; });
    })).then(function (lists) {
      var found = [].concat.apply([], lists);
      if (!found.length) return say('none', 'noResult', { q: q });
      var code = function (n) { return String(n.code || n.inventoryNo || '').toLocaleLowerCase('tr'); };
      var exact = found.filter(function (r) { return code(r.node) === q.toLocaleLowerCase('tr'); });
      say('done', 'results', { n: found.length });
      results.innerHTML = found.map(function (r) {
        return '<li><button type="button" class="link" data-layer="' + r.b.layer + '" data-id="' + esc(r.node.id) + '">' +
          esc(t('one.' + r.b.layer)) + ': ' + esc(r.b.words(r.node)) + '</button></li>';
      }).join('');
      var pick = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : null;
      if (pick) return page.panel.open(pick.b.layer, pick.node.id, { zoom: true });
    });
  }

  /**
   * Two numbers: both over 1000 are TM39 metres (the larger the northing, whichever comes first);
   * otherwise latitude, longitude (as maps write them). Decimal commas are taken.
   */
  function parseCoordinate(s) {
    var nums = (s.match(/-?\d+(?:[.,]\d+)?/g) || []).map(function (n) { return Number(n.replace(',', '.')); });
    if (nums.length !== 2) return null;
    if (Math.abs(nums[0]) > 1000 && Math.abs(nums[1]) > 1000) {
      var e = Math.min(nums[0], nums[1]);
      var n = Math.max(nums[0], nums[1]);
      return { crs: 'EPSG:5257', xy: [e, n], lonLat: ol.proj.transform([e, n], 'EPSG:5257', 'EPSG:4326') };
    }
    if (Math.abs(nums[0]) > 90 || Math.abs(nums[1]) > 180) return null;
    return { crs: 'EPSG:4326', xy: [nums[1], nums[0]], lonLat: [nums[1], nums[0]] };
  }
  function searchCoordinate() {
    var at = parseCoordinate(document.getElementById('search-coord').value);
    if (!at) return say('error', 'badCoord');
    say('done', null);
    var tm = ol.proj.transform(at.lonLat, 'EPSG:4326', 'EPSG:5257');
    var coordinate = ol.proj.fromLonLat(at.lonLat);
    page.panel.clear(false);
    var marker = new ol.Feature({ geometry: new ol.geom.Point(coordinate), role: 'feature' });
    page.panel.highlight.getSource().addFeature(marker);
    page.view.animate({ center: coordinate, zoom: Math.max(page.view.getZoom(), 17), duration: 300 });
    var info = document.getElementById('feature-info');
    info.dataset.layer = 'coordinate';
    info.dataset.lon = String(at.lonLat[0]);
    info.dataset.lat = String(at.lonLat[1]);
    var I = page.i18n;
    info.innerHTML = '<h2>' + esc(t('coordResult')) + '</h2><table>' +
      '<tr><th scope="row">' + esc(t('crsTM39')) + '</th><td>' + esc(t('tm39Format', { e: I.number(tm[0], 2), n: I.number(tm[1], 2) })) + '</td></tr>' +
      '<tr><th scope="row">' + esc(t('crsWGS84')) + '</th><td>' + esc(t('wgs84Format', { lat: I.number(at.lonLat[1], 6), lon: I.number(at.lonLat[0], 6) })) + '</td></tr></table>' +
      '<p id="parcel-here"></p>';
    return page.gql('query At($x: Float!, $y: Float!) { parcelAt(x: $x, y: $y) { id mahalle ada parsel } }', { x: at.lonLat[0], y: at.lonLat[1] })
      .then(function (data) {
        var p = data.parcelAt;
        var here = document.getElementById('parcel-here');
        if (p && here) here.innerHTML = esc(t('parcelHere')) + ': <button type="button" class="link" data-layer="parcels" data-id="' + esc(p.id) + '">' + esc(p.mahalle + ' ' + p.ada + '/' + p.parsel) + '</button>';
      })
      .catch(function () { /* parcelAt is null where there is none, or the account may not read parcels */ });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    results.innerHTML = '';
    say('pending', null);
    var run = kind.value === 'parcel' ? searchParcel : kind.value === 'code' ? searchCode : searchCoordinate;
    Promise.resolve()
      .then(run)
      .catch(function (err) { say('error', 'searchFailed', { message: err.message }); });
  });
  results.addEventListener('click', function (e) {
    var b = e.target.closest('button[data-layer]');
    if (b) page.panel.open(b.dataset.layer, b.dataset.id, { zoom: true });
  });
  page.search = { parseCoordinate: parseCoordinate };
})();
