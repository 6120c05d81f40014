// Ribbit looking glass. Every value from the API is put into the page as text
// (textContent / text nodes), never parsed as HTML: peers and routes are not trusted.
'use strict';

(function () {
  const PEERS_REFRESH_MS = 5000;
  const byId = (id) => document.getElementById(id);

  /** An element with a class (optional) and children: nodes, or strings added as text. */
  function el(tag, cls, ...children) {
    const e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    for (const c of children) {
      if (c !== null && c !== undefined) {
        e.append(c instanceof Node ? c : String(c));
      }
    }
    return e;
  }

  function duration(seconds) {
    let s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    if (d > 0) return d + 'd ' + h + 'h ' + m + 'm';
    if (h > 0) return h + 'h ' + m + 'm ' + s + 's';
    return m + 'm ' + s + 's';
  }

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    let body = null;
    try {
      body = await r.json();
    } catch (e) {
      throw new Error('HTTP ' + r.status + ': not JSON');
    }
    if (!r.ok) {
      throw new Error(body && typeof body.error === 'string' ? body.error : 'HTTP ' + r.status);
    }
    return body;
  }

  // ------------------------------------------------------------------ peers

  const STATES = ['idle', 'connect', 'active', 'opensent', 'openconfirm', 'established'];

  function peerRow(p) {
    const tr = el('tr', 'peer');
    tr.dataset.peer = String(p.peer);
    const state = STATES.includes(p.state) ? p.state : 'unknown';
    const routes = Object.entries(p.routes || {}).map(([f, n]) => f + ' ' + n).join(', ') || '0';
    const since = state === 'established'
      ? duration(p.uptime_seconds)
      : 'since ' + String(p.state_since).replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    tr.append(
      el('td', 'peer-name', p.peer),
      el('td', 'peer-description', p.description),
      el('td', 'num', p.remote_as),
      el('td', 'state state-' + state, p.state),
      el('td', null, since),
      el('td', null, p.router_id === null ? '–' : p.router_id),
      el('td', 'num', routes),
      el('td', 'num', p.stale_routes));
    return tr;
  }

  async function refreshPeers() {
    const tbody = byId('peers').tBodies[0];
    try {
      const data = await getJson('/api/peers');
      const rows = data.peers.map(peerRow);
      if (rows.length === 0) {
        const td = el('td', 'empty', 'No peers configured.');
        td.colSpan = 8;
        rows.push(el('tr', null, td));
      }
      tbody.replaceChildren(...rows);
      byId('peers-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      byId('peers-updated').textContent = 'update failed: ' + e.message;
    }
  }

  // ----------------------------------------------------------------- routes

  /** An AS path in the events' shape: numbers, AS_SETs as nested arrays. */
  function asPathText(path) {
    if (!Array.isArray(path)) return '';
    return path.map((x) => Array.isArray(x) ? '{' + x.join(' ') + '}' : String(x)).join(' ');
  }

  function pairs(list, sep) {
    return Array.isArray(list) ? list.map((c) => Array.isArray(c) ? c.join(sep) : String(c)).join(' ') : '';
  }

  function extCommunities(list) {
    return Array.isArray(list)
      ? list.map((c) => c.value !== undefined ? c.type + ' ' + c.value : c.type + ' ' + c.hex).join(', ')
      : '';
  }

  // Fields shown in their own columns (or not at all) rather than under "Other".
  const OWN = new Set(['peer', 'peer_asn', 'best', 'next_hop', 'path', 'origin', 'med', 'local_pref',
    'community', 'community_names', 'large_community', 'stale']);

  function otherText(path) {
    const out = [];
    for (const [k, v] of Object.entries(path)) {
      if (OWN.has(k)) continue;
      if (k === 'extended_community' || k === 'ipv6_extended_community') {
        out.push(k + ': ' + extCommunities(v));
      } else if (k === 'confed_path' || k === 'as4_path') {
        out.push(k + ': ' + asPathText(v));
      } else {
        out.push(k + ': ' + (typeof v === 'object' ? JSON.stringify(v) : String(v)));
      }
    }
    return out;
  }

  const COLUMNS = ['Best', 'Peer', 'Peer AS', 'AS path', 'Next hop', 'Origin', 'MED', 'Local pref',
    'Communities', 'Large communities', 'Other'];

  function pathRow(path) {
    const tr = el('tr', path.best ? 'path best' : 'path');
    tr.dataset.best = path.best ? 'true' : 'false';
    const marker = path.best ? el('span', 'best-marker', '★ best') : '';
    const communities = pairs(path.community, ':')
      + (Array.isArray(path.community_names) && path.community_names.length ? ' (' + path.community_names.join(', ') + ')' : '');
    const other = el('td', 'other');
    if (path.stale) other.append(el('span', 'stale', 'stale'));
    for (const line of otherText(path)) other.append(el('div', null, line));
    tr.append(
      el('td', 'best-cell', marker),
      el('td', 'peer-name', path.peer),
      el('td', 'num', path.peer_asn),
      el('td', 'as-path', asPathText(path.path)),
      el('td', 'next-hop', path.next_hop),
      el('td', 'origin', path.origin === undefined ? '' : path.origin),
      el('td', 'num med', path.med === undefined ? '' : path.med),
      el('td', 'num local-pref', path.local_pref === undefined ? '' : path.local_pref),
      el('td', 'community', communities),
      el('td', 'large-community', pairs(path.large_community, ':')),
      other);
    return tr;
  }

  function prefixBlock(p) {
    const head = el('tr', null, ...COLUMNS.map((c) => el('th', null, c)));
    const table = el('table', 'paths', el('thead', null, head), el('tbody', null, ...p.paths.map(pathRow)));
    const n = p.paths.length;
    return el('section', 'prefix-result',
      el('h3', null, el('span', 'prefix', p.prefix), ' ', el('small', null, p.afi_safi + ', ' + n + (n === 1 ? ' path' : ' paths'))),
      table);
  }

  async function lookup(q, match) {
    const status = byId('lookup-status');
    const results = byId('results');
    let url;
    if (q.includes('/')) {
      url = '/api/routes?prefix=' + encodeURIComponent(q) + '&match=' + encodeURIComponent(match);
    } else {
      url = '/api/routes?ip=' + encodeURIComponent(q);
    }
    status.className = '';
    status.textContent = 'Looking up ' + q + '…';
    results.replaceChildren();
    try {
      const data = await getJson(url);
      const paths = data.prefixes.reduce((n, p) => n + p.paths.length, 0);
      if (data.prefixes.length === 0) {
        status.textContent = 'No route for ' + q + '.';
      } else {
        status.textContent = data.prefixes.length + (data.prefixes.length === 1 ? ' prefix, ' : ' prefixes, ')
          + paths + (paths === 1 ? ' path' : ' paths') + (data.truncated ? ' (truncated: more prefixes exist)' : '') + '.';
      }
      results.replaceChildren(...data.prefixes.map(prefixBlock));
    } catch (e) {
      status.className = 'error';
      status.textContent = 'Error: ' + e.message;
    }
  }

  function start() {
    const form = byId('lookup');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const q = byId('q').value.trim();
      const match = byId('match').value;
      if (!q) return;
      const params = new URLSearchParams({ q: q });
      if (match !== 'exact') params.set('match', match);
      history.replaceState(null, '', '?' + params.toString());
      lookup(q, match);
    });
    const params = new URLSearchParams(location.search);
    if (params.get('match')) byId('match').value = params.get('match');
    if (params.get('q')) {
      byId('q').value = params.get('q');
      lookup(params.get('q').trim(), byId('match').value || 'exact');
    }
    refreshPeers();
    setInterval(refreshPeers, PEERS_REFRESH_MS);
  }

  start();
})();
