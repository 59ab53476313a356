/**
 * The benchmark of issue 13. Starts, each in its own process on 127.0.0.1: our mock
 * (default options: auth, validation, journal, rate limits on but set very high so they
 * count without refusing), Prism 5.14 on our spec, and a bare node:http server answering
 * the same bytes. Alternates autocannon rounds of GET /contacts/{id} across the three;
 * then measures search scaling (10k and 100k contacts in one location), start time to
 * the first 200 and memory. Prints the tables and the issue's goals; writes JSON to
 * bench/results/ for CI artifacts. Not part of npm test.
 *
 *   npm run bench [-- --quick] [--get-only | --search-only] [--source] [--rounds 3] [--seconds 5] [--connections 32]
 *                 [--search-sizes 10000,100000] [--search-seconds 5] [--out file.json]
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { combine, round, sequential, type Round, type Target } from './lib/load.ts'
import { firstOk, freePort, memory, ready, start, stop, type Child } from './lib/procs.ts'
import { goalLines, searchTable, throughputTable, type Goal, type SearchRow, type ServerRow } from './lib/report.ts'

const BENCH = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(BENCH, '..')
/** High enough never to refuse during a run, so the limiter's work is measured, not its 429s. */
const HIGH_LIMITS = '100000000/10s,1000000000/day'
const VENDOR_SPEC = resolve(ROOT, '../shared/upstream/apps/contacts.json')
/** A query that matches names and emails of the seeded contacts (~5 % of them). */
const TEXT_QUERY = 'son'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'get-only': { type: 'boolean', default: false },
    'search-only': { type: 'boolean', default: false },
    source: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '32' },
    'search-sizes': { type: 'string', default: '10000,100000' },
    'search-seconds': { type: 'string' },
    out: { type: 'string' },
  },
})
const positive = (name: string, text: string) => {
  const n = Number(text)
  if (!(n > 0)) throw new Error(`--${name} must be a positive number (got ${text})`)
  return n
}
const config = {
  quick: args.quick,
  getOnly: args['get-only'],
  /** Only the search scaling: no GET by id table, no Prism (to iterate on the store in a few minutes). */
  searchOnly: args['search-only'],
  /** Run our mock from its TypeScript through tsx, instead of the compiled build the `ghl-mock` command runs. */
  source: args.source,
  rounds: positive('rounds', args.rounds ?? (args.quick ? '1' : '3')),
  seconds: positive('seconds', args.seconds ?? (args.quick ? '3' : '5')),
  warmupSeconds: positive('warmup', args.warmup ?? '3'),
  connections: positive('connections', args.connections!),
  searchSizes: args['search-sizes']!.split(',').map((s) => positive('search-sizes', s)),
  searchSeconds: positive('search-seconds', args['search-seconds'] ?? (args.quick ? '2' : '5')),
  rateLimit: HIGH_LIMITS,
}

const require = createRequire(import.meta.url)
const prismDir = dirname(require.resolve('@stoplight/prism-cli/package.json'))
const prismVersion: string = JSON.parse(readFileSync(join(prismDir, 'package.json'), 'utf8')).version
const prismBin = join(prismDir, 'dist/index.js')

const log = (msg: string) => process.stderr.write(`· ${msg}\n`)

interface MockReady {
  url: string
  token: string
  locationId: string
  contactId: string
}

const authHeaders = (token: string) => ({ Authorization: `Bearer ${token}`, Version: '2021-07-28', Accept: 'application/json' })

async function startMock(name: string, extra: string[]): Promise<{ child: Child; info: MockReady; startMs: number; get: Target }> {
  const from = config.source ? ['--source'] : []
  const child = start(name, ['--import', 'tsx', 'bench/servers/mock.ts', '--rate-limit', config.rateLimit, ...from, ...extra], { cwd: ROOT })
  const info = await ready<MockReady>(child)
  const get: Target = { url: `${info.url}/contacts/${info.contactId}`, headers: authHeaders(info.token) }
  const startMs = await firstOk(child, get.url, get.headers)
  return { child, info, startMs, get }
}

