/**
 * Webhooks, put together: store changes and lifecycle events become deliveries to every
 * target (subscriptions, and apps with a webhookUrl installed in the location), signed
 * with the mock's key, shaped by the fault rules, and sent asynchronously so an API
 * answer never waits for a receiver.
 */
import type { Clock } from '../clock.ts'
import { createRng, type Rng } from '../rng.ts'
import type { Store } from '../store/types.ts'
import type { App, AppRegistry } from '../auth/apps.ts'
import type { GrantStore } from '../auth/grants.ts'
import type { FaultRules } from '../faults/rules.ts'
import { describeAction } from '../faults/action.ts'
import type { ViolationLog } from '../contract/violations.ts'
import { eventOf, payloadOf, type WebhookEvent, type WebhookEventType } from './events.ts'
import { createSigner, type Signer } from './sign.ts'
import { createSubscriptions, type Subscription, type Subscriptions } from './subscriptions.ts'
import { MAX_RETRIES, createQueue, type Attempt, type Delivery, type QueueDeps, type QueuedDelivery } from './queue.ts'
import { post, type Fetch } from './deliver.ts'

export const SIGNATURE_HEADER = 'X-GHL-Signature'
export const LEGACY_SIGNATURE_HEADER = 'x-wh-signature'
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000

export interface WebhookOptions {
  /** --webhook: subscriptions to every event of every location. */
  urls: string[]
  /** Also send the RSA x-wh-signature (the platform's behaviour before 2026-07-01). */
  legacySignature: boolean
  /** --webhook-key: PEM private key(s) instead of the seed-derived Ed25519 key. */
  keyPem?: string
  timeoutMs: number
}

export interface WebhookDeps {
  clock: Clock
  seed: number | string
  store: Store
  apps: AppRegistry
  grants: GrantStore
  faults: FaultRules
  strict: { enabled: boolean; violations: ViolationLog }
  options: WebhookOptions
  fetch?: Fetch
  capacity?: number
  /** Instances sharing one Redis: which of them makes an attempt (mock/replication/webhooks.ts). */
  claim?: QueueDeps['claim']
}

export interface DeliveryFilter {
  type?: string
  state?: string
  url?: string
}

export interface Webhooks {
  subscriptions: Subscriptions
  signer: Signer
  /** Sends an event to every target that wants it; `clientId` limits app targets to that app (lifecycle events). */
  fire(event: WebhookEvent, only?: { clientId: string }): Delivery[]
  /** INSTALL or UNINSTALL of `app` in a location, to the app's webhookUrl and the subscriptions that want it. */
  lifecycle(type: 'INSTALL' | 'UNINSTALL', app: App, where: { locationId: string; companyId: string; installType?: string; userId?: string }): Delivery[]
  deliveries(filter?: DeliveryFilter): Delivery[]
  /** Sends everything due now and resolves with the deliveries attempted once those attempts ended. */
  flush(): Promise<Delivery[]>
  /** Sends what became due (after the clock moved), without waiting. */
  kick(): void
  /** Queues a delivery again, due now, same webhookId and payload; undefined when there is none by that id. */
  redeliver(webhookId: string): Delivery | undefined
  /** Attempts another instance (or this one, through the shared log) made of a delivery; `n`: the first one's index. */
  record(webhookId: string, n: number, made: Attempt[]): void
  /** Subscriptions and no deliveries: a loaded state file. */
  restore(subs: Subscription[]): void
  reset(seed: number | string): void
  close(): void
}

interface Target {
  id: string
  url: string
  clientId?: string
  appId?: string
}

