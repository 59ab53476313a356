/**
 * Connector harness: run a user's connector against fresh mock instances, one per
 * scenario (clean, the built-in fault scenarios, user scenario files), and assert for
 * each that it finished, strict mode saw no contract violation, no duplicate record was
 * created, and the user's check of the final state holds. One report across scenarios.
 *
 * With `webhook`, the mock sends every webhook to the connector's receiver (scenarios may
 * duplicate, reorder, delay, drop or mis-sign them); once the connector has finished, the
 * harness delivers everything still due (moving the mock clock past delays and retries),
 * then checks: every delivery acknowledged with a 2xx, every bad signature refused, every
 * delivered event handled exactly once (idempotent under duplicates), and the final-state
 * check runs after the reordered deliveries have landed.
 */
import { createClock } from '../mock/clock.ts'
import { startMockServer, type MockServer, type ServerOptions } from '../mock/server.ts'
import type { MockState } from '../mock/state.ts'
import type { CheckResult, Report } from './report.ts'
import type { components } from '../openapi/generated/contacts.ts'
import { listenForWebhooks, type WebhookReceiverHandler } from './harness-receiver.ts'
import { emailKey, phoneKey } from '../mock/store/normalize.ts'

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
  /** With `webhook`: the key to verify X-GHL-Signature with, a flush that waits for the deliveries due now, and the receiver. */
  webhooks: {
    publicKey: string
    flush(): Promise<void>
    /**
     * Delivers everything still due, moving the mock clock past delays and 429 retries
     * (up to `maxMs` of mock time, default 2 h): the "later" of a webhook, at once.
     */
    settle(maxMs?: number): Promise<void>
    /**
     * With `webhook` and no `url`: the harness's receiver passes each delivery to `handler`
     * (node:http style, e.g. the client's `createWebhookHandler(…).node`). Deliveries made
     * before a handler is attached wait for it.
     */
    receive(handler: WebhookReceiverHandler): void
  }
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
  webhook?: {
    /**
     * The connector's receiver: it gets every webhook event of every location. Absent: the
     * harness listens on 127.0.0.1 itself and the connector attaches its handler with
     * `ctx.webhooks.receive`. The subscription starts after `setup`: a scenario's setup is
     * the world before the connector was installed.
     */
    url?: string
    /** The webhookIds the connector handled (ran its logic for), one entry per handling; enables the handled-once check. */
    handled?: () => Iterable<string>
    /** How much mock time to let pass for delayed deliveries and 429 retries after the connector finished (default 2 h). */
    drainMs?: number
  }
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
      const keys = [c.email && `email ${emailKey(c.email)}`, c.phone && `phone ${phoneKey(c.phone)}`].filter(Boolean) as string[]
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
        if (noteKeys.has(n.body ?? '') && Date.parse(n.dateAdded ?? '') >= since)
          problems.push(`contact ${c.id} has the note "${(n.body ?? '').slice(0, 40)}" twice`)
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
    const receiver = options.webhook && !options.webhook.url ? await listenForWebhooks() : undefined
    const webhookUrl = options.webhook?.url ?? receiver?.url
    const mock = await startMockServer({ port: 0, seed: options.seed, clock, sleep, ...scenario.options, strict: true })
    const started = clock.now()
    try {
      await scenario.setup?.(mock)
      if (webhookUrl) mock.app.state.webhooks.subscriptions.add({ url: webhookUrl }, 'option')
      const token = mock.defaultToken
      const ctx: ConnectorContext = {
        baseUrl: mock.url,
        token: token.token,
        locationId: token.locationId,
        version: '2021-07-28',
        sleep: async (ms) => clock.advance(ms),
        now: () => clock.now(),
        mock,
        webhooks: {
          publicKey: mock.app.state.webhooks.signer.publicKeyRaw,
          flush: async () => void (await mock.app.state.webhooks.flush()),
          settle: (maxMs) => drainWebhooks(mock.app.state, maxMs ?? 2 * 3600_000),
          receive: (handler) => {
            if (!receiver) throw new Error('ctx.webhooks.receive: pass `webhook: {}` (without a url) to the harness to have it receive webhooks')
            receiver.use(handler)
          },
        },
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
      if (options.webhook && webhookUrl) {
        await drainWebhooks(mock.app.state, options.webhook.drainMs ?? 2 * 3600_000)
        results.push(...webhookChecks(mock.app.state, suite, webhookUrl, options.webhook.handled))
      }
      const violations = await mock.app.state.strict.violations.read()
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
      await receiver?.close()
    }
  }
  return { title: 'Connector harness', results }
}

/** Delivers everything: flush, move the clock to the next due delivery, until nothing is pending or `drainMs` of mock time passed. */
export async function drainWebhooks(state: MockState, drainMs: number): Promise<void> {
  const until = state.clock.now() + drainMs
  for (;;) {
    await state.webhooks.flush()
    const pending = state.webhooks.deliveries({ state: 'pending' })
    const next = Math.min(...pending.map((d) => Date.parse(d.nextAttemptAt ?? '')).filter(Number.isFinite))
    if (!Number.isFinite(next) || next > until) return
    if (next > state.clock.now()) state.clock.set(next)
  }
}

export function webhookChecks(state: MockState, suite: string, url: string, handled?: () => Iterable<string>): CheckResult[] {
  const mine = state.webhooks.deliveries({ url })
  const acked = (d: (typeof mine)[number]) => d.attempts.some((a) => a.status !== undefined && a.status >= 200 && a.status < 300)
  const badSignature = (d: (typeof mine)[number]) => Boolean(d.fault?.includes('bad-signature'))
  const genuine = mine.filter((d) => d.state !== 'dropped' && !badSignature(d))
  const results: CheckResult[] = [
    {
      suite,
      name: 'every webhook acknowledged (2xx)',
      ok: genuine.every((d) => d.state === 'delivered'),
      details: genuine
        .filter((d) => d.state !== 'delivered')
        .map((d) => `${d.type} ${d.webhookId}: ${d.state}, ${d.attempts.map((a) => a.status ?? a.error).join(', ') || 'never attempted'}`),
    },
    {
      suite,
      name: 'every bad webhook signature refused',
      ok: !mine.some((d) => badSignature(d) && acked(d)),
      details: mine
        .filter((d) => badSignature(d) && acked(d))
        .map((d) => `${d.type} ${d.webhookId} was accepted with a signature that does not match its body`),
    },
  ]
  if (handled) {
    const counts = new Map<string, number>()
    for (const id of handled()) counts.set(id, (counts.get(id) ?? 0) + 1)
    const wrong = genuine
      .filter((d) => d.state === 'delivered' && counts.get(d.webhookId) !== 1)
      .map((d) => `${d.type} ${d.webhookId} handled ${counts.get(d.webhookId) ?? 0} times${d.fault ? ` (${d.fault})` : ''}`)
    const forged = mine
      .filter((d) => (badSignature(d) || d.state === 'dropped') && counts.has(d.webhookId))
      .map((d) => `${d.type} ${d.webhookId} was handled though it was ${d.state === 'dropped' ? 'never sent' : 'badly signed'}`)
    results.push({ suite, name: 'every delivered webhook handled once', ok: wrong.length + forged.length === 0, details: [...wrong, ...forged] })
  }
  return results
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms)
  })
  return Promise.race([p, limit]).finally(() => clearTimeout(timer))
}