async function startPrism(name: string, spec: string, contactId: string, headers: Record<string, string>) {
  const port = await freePort()
  const child = start(name, [prismBin, 'mock', '-h', '127.0.0.1', '-p', String(port), spec], { cwd: ROOT, quiet: true })
  const url = `http://127.0.0.1:${port}/contacts/${contactId}`
  const startMs = await firstOk(child, url, headers)
  return { child, startMs, get: { url, headers } satisfies Target }
}

async function throughput() {
  log(`starting our mock, a bare node:http server and Prism ${prismVersion}`)
  const ours = await startMock('ours', [])
  const body = await (await fetch(ours.get.url, { headers: ours.get.headers })).text()
  const bareChild = start('bare', ['--import', 'tsx', 'bench/servers/bare.ts'], { cwd: ROOT, env: { BENCH_BODY: body } })
  const bareInfo = await ready<{ url: string; bytes: number }>(bareChild)
  const bare = { child: bareChild, get: { url: `${bareInfo.url}/contacts/${ours.info.contactId}`, headers: ours.get.headers } satisfies Target }
  const bareStartMs = await firstOk(bareChild, bare.get.url, bare.get.headers)
  const prism = await startPrism('prism', 'openapi/contacts.yaml', ours.info.contactId, ours.get.headers)

  const servers = [
    { key: 'ours', name: 'ours (limits on, high; auth, validation, journal)', child: ours.child, target: ours.get, startMs: ours.startMs },
    { key: 'bare', name: `bare node:http (same ${bareInfo.bytes} B body)`, child: bare.child, target: bare.get, startMs: bareStartMs },
    { key: 'prism', name: `Prism ${prismVersion} (our spec)`, child: prism.child, target: prism.get, startMs: prism.startMs },
  ]
  const rounds = new Map<string, Round[]>(servers.map((s) => [s.key, []]))
  try {
    for (const s of servers) {
      log(`warm-up ${s.key} (${config.warmupSeconds} s)`)
      await round(s.target, config.connections, config.warmupSeconds)
    }
    for (let r = 0; r < config.rounds; r++) {
      // Rotate who goes first, so no server always follows the same neighbour.
      for (let i = 0; i < servers.length; i++) {
        const s = servers[(i + r) % servers.length]
        log(`round ${r + 1}/${config.rounds} ${s.key} (${config.seconds} s, ${config.connections} connections)`)
        rounds.get(s.key)!.push(await round(s.target, config.connections, config.seconds))
      }
    }
    const rows: Array<ServerRow & { key: string; rounds: Round[] }> = servers.map((s) => ({
      key: s.key,
      name: s.name,
      result: combine(rounds.get(s.key)!),
      rounds: rounds.get(s.key)!,
      startMs: s.startMs,
      rssMb: memory(s.child).rssMb,
    }))
    return { rows, bodyBytes: bareInfo.bytes }
  } finally {
    await Promise.all(servers.map((s) => stop(s.child)))
  }
}

async function vendorPrismStart(contactId: string, token: string): Promise<number | undefined> {
  if (!existsSync(VENDOR_SPEC)) {
    log(`no vendor spec at ${VENDOR_SPEC}: Prism's start on it is not measured`)
    return undefined
  }
  log(`Prism ${prismVersion} on the vendor's spec: start time`)
  const p = await startPrism('prism (vendor spec)', VENDOR_SPEC, contactId, authHeaders(token))
  await stop(p.child)
  return p.startMs
}

