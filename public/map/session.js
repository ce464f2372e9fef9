/* KBS map page: the session. The token (from the login form, or pasted) is kept in this page's memory
 * only and sent in the Authorization header of every tile, GraphQL and OGC request. A wrong password
 * or token is an error on the form; a token that expires (its `exp`, or login's expiresAt) or that
 * the server stops taking (a 401 to a request that carried it: revoked, password changed) ends the
 * session: the login form comes back with a message and the map goes on drawing the public layers. */
(function () {
  'use strict';
  var I = window.kbsI18n;
  var t = I.t;
  var token = null;
  var who = null;
  var expiresAt = null; // ms since the epoch, or null (API tokens: the server decides)
  var timer = null;
  var listeners = [];
  var status = document.getElementById('login-status');
  var box = document.getElementById('session');
  var logoutButton = document.getElementById('logout-button');
  var shown = { key: 'notLoggedIn', params: null, state: 'out' };

  function show(state, key, params) {
    shown = { key: key, params: params, state: state };
    status.textContent = t(key, params);
    status.dataset.state = state;
    box.dataset.state = state;
    status.setAttribute('role', state === 'error' || state === 'expired' || state === 'revoked' ? 'alert' : 'status');
    logoutButton.hidden = state !== 'in';
  }
  function showIn() {
    var time = expiresAt ? new Date(expiresAt).toLocaleTimeString(I.lang() === 'tr' ? 'tr-TR' : 'en-GB', { hour: '2-digit', minute: '2-digit' }) : null;
    show('in', who.token ? 'loggedInToken' : 'loggedInAs', { who: who.name });
    if (time) status.textContent += ' ' + t('expiresAt', { time: time });
  }
  I.onChange(function () {
    if (shown.state === 'in') showIn();
    else show(shown.state, shown.key, shown.params);
  });

  /** The `exp` of a JWT access token, in ms; null for anything else (an API token). */
  function expiryOf(jwt) {
    var part = String(jwt).split('.')[1];
    if (!part) return null;
    try {
      var claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
      return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
    } catch (e) {
      return null;
    }
  }

  function start(newToken, info, expiry) {
    clearTimeout(timer);
    token = newToken;
    who = info;
    expiresAt = expiry;
    // setTimeout takes at most 2^31-1 ms; a later expiry is checked again then.
    if (expiresAt) timer = setTimeout(function check() {
      if (Date.now() >= expiresAt - 1000) return end('expired');
      timer = setTimeout(check, Math.min(expiresAt - Date.now(), 2147483647));
    }, Math.max(0, Math.min(expiresAt - Date.now(), 2147483647)));
    showIn();
    listeners.forEach(function (fn) { fn(token, 'login'); });
  }
  /** Ends the session: 'logout', 'expired' (its time ran out) or 'revoked' (the server refused it). */
  function end(reason) {
    if (token === null) return;
    clearTimeout(timer);
    token = null;
    who = null;
    expiresAt = null;
    show(reason === 'logout' ? 'out' : reason, reason === 'logout' ? 'loggedOut' : reason === 'expired' ? 'sessionExpired' : 'sessionRevoked');
    listeners.forEach(function (fn) { fn(null, reason); });
  }
  /** A 401 to a request that carried the current token: it expired, or the server no longer takes it. */
  function refused(sent) {
    if (sent && sent === token) end(expiresAt && Date.now() >= expiresAt - 5000 ? 'expired' : 'revoked');
  }

  /** fetch() with the token; a 401 to it ends the session and the request is made again without it. */
  function authFetch(url, init) {
    init = init || {};
    var sent = token;
    var headers = Object.assign({}, init.headers || {});
    if (sent) headers.Authorization = 'Bearer ' + sent;
    return fetch(url, Object.assign({}, init, { headers: headers })).then(function (res) {
      if (res.status !== 401 || !sent) return res;
      refused(sent);
      return authFetch(url, init);
    });
  }

  /**
   * POSTs a GraphQL operation (with the token unless `anonymous`); resolves to { data, errors }.
   * UNAUTHENTICATED to the current token ends the session.
   */
  function gqlRaw(query, variables, anonymous, withToken) {
    var sent = anonymous ? null : withToken || token;
    var headers = { 'content-type': 'application/json' };
    if (sent) headers.Authorization = 'Bearer ' + sent;
    return fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify({ query: query, variables: variables || {} }) })
      .then(function (res) {
        return res.json().catch(function () { throw new Error('HTTP ' + res.status + ' from /graphql'); });
      })
      .then(function (body) {
        var errors = body.errors || [];
        if (errors.some(function (e) { return e.extensions && e.extensions.code === 'UNAUTHENTICATED'; })) refused(sent);
        return { data: body.data || null, errors: errors };
      });
  }
  /** As gqlRaw; rejects with the first error (its extensions.code as `code`) when a field came back null. */
  function gql(query, variables, anonymous) {
    return gqlRaw(query, variables, anonymous).then(function (r) {
      var data = r.data;
      var failed = !data || Object.keys(data).some(function (k) { return data[k] == null; });
      if (r.errors.length && failed) {
        var err = new Error(r.errors[0].message);
        err.code = r.errors[0].extensions && r.errors[0].extensions.code;
        throw err;
      }
      if (!data) throw new Error('no data from /graphql');
      return data;
    });
  }

  function failMessage(err, wrongKey) {
    if (err.code === 'UNAUTHENTICATED') return { key: wrongKey };
    if (err.code === 'TOO_MANY_REQUESTS') return { key: 'tooMany' };
    return { key: 'loginFailed', params: { message: err.message } };
  }
  document.getElementById('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var username = document.getElementById('username').value.trim();
    var password = document.getElementById('password');
    show('pending', 'loggingIn');
    gql('mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken expiresAt user { fullName } } }', { u: username, p: password.value }, true)
      .then(function (data) {
        password.value = '';
        var l = data.login;
        start(l.accessToken, { name: l.user && l.user.fullName ? l.user.fullName : username }, Date.parse(l.expiresAt) || expiryOf(l.accessToken));
      })
      .catch(function (err) {
        var m = failMessage(err, 'wrongPassword');
        show('error', m.key, m.params);
        password.select();
      });
  });
  // A pasted token is asked who it is before it is used: a wrong one is an error here, not a blank map.
  document.getElementById('token-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = document.getElementById('token');
    var candidate = input.value.trim();
    if (!candidate) return;
    show('pending', 'checkingToken');
    gqlRaw('{ me { username fullName } }', {}, false, candidate)
      .then(function (r) {
        if (r.errors.length || !r.data || !r.data.me) {
          var err = new Error(r.errors.length ? r.errors[0].message : 'no account');
          err.code = r.errors.length ? r.errors[0].extensions && r.errors[0].extensions.code : 'UNAUTHENTICATED';
          throw err;
        }
        input.value = '';
        start(candidate, { name: r.data.me.fullName || r.data.me.username, token: true }, expiryOf(candidate));
      })
      .catch(function (err) {
        var m = failMessage(err, 'wrongToken');
        input.value = '';
        show('error', m.key, m.params);
      });
  });
  logoutButton.addEventListener('click', function () { end('logout'); });
  show('out', 'notLoggedIn');

  /** What the other scripts of the page use. */
  window.kbsSession = {
    token: function () { return token; },
    loggedIn: function () { return token !== null; },
    fetch: authFetch,
    gql: gql,
    gqlRaw: gqlRaw,
    end: end,
    /** fn(token, reason): reason 'login', 'logout', 'expired' or 'revoked'. */
    onChange: function (fn) { listeners.push(fn); },
  };
})();
