/* KBS map page: live updates. It subscribes over WebSocket (graphql-ws, served from node_modules) to
 * the layers' changes, and, when logged in, to the faults' steps, with the session's token (none: the
 * public layers). A change that touched a tile in view redraws that layer's tiles in view; a fault
 * reported is listed at the top of the panel (a click goes to it); after a reconnection the server
 * says RESYNC and every layer is drawn again. */
(function () {
  'use strict';
  var page = window.kbsPage;
  var session = window.kbsSession;
  var I = window.kbsI18n;
  var status = document.getElementById('live-status');
  var list = document.getElementById('live-faults');
  var client = null;
  var last = null; // the time of the last event seen, for `since` after a reconnection
  var timers = {};
  var state = { connected: false, events: [], refreshed: [] };
  window.kbsLive = state;

  var LAYER_EVENTS = 'subscription Live($zoom: Int, $since: DateTimeISO) { layerChanges(zoom: $zoom, since: $since) { kind layer id version at tiles { z x y } bbox resyncFrom } }';
  var FAULT_EVENTS = 'subscription LiveFaults($since: DateTimeISO) { faultEvents(since: $since) { kind at step { fromState toState } fault { id description category priority geometry } } }';

  function show(key) {
    status.dataset.state = key;
    status.textContent = I.t(key);
  }
  I.onChange(function () { show(status.dataset.state || 'liveOff'); });

  /** The tile layer of an event's layer (CAMERAS -> cameras, NETWORK_LINES -> network-lines). */
  function layerOf(name) { return page.layer(String(name).toLowerCase().replace(/_/g, '-')); }
  function tileZoom() { return Math.max(0, Math.min(18, Math.round(page.view.getZoom()))); }

  /** Whether a change touched what the layer shows now: one of its tiles in view, or (no tiles) its box. */
  function touchesView(layer, e) {
    if (!layer || !layer.getVisible()) return false;
    var extent = page.view.calculateExtent(page.map.getSize());
    if (e.tiles.length && e.tiles[0].z === tileZoom()) {
      var range = layer.getSource().getTileGrid().getTileRangeForExtentAndZ(extent, e.tiles[0].z);
      return e.tiles.some(function (t) { return range.containsXY(t.x, t.y); });
    }
    return !!e.bbox && ol.extent.intersects(extent, ol.proj.transformExtent(e.bbox, 'EPSG:4326', 'EPSG:3857'));
  }

  /** The layer's tiles in view fetched again, at most every 300 ms. */
  function redraw(layer) {
    var name = layer.get('name');
    if (timers[name]) return;
    timers[name] = setTimeout(function () {
      timers[name] = null;
      state.refreshed.push(name);
      layer.getSource().refresh();
    }, 300);
  }

  function seen(at) { if (at && (!last || at > last)) last = at; }

  function onLayerChange(e) {
    state.events.push(e);
    if (e.kind === 'RESYNC') {
      page.layers.forEach(function (d) { var l = page.layer(d.name); if (l && l.getVisible()) redraw(l); });
      return;
    }
    seen(e.at);
    var layer = layerOf(e.layer);
    if (touchesView(layer, e)) redraw(layer);
    // A camera moved or deleted: the faults and assets drawn at it may have changed too.
    if (e.layer === 'ASSETS' && touchesView(page.layer('faults'), e)) redraw(page.layer('faults'));
  }

  function onFaultEvent(e) {
    state.events.push(e);
    var faults = page.layer('faults');
    if (faults && faults.getVisible()) redraw(faults);
    if (e.kind !== 'STEP' || !e.fault) return;
    seen(e.at);
    if (e.step.fromState !== null) return;
    var item = document.createElement('li');
    var link = document.createElement('button');
    link.type = 'button';
    link.className = 'link';
    link.textContent = I.t('newFault', { id: e.fault.id, what: I.label(e.fault.category), description: e.fault.description });
    link.addEventListener('click', function () {
      if (!e.fault.geometry) return;
      var at = ol.proj.fromLonLat(e.fault.geometry.coordinates);
      page.view.animate({ center: at, zoom: Math.max(page.view.getZoom(), 17), duration: 300 });
    });
    item.appendChild(link);
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 10) list.removeChild(list.lastChild);
  }

  function subscribe(query, variables, next) {
    client.subscribe({ query: query, variables: variables }, {
      next: function (r) { if (r.data) next(r.data[Object.keys(r.data)[0]]); },
      error: function (err) { console.warn('[kbs map] live updates:', err && err.message ? err.message : err); },
      complete: function () {},
    });
  }

  /**
   * The browser's WebSocket, whose send() does nothing once the socket is no longer open. graphql-ws
   * answers a ping, or sends a subscription, on a socket the server is closing (an expired token, a
   * session replaced): the browser logs each such send as an error, and the message has nowhere to
   * go; the client sees the close and reconnects by itself.
   */
  function QuietWebSocket(url, protocols) {
    var socket = new WebSocket(url, protocols);
    var send = socket.send.bind(socket);
    socket.send = function (data) { if (socket.readyState === WebSocket.OPEN) send(data); };
    return socket;
  }
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (k) { QuietWebSocket[k] = WebSocket[k]; });

  /** (Re)connects with the session's token; after the first connection, from the last event seen. */
  function connect(token) {
    if (client) Promise.resolve(client.dispose()).catch(function () {});
    state.connected = false;
    show('liveConnecting');
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
    var mine = graphqlWs.createClient({
      url: url,
      webSocketImpl: QuietWebSocket,
      connectionParams: token ? { authorization: 'Bearer ' + token } : {},
      lazy: false,
      // A connection that fails or is replaced is said under *Canlı*, not thrown at the console.
      onNonLazyError: function () {},
      retryAttempts: Infinity,
      shouldRetry: function () { return true; },
      // Only this client's events count: the one it replaces may say `closed` after this one connected.
      on: {
        connected: function () { if (client === mine) { state.connected = true; show('liveOn'); } },
        closed: function () { if (client === mine) { state.connected = false; show('liveOff'); } },
      },
    });
    client = mine;
    subscribe(LAYER_EVENTS, { zoom: tileZoom(), since: last }, onLayerChange);
    if (token) subscribe(FAULT_EVENTS, { since: last }, onFaultEvent);
  }

  // A new zoom level: the tiles events list should be the view's own.
  var zoom = tileZoom();
  page.map.on('moveend', function () {
    if (tileZoom() === zoom) return;
    zoom = tileZoom();
    connect(session.token());
  });
  session.onChange(function (token) { last = null; connect(token); });
  connect(session.token());
})();