async function searchScaling(): Promise<SearchRow[]> {
  const rows: SearchRow[] = []
  for (const size of config.searchSizes) {
    log(`our mock with one location of ${size.toLocaleString('en-US')} contacts: start, GET and search latency (${config.searchSeconds} s each)`)
    const m = await startMock(`ours ${size}`, ['--locations', '1', '--contacts', String(size)])
    try {
      const afterStart = memory(m.child)
      const search: Target = {
        url: `${m.info.url}/contacts/search`,
        method: 'POST',
        headers: { ...m.get.headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          locationId: m.info.locationId,
          pageLimit: 20,
          filters: [
            { field: 'tags', operator: 'eq', value: 'vip' },
            { field: 'country', operator: 'exists' },
          ],
        }),
      }
      // Full text through the text indexes: a search by query, and the GET /contacts/ list with one.
      const query: Target = { ...search, body: JSON.stringify({ locationId: m.info.locationId, pageLimit: 20, query: TEXT_QUERY }) }
      const list: Target = { url: `${m.info.url}/contacts/?locationId=${m.info.locationId}&limit=20&query=${TEXT_QUERY}`, headers: m.get.headers }
      for (const t of [m.get, search, query, list]) await sequential(t, config.warmupSeconds)
      const strip = ({ lastBody: _, ...r }: Round & { lastBody: string }) => r
      const get = await sequential(m.get, config.searchSeconds)
      const found = await sequential(search, config.searchSeconds)
      const texts = await sequential(query, config.searchSeconds)
      const listed = await sequential(list, config.searchSeconds)
      const matched = Number(JSON.parse(found.lastBody || '{}').total ?? NaN)
      const peakRssMb = memory(m.child).peakRssMb
      // A reset seeds the same contacts again: the control API, as a test suite calls it between tests.
      const t = performance.now()
      const reset = await fetch(`${m.info.url}/__mock/reset`, { method: 'POST' })
      const resetMs = reset.ok ? performance.now() - t : Number.NaN
      rows.push({
        contacts: size,
        startMs: m.startMs,
        rssMb: afterStart.rssMb,
        peakRssMb,
        get: strip(get),
        search: strip(found),
        query: strip(texts),
        list: strip(listed),
        matched,
        queryMatched: Number(JSON.parse(texts.lastBody || '{}').total ?? NaN),
        resetMs,
        afterResetRssMb: memory(m.child).rssMb,
      })
    } finally {
      await stop(m.child)
    }
  }
  return rows
}

function goals(rows: ServerRow[] | undefined, search: SearchRow[], prismStartMs: number | undefined, prismOurSpecStartMs: number | undefined): Goal[] {
  const out: Goal[] = []
  if (rows) {
    const [ours, bare, prism] = rows
    out.push(
      {
        goal: 'GET by id req/s ≥ 50 % of bare node:http',
        value: `${Math.round((100 * ours.result.rps) / bare.result.rps)} %`,
        met: ours.result.rps >= 0.5 * bare.result.rps,
      },
      { goal: 'GET by id req/s ≥ 15× Prism', value: `${(ours.result.rps / prism.result.rps).toFixed(1)}×`, met: ours.result.rps >= 15 * prism.result.rps },
    )
  }
  const small = search.find((r) => r.contacts === 10_000)
  const big = search.find((r) => r.contacts === 100_000)
  if (big) {
    out.push({
      goal: 'search p99 ≤ 5× GET p99 at 100k contacts',
      value: `${(big.search.p99 / big.get.p99).toFixed(1)}× (${big.search.p99.toFixed(2)} vs ${big.get.p99.toFixed(2)} ms)`,
      met: big.search.p99 <= 5 * big.get.p99,
    })
    if (small)
      out.push({
        goal: 'search p50 from 10k to 100k contacts ≤ 2×',
        value: `${(big.search.p50 / small.search.p50).toFixed(1)}×`,
        met: big.search.p50 <= 2 * small.search.p50,
      })
    out.push({
      goal: 'full-text search p99 ≤ 5× GET p99 at 100k contacts',
      value: `${(big.query.p99 / big.get.p99).toFixed(1)}× (${big.query.p99.toFixed(2)} vs ${big.get.p99.toFixed(2)} ms)`,
      met: big.query.p99 <= 5 * big.get.p99,
    })
    if (small)
      out.push({
        goal: 'full-text search p50 from 10k to 100k contacts ≤ 2×',
        value: `${(big.query.p50 / small.query.p50).toFixed(1)}×`,
        met: big.query.p50 <= 2 * small.query.p50,
      })
    const against = prismStartMs ?? prismOurSpecStartMs
    if (against !== undefined) {
      out.push({
        goal: `ready with 100k contacts before Prism on the ${prismStartMs === undefined ? 'our' : "vendor's"} spec`,
        value: `${Math.round(big.startMs)} vs ${Math.round(against)} ms`,
        met: big.startMs <= against,
      })
    }
    if (big.rssMb !== undefined)
      out.push({ goal: 'RSS ≤ 400 MB with 100k contacts (after start)', value: `${big.rssMb} MB (peak ${big.peakRssMb} MB)`, met: big.rssMb <= 400 })
  }
  return out
}

