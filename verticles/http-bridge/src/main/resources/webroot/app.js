/*
 * The dashboard: sign in with an API key, list the tenant's alerts (GraphQL), receive new and changed alerts live
 * over the SockJS event-bus bridge, acknowledge and resolve them (GraphQL). On reconnect it registers with the
 * seq of the last alert message received, so the bridge replays what was missed; when the bridge says the replay
 * window no longer covers it (REPLAY_GAP), the list is reloaded.
 */
(function () {
  'use strict';

  var state = { key: null, tenant: null, eb: null, lastSeq: null, alerts: {} };
  var el = function (id) { return document.getElementById(id); };

  function setStatus(name, text) {
    var s = el('status');
    s.className = 'status ' + name;
    s.dataset.state = name;
    s.textContent = text || name;
  }

  function showError(message) {
    var e = el('error');
    e.textContent = message || '';
    e.hidden = !message;
  }

  function graphql(query, variables) {
    return fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': state.key },
      body: JSON.stringify({ query: query, variables: variables || {} })
    }).then(function (r) {
      return r.json().then(function (body) {
        if (body.errors && body.errors.length) {
          var err = new Error(body.errors[0].message);
          err.code = body.errors[0].extensions && body.errors[0].extensions.code;
          throw err;
        }
        return body.data;
      });
    });
  }

  var ALERT_FIELDS = 'id ruleId severity status count firstSeenAt lastSeenAt explanation';

  function signIn(key) {
    state.key = key;
    showError(null);
    setStatus('connecting', 'signing in');
    return graphql('{ tenant { id name tier } }').then(function (data) {
      state.tenant = data.tenant;
      sessionStorage.setItem('ott-api-key', key);
      el('tenant-name').textContent = data.tenant.name + ' (' + data.tenant.tier + ')';
      el('login').hidden = true;
      el('dashboard').hidden = false;
      el('sign-out').hidden = false;
      return loadAlerts();
    }).then(connect).catch(function (err) {
      setStatus('offline', 'signed out');
      state.key = null;
      showError(err.code === 'UNAUTHENTICATED' ? 'Unknown or revoked API key.' : 'Cannot sign in: ' + err.message);
    });
  }

  function loadAlerts() {
    return graphql('query($first: Int) { alerts(first: $first) { edges { cursor node { ' + ALERT_FIELDS +
        ' } } pageInfo { hasNextPage endCursor } } }', { first: 100 }).then(function (data) {
      state.alerts = {};
      el('alerts').tBodies[0].innerHTML = '';
      data.alerts.edges.map(function (e) { return e.node; }).reverse().forEach(function (a) { upsert(a, false); });
      counts();
    });
  }

  function connect() {
    var eb = new EventBus('/eventbus');
    state.eb = eb;
    eb.enableReconnect(true);
    eb.onopen = function () {
      var headers = { 'x-api-key': state.key };
      if (state.lastSeq !== null) {
        headers['since-seq'] = String(state.lastSeq);
      }
      eb.registerHandler('ott.alerts.' + state.tenant.id, headers, onAlertMessage);
      setStatus('live', 'live');
    };
    eb.onclose = function () {
      if (state.eb === eb && state.key) {
        setStatus('reconnecting', 'reconnecting');
      }
    };
    eb.onerror = function (err) {
      if (err && err.failureType === 'SLOW_CONSUMER') {
        setStatus('reconnecting', 'catching up');
      }
    };
  }

  function onAlertMessage(err, msg) {
    if (err) {
      if (err.failureType === 'REPLAY_GAP') {
        loadAlerts();
      } else if (err.failureType === 'UNAUTHENTICATED' || err.failureType === 'ACCESS_DENIED') {
        showError('The bridge refused this key: ' + err.message);
      }
      return;
    }
    if (msg.headers && msg.headers.seq) {
      state.lastSeq = Number(msg.headers.seq);
    }
    upsert(toNode(msg.body), true);
    counts();
  }

  // the bus carries the alert JSON of the store (alertId); GraphQL names it id
  function toNode(alert) {
    return { id: alert.alertId, ruleId: alert.ruleId, severity: alert.severity, status: alert.status, count: alert.count,
      firstSeenAt: alert.firstSeenAt, lastSeenAt: alert.lastSeenAt, explanation: alert.explanation };
  }

  function upsert(a, fresh) {
    var tbody = el('alerts').tBodies[0];
    var row = tbody.querySelector('tr[data-alert-id="' + a.id + '"]');
    if (!row) {
      row = document.createElement('tr');
      row.dataset.alertId = a.id;
      tbody.insertBefore(row, tbody.firstChild);
    }
    state.alerts[a.id] = a;
    row.dataset.status = a.status;
    row.innerHTML = '';
    var sev = document.createElement('span');
    sev.className = 'sev ' + a.severity;
    sev.textContent = a.severity;
    cell(row, sev);
    cell(row, a.ruleId);
    cell(row, a.status, 'status-cell');
    cell(row, String(a.count));
    cell(row, new Date(a.lastSeenAt).toLocaleString());
    cell(row, a.explanation || '', 'explanation');
    var actions = document.createElement('td');
    actions.className = 'actions';
    if (a.status === 'OPEN') {
      actions.appendChild(button('Acknowledge', 'ack', function () { transition('acknowledgeAlert', a.id); }));
    }
    if (a.status !== 'RESOLVED') {
      actions.appendChild(button('Resolve', 'resolve', function () { transition('resolveAlert', a.id); }));
    }
    row.appendChild(actions);
    if (fresh) {
      row.classList.remove('fresh');
      void row.offsetWidth;
      row.classList.add('fresh');
    }
  }

  function cell(row, content, cls) {
    var td = document.createElement('td');
    if (cls) td.className = cls;
    if (typeof content === 'string') td.textContent = content; else td.appendChild(content);
    row.appendChild(td);
  }

  function button(text, cls, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }

  function transition(mutation, id) {
    graphql('mutation($id: ID!, $note: String) { a: ' + mutation + '(id: $id, note: $note) { ' + ALERT_FIELDS + ' } }',
        { id: id, note: 'from the dashboard' })
      .then(function (data) { upsert(data.a, false); counts(); showError(null); })
      .catch(function (err) { showError(err.message); });
  }

  function counts() {
    var all = Object.keys(state.alerts).map(function (k) { return state.alerts[k]; });
    var open = all.filter(function (a) { return a.status === 'OPEN'; }).length;
    el('counts').textContent = all.length + ' alerts, ' + open + ' open';
    el('empty').hidden = all.length > 0;
  }

  function signOut() {
    sessionStorage.removeItem('ott-api-key');
    if (state.eb) {
      var eb = state.eb;
      state.eb = null;
      eb.close();
    }
    state.key = null;
    state.lastSeq = null;
    el('login').hidden = false;
    el('dashboard').hidden = true;
    el('sign-out').hidden = true;
    el('tenant-name').textContent = '';
    setStatus('offline', 'signed out');
  }

  // for operators and tests: what the page knows, and a way to see reconnects happen
  window.ottDashboard = {
    lastSeq: function () { return state.lastSeq; },
    dropConnection: function () { if (state.eb && state.eb.sockJSConn) state.eb.sockJSConn.close(); }
  };

  el('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    signIn(el('api-key').value.trim());
  });
  el('reload').addEventListener('click', loadAlerts);
  el('sign-out').addEventListener('click', signOut);
  var saved = sessionStorage.getItem('ott-api-key');
  if (saved) {
    signIn(saved);
  }
})();
