/** One round of load with autocannon, reduced to the numbers the report shows. */
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

export interface Target {
  url: string
  method?: 'GET' | 'POST'
  headers: Record<string, string>
  body?: string
  /** Called for each request's body (one request at a time only): a write that must not repeat itself. */
  bodyOf?: () => string
}

export interface Round {
  /** Answers per second (any status). */
  rps: number
  p50: number
  p99: number
  answers: number
  non2xx: number
  errors: number
  /**
   * Share of the machine's CPU time the hypervisor gave to other guests during the round
   * (Linux's steal time, in %; undefined elsewhere). On a shared virtual machine it swings
   * from 0 to 30 % within minutes, and a server that needs more CPU per request loses more
   * of its throughput to it than the bare server does: compare rounds at low steal.
   */
  stealPct?: number
}

/** The machine's CPU ticks, all and stolen, from /proc/stat (undefined where there is none). */
function cpuTicks(): { total: number; steal: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const counted = fields.slice(0, 8)
    return { total: counted.reduce((a, b) => a + b, 0), steal: counted[7] ?? 0 }
  } catch {
    return undefined
  }
}

export async function round(target: Target, connections: number, seconds: number): Promise<Round> {
  const before = cpuTicks()
  const r = await autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers,
    body: target.body,
    connections,
    duration: seconds,
  })
  const after = cpuTicks()
  const answers = r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx']
  const ticks = before && after ? after.total - before.total : 0
  const stealPct = before && after && ticks > 0 ? (100 * (after.steal - before.steal)) / ticks : undefined
  return { rps: answers / r.duration, p50: r.latency.p50, p99: r.latency.p99, answers, non2xx: r.non2xx, errors: r.errors, stealPct }
}

/** The middle value, or the mean of the two middle ones for an even count. */
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Rounds combined: the median of each figure (robust to one disturbed round), counts summed. */
export function combine(rounds: Round[]): Round {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    answers: rounds.reduce((n, r) => n + r.answers, 0),
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    stealPct: rounds.some((r) => r.stealPct === undefined) ? undefined : Math.max(...rounds.map((r) => r.stealPct as number)),
  }
}

/**
 * Latency without queueing: one request at a time over one keep-alive connection, for
 * `seconds`, timed to the microsecond (autocannon rounds latencies to whole ms, too
 * coarse for a sub-ms GET). This is what the search-scaling goals compare.
 */
export async function sequential(target: Target, seconds: number): Promise<Round & { lastBody: string }> {
  const { request, Agent } = await import('node:http')
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const url = new URL(target.url)
  const once = () =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = target.bodyOf ? target.bodyOf() : target.body
      const req = request(url, { method: target.method ?? 'GET', headers: target.headers, agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })
  const times: number[] = []
  let non2xx = 0
  let errors = 0
  let lastBody = ''
  const started = performance.now()
  try {
    while (performance.now() - started < seconds * 1000) {
      const t = performance.now()
      try {
        const { status, body } = await once()
        times.push(performance.now() - t)
        if (status < 200 || status > 299) non2xx++
        lastBody = body
      } catch {
        errors++
      }
    }
  } finally {
    agent.destroy()
  }
  const elapsed = (performance.now() - started) / 1000
  times.sort((a, b) => a - b)
  const q = (p: number) => (times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))] : NaN)
  return { rps: times.length / elapsed, p50: q(0.5), p99: q(0.99), answers: times.length, non2xx, errors, lastBody }
}
