/**
 * Connector harness: run a user's connector against fresh mock instances, one per
 * scenario (clean, the built-in fault scenarios, user scenario files), and assert for
 * each that it finished, strict mode saw no contract violation, no duplicate record was
 * created, and the user's check of the final state holds. One report across scenarios.
 */
import { createClock } from '../mock/clock.ts'
import { startMockServer, type MockServer, type ServerOptions } from '../mock/server.ts'
import type { MockState } from '../mock/state.ts'
import type { CheckResult, Report } from './report.ts'
import type { components } from '../openapi/generated/contacts.ts'

export interface ConnectorContext {
  baseUrl: string
  /** An all-scopes Private Integration Token for `locationId`. */
  token: string
  locationId: string
  /** The `Version` header value to send (what the client's `version` option takes). */
  version: components['parameters']['Version']
  /** Waits in mock time: a connector that sleeps through this never slows the run down. */
  sleep(ms: number): Promise<void>
  now(): number
  mock: MockServer
}

export type Connector = (ctx: ConnectorContext) => Promise<void>

export interface HarnessScenario {
  name: string
  /** Mock options for this scenario (e.g. `{ scenarios: ['flaky'] }`, `{ rateLimit: … }`). */
  options?: ServerOptions
  /** Extra setup once the mock listens (fault rules, tokens, clock). */
  setup?: (mock: MockServer) => Promise<void> | void
}

export interface HarnessOptions {
  connector: Connector
  scenarios: Array<HarnessScenario | string>
  /** Assertions on the final state; throw (or reject) to fail. */
  check?: (state: MockState, ctx: ConnectorContext) => Promise<void> | void
  /** A scenario whose connector runs longer than this (real time) has not finished. */
  timeoutMs?: number
  seed?: number | string
}

/** Built-in scenario names map to mock options; unknown names are passed on as scenario names or files. */
export function scenarioOf(s: HarnessScenario | string): HarnessScenario {
  if (typeof s !== 'string') return s
  if (s === 'clean') return { name: 'clean' }
  return { name: s, options: { scenarios: [s] } as ServerOptions }
}

/** Records a second record the connector created with the same identity (email, phone, or same task/note). */
export async function findDuplicates(state: MockState, since: number): Promise<string[]> {
  const problems: string[] = []
  for (const loc of await state.store.listLocations()) {
    const { contacts } = await state.store.listContacts(loc.id, { limit: Number.MAX_SAFE_INTEGER })
    const seen = new Map<string, string>()
    for (const c of contacts) {
      const keys = [c.email && `email ${c.email.toLowerCase()}`, c.phone && `phone ${c.phone.replace(/\D/g, '')}`].filter(Boolean) as string[]
      for (const key of keys) {
        const first = seen.get(key)
        if (first && Date.parse(c.dateAdded) >= since) problems.push(`contacts ${first} and ${c.id} share ${key}`)
        else seen.set(key, c.id)
      }
      const tasks = await state.store.listTasks(c.id)
      const taskKeys = new Set<string>()
      for (const t of tasks) {
        const key = `${t.title}|${t.dueDate}`
        if (taskKeys.has(key)) problems.push(`contact ${c.id} has the task "${t.title}" twice`)
        taskKeys.add(key)
      }
      const notes = await state.store.listNotes(c.id)
      const noteKeys = new Set<string>()
      for (const n of notes) {
        if (noteKeys.has(n.body ?? '') && Date.parse(n.dateAdded ?? '') >= since) problems.push(`contact ${c.id} has the note "${(n.body ?? '').slice(0, 40)}" twice`)
        noteKeys.add(n.body ?? '')
      }
    }
  }
  return problems
}

export async function runConnectorHarness(options: HarnessOptions): Promise<Report> {
  const results: CheckResult[] = []
  for (const scenario of options.scenarios.map(scenarioOf)) {
    const clock = createClock({ start: Date.UTC(2026, 0, 15, 12), frozen: true })
    // Latency faults pass in mock time too: a `slow` run costs no wall-clock time.
    const sleep = async (ms: number) => clock.advance(ms)
    const mock = await startMockServer({ port: 0, seed: options.seed, clock, sleep, ...scenario.options, strict: true })
    const started = clock.now()
    try {
      await scenario.setup?.(mock)
      const token = mock.defaultToken
      const ctx: ConnectorContext = {
        baseUrl: mock.url,
        token: token.token,
        locationId: token.locationId,
        version: '2021-07-28',
        sleep: async (ms) => clock.advance(ms),
        now: () => clock.now(),
        mock,
      }
      const suite = scenario.name
      const t0 = performance.now()
      let finished: CheckResult
      try {
        await withTimeout(options.connector(ctx), options.timeoutMs ?? 30_000)
        finished = { suite, name: 'connector finished', ok: true, durationMs: performance.now() - t0 }
      } catch (err) {
        finished = { suite, name: 'connector finished', ok: false, durationMs: performance.now() - t0, details: [String((err as Error)?.stack ?? err)] }
      }
      results.push(finished)
      const violations = mock.app.state.strict.violations.list()
      results.push({
        suite,
        name: 'no contract violation (strict mode)',
        ok: violations.length === 0,
        details: violations.map((v) => `${v.kind}: ${v.request.method} ${v.request.path} → ${v.response.status}: ${v.message}`),
      })
      const duplicates = await findDuplicates(mock.app.state, started)
      results.push({ suite, name: 'no duplicate records', ok: duplicates.length === 0, details: duplicates })
      if (options.check) {
        try {
          await options.check(mock.app.state, ctx)
          results.push({ suite, name: 'final state check', ok: true })
        } catch (err) {
          results.push({ suite, name: 'final state check', ok: false, details: [String((err as Error)?.message ?? err)] })
        }
      }
    } finally {
      await mock.close()
    }
  }
  return { title: 'Connector harness', results }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms)
  })
  return Promise.race([p, limit]).finally(() => clearTimeout(timer))
}
