/**
 * The printed report: the throughput, search, full-text, Redis and start-up tables, and
 * the goals of issues 13 and 14, each met or missed.
 */
import type { Round } from './load.ts'

export interface ServerRow {
  name: string
  result: Round
  startMs?: number
  rssMb?: number
}

export interface SearchRow {
  contacts: number
  startMs: number
  rssMb?: number
  peakRssMb?: number
  get: Round
  search: Round
  /** POST /contacts/search with a full-text query. */
  query: Round
  /** GET /contacts/ with the same query. */
  list: Round
  matched: number
  queryMatched: number
  resetMs: number
  afterResetRssMb?: number
}

/** One store's side of the Redis comparison: the same mock, data and requests. */
export interface StoreRun {
  startMs: number
  rssMb?: number
  get: Round
  search: Round
  upsert: Round
  matched: number
}

export interface RedisComparison {
  contacts: number
  redisVersion: string
  memory: StoreRun
  redis: StoreRun
}

/** One start of one server (--start-only); `contacts` is undefined for Prism. */
export interface StartRow {
  server: string
  contacts?: number
  round: number
  startMs: number
  /** CPU time (all threads) from spawn to the first 200. */
  startCpuMs?: number
  rssMb?: number
  peakRssMb?: number
  resetMs?: number
  resetCpuMs?: number
  afterResetRssMb?: number
}

export interface Goal {
  goal: string
  value: string
  met: boolean
}

export const int = (n: number | undefined) => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'))
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString())

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export function throughputTable(rows: ServerRow[]): string {
  return table(
    ['server', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'start ms', 'RSS MB', 'max steal %'],
    rows.map((r) => [
      r.name,
      int(r.result.rps),
      ms(r.result.p50),
      ms(r.result.p99),
      int(r.result.non2xx),
      int(r.result.errors),
      int(r.startMs),
      int(r.rssMb),
      r.result.stealPct === undefined ? '-' : r.result.stealPct.toFixed(1),
    ]),
  )
}

export function searchTable(rows: SearchRow[]): string {
  const first = table(
    ['contacts', 'start ms', 'RSS MB', 'peak MB', 'GET p50', 'GET p99', 'search p50', 'search p99', 'search/GET p99', 'matched'],
    rows.map((r) => [
      int(r.contacts),
      int(r.startMs),
      int(r.rssMb),
      int(r.peakRssMb),
      ms(r.get.p50),
      ms(r.get.p99),
      ms(r.search.p50),
      ms(r.search.p99),
      `${(r.search.p99 / Math.max(r.get.p99, 0.001)).toFixed(1)}×`,
      int(r.matched),
    ]),
  )
  const text = table(
    ['contacts', 'query p50', 'query p99', 'list p50', 'list p99', 'query/GET p99', 'matched', 'reset ms', 'RSS after reset'],
    rows.map((r) => [
      int(r.contacts),
      ms(r.query.p50),
      ms(r.query.p99),
      ms(r.list.p50),
      ms(r.list.p99),
      `${(r.query.p99 / Math.max(r.get.p99, 0.001)).toFixed(1)}×`,
      int(r.queryMatched),
      int(r.resetMs),
      int(r.afterResetRssMb),
    ]),
  )
  return `${first}\n\n${text}`
}

const ratio = (a: number, b: number) => `${(a / Math.max(b, 0.001)).toFixed(1)}×`

export function redisTable(r: RedisComparison): string {
  const rows: Array<[string, (s: StoreRun) => Round]> = [
    ['GET /contacts/{id}', (s) => s.get],
    ['POST /contacts/search (2 filters)', (s) => s.search],
    ['POST /contacts/upsert (new email)', (s) => s.upsert],
  ]
  const latency = table(
    ['request', 'memory p50', 'memory p99', 'Redis p50', 'Redis p99', 'Redis/memory p50', 'Redis/memory p99', 'non-2xx'],
    rows.map(([name, of]) => [
      name,
      ms(of(r.memory).p50),
      ms(of(r.memory).p99),
      ms(of(r.redis).p50),
      ms(of(r.redis).p99),
      ratio(of(r.redis).p50, of(r.memory).p50),
      ratio(of(r.redis).p99, of(r.memory).p99),
      int(of(r.memory).non2xx + of(r.redis).non2xx + of(r.memory).errors + of(r.redis).errors),
    ]),
  )
  const stores = table(
    ['store', 'start ms', 'RSS MB', 'search matched'],
    [
      ['memory', int(r.memory.startMs), int(r.memory.rssMb), int(r.memory.matched)],
      [`Redis ${r.redisVersion}`, int(r.redis.startMs), int(r.redis.rssMb), int(r.redis.matched)],
    ],
  )
  return `${latency}\n\n${stores}`
}

export function startTable(rows: StartRow[]): string {
  return table(
    ['server', 'contacts', 'round', 'start ms', 'start CPU ms', 'RSS MB', 'reset ms', 'reset CPU ms', 'RSS after reset', 'peak MB'],
    rows.map((r) => [
      r.server,
      int(r.contacts),
      String(r.round),
      int(r.startMs),
      int(r.startCpuMs),
      int(r.rssMb),
      int(r.resetMs),
      int(r.resetCpuMs),
      int(r.afterResetRssMb),
      int(r.peakRssMb),
    ]),
  )
}

export function goalLines(goals: Goal[]): string {
  return goals.map((g) => `  [${g.met ? 'met   ' : 'MISSED'}] ${g.goal}: ${g.value}`).join('\n')
}
