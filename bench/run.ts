/**
 * The benchmark of issue 13. Starts, each in its own process on 127.0.0.1: our mock
 * (default options: auth, validation, journal, rate limits on but set very high so they
 * count without refusing), Prism 5.14 on our spec, a bare node:http server answering
 * the same bytes, and a minimal Hono app answering the same bytes and headers (the
 * framework's floor). Alternates autocannon rounds of GET /contacts/{id} across the four;
 * then measures search scaling (10k and 100k contacts in one location), start time to
 * the first 200 and memory. Prints the tables and the issue's goals; writes JSON to
 * bench/results/ for CI artifacts. Not part of npm test.
 *
 * Last, when a redis-server is at hand, the same mock at 10k contacts on the memory store
 * and on Redis (issue 14), each on a redis-server of its own started here.
 *
 * `npm run bench -- --help` lists the options (USAGE below).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { combine, median, round, sequential, type Round, type Target } from './lib/load.ts'
import { cpuMs, firstOk, freePort, memory, ready, start, stop, type Child } from './lib/procs.ts'
import { findRedisServer, startRedis } from './lib/redis.ts'
import {
  goalLines,
  int,
  redisTable,
  searchTable,
  startTable,
  throughputTable,
  type Goal,
  type RedisComparison,
  type SearchRow,
  type ServerRow,
  type StartRow,
  type StoreRun,
} from './lib/report.ts'

const BENCH = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(BENCH, '..')
/** High enough never to refuse during a run, so the limiter's work is measured, not its 429s. */
const HIGH_LIMITS = '100000000/10s,1000000000/day'
const VENDOR_SPEC = resolve(ROOT, '../shared/upstream/apps/contacts.json')
/**
 * What Prism on the vendor's spec is asked for when only its start is timed: it answers any
 * id that fits the path from its examples and only checks that a bearer token is present.
 */
const PRISM_PROBE = { contactId: 'any-contact-id', token: 'any-token' }
/** A query that matches names and emails of the seeded contacts (~5 % of them). */
const TEXT_QUERY = 'son'
/** The size issue 14's goal names: search over Redis within 3× of the memory store's p99. */
const REDIS_CONTACTS = 10_000

const USAGE = `Usage: npm run bench -- [options]   (or, inside bench/: node --import tsx run.ts [options])

At most one of:
  --get-only             only the GET by id table (no search scaling, no Prism start on the vendor's spec, no Redis)
  --search-only          only the search scaling (no GET by id table, no Prism, no Redis)
  --start-only           only start-up: Prism on the vendor's spec and our mock at each --search-sizes size,
                         started afresh each round (ignores --seconds, --connections, --warmup, --search-seconds)
  --redis-only           only the memory-vs-Redis comparison (not with --no-redis)
Options:
  --quick                1 round, 3 s rounds, 2 s search measurements (the warm-up stays 3 s)
  --no-redis             skip the memory-vs-Redis comparison
  --source               run our mock from its TypeScript through tsx, not the compiled build
  --rounds <n>           alternating rounds per server, a whole number ≥ 1 (default 3, quick 1)
  --seconds <s>          length of one GET by id round (default 5, quick 3)
  --warmup <s>           warm-up per server, not counted (default 3)
  --connections <n>      autocannon connections, a whole number ≥ 1 (default 32)
  --search-sizes <list>  contacts in the one location of each search run (default 10000,100000)
  --search-seconds <s>   length of each one-at-a-time latency measurement (default 5, quick 2)
  --out <file>           where the JSON goes (default bench/results/bench-<date>.json,
                         bench-start-<date>.json with --start-only)
  -h, --help             this text`

/** A bad command line: one line on stderr, exit status 2, no stack trace. */
function usageError(message: string): never {
  process.stderr.write(`bench: ${message} (--help lists the options)\n`)
  process.exit(2)
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        quick: { type: 'boolean', default: false },
        'get-only': { type: 'boolean', default: false },
        'start-only': { type: 'boolean', default: false },
        'search-only': { type: 'boolean', default: false },
        'redis-only': { type: 'boolean', default: false },
        'no-redis': { type: 'boolean', default: false },
        source: { type: 'boolean', default: false },
        rounds: { type: 'string' },
        seconds: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string', default: '32' },
        'search-sizes': { type: 'string', default: '10000,100000' },
        'search-seconds': { type: 'string' },
        out: { type: 'string' },
      },
    }).values
  } catch (err) {
    return usageError((err as Error).message)
  }
}

