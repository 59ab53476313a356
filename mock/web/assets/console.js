// The QA console's behaviour: reads and steers the mock through its control API only.
// Plain DOM, no framework, no build step; every request goes to this origin with a JSON body.

const $ = (sel) => document.querySelector(sel)

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v)
    else node.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c ?? ''))
  return node
}

function status(text, isError = false) {
  const s = $('#status')
  s.textContent = text
  s.className = isError ? 'error' : ''
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const data = text ? JSON.parse(text) : undefined
  if (!res.ok) {
    const message = Array.isArray(data?.message) ? data.message.join('; ') : (data?.message ?? res.statusText)
    throw new Error(`${method} ${path}: ${res.status} ${message}`)
  }
  return data
}

/** Runs a console action, reporting its outcome in the header. */
async function act(label, fn) {
  try {
    await fn()
    status(`${label}: done`)
    await refresh()
  } catch (err) {
    status(`${label}: ${err.message}`, true)
  }
}

function copyButton(text) {
  return el(
    'button',
    { type: 'button', title: 'Copy', 'data-copy': text, onclick: () => navigator.clipboard?.writeText(text).then(() => status('copied')) },
    'copy',
  )
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows)
}

// --- locations and tokens

async function loadLocations() {
  const [{ locations }, { tokens }] = await Promise.all([api('GET', '/__mock/locations'), api('GET', '/__mock/tokens')])
  fill(
    $('#locations tbody'),
    locations.map((l) => {
      const mine = tokens.filter((t) => t.locationId === l.id && !t.revoked)
      return el(
        'tr',
        {},
        el('td', {}, el('code', {}, l.id), ' ', copyButton(l.id)),
        el('td', {}, l.name),
        el('td', {}, ...mine.map((t) => el('div', {}, el('code', { 'data-testid': 'token' }, t.access_token), ' ', copyButton(t.access_token), ` ${t.kind}`))),
      )
    }),
  )
}

// --- clock

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
function duration(text) {
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  if (!m) throw new Error(`"${text}" is not a duration (e.g. 10s, 5m, 2h, 1500ms)`)
  return Number(m[1]) * UNITS[m[2] ?? 'ms']
}

async function loadClock() {
  const clock = await api('GET', '/__mock/clock')
  $('#clock-now').textContent = clock.now
  $('#clock-frozen').textContent = clock.frozen ? '(frozen)' : '(running)'
}

// --- journal

/**
 * The filters (status, operation, fault, app) go to the server as the query of both the
 * stream and the history, so the rows are the ones GET /__mock/requests gives for them:
 * one rule, the control API's. Hiding the control API's own calls is the console's alone.
 */
const journal = { entries: new Map(), query: '', showControl: false, source: undefined, generation: 0 }

/** The browser's own requests for the pages: hidden with the control API's. */
const PAGES = /^\/(docs|openapi\/|favicon\.ico$)/

function visible(e) {
  return journal.showControl || !(e.path.startsWith('/__mock') || PAGES.test(e.path))
}

function renderJournal() {
  const rows = [...journal.entries.values()]
    .filter(visible)
    .sort((a, b) => b.id - a.id)
    .slice(0, 300)
    .map((e) =>
      el(
        'tr',
        { 'data-testid': 'journal-row', 'data-id': e.id },
        el('td', {}, String(e.id)),
        el('td', {}, e.time.slice(11, 23)),
        el('td', {}, e.method),
        el('td', {}, el('code', {}, e.path)),
        el('td', {}, e.operationId ?? ''),
        el('td', { class: `s${String(e.status)[0]}` }, String(e.status)),
        el('td', {}, el('code', {}, e.app ?? '')),
        el('td', {}, el('code', {}, e.locationId ?? '')),
        el('td', {}, e.fault ?? ''),
        el('td', {}, String(e.durationMs)),
      ),
    )
  fill($('#journal tbody'), rows)
}

function remember(e) {
  journal.entries.set(e.id, e)
  if (journal.entries.size > 1000) journal.entries.delete(journal.entries.keys().next().value)
}

let soon
/** Budgets, rules and the clock move with traffic: refresh them shortly after requests arrive. */
function refreshSoon() {
  clearTimeout(soon)
  soon = setTimeout(() => Promise.all([loadLimits(), loadFaults(), loadStrict(), loadWebhooks()]).catch(() => {}), 300)
}