function uuid(rng: Rng): string {
  const h = Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(rng.next() * 16)]).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(rng.next() * 4)]}${h.slice(17, 20)}-${h.slice(20)}`
}

const view = ({ body: _b, dueAt: _d, held: _h, duplicate: _u, badSignature: _s, elsewhere: _e, ...d }: QueuedDelivery): Delivery => structuredClone(d)

export function createWebhooks(deps: WebhookDeps): Webhooks {
  let rng = createRng(`${deps.seed}:webhooks`)
  const signer = createSigner({ seed: deps.seed, keyPem: deps.options.keyPem })
  const subscriptions = createSubscriptions(deps.options.urls)
  const fetchFn: Fetch = deps.fetch ?? ((url, init) => fetch(url, init))
  let timer: ReturnType<typeof setTimeout> | undefined

  function headersFor(d: QueuedDelivery): Record<string, string> {
    // A bad signature is a real signature of other bytes: well-formed, and wrong.
    const signed = d.badSignature ? `${d.body} ` : d.body
    const headers: Record<string, string> = { [SIGNATURE_HEADER]: signer.sign(signed) }
    if (deps.options.legacySignature) headers[LEGACY_SIGNATURE_HEADER] = signer.signLegacy(signed)
    return headers
  }

  /** Each attempt carries its own timestamp (same webhookId), so a retry 10 minutes later is not stale to a receiver. */
  function stamp(d: QueuedDelivery, time: string) {
    d.payload.timestamp = time
    d.body = JSON.stringify(d.payload)
  }

  const queue = createQueue({
    clock: deps.clock,
    rng: { next: () => rng.next(), id: (n) => rng.id(n) },
    capacity: deps.capacity,
    claim: deps.claim,
    send(d, resend, time) {
      if (!resend) stamp(d, time)
      return post(fetchFn, d.url, d.body, headersFor(d), deps.options.timeoutMs)
    },
    onAttempt(d, attempt) {
      // Refusing a bad signature is what a receiver must do, and a 429 the platform will retry is
      // the receiver asking for later: neither is a violation. A 429 on the last retry is.
      const retried = attempt.status === 429 && d.attempts.length - 1 < MAX_RETRIES
      if (!deps.strict.enabled || d.badSignature || retried || (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300)) return
      deps.strict.violations.record({
        time: attempt.time,
        kind: 'webhook-not-acknowledged',
        message: `The receiver at ${d.url} did not acknowledge ${d.type} webhook ${d.webhookId} with a 2xx (${attempt.error ?? `status ${attempt.status}`}); the platform ${attempt.status === 429 ? 'gave up after its last retry' : 'does not retry it'}`,
        request: { method: 'POST', path: d.url, query: '', operationId: null, locationId: d.locationId, body: d.payload },
        response: { status: attempt.status ?? 0 },
      })
    },
  })

  /** Keeps a running clock's retries moving without a flush: wake up when the next one is due. */
  function schedule() {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (deps.clock.frozen) return
    // Only future work: what is due now is being sent or held back for a reorder (a flush releases it).
    const now = deps.clock.now()
    const next = Math.min(
      ...queue
        .list()
        .filter((d) => d.state === 'pending' && !d.held && d.dueAt > now)
        .map((d) => d.dueAt),
    )
    if (!Number.isFinite(next)) return
    timer = setTimeout(kick, Math.max(0, next - deps.clock.now()))
    timer.unref?.()
  }

  function kick() {
    setImmediate(() => void queue.pump().then(schedule))
  }

  function targets(event: WebhookEvent, only?: { clientId: string }): Target[] {
    const wants = (events: string[] | undefined) => !events || events.includes(event.type)
    const defaultAppId = deps.apps.defaultApp.appId
    const lifecycleApp = only && deps.apps.get(only.clientId)
    const subs = subscriptions
      .list()
      .filter((s) => wants(s.events) && (!s.locationId || s.locationId === event.locationId))
      .map((s) => ({ id: s.id, url: s.url, appId: lifecycleApp?.appId ?? defaultAppId }))
    const apps = deps.apps
      .list()
      .filter((a) => a.webhookUrl && wants(a.events))
      .filter((a) => (only ? a.clientId === only.clientId : deps.grants.installs({ clientId: a.clientId, locationId: event.locationId }).length > 0))
      .map((a) => ({ id: a.clientId, url: a.webhookUrl!, clientId: a.clientId, appId: a.appId }))
    return [...subs, ...apps]
  }

  function fire(event: WebhookEvent, only?: { clientId: string }): Delivery[] {
    const now = deps.clock.now()
    const made = targets(event, only).map((t) => {
      const webhookId = uuid(rng)
      const payload = payloadOf(event, { appId: t.appId, timestamp: new Date(now).toISOString(), webhookId })
      const rule = deps.faults.pick({
        method: 'POST',
        path: new URL(t.url).pathname,
        webhook: true,
        event: event.type,
        locationId: event.locationId,
        app: t.clientId,
      })
      const a = rule?.action ?? {}
      const d: QueuedDelivery = {
        webhookId,
        type: event.type,
        url: t.url,
        locationId: event.locationId,
        target: t.id,
        state: a.drop ? 'dropped' : 'pending',
        createdAt: new Date(now).toISOString(),
        attempts: [],
        payload,
        body: JSON.stringify(payload),
        dueAt: now + (a.delay ?? 0),
        held: Boolean(a.reorder),
        duplicate: Boolean(a.duplicate),
        badSignature: Boolean(a.badSignature),
      }
      if (rule) d.fault = `rule:${rule.id} ${describeAction(a)}`
      if (d.state === 'pending') d.nextAttemptAt = new Date(d.dueAt).toISOString()
      queue.add(d)
      return view(d)
    })
    if (made.length) kick()
    return made
  }

  const unsubscribe = deps.store.onChange((change) => {
    const event = eventOf(change)
    if (event) fire(event)
  })

  return {
    subscriptions,
    signer,
    fire,
    lifecycle(type, app, where) {
      const data =
        type === 'INSTALL'
          ? { versionId: app.versionId, installType: where.installType, companyId: where.companyId, userId: where.userId }
          : { companyId: where.companyId }
      return fire(
        { type, locationId: where.locationId, data: Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) },
        { clientId: app.clientId },
      )
    },
    deliveries: (filter = {}) =>
      queue
        .list()
        .filter((d) => (!filter.type || d.type === filter.type) && (!filter.state || d.state === filter.state) && (!filter.url || d.url === filter.url))
        .map(view),
    async flush() {
      const sent = await queue.flush()
      schedule()
      return sent.map(view)
    },
    kick,
    redeliver(webhookId) {
      const d = queue.list().find((x) => x.webhookId === webhookId)
      if (!d) return undefined
      d.state = 'pending'
      d.dueAt = deps.clock.now()
      d.nextAttemptAt = new Date(d.dueAt).toISOString()
      d.held = false
      kick()
      return view(d)
    },
    record(webhookId, n, made) {
      queue.record(webhookId, n, made)
      // The payload as the receiver got it, also where another instance sent it.
      const d = queue.list().find((x) => x.webhookId === webhookId)
      const sent = made.find((a) => !a.duplicate)
      if (d && sent) stamp(d, sent.time)
      // Another instance's 429 sets a retry here too: wake up for it, or a running clock's retry
      // waits for a flush once the instance that made the attempt is gone.
      schedule()
    },
    restore(subs) {
      queue.clear()
      subscriptions.restore(subs)
    },
    reset(seed) {
      rng = createRng(`${seed}:webhooks`)
      queue.clear()
      subscriptions.reset()
    },
    close() {
      unsubscribe()
      if (timer) clearTimeout(timer)
    },
  }
}

export type { WebhookEventType }
