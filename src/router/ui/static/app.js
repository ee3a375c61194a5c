// falx UI: the few things a server-rendered page cannot do alone. The live event list and the
// silence form's check as you type. Every value from the server is put in the page with
// textContent, never as HTML.
'use strict';

const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

function cell(text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

function eventRow(row) {
  const tr = document.createElement('tr');
  tr.dataset.id = String(row.id);
  tr.className = 'new';
  tr.append(cell(row.receivedAt, 'time'));
  const priority = document.createElement('td');
  const badge = document.createElement('span');
  badge.className = `priority p-${row.priority}`;
  badge.textContent = row.priority;
  priority.append(badge);
  tr.append(priority);
  const rule = document.createElement('td');
  const link = document.createElement('a');
  link.href = `/ui/events/${encodeURIComponent(String(row.id))}`;
  link.textContent = row.rule;
  rule.append(link);
  tr.append(rule, cell(row.hostname), cell(row.namespace), cell(row.message, 'output'), cell(row.muted));
  return tr;
}

function liveEvents() {
  const live = document.getElementById('live');
  const rows = document.getElementById('event-rows');
  // Only the first page follows new events: an older page stays as it is.
  if (!live || !rows || new URLSearchParams(location.search).has('before')) return;
  let after = live.dataset.after ?? '0';
  const base = live.dataset.query ?? '';
  const poll = async () => {
    try {
      const params = new URLSearchParams(base.replace(/^\?/, ''));
      params.set('after', after);
      const response = await fetch(`/ui/events/feed?${params}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) {
        const body = await response.json();
        for (const row of body.events) rows.prepend(eventRow(row));
        after = String(body.cursor);
        live.dataset.after = after;
        document.querySelector('.empty')?.remove();
      }
    } finally {
      setTimeout(poll, 2000);
    }
  };
  setTimeout(poll, 2000);
}

function silenceCheck() {
  const input = document.getElementById('silence-condition');
  const check = document.getElementById('silence-check');
  const preview = document.getElementById('silence-preview');
  if (!input || !check || !preview) return;
  let timer;
  let sequence = 0;
  const run = async () => {
    const mine = ++sequence;
    const condition = input.value;
    if (condition.trim() === '') {
      check.replaceChildren();
      preview.replaceChildren();
      return;
    }
    const response = await fetch('/ui/silences/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      credentials: 'same-origin',
      body: JSON.stringify({ condition }),
    });
    if (mine !== sequence || !response.ok) return;
    const body = await response.json();
    if (!body.ok) {
      const list = document.createElement('ul');
      list.className = 'problems';
      for (const diagnostic of body.diagnostics) {
        const item = document.createElement('li');
        item.textContent = diagnostic.text;
        list.append(item);
      }
      check.replaceChildren(list);
      check.dataset.state = 'invalid';
      preview.replaceChildren();
      return;
    }
    const ok = document.createElement('p');
    ok.className = 'ok';
    ok.textContent = 'The condition is valid.';
    check.replaceChildren(ok);
    check.dataset.state = 'valid';
    const summary = document.createElement('p');
    summary.textContent = `It would have muted ${body.preview.matched} of the last ${body.preview.checked} events.`;
    const table = document.createElement('table');
    table.className = 'events';
    const tbody = document.createElement('tbody');
    for (const row of body.preview.events) tbody.append(eventRow(row));
    table.append(tbody);
    preview.replaceChildren(summary, table);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), 250);
  });
  if (input.value.trim() !== '') void run();
}

document.addEventListener('DOMContentLoaded', () => {
  liveEvents();
  silenceCheck();
});