/** (Re)subscribes with the current filters; a newer call makes the older ones stop where they are. */
async function follow() {
  const generation = ++journal.generation
  const current = () => generation === journal.generation
  journal.source?.close()
  journal.entries.clear()
  renderJournal()
  const query = journal.query
  if (query) {
    // The stream refuses a bad filter too, but an EventSource cannot say why: ask once where the answer is readable.
    try {
      await api('GET', `/__mock/requests?limit=1&${query}`)
    } catch (err) {
      if (!current()) return
      $('#journal-live').textContent = 'filter refused'
      status(`journal filter: ${err.message}`, true)
      return
    }
    if (!current()) return
  }
  $('#journal-live').textContent = 'connecting…'
  const source = new EventSource(`/__mock/journal/stream${query ? `?${query}` : ''}`)
  journal.source = source
  source.addEventListener('ready', async () => {
    $('#journal-live').textContent = 'live'
    // Subscribed first, then the history: nothing falls between the two.
    const { requests } = await api('GET', `/__mock/requests?limit=300${query ? `&${query}` : ''}`)
    if (!current()) return
    for (const e of requests) remember(e)
    renderJournal()
  })
  source.addEventListener('request', (msg) => {
    const e = JSON.parse(msg.data)
    remember(e)
    renderJournal()
    if (!e.path.startsWith('/__mock')) refreshSoon()
  })
  source.onerror = () => {
    $('#journal-live').textContent = 'reconnecting…'
  }
}

// --- limits

async function loadLimits() {
  const [{ defaults, apps }, { usage }] = await Promise.all([api('GET', '/__mock/limits'), api('GET', '/__mock/limits/usage')])
  const describe = (v) => (v.off ? 'off' : `${v.burst} per ${v.windowMs} ms, ${v.daily} a day`)
  $('#limits-defaults').textContent =
    `Default: ${describe(defaults)}` +
    Object.entries(apps)
      .map(([app, v]) => `; ${app}: ${describe(v)}`)
      .join('')
  fill(
    $('#limits tbody'),
    usage.map((u) =>
      el(
        'tr',
        { 'data-testid': 'limit-row', 'data-app': u.app, 'data-resource': u.resource },
        el('td', {}, el('code', {}, u.app)),
        el('td', {}, el('code', {}, u.resource)),
        el('td', { 'data-testid': 'burst-remaining' }, `${u.burst.remaining} / ${u.burst.limit}${u.enforced ? '' : ' (off)'}`),
        el('td', {}, u.burst.resetAt ?? ''),
        el('td', {}, `${u.daily.remaining} / ${u.daily.limit}`),
      ),
    ),
  )
}

// --- faults and scenarios

const describeMatch = (m) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || 'every request'
const describeAction = (a) =>
  Object.entries(a)
    .map(([k, v]) => (v === true ? k : `${k} ${v}`))
    .join(', ')
const describeWhen = (r) =>
  r.times !== undefined ? `next ${r.times}` : r.after !== undefined ? `after ${r.after}` : r.probability !== undefined ? `p=${r.probability}` : 'always'

async function loadFaults() {
  const { rules } = await api('GET', '/__mock/faults')
  fill(
    $('#faults tbody'),
    rules.map((r) =>
      el(
        'tr',
        { 'data-testid': 'fault-row' },
        el('td', {}, r.id),
        el('td', {}, describeMatch(r.match)),
        el('td', {}, describeAction(r.action)),
        el('td', {}, describeWhen(r)),
        el('td', {}, `${r.seen} / ${r.fired}`),
        el(
          'td',
          {},
          el('button', { type: 'button', onclick: () => act(`remove ${r.id}`, () => api('DELETE', `/__mock/faults/${encodeURIComponent(r.id)}`)) }, 'remove'),
        ),
      ),
    ),
  )
}

async function loadScenarios() {
  const { scenarios } = await api('GET', '/__mock/scenarios')
  $('#scenario-form select').replaceChildren(
    el('option', { value: '' }, '(choose)'),
    ...scenarios.map((s) => el('option', { value: s.name, title: s.description }, s.name)),
  )
}

function faultRule(form) {
  const v = (name) => form.elements[name].value.trim()
  const match = {}
  for (const key of ['method', 'path', 'operationId']) if (v(key)) match[key] = v(key)
  const action = {}
  if (v('status')) action.status = Number(v('status'))
  if (v('latency')) action.latency = Number(v('latency'))
  const rule = { match, action }
  if (v('times')) rule.times = Number(v('times'))
  return rule
}

async function readJsonFile(input) {
  const file = input.files[0]
  if (!file) throw new Error('choose a file first')
  return JSON.parse(await file.text())
}

// --- strict mode

async function loadStrict() {
  const { strict, violations } = await api('GET', '/__mock/contract/violations')
  $('#strict-toggle').checked = strict
  $('#violations').replaceChildren(
    ...violations.slice(-50).map((v) => el('li', { 'data-testid': 'violation' }, `${v.request.method} ${v.request.path}: ${v.kind}: ${v.message}`)),
  )
}

// --- webhooks

const describeAttempt = (a) => `${a.time.slice(11, 19)} ${a.status ?? a.error ?? 'no answer'}${a.duplicate ? ' (duplicate)' : ''}`

