/**
 * The delivery queue: every delivery with its state and attempts, on the mock clock.
 * A 2xx ends a delivery; only a 429 is retried (up to 6 times, 10 minutes apart plus
 * seeded jitter); any other status, a network error or a timeout is final. Retries wait
 * for the mock clock: advancing it makes them due, and `flush` sends what is due.
 *
 * Deliveries to one URL go out one after another in the order they were made (so the
 * reorder fault means something); different URLs are served side by side.
 *
 * With `claim` (instances sharing one Redis) every instance holds the same queue and
 * exactly one of them makes each attempt; the attempts it made reach every queue through
 * `record`, in the order of the shared log (mock/replication/webhooks.ts).
 */
import type { Clock } from '../clock.ts'
import type { Rng } from '../rng.ts'
import type { AttemptResult } from './deliver.ts'

export const MAX_RETRIES = 6
export const RETRY_INTERVAL_MS = 10 * 60_000
/** Upper bound of the jitter added to each retry: 6 × (10 min + 100 s) = the platform's worst case of ~1 h 10 min. */
export const RETRY_JITTER_MS = 100_000

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'dropped'

export interface Attempt {
  time: string
  status?: number
  durationMs: number
  error?: string
  /** A second send of the same delivery (duplicate fault). */
  duplicate?: boolean
}

export interface Delivery {
  webhookId: string
  type: string
  url: string
  locationId: string
  /** The subscription id, or the app's client id for an app's webhookUrl. */
  target: string
  state: DeliveryState
  createdAt: string
  /** When the next attempt is due (pending deliveries). */
  nextAttemptAt?: string
  attempts: Attempt[]
  /** The fault rule and action applied, if any. */
  fault?: string
  payload: Record<string, unknown>
}

/** What the queue needs besides the public view: the raw body and the fault flags. */
export interface QueuedDelivery extends Delivery {
  body: string
  dueAt: number
  /** Reorder fault: held back until a later delivery to the same URL went out (or a flush). */
  held: boolean
  duplicate: boolean
  badSignature: boolean
  /** The attempt (its index) another instance claimed: not due here until its result is recorded. */
  elsewhere?: number
}

/** Records the attempts this instance made, on every instance; resolves once recorded here. */
export type RecordAttempts = (made: Attempt[]) => Promise<void>

export interface QueueDeps {
  clock: Clock
  rng: Rng
  /** `resend`: the duplicate fault's second send, byte for byte the first; `time`: the attempt's, for the payload's timestamp. */
  send(d: QueuedDelivery, resend: boolean, time: string): Promise<AttemptResult>
  /** Called after every attempt (strict-mode reports). */
  onAttempt?(d: QueuedDelivery, attempt: Attempt): void
  capacity?: number
  /** Shared deliveries: attempt `n` is made here only when this resolves to its recorder (undefined: another instance makes it). */
  claim?(d: QueuedDelivery, n: number): Promise<RecordAttempts | undefined>
}

export interface Queue {
  add(d: QueuedDelivery): void
  list(): QueuedDelivery[]
  /** Sends what is due now (held deliveries stay held); resolves when those attempts ended. */
  pump(): Promise<QueuedDelivery[]>
  /** Waits for attempts under way, then sends everything due now, held ones last; resolves with every delivery attempted since the last flush. */
  flush(): Promise<QueuedDelivery[]>
  /** Adds attempt `n` on (and any made with it) of the delivery, made here or by another instance. */
  record(webhookId: string, n: number, made: Attempt[]): void
  clear(): void
}

const iso = (ms: number) => new Date(ms).toISOString()

