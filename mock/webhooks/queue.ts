/**
 * The delivery queue: every delivery with its state and attempts, on the mock clock.
 * A 2xx ends a delivery; only a 429 is retried (up to 6 times, 10 minutes apart plus
 * seeded jitter); any other status, a network error or a timeout is final. Retries wait
 * for the mock clock: advancing it makes them due, and `flush` sends what is due.
 *
 * Deliveries to one URL go out one after another in the order they were made (so the
 * reorder fault means something); different URLs are served side by side.
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
}

export interface QueueDeps {
  clock: Clock
  rng: Rng
  /** `resend`: the duplicate fault's second send, byte for byte the first. */
  send(d: QueuedDelivery, resend: boolean): Promise<AttemptResult>
  /** Called after every attempt (strict-mode reports). */
  onAttempt?(d: QueuedDelivery, attempt: Attempt): void
  capacity?: number
}

export interface Queue {
  add(d: QueuedDelivery): void
  list(): QueuedDelivery[]
  /** Sends what is due now (held deliveries stay held); resolves when those attempts ended. */
  pump(): Promise<QueuedDelivery[]>
  /** Waits for attempts under way, then sends everything due now, held ones last; resolves with every delivery attempted since the last flush. */
  flush(): Promise<QueuedDelivery[]>
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

  async function attempt(d: QueuedDelivery) {
    const time = iso(deps.clock.now())
    const result = await deps.send(d, false)
    const record: Attempt = { time, ...result }
    attempted.add(d)
    d.attempts.push(record)
    deps.onAttempt?.(d, record)
    settle(d, result)
    if (d.duplicate && d.attempts.length === 1) {
      const again: Attempt = { time: iso(deps.clock.now()), ...(await deps.send(d, true)), duplicate: true }
      d.attempts.push(again)
      deps.onAttempt?.(d, again)
    }
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
    const ready = items.filter((d) => d.state === 'pending' && !sending.has(d) && d.dueAt <= now && (includeHeld || !d.held))
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
      for (let batch = due(true); batch.length > 0; batch = due(true)) await run(batch)
      const sent = [...attempted]
      attempted = new Set()
      return sent
    },
    clear() {
      items = []
      attempted = new Set()
    },
  }
}