async function loadWebhooks() {
  const [{ webhooks }, { deliveries }] = await Promise.all([api('GET', '/__mock/webhooks'), api('GET', '/__mock/webhooks/deliveries')])
  $('#webhook-subscriptions').textContent = webhooks.length
    ? `Subscriptions: ${webhooks.map((w) => `${w.id} → ${w.url}${w.events ? ` (${w.events.join(', ')})` : ''}`).join('; ')}`
    : 'No subscriptions: start with --webhook <url> or POST /__mock/webhooks.'
  $('#webhooks-none').hidden = deliveries.length > 0
  $('#webhooks table').hidden = deliveries.length === 0
  fill(
    $('#webhooks tbody'),
    deliveries
      .slice(-100)
      .reverse()
      .map((d) =>
        el(
          'tr',
          { 'data-testid': 'webhook-row', 'data-webhook-id': d.webhookId },
          el('td', {}, el('code', {}, d.webhookId.slice(0, 8))),
          el('td', {}, d.type),
          el('td', {}, el('code', {}, d.url)),
          el('td', { 'data-testid': 'webhook-state' }, d.state + (d.fault ? ` (${d.fault})` : '')),
          el('td', { 'data-testid': 'webhook-attempts' }, d.attempts.map(describeAttempt).join(' · ') || (d.nextAttemptAt ? `due ${d.nextAttemptAt}` : '')),
          el(
            'td',
            {},
            el(
              'button',
              {
                type: 'button',
                'data-testid': 'webhook-redeliver',
                onclick: () => act(`redeliver ${d.webhookId}`, () => api('POST', `/__mock/webhooks/deliveries/${encodeURIComponent(d.webhookId)}/redeliver`)),
              },
              'redeliver',
            ),
          ),
        ),
      ),
  )
}

// --- wiring

async function refresh() {
  const health = await api('GET', '/__mock/health')
  $('#seed').textContent = String(health.seed)
  await Promise.all([loadLocations(), loadClock(), loadLimits(), loadFaults(), loadStrict(), loadWebhooks()])
}

$('#clock-form').addEventListener('submit', (ev) => {
  ev.preventDefault()
  act('advance clock', async () => api('POST', '/__mock/clock', { advanceMs: duration(ev.target.elements.advance.value) }))
})
$('#clock-freeze').addEventListener('click', () =>
  act('freeze clock', async () => api('POST', '/__mock/clock', { set: (await api('GET', '/__mock/clock')).now })),
)
$('#clock-resume').addEventListener('click', () => act('resume clock', () => api('POST', '/__mock/clock', { resume: true })))

let filtering
$('#journal-filters').addEventListener('input', (ev) => {
  const f = ev.currentTarget.elements
  journal.showControl = f.control.checked
  const filters = ['status', 'operationId', 'fault', 'app'].map((name) => [name, f[name].value.trim()]).filter(([, value]) => value)
  const query = new URLSearchParams(filters).toString()
  renderJournal()
  if (query === journal.query) return
  journal.query = query
  // Once typing pauses: a subscription per keystroke would be thrown away at the next.
  clearTimeout(filtering)
  filtering = setTimeout(follow, 250)
})
$('#journal-clear').addEventListener('click', () =>
  act('clear journal', async () => {
    await api('DELETE', '/__mock/requests')
    journal.entries.clear()
    renderJournal()
  }),
)

$('#fault-form').addEventListener('submit', (ev) => {
  ev.preventDefault()
  act('add fault rule', () => api('POST', '/__mock/faults', faultRule(ev.target)))
})
$('#scenario-form').addEventListener('submit', (ev) => {
  ev.preventDefault()
  const { name, file } = ev.target.elements
  act('apply scenario', async () => api('POST', '/__mock/scenarios', file.files.length ? { scenario: await readJsonFile(file) } : { name: name.value }))
})

$('#strict-toggle').addEventListener('change', (ev) => act('strict mode', () => api('PUT', '/__mock/contract', { strict: ev.target.checked })))
$('#webhooks-flush').addEventListener('click', () => act('send due webhooks', () => api('POST', '/__mock/webhooks/flush')))
$('#violations-clear').addEventListener('click', () => act('clear violations', () => api('DELETE', '/__mock/contract/violations')))

$('#reset-form').addEventListener('submit', (ev) => {
  ev.preventDefault()
  const seed = ev.target.elements.seed.value.trim()
  act('reset', async () => {
    await api('POST', '/__mock/reset', seed ? { seed: /^\d+$/.test(seed) ? Number(seed) : seed } : {})
    journal.entries.clear()
    renderJournal()
  })
})
$('#state-file').addEventListener('change', (ev) => act('load state', async () => api('PUT', '/__mock/state', await readJsonFile(ev.target))))

follow()
refresh().then(
  () => loadScenarios(),
  (err) => status(err.message, true),
)