const args = parseCommandLine()
if (args.help) {
  console.log(USAGE)
  process.exit(0)
}
const modes = (['get-only', 'search-only', 'start-only', 'redis-only'] as const).filter((m) => args[m])
if (modes.length > 1) usageError(`${modes.map((m) => `--${m}`).join(', ')}: choose at most one of --get-only, --search-only, --start-only, --redis-only`)
if (args['redis-only'] && args['no-redis']) usageError('--redis-only runs only the Redis comparison, which --no-redis skips')
const positive = (name: string, text: string) => {
  const n = Number(text)
  if (!(n > 0)) usageError(`--${name} must be a positive number (got ${text})`)
  return n
}
const whole = (name: string, text: string) => {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) usageError(`--${name} must be a whole number ≥ 1 (got ${text})`)
  return n
}
const config = {
  quick: args.quick,
  getOnly: args['get-only'],
  startOnly: args['start-only'],
  /** Only the search scaling: no GET by id table, no Prism (to iterate on the store in a few minutes). */
  searchOnly: args['search-only'],
  /** Only the memory-vs-Redis comparison (issue 14); `noRedis` skips it. */
  redisOnly: args['redis-only'],
  noRedis: args['no-redis'],
  /** Run our mock from its TypeScript through tsx, instead of the compiled build the `ghl-mock` command runs. */
  source: args.source,
  rounds: whole('rounds', args.rounds ?? (args.quick ? '1' : '3')),
  seconds: positive('seconds', args.seconds ?? (args.quick ? '3' : '5')),
  warmupSeconds: positive('warmup', args.warmup ?? '3'),
  connections: whole('connections', args.connections!),
  searchSizes: args['search-sizes']!.split(',').map((s) => whole('search-sizes', s)),
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

async function startMock(name: string, extra: string[]): Promise<{ child: Child; info: MockReady; startMs: number; startCpuMs?: number; get: Target }> {
  // The compiled build runs without tsx, as the ghl-mock command does: its hooks would slow every import.
  const from = config.source ? ['--import', 'tsx', 'bench/servers/mock.js', '--source'] : ['bench/servers/mock.js']
  const child = start(name, [...from, '--rate-limit', config.rateLimit, ...extra], { cwd: ROOT })
  const info = await ready<MockReady>(child)
  const get: Target = { url: `${info.url}/contacts/${info.contactId}`, headers: authHeaders(info.token) }
  const startMs = await firstOk(child, get.url, get.headers)
  return { child, info, startMs, startCpuMs: cpuMs(child), get }
}

async function startPrism(name: string, spec: string, contactId: string, headers: Record<string, string>) {
  const port = await freePort()
  const child = start(name, [prismBin, 'mock', '-h', '127.0.0.1', '-p', String(port), spec], { cwd: ROOT, quiet: true })
  const url = `http://127.0.0.1:${port}/contacts/${contactId}`
  const startMs = await firstOk(child, url, headers)
  return { child, startMs, startCpuMs: cpuMs(child), get: { url, headers } satisfies Target }
}

async function throughput() {
  log(`starting our mock, a bare node:http server, Prism ${prismVersion} and a minimal Hono app`)
  const ours = await startMock('ours', [])
  const answer = await fetch(ours.get.url, { headers: ours.get.headers })
  const body = await answer.text()
  // What the mock answers besides the transport's own headers, for the Hono floor to send too.
  const headers = Object.fromEntries([...answer.headers].filter(([name]) => name === 'content-type' || name.startsWith('x-ratelimit-')))
  const bareChild = start('bare', ['--import', 'tsx', 'bench/servers/bare.ts'], { cwd: ROOT, env: { BENCH_BODY: body } })
  const bareInfo = await ready<{ url: string; bytes: number }>(bareChild)
  const bare = { child: bareChild, get: { url: `${bareInfo.url}/contacts/${ours.info.contactId}`, headers: ours.get.headers } satisfies Target }
  const bareStartMs = await firstOk(bareChild, bare.get.url, bare.get.headers)
  const prism = await startPrism('prism', 'openapi/contacts.yaml', ours.info.contactId, ours.get.headers)
  const honoChild = start('hono', ['--import', 'tsx', 'bench/servers/hono.ts'], {
    cwd: ROOT,
    env: { BENCH_BODY: body, BENCH_HEADERS: JSON.stringify(headers) },
  })
  const honoInfo = await ready<{ url: string }>(honoChild)
  const hono = { child: honoChild, get: { url: `${honoInfo.url}/contacts/${ours.info.contactId}`, headers: ours.get.headers } satisfies Target }
  const honoStartMs = await firstOk(honoChild, hono.get.url, hono.get.headers)

  const servers = [
    { key: 'ours', name: 'ours (limits on, high; auth, validation, journal)', child: ours.child, target: ours.get, startMs: ours.startMs },
    { key: 'bare', name: `bare node:http (same ${bareInfo.bytes} B body)`, child: bare.child, target: bare.get, startMs: bareStartMs },
    { key: 'prism', name: `Prism ${prismVersion} (our spec)`, child: prism.child, target: prism.get, startMs: prism.startMs },
    { key: 'hono', name: 'minimal Hono app (same body, headers)', child: hono.child, target: hono.get, startMs: honoStartMs },
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

async function vendorPrismStart(): Promise<{ startMs: number; startCpuMs?: number } | undefined> {
  if (!existsSync(VENDOR_SPEC)) {
    log(`no vendor spec at ${VENDOR_SPEC}: Prism's start on it is not measured`)
    return undefined
  }
  log(`Prism ${prismVersion} on the vendor's spec: start time`)
  const p = await startPrism('prism (vendor spec)', VENDOR_SPEC, PRISM_PROBE.contactId, authHeaders(PRISM_PROBE.token))
  await stop(p.child)
  return { startMs: p.startMs, startCpuMs: p.startCpuMs }
}

async function searchScaling(): Promise<SearchRow[]> {
  const rows: SearchRow[] = []
  for (const size of config.searchSizes) {
    log(`our mock with one location of ${size.toLocaleString('en-US')} contacts: start, GET and search latency (${config.searchSeconds} s each)`)
    const m = await startMock(`ours ${size}`, ['--locations', '1', '--contacts', String(size)])
    try {
      const afterStart = memory(m.child)
      const search = searchTarget(m)
      // Full text through the text indexes: a search by query, and the GET /contacts/ list with one.
      const query: Target = { ...search, body: JSON.stringify({ locationId: m.info.locationId, pageLimit: 20, query: TEXT_QUERY }) }
      const list: Target = { url: `${m.info.url}/contacts/?locationId=${m.info.locationId}&limit=20&query=${TEXT_QUERY}`, headers: m.get.headers }
      for (const t of [m.get, search, query, list]) await sequential(t, config.warmupSeconds)
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

/** A measured round without the last answer's body (read for its `total`, not kept). */
const strip = ({ lastBody: _, ...r }: Round & { lastBody: string }): Round => r

/** The filtered search of the search-scaling section, for one mock. */
function searchTarget(m: { info: MockReady; get: Target }): Target {
  return {
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
}

/**
 * The same mock with 10k contacts on the memory store and on Redis (one instance, its own
 * redis-server), both running, measured one request at a time, memory and Redis back to
 * back for each request, which of them goes first alternating.
 */
async function redisComparison(): Promise<RedisComparison | { skipped: string }> {
  const server = findRedisServer()
  if (!server)
    return {
      skipped: `no ${process.env.REDIS_SERVER || 'redis-server on the PATH'} to run (apt-get install redis-server, brew install redis, or set REDIS_SERVER)`,
    }
  const size = ['--locations', '1', '--contacts', String(REDIS_CONTACTS)]
  log(`redis-server ${server.version} and our mock with ${REDIS_CONTACTS.toLocaleString('en-US')} contacts on the memory store and on Redis`)
  const redis = await startRedis(server.command, ROOT)
  const mocks: Child[] = []
  try {
    const sides: Array<{ name: string; m: Awaited<ReturnType<typeof startMock>>; targets: Record<'get' | 'search' | 'upsert', Target> }> = []
    for (const [name, extra] of [
      ['memory', []],
      ['redis', ['--store', redis.url, '--namespace', `bench-${process.pid}`]],
    ] as const) {
      const m = await startMock(`ours on ${name}`, [...size, ...extra])
      mocks.push(m.child)
      let n = 0
      const upsert: Target = {
        url: `${m.info.url}/contacts/upsert`,
        method: 'POST',
        headers: { ...m.get.headers, 'content-type': 'application/json' },
        bodyOf: () => JSON.stringify({ locationId: m.info.locationId, email: `bench-${++n}@example.com`, firstName: 'Bench' }),
      }
      sides.push({ name, m, targets: { get: m.get, search: searchTarget(m), upsert } })
    }
    for (const side of sides) for (const t of Object.values(side.targets)) await sequential(t, config.warmupSeconds)
    const results = sides.map(() => ({}) as Record<'get' | 'search' | 'upsert', Round & { lastBody: string }>)
    const kinds = ['get', 'search', 'upsert'] as const
    for (const [k, kind] of kinds.entries()) {
      for (const i of k % 2 ? [1, 0] : [0, 1]) {
        log(`${kind} on ${sides[i].name} (${config.searchSeconds} s, one at a time)`)
        results[i][kind] = await sequential(sides[i].targets[kind], config.searchSeconds)
      }
    }
    const run = (i: number): StoreRun => ({
      startMs: sides[i].m.startMs,
      rssMb: memory(sides[i].m.child).rssMb,
      get: strip(results[i].get),
      search: strip(results[i].search),
      upsert: strip(results[i].upsert),
      matched: Number(JSON.parse(results[i].search.lastBody || '{}').total ?? NaN),
    })
    return { contacts: REDIS_CONTACTS, redisVersion: server.version, memory: run(0), redis: run(1) }
  } finally {
    await Promise.all(mocks.map(stop))
    await stop(redis.child)
  }
}

function redisGoal(r: RedisComparison): Goal {
  return {
    goal: `search p99 over Redis ≤ 3× memory at ${r.contacts / 1000}k`,
    value: `${(r.redis.search.p99 / r.memory.search.p99).toFixed(1)}× (${r.redis.search.p99.toFixed(2)} vs ${r.memory.search.p99.toFixed(2)} ms)`,
    met: r.redis.search.p99 <= 3 * r.memory.search.p99,
  }
}

/**
 * --start-only: Prism on the vendor's spec, then our mock at each search size, round after
 * round, each started afresh: spawn to first 200, memory, one reset. A round is the sum of
 * its starts and resets: about 7 s on a quiet 2-core machine at the default sizes, about
 * 35 s at a load average near 10.
 */
async function startRounds(): Promise<StartRow[]> {
  const rows: StartRow[] = []
  for (let r = 0; r < config.rounds; r++) {
    const prism = await vendorPrismStart()
    if (prism) rows.push({ server: `Prism ${prismVersion} (vendor's spec)`, round: r + 1, ...prism })
    for (const size of config.searchSizes) {
      log(`round ${r + 1}/${config.rounds}: our mock with one location of ${size.toLocaleString('en-US')} contacts: start and reset`)
      const m = await startMock(`ours ${size}`, ['--locations', '1', '--contacts', String(size)])
      try {
        const { rssMb } = memory(m.child)
        const t = performance.now()
        const cpuBefore = cpuMs(m.child)
        const reset = await fetch(`${m.info.url}/__mock/reset`, { method: 'POST' })
        const resetMs = reset.ok ? performance.now() - t : Number.NaN
        const cpuAfter = cpuMs(m.child)
        const resetCpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore
        const after = memory(m.child)
        rows.push({
          server: 'ours',
          contacts: size,
          round: r + 1,
          startMs: m.startMs,
          startCpuMs: m.startCpuMs,
          rssMb,
          resetMs,
          resetCpuMs,
          afterResetRssMb: after.rssMb,
          peakRssMb: after.peakRssMb,
        })
      } finally {
        await stop(m.child)
      }
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
        goal: `ready with 100k contacts before Prism on ${prismStartMs === undefined ? 'our' : "the vendor's"} spec`,
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

/** The machine the numbers came from, with its load average before the run and now. */
function machine(loadBefore: number) {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
  }
}

function machineLine(m: ReturnType<typeof machine>, sha: string | undefined): string {
  const load = `load average ${m.loadAverage.before.toFixed(1)} before / ${m.loadAverage.after.toFixed(1)} after`
  return `${m.cpus} × ${m.model ?? 'cpu'}, ${m.memoryGb} GB, Node ${m.node}, ${load}; commit ${sha ?? '?'}`
}

const ourBuild = config.source ? 'TypeScript source through tsx' : 'compiled build in dist/, as the ghl-mock command runs it'

/** Ours / bare round by round (each pair ran within seconds of each other), with the steal time of each pair. */
function perRound(ours: Round[], bare: Round[]): string {
  const pairs = ours.map((o, i) => {
    const steal = Math.max(o.stealPct ?? Number.NaN, bare[i].stealPct ?? Number.NaN)
    return `${Math.round((100 * o.rps) / bare[i].rps)} %${Number.isNaN(steal) ? '' : ` (steal ${steal.toFixed(0)} %)`}`
  })
  return `ours / bare round by round: ${pairs.join(', ')}`
}

/** What one mode measured: its printed report (given the machine's line), its goals, its part of the JSON. */
interface Outcome {
  report: (machine: string) => string
  goals: Goal[]
  data: Record<string, unknown>
}

/** --start-only: the start rounds, and the goals on their medians. */
async function startOnly(): Promise<Outcome> {
  const rows = await startRounds()
  const prismRows = rows.filter((r) => r.contacts === undefined)
  const big = rows.filter((r) => r.contacts === Math.max(...config.searchSizes))
  const met: Goal[] = []
  if (prismRows.length && big.length) {
    const [ours, theirs] = [median(big.map((r) => r.startMs)), median(prismRows.map((r) => r.startMs))]
    met.push({
      goal: `ready with ${int(big[0].contacts)} contacts before Prism on the vendor's spec (medians)`,
      value: `${int(ours)} vs ${int(theirs)} ms`,
      met: ours <= theirs,
    })
    // NaN (no CPU goal) when any row lacks its CPU time: a NaN inside the sort would make the median arbitrary.
    const cpu = (list: StartRow[]) => (list.some((r) => r.startCpuMs === undefined) ? Number.NaN : median(list.map((r) => r.startCpuMs as number)))
    const [ourCpu, theirCpu] = [cpu(big), cpu(prismRows)]
    if (!Number.isNaN(ourCpu + theirCpu))
      met.push({
        goal: '… in CPU time to that first 200, which other work on the machine barely moves (medians)',
        value: `${int(ourCpu)} vs ${int(theirCpu)} ms`,
        met: ourCpu <= theirCpu,
      })
  }
  const rss = big.map((r) => r.rssMb).filter((n) => n !== undefined)
  if (rss.length) met.push({ goal: 'RSS ≤ 400 MB after start (worst round)', value: `${Math.max(...rss)} MB`, met: Math.max(...rss) <= 400 })
  return {
    goals: met,
    data: { starts: rows },
    report: (machine) => `
Start to first 200 on GET /contacts/{id} (spawn to 200), ${config.rounds} round(s), each server started afresh; reset = POST /__mock/reset
Our mock: ${ourBuild}
${machine}

${startTable(rows)}

Goals (issue 13):
${goalLines(met)}
`,
  }
}

/**
 * Every other mode: the GET by id table (not with --search-only or --redis-only), Prism's
 * start on the vendor's spec and the search scaling (not with --get-only or --redis-only),
 * the Redis comparison (not with --get-only, --search-only or --no-redis).
 */
async function measure(): Promise<Outcome> {
  const tp = config.searchOnly || config.redisOnly ? undefined : await throughput()
  const prismOurSpec = tp?.rows[2].startMs
  const prismVendorStartMs = config.getOnly || config.searchOnly || config.redisOnly ? undefined : (await vendorPrismStart())?.startMs
  const search = config.getOnly || config.redisOnly ? [] : await searchScaling()
  const redis = config.getOnly || config.searchOnly || config.noRedis ? undefined : await redisComparison()
  const met = goals(tp?.rows, search, prismVendorStartMs, prismOurSpec)
  const redisMet = redis && !('skipped' in redis) ? [redisGoal(redis)] : []

  const throughputPart = (t: NonNullable<typeof tp>, machine: string) => `
GET /contacts/{id} with auth headers, ${config.connections} connections, ${config.rounds} alternating round(s) × ${config.seconds} s, median of rounds
Our mock (${ourBuild}) runs with default options except --rate-limit ${HIGH_LIMITS}: limits on (counted,
X-RateLimit-* headers sent) but too high to refuse; GHL's 100/10s would throttle a benchmark.
${machine}

${throughputTable(t.rows)}

ours / bare: ${Math.round((100 * t.rows[0].result.rps) / t.rows[1].result.rps)} %    ours / Prism: ${(t.rows[0].result.rps / t.rows[2].result.rps).toFixed(1)}×    minimal Hono / bare: ${Math.round((100 * t.rows[3].result.rps) / t.rows[1].result.rps)} %    ours / minimal Hono: ${Math.round((100 * t.rows[0].result.rps) / t.rows[3].result.rps)} %${prismVendorStartMs === undefined ? '' : `    Prism start on the vendor's spec: ${Math.round(prismVendorStartMs)} ms`}
${perRound(t.rows[0].rounds, t.rows[1].rounds)}
`
  const searchPart = () => `
Search scaling: one location, POST /contacts/search with 2 filters (pageLimit 20) vs GET /contacts/{id}, then
full text: search by query "${TEXT_QUERY}" and GET /contacts/?query=${TEXT_QUERY} (limit 20); one request at a time for
${config.searchSeconds} s each (latency in ms, no queueing); start = spawn to first 200; reset = POST /__mock/reset

${searchTable(search)}
`
  const redisPart = (r: RedisComparison) => `
Redis store (issue 14): our mock (${ourBuild}) with one location of ${r.contacts.toLocaleString('en-US')} contacts, on the memory store
and with --store redis:// (one instance; redis-server ${r.redisVersion} started for the run, no persistence), same
--rate-limit ${HIGH_LIMITS}; one request at a time for ${config.searchSeconds} s each (latency in ms, no queueing)

${redisTable(r)}

Goal (issue 14):
${goalLines(redisMet)}
`
  return {
    goals: [...met, ...redisMet],
    data: { throughput: tp && { bodyBytes: tp.bodyBytes, servers: tp.rows }, prismVendorSpecStartMs: prismVendorStartMs, search, redis },
    report: (machine) =>
      [
        tp ? throughputPart(tp, machine) : `\n${machine}\n`,
        search.length > 0 ? searchPart() : '',
        met.length > 0 ? `\nGoals (issue 13):\n${goalLines(met)}\n` : '',
        redis === undefined ? '' : 'skipped' in redis ? `\nRedis store (issue 14): skipped, ${redis.skipped}\n` : redisPart(redis),
      ].join(''),
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
const outcome = config.startOnly ? await startOnly() : await measure()
const sha = commit()
const host = machine(loadBefore)
console.log(outcome.report(machineLine(host, sha)))

const result = {
  date: new Date().toISOString(),
  commit: sha,
  machine: host,
  config: { ...config, prism: prismVersion },
  ...outcome.data,
  goals: outcome.goals,
  elapsedSeconds: Math.round((performance.now() - began) / 1000),
}
const out = args.out ?? join(BENCH, 'results', `${config.startOnly ? 'bench-start' : 'bench'}-${result.date.replace(/[:.]/g, '-')}.json`)
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`)
console.log(`Results: ${out} (${result.elapsedSeconds} s)`)