function commit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}

const began = performance.now()
if (!config.source) {
  // The `ghl-mock` command runs the compiled build; build it from the current source.
  log('building dist/ (npm run build): the compiled mock, as the ghl-mock command runs it')
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' })
}
const loadBefore = loadavg()[0]
if (loadBefore > cpus().length) log(`load average ${loadBefore.toFixed(1)} on ${cpus().length} cores: other work competes, numbers will be low and noisy`)
const tp = config.searchOnly ? undefined : await throughput()
const prismOurSpec = tp?.rows[2].startMs
// --get-only: the GET by id table alone, to iterate on the request path in a minute.
const prismVendorStartMs = config.getOnly || config.searchOnly ? undefined : await vendorPrismStart('abc', 'x')
const search = config.getOnly ? [] : await searchScaling()
const met = goals(tp?.rows, search, prismVendorStartMs, prismOurSpec)

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${loadBefore.toFixed(1)} before / ${loadavg()[0].toFixed(1)} after`
const throughputPart = (t: NonNullable<typeof tp>) => `
GET /contacts/{id} with auth headers, ${config.connections} connections, ${config.rounds} alternating round(s) × ${config.seconds} s, median of rounds
Our mock (${config.source ? 'TypeScript source through tsx' : 'compiled build in dist/, as the ghl-mock command runs it'}) runs with default options except --rate-limit ${HIGH_LIMITS}: limits on (counted,
X-RateLimit-* headers sent) but too high to refuse; GHL's 100/10s would throttle a benchmark.
${machine}; commit ${commit() ?? '?'}

${throughputTable(t.rows)}

ours / bare: ${Math.round((100 * t.rows[0].result.rps) / t.rows[1].result.rps)} %    ours / Prism: ${(t.rows[0].result.rps / t.rows[2].result.rps).toFixed(1)}×${prismVendorStartMs === undefined ? '' : `    Prism start on the vendor's spec: ${Math.round(prismVendorStartMs)} ms`}
`
console.log(`${tp ? throughputPart(tp) : `\n${machine}; commit ${commit() ?? '?'}\n`}

Search scaling: one location, POST /contacts/search with 2 filters (pageLimit 20) vs GET /contacts/{id}, then
full text: search by query "${TEXT_QUERY}" and GET /contacts/?query=${TEXT_QUERY} (limit 20); one request at a time for
${config.searchSeconds} s each (latency in ms, no queueing); start = spawn to first 200; reset = POST /__mock/reset

${searchTable(search)}

Goals (issue 13):
${goalLines(met)}
`)

const result = {
  date: new Date().toISOString(),
  commit: commit(),
  machine: {
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
  },
  config: { ...config, prism: prismVersion },
  throughput: tp && { bodyBytes: tp.bodyBytes, servers: tp.rows },
  prismVendorSpecStartMs: prismVendorStartMs,
  search,
  goals: met,
  elapsedSeconds: Math.round((performance.now() - began) / 1000),
}
const out = args.out ?? join(BENCH, 'results', `bench-${result.date.replace(/[:.]/g, '-')}.json`)
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`)
console.log(`Results: ${out} (${result.elapsedSeconds} s)`)
