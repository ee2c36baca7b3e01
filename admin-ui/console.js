// feedback-hub admin console: polls the lock feed and the console metrics, keeps short rate
// series in memory, and runs purges with a confirmation step. No build step, no dependencies.
(function () {
  'use strict';

  var POLL_MS = 1500;
  var SERIES_POINTS = 160; // about four minutes at 1.5 s
  // Every state-changing admin call carries this header; the server refuses POSTs without it,
  // so a foreign page cannot trigger a purge through the operator's browser.
  var CSRF = { 'X-Requested-By': 'feedback-hub-console' };

  var lookupTenant = '';
  var last = null; // previous metrics sample, for rates per poll interval
  var series = { conflicts: [], writes: [] };

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function replaceRows(tbody, rows, emptyText, columns) {
    tbody.textContent = '';
    if (rows.length === 0) {
      tbody.appendChild(el('tr', { className: 'empty' }, [el('td', { colspan: String(columns), text: emptyText })]));
      return;
    }
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '–';
    if (ms < 1000) return Math.round(ms) + ' ms';
    var s = ms / 1000;
    if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + Math.round(s - m * 60) + ' s';
    var h = Math.floor(m / 60);
    return h + ' h ' + (m - h * 60) + ' min';
  }

  function ago(iso) {
    var then = Date.parse(iso);
    if (isNaN(then)) return iso || '–';
    var d = new Date(then);
    return d.toLocaleString() + ' (' + duration(Date.now() - then) + ' ago)';
  }

  function setStatus(kind, text) {
    var s = $('status');
    s.className = 'status status-' + kind;
    s.textContent = text;
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' }).then(function (r) {
      return r.text().then(function (t) {
        var body = null;
        try { body = t ? JSON.parse(t) : null; } catch (e) { body = null; }
        return { status: r.status, ok: r.ok, body: body };
      });
    });
  }

  // ---- lock feed ----

  function tenantCell(b) {
    if (b.tenant_id) return el('td', { className: 'tenant', text: b.tenant_id });
    var key = b.key_unsigned ? 'key ' + b.key_unsigned : (b.lock_type || '');
    return el('td', { className: 'tenant' }, [el('span', { className: 'unknown', text: key ? 'unknown ' + key : 'unknown' })]);
  }

  function lockRow(b) {
    var waiting = !b.granted;
    var tr = el('tr', {
      className: waiting ? 'waiting' : 'held',
      'data-pid': String(b.pid),
      'data-tenant': b.tenant_id || '',
      'data-mode': b.mode || '',
      'data-granted': String(b.granted)
    });
    var modeLabel = b.lock_type === 'advisory' ? b.mode : (b.lock_type + ' ' + b.mode);
    tr.appendChild(el('td', { text: String(b.pid) }));
    tr.appendChild(tenantCell(b));
    tr.appendChild(el('td', {}, [el('span', { className: 'pill ' + (b.mode || ''), text: modeLabel || '' })]));
    tr.appendChild(el('td', {}, [el('span', { className: 'pill ' + (waiting ? 'waiting' : 'held'), text: waiting ? 'waiting' : 'held' })]));
    tr.appendChild(el('td', { text: waiting ? duration(b.wait_ms) : '' }));
    tr.appendChild(el('td', { text: duration(b.xact_age_ms) }));
    tr.appendChild(el('td', { text: (b.blocked_by || []).join(', ') }));
    tr.appendChild(el('td', { text: b.application_name || '' }));
    tr.appendChild(el('td', { text: b.client_addr || 'local' }));
    var ev = [b.state, b.wait_event_type && (b.wait_event_type + '/' + b.wait_event)].filter(Boolean).join(' · ');
    tr.appendChild(el('td', { text: ev }));
    tr.appendChild(el('td', { className: 'query', title: b.query || '', text: b.query || '' }));
    return tr;
  }

  function treeList(nodes) {
    var ul = el('ul');
    nodes.forEach(function (n) {
      var label = 'pid ' + n.pid + (n.tenant_id ? ' · ' + n.tenant_id : '') + (n.mode ? ' · ' + n.mode : '') + (n.waiting ? ' · waiting' : ' · holds');
      var li = el('li', { 'data-pid': String(n.pid) }, [label + ' ']);
      if (n.waiters_behind > 0) {
        li.appendChild(el('span', { className: 'behind', text: '← ' + n.waiters_behind + (n.waiters_behind === 1 ? ' session waits' : ' sessions wait') }));
      }
      if (n.children && n.children.length) li.appendChild(treeList(n.children));
      ul.appendChild(li);
    });
    return ul;
  }

  function renderLocks(feed) {
    var s = feed.summary;
    $('sum-purging').textContent = s.tenants_under_purge;
    $('sum-queued').textContent = s.queued_purges;
    $('sum-writers').textContent = s.writers_in_flight;
    $('sum-waiting').textContent = s.waiting_backends;
    $('sum-longest').textContent = s.longest_wait_ms === null ? '–' : duration(s.longest_wait_ms);
    $('sum-queued').parentNode.classList.toggle('hot', s.queued_purges > 0);
    $('sum-waiting').parentNode.classList.toggle('hot', s.waiting_backends > 0);

    var all = feed.locks.concat(feed.blocked_behind || []);
    replaceRows($('lock-rows'), all.map(lockRow), 'no tenant write locks held or awaited', 11);

    var tree = $('tree');
    tree.textContent = '';
    if (feed.blocking_tree.length === 0) tree.appendChild(el('p', { className: 'muted', text: 'nobody is waiting' }));
    else tree.appendChild(treeList(feed.blocking_tree));

    var lr = $('lookup-result');
    if (feed.lookup) {
      lr.textContent = 'Tenant ' + feed.lookup.tenant_id + ' → key ' + feed.lookup.key_unsigned +
        ' (signed ' + feed.lookup.key_signed + '): ' + feed.lookup.rows + ' row(s) now.';
    } else {
      lr.textContent = '';
    }
  }

  function pollLocks() {
    var url = '/locks' + (lookupTenant ? '?tenant_id=' + encodeURIComponent(lookupTenant) : '');
    return getJson(url).then(function (r) {
      if (r.ok && r.body) {
        renderLocks(r.body);
        setStatus('ok', 'live · ' + new Date().toLocaleTimeString());
      } else if (r.body && r.body.error) {
        setStatus('bad', 'database unreachable (' + r.body.detail + ') · retrying');
      } else if (r.body && r.body.detail) {
        setStatus('bad', r.body.detail);
      } else {
        setStatus('bad', 'lock feed answered ' + r.status + ' · retrying');
      }
    }, function () {
      setStatus('bad', 'admin port unreachable · retrying');
    });
  }

  // ---- metrics ----

  function push(list, value) {
    list.push(value);
    while (list.length > SERIES_POINTS) list.shift();
  }

  function drawSpark(svg, values) {
    svg.textContent = '';
    if (values.length < 2) return;
    var max = Math.max.apply(null, values.concat([1]));
    var step = 240 / (SERIES_POINTS - 1);
    var start = 240 - step * (values.length - 1);
    var pts = values.map(function (v, i) {
      return (start + i * step).toFixed(1) + ',' + (46 - (v / max) * 42).toFixed(1);
    }).join(' ');
    var line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', pts);
    svg.appendChild(line);
  }

  function timerRow(id, t) {
    var cells = $(id).querySelectorAll('td');
    var v = [t.count, duration(t.p50_ms), duration(t.p99_ms), duration(t.max_ms)];
    if (!t.count) v = [0, '–', '–', '–'];
    for (var i = 0; i < cells.length; i++) cells[i].textContent = v[i];
  }

  function renderMetrics(m) {
    var c = m.tenant_write_conflicts;
    $('conflicts-total').textContent = c.total;
    replaceRows($('conflicts-by-direction'), Object.keys(c.by_direction).map(function (d) {
      return el('tr', {}, [el('th', { scope: 'row', text: d.replace(/_/g, ' ') }), el('td', { 'data-direction': d, text: String(c.by_direction[d]) })]);
    }), 'none', 2);
    replaceRows($('conflicts-by-operation'), c.by_operation.map(function (o) {
      return el('tr', {}, [el('th', { scope: 'row', text: o.operation }), el('td', { text: o.direction.replace(/_/g, ' ') }), el('td', { text: String(o.count) })]);
    }), 'none yet', 3);

    $('purge-ok').textContent = m.purges.outcomes.ok;
    $('purge-timed-out').textContent = m.purges.outcomes.timed_out;
    $('purge-failed').textContent = m.purges.outcomes.failed;
    timerRow('timer-lock-wait', m.purges.lock_wait);
    timerRow('timer-duration', m.purges.duration);

    var now = Date.now();
    if (last) {
      var dt = Math.max(0.001, (now - last.at) / 1000);
      var conflicts = Math.max(0, c.total - last.conflicts);
      var writes = Math.max(0, m.writes.total - last.writes);
      push(series.conflicts, conflicts);
      push(series.writes, writes / dt);
      $('conflicts-rate').textContent = String(conflicts);
      $('writes-rate').textContent = (writes / dt).toFixed(1);
    }
    last = { at: now, conflicts: c.total, writes: m.writes.total };
    drawSpark($('spark-conflicts'), series.conflicts);
    drawSpark($('spark-writes'), series.writes);

    if (m.history) {
      replaceRows($('history-rows'), m.history.map(historyRow), 'no purges yet', 7);
    }
    renderRecordsPurges(m.records_purges);
  }

  function renderRecordsPurges(rp) {
    if (!rp) return;
    $('rp-batches').textContent = rp.batches;
    $('rp-records').textContent = rp.records_deleted;
    $('rp-refused').textContent = rp.batches_refused;
    $('rp-completed').textContent = rp.outcomes.completed;
    $('rp-failed').textContent = rp.outcomes.failed;
    if (rp.history) {
      replaceRows($('records-purge-rows'), rp.history.map(recordsPurgeRow), 'no records-only purges yet', 9);
    }
  }

  function recordsPurgeRow(p) {
    var deleted = p.deleted_counts ? p.deleted_counts.feedback_records : 0;
    var active = p.state === 'accepted' || p.state === 'running';
    var progress = el('td', { text: p.state === 'completed' ? 'done' : '–' });
    if (active && p.records_left !== null) {
      var total = deleted + p.records_left;
      var pct = total === 0 ? 100 : Math.floor(100 * deleted / total);
      progress = el('td', {}, [el('progress', { max: '100', value: String(pct), 'aria-label': pct + '% deleted' }), ' ' + pct + '%']);
    }
    var pill = p.state === 'completed' ? 'ok' : (p.state === 'failed' ? 'failed' : 'waiting');
    return el('tr', { 'data-tenant': p.tenant_id, 'data-state': p.state }, [
      el('td', { text: ago(p.accepted_at) }),
      el('td', { className: 'tenant', text: p.tenant_id }),
      el('td', {}, [el('span', { className: 'pill ' + pill, text: p.state })]),
      progress,
      el('td', { text: p.records_left === null ? '–' : String(p.records_left) }),
      el('td', { text: String(p.batches_done) }),
      el('td', { text: String(p.attempts) }),
      el('td', { text: duration(p.lock_wait_ms) }),
      el('td', { text: p.state === 'failed' ? (p.error || 'failed') : countsText(p.deleted_counts) })
    ]);
  }

  function countsText(counts) {
    if (!counts) return '';
    var parts = Object.keys(counts).filter(function (k) { return typeof counts[k] === 'number' && counts[k] > 0; }).map(function (k) {
      return k.replace(/^deleted_/, '').replace(/_/g, ' ') + ' ' + counts[k];
    });
    return parts.length ? parts.join(', ') : 'nothing';
  }

  function historyRow(h) {
    return el('tr', { 'data-tenant': h.tenant_id, 'data-outcome': h.outcome }, [
      el('td', { text: ago(h.started_at) }),
      el('td', { className: 'tenant', text: h.tenant_id }),
      el('td', {}, [el('span', { className: 'pill ' + h.outcome, text: h.outcome.replace('_', ' ') })]),
      el('td', { text: h.initiated_by || '' }),
      el('td', { text: duration(h.lock_wait_ms) }),
      el('td', { text: duration(h.duration_ms) }),
      el('td', { text: h.outcome === 'ok' ? countsText(h.deleted_counts) : (h.error || '') })
    ]);
  }

  function pollMetrics() {
    return getJson('/console/metrics').then(function (r) {
      if (r.ok && r.body) renderMetrics(r.body);
    }, function () { /* the status line already says the port is unreachable */ });
  }

  function loop() {
    Promise.all([pollLocks(), pollMetrics()]).then(function () {
      setTimeout(loop, POLL_MS);
    }, function () {
      setTimeout(loop, POLL_MS);
    });
  }

  // ---- tenant lookup ----

  $('lookup-form').addEventListener('submit', function (e) {
    e.preventDefault();
    lookupTenant = $('lookup-tenant').value.trim();
    pollLocks();
  });
  $('lookup-clear').addEventListener('click', function () {
    $('lookup-tenant').value = '';
    lookupTenant = '';
    pollLocks();
  });

  // ---- purge with confirmation ----

  var pendingTenant = null;

  function showResult(kind, nodes) {
    var box = $('purge-result');
    box.textContent = '';
    box.appendChild(el('div', { className: kind }, nodes));
  }

  function closeConfirm() {
    $('purge-confirm').hidden = true;
    pendingTenant = null;
    $('purge-review').disabled = false;
  }

  $('purge-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var tenant = $('purge-tenant').value.trim();
    if (!tenant) return;
    $('purge-review').disabled = true;
    $('purge-result').textContent = '';
    getJson('/console/tenant-counts?tenant_id=' + encodeURIComponent(tenant)).then(function (r) {
      $('purge-review').disabled = false;
      if (!r.ok || !r.body) {
        showResult('bad', [problemText(r)]);
        return;
      }
      pendingTenant = r.body.tenant_id;
      $('confirm-tenant').textContent = pendingTenant;
      var counts = r.body.counts;
      replaceRows($('confirm-counts'), Object.keys(counts).map(function (k) {
        return el('tr', {}, [el('th', { scope: 'row', text: k.replace(/_/g, ' ') }), el('td', { 'data-count': k, text: String(counts[k]) })]);
      }), 'nothing', 2);
      $('purge-confirm').hidden = false;
      $('purge-go').focus();
    }, function () {
      $('purge-review').disabled = false;
      showResult('bad', ['the admin port did not answer']);
    });
  });

  $('purge-cancel').addEventListener('click', function () {
    closeConfirm();
    $('purge-tenant').focus();
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !$('purge-confirm').hidden) closeConfirm();
  });

  function problemText(r) {
    var b = r.body || {};
    var reason = (b.invalid_params || []).map(function (p) { return p.name + ' ' + p.reason; }).join('; ');
    return (b.code ? b.code + ': ' : 'HTTP ' + r.status + ': ') + (reason || b.detail || b.title || 'failed');
  }

  $('purge-go').addEventListener('click', function () {
    var tenant = pendingTenant;
    if (!tenant) return;
    $('purge-go').disabled = true;
    showResult('ok', ['purging ' + tenant + '… (waits for writers in flight, bounded)']);
    fetch('/tasks/purge-tenant?tenant_id=' + encodeURIComponent(tenant), {
      method: 'POST', headers: CSRF, cache: 'no-store'
    }).then(function (resp) {
      return resp.text().then(function (t) {
        var body = null;
        try { body = JSON.parse(t); } catch (e) { body = null; }
        return { status: resp.status, ok: resp.ok, body: body };
      });
    }).then(function (r) {
      $('purge-go').disabled = false;
      closeConfirm();
      if (r.ok && r.body) {
        showResult('ok', [el('strong', { text: 'Purged ' + r.body.tenant_id + '. ' }), 'Deleted: ' + countsText(r.body) + '.']);
      } else if (r.body && r.body.code === 'tenant_write_conflict') {
        showResult('bad', [el('strong', { text: 'Conflict (' + r.status + ' tenant_write_conflict): ' }), r.body.detail + '. Nothing was deleted.']);
      } else {
        showResult('bad', [problemText(r)]);
      }
      pollMetrics();
    }, function () {
      $('purge-go').disabled = false;
      showResult('bad', ['the admin port did not answer; the purge may or may not have run — check the history']);
    });
  });

  $('poll-interval').textContent = (POLL_MS / 1000) + ' s';
  loop();
})();
