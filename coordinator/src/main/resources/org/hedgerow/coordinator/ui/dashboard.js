// Hedgerow coordinator dashboard: plain JavaScript, no framework, no external resource.
// It reads the coordinator's JSON API with the bearer token the user signs in with, so it shows
// exactly what the operator's or the auditor's role may read.
'use strict';

const TOKEN_KEY = 'hedgerow.token';
const REFRESH_MS = 5000;
const SVG = 'http://www.w3.org/2000/svg';
const samples = []; // {t, updates, requests} from /metrics while the page is open
let timer = null;

const $ = (id) => document.getElementById(id);

function show(el, visible) { el.classList.toggle('hidden', !visible); }

function text(tag, content, cls) {
  const el = document.createElement(tag);
  el.textContent = content == null ? '' : String(content);
  if (cls) el.className = cls;
  return el;
}

function fmt(x, digits) {
  if (x == null || Number.isNaN(x)) return '-';
  return typeof x === 'number' ? Number(x.toPrecision(digits || 6)).toString() : String(x);
}

class Refused extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, token, asText) {
  const r = await fetch(path, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
  if (!r.ok) {
    let message = 'HTTP ' + r.status;
    try { message += ': ' + (await r.json()).error; } catch (e) { /* not JSON */ }
    throw new Refused(r.status, message);
  }
  return asText ? r.text() : r.json();
}

async function signIn(event) {
  event.preventDefault();
  const token = $('token').value.trim();
  show($('login-error'), false);
  try {
    await api('/v1/status', token);
  } catch (e) {
    $('login-error').textContent = (e.status === 401 || e.status === 403 ? 'Refused: ' : 'Cannot reach the coordinator: ')
      + e.message;
    show($('login-error'), true);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token').value = '';
  start(token);
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  if (timer) clearInterval(timer);
  timer = null;
  show($('dashboard'), false);
  show($('logout'), false);
  show($('login-panel'), true);
  $('who').textContent = '';
}

function start(token) {
  show($('login-panel'), false);
  show($('dashboard'), true);
  show($('logout'), true);
  $('who').textContent = 'signed in';
  refresh(token);
  timer = setInterval(() => refresh(token), REFRESH_MS);
}

async function refresh(token) {
  try {
    const [status, model, clients, seen, verification, metrics] = await Promise.all([
      api('/v1/status', token), api('/v1/model', token), api('/v1/admin/clients', token),
      api('/v1/admin/last-seen', token), api('/v1/ledger/verification', token), api('/metrics', token, true)]);
    show($('refresh-error'), false);
    renderSummary(status, model);
    renderLedger(verification);
    renderSilos(verification);
    renderParticipants(clients.clients, seen.last_seen);
    renderRounds(status.history);
    renderMetrics(metrics);
  } catch (e) {
    if (e.status === 401) { // the token was rotated or revoked: back to the sign-in form
      signOut();
      $('login-error').textContent = 'Refused: ' + e.message;
      show($('login-error'), true);
      return;
    }
    $('refresh-error').textContent = 'Refresh failed: ' + e.message;
    show($('refresh-error'), true);
  }
}

function renderSummary(status, model) {
  const dl = $('summary');
  dl.replaceChildren();
  const round = status.round || {};
  const facts = [
    ['state', round.state],
    ['round', (round.round || 0) + ' of ' + status.target_rounds],
    ['completed rounds', status.completed_rounds],
    ['aborted rounds', status.aborted_rounds],
    ['latest model version', model.version],
    ['model', (model.spec ? model.spec.layer_sizes.join('-') : '') + ' (spec ' + String(model.spec_hash).slice(0, 16) + '…)'],
    ['privacy declared to silos', round.privacy],
    ['central DP', status.central_dp ? 'yes' : 'no'],
    ['secure aggregation', status.secure_aggregation || 'none'],
    ['clients registered / active / expected',
      [round.registered_clients, round.active_clients, round.expected_clients].join(' / ')],
    ['finish reason', status.finish_reason || '-'],
  ];
  for (const [k, v] of facts) {
    dl.append(text('dt', k), text('dd', v == null ? '-' : v));
  }
  dl.querySelectorAll('dd')[0].id = 'round-state';
  dl.querySelectorAll('dd')[4].id = 'model-version';
}

function renderLedger(v) {
  const b = $('ledger-status');
  b.className = 'banner ' + (v.intact ? 'passed' : 'failed');
  b.dataset.intact = String(v.intact);
  b.textContent = v.intact
    ? 'Ledger verified: ' + v.links + ' links; chain, signatures, counters, caps and every epsilon (recomputed both ways) check out.'
    : 'LEDGER CHECK FAILED: ' + v.findings.length + ' finding(s). First: ' + v.findings[0];
  const ul = $('findings');
  ul.replaceChildren();
  v.findings.forEach((f) => ul.append(text('li', f, 'fail')));
  v.notes.forEach((n) => ul.append(text('li', 'note: ' + n)));
  if (!v.findings.length && !v.notes.length) ul.append(text('li', 'none', 'ok'));
  $('ledger-head').textContent = v.head;
  $('ledger-key').textContent = v.coordinator_key;
}

function renderSilos(v) {
  const body = $('silos').tBodies[0];
  body.replaceChildren();
  const holders = Object.entries(v.holders); // holder name -> what its links add up to
  show($('silos-empty'), holders.length === 0);
  for (const [holder, h] of holders) {
    const tr = document.createElement('tr');
    tr.dataset.silo = holder;
    const agree = h.recomputed_epsilon != null && h.reported_epsilon != null
      && Math.abs(h.reported_epsilon - h.recomputed_epsilon) <= 1e-12 * Math.max(h.reported_epsilon, h.recomputed_epsilon);
    const bar = document.createElement('span');
    const share = h.cap ? h.reported_epsilon / h.cap : 0;
    bar.className = 'bar' + (share > 1 ? ' over' : '');
    const fill = document.createElement('span');
    fill.style.width = Math.min(100, 100 * share).toFixed(1) + '%';
    bar.append(fill);
    const spent = document.createElement('td');
    spent.append(bar, document.createTextNode(' ' + (100 * share).toFixed(1) + '%'));
    tr.append(text('td', holder), text('td', fmt(h.reported_epsilon, 8), 'n eps'),
      text('td', fmt(h.recomputed_epsilon, 8), 'n ' + (agree ? 'ok' : 'fail')), text('td', fmt(h.cap), 'n cap'),
      text('td', fmt(h.delta), 'n'), spent, text('td', h.links, 'n'),
      text('td', h.signed ? 'yes' : 'no', h.signed ? 'ok' : 'fail'));
    body.append(tr);
  }
}

function renderParticipants(clients, seen) {
  const body = $('participants').tBodies[0];
  body.replaceChildren();
  for (const c of clients) {
    const tr = document.createElement('tr');
    tr.dataset.silo = c.client_id;
    tr.append(text('td', c.client_id), text('td', c.revoked_at ? 'revoked' : 'enrolled', c.revoked_at ? 'fail' : 'ok'),
      text('td', c.enrolled_at), text('td', c.revoked_at || '-'), text('td', seen[c.client_id] || 'not seen since start'));
    body.append(tr);
  }
}

function renderRounds(history) {
  const body = $('rounds').tBodies[0];
  body.replaceChildren();
  for (const r of history) {
    const tr = document.createElement('tr');
    tr.append(text('td', r.round, 'n'), text('td', r.clients, 'n'), text('td', r.examples == null ? '-' : r.examples, 'n'),
      text('td', fmt(r.seconds, 4), 'n'), text('td', r.bytes_up, 'n'), text('td', r.bytes_down, 'n'),
      text('td', r.train_loss == null ? '-' : fmt(r.train_loss, 5), 'n'));
    body.append(tr);
  }
  lineChart($('chart-round-seconds'), 'seconds per round', history.map((r) => [r.round, r.seconds]));
  lineChart($('chart-round-bytes'), 'bytes uploaded per round', history.map((r) => [r.round, r.bytes_up]));
}

// Prometheus text format: sum every sample of a metric over its labels.
function metricTotal(textBody, name) {
  let total = 0;
  for (const line of textBody.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/);
    if (m && m[1] === name) total += Number(m[3]);
  }
  return total;
}

function renderMetrics(body) {
  samples.push({ t: Date.now(), updates: metricTotal(body, 'hedgerow_updates_accepted_total'),
    requests: metricTotal(body, 'hedgerow_http_request_duration_seconds_count') });
  if (samples.length > 120) samples.shift();
  const t0 = samples[0].t;
  lineChart($('chart-updates'), 'updates accepted (total)', samples.map((s) => [(s.t - t0) / 1000, s.updates]), 's');
  lineChart($('chart-requests'), 'HTTP requests served (total)', samples.map((s) => [(s.t - t0) / 1000, s.requests]), 's');
}

// A small SVG line chart of [x, y] points, with the axis ranges written beside it.
function lineChart(figure, title, points, xUnit) {
  const w = 420, h = 160, pad = 30;
  figure.replaceChildren();
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', w);
  svg.setAttribute('height', h);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  const axis = document.createElementNS(SVG, 'path');
  axis.setAttribute('d', `M${pad},${pad / 2} V${h - pad} H${w - pad / 2}`);
  axis.setAttribute('stroke', '#888');
  axis.setAttribute('fill', 'none');
  svg.append(axis);
  const caption = document.createElement('figcaption');
  if (points.length) {
    const xs = points.map((p) => p[0]), ys = points.map((p) => p[1] || 0);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)], [y0, y1] = [Math.min(0, ...ys), Math.max(...ys)];
    const sx = (x) => pad + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * (w - 1.5 * pad);
    const sy = (y) => h - pad - (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5) * (h - 1.5 * pad);
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points.map((p) => sx(p[0]).toFixed(1) + ',' + sy(p[1] || 0).toFixed(1)).join(' '));
    line.setAttribute('stroke', '#2e8b57');
    line.setAttribute('stroke-width', '2');
    line.setAttribute('fill', 'none');
    svg.append(line);
    for (const p of points) { // a marker per point: one round or one sample is a dot, not an empty chart
      const dot = document.createElementNS(SVG, 'circle');
      dot.setAttribute('cx', sx(p[0]).toFixed(1));
      dot.setAttribute('cy', sy(p[1] || 0).toFixed(1));
      dot.setAttribute('r', '3');
      dot.setAttribute('fill', '#2e8b57');
      svg.append(dot);
    }
    caption.textContent = `${title}: x ${fmt(x0, 4)}–${fmt(x1, 4)}${xUnit ? ' ' + xUnit : ' (round)'}, y ${fmt(y0, 4)}–${fmt(y1, 4)}`;
  } else {
    caption.textContent = title + ': no data yet';
  }
  figure.append(svg, caption);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', signIn);
  $('logout').addEventListener('click', signOut);
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) start(saved);
});