export function createQueue(deps: QueueDeps): Queue {
  let items: QueuedDelivery[] = []
  const sending = new Set<QueuedDelivery>()
  const inFlight = new Set<Promise<QueuedDelivery[]>>()
  /** The last send chain per URL: one URL gets one delivery at a time, in order. */
  const tails = new Map<string, Promise<void>>()
  const capacity = deps.capacity ?? 5000
  /** Attempted since the last flush (by a flush or by the automatic sends after a write). */
  let attempted = new Set<QueuedDelivery>()

  function settle(d: QueuedDelivery, result: AttemptResult) {
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300
    const retries = d.attempts.length - 1
    if (ok) d.state = 'delivered'
    else if (result.status === 429 && retries < MAX_RETRIES) {
      d.dueAt = deps.clock.now() + RETRY_INTERVAL_MS + Math.floor(deps.rng.next() * RETRY_JITTER_MS)
      d.nextAttemptAt = iso(d.dueAt)
      return
    } else d.state = 'failed'
    delete d.nextAttemptAt
  }

  /** A recorded attempt ends the delivery or schedules its retry; the duplicate fault's second send changes neither. */
  function record(d: QueuedDelivery, n: number, made: Attempt[]) {
    // The same attempt recorded twice (its claim lapsed while it was under way): listed, but it decides nothing again.
    const decides = d.attempts.length === n
    for (const a of made) {
      d.attempts.push(a)
      if (decides && !a.duplicate) settle(d, a)
    }
  }

  async function attempt(d: QueuedDelivery) {
    const n = d.attempts.length
    // Shared: another instance's attempt may have been recorded while this one waited its turn for the URL.
    if (deps.claim && (d.state !== 'pending' || d.dueAt > deps.clock.now() || d.elsewhere === n)) return
    const recorder = deps.claim ? await deps.claim(d, n).catch(() => undefined) : undefined
    if (deps.claim && !recorder) {
      d.elsewhere = n
      return
    }
    const time = iso(deps.clock.now())
    const made: Attempt[] = [{ time, ...(await deps.send(d, false, time)) }]
    if (d.duplicate && n === 0) {
      const again = iso(deps.clock.now())
      made.push({ time: again, ...(await deps.send(d, true, again)), duplicate: true })
    }
    attempted.add(d)
    if (recorder) {
      // Unrecorded (Redis away), the attempt is made again once its claim lapses.
      const failed = await recorder(made).then(
        () => false,
        () => true,
      )
      if (failed) {
        d.elsewhere = n
        return
      }
    } else record(d, n, made)
    for (const a of made) deps.onAttempt?.(d, a)
  }

  /** Sends `batch` per URL in order, after whatever is still going to that URL; held deliveries made earlier follow each send. */
  function run(batch: QueuedDelivery[]): Promise<QueuedDelivery[]> {
    const byUrl = new Map<string, QueuedDelivery[]>()
    for (const d of batch) {
      sending.add(d)
      byUrl.set(d.url, [...(byUrl.get(d.url) ?? []), d])
    }
    const done: QueuedDelivery[] = []
    const one = async (d: QueuedDelivery) => {
      sending.add(d)
      await attempt(d)
      d.held = false
      sending.delete(d)
      done.push(d)
    }
    const work = Promise.all(
      [...byUrl.entries()].map(([url, list]) => {
        // A failed chain must not stop the URL's later deliveries.
        const next = (tails.get(url) ?? Promise.resolve())
          .catch(() => undefined)
          .then(async () => {
            for (const d of list) {
              await one(d)
              for (const h of items.filter((x) => x.held && x.url === url && x.state === 'pending' && !sending.has(x) && items.indexOf(x) < items.indexOf(d)))
                await one(h)
            }
          })
        tails.set(url, next)
        void next.finally(() => tails.get(url) === next && tails.delete(url))
        return next
      }),
    ).then(() => done)
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work))
    return work
  }

  const due = (includeHeld: boolean) => {
    const now = deps.clock.now()
    const ready = items.filter(
      (d) => d.state === 'pending' && !sending.has(d) && d.dueAt <= now && (includeHeld || !d.held) && d.elsewhere !== d.attempts.length,
    )
    // Held (reordered) deliveries go after the rest of their batch.
    return [...ready.filter((d) => !d.held), ...ready.filter((d) => d.held)]
  }

  return {
    add(d) {
      items.push(d)
      if (items.length > capacity) {
        const drop = items.findIndex((x) => x.state !== 'pending')
        items.splice(drop === -1 ? 0 : drop, 1)
      }
    },
    list: () => items,
    pump: () => run(due(false)),
    async flush() {
      while (inFlight.size > 0) await Promise.all([...inFlight])
      // Claims are asked again: one whose instance died during its attempt has lapsed by now, or will have by a later flush.
      for (const d of items) delete d.elsewhere
      for (let batch = due(true); batch.length > 0; batch = due(true)) await run(batch)
      const sent = [...attempted]
      attempted = new Set()
      return sent
    },
    record(webhookId, n, made) {
      const d = items.find((x) => x.webhookId === webhookId)
      if (d) record(d, n, made)
    },
    clear() {
      items = []
      attempted = new Set()
    },
  }
}
