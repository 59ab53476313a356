/**
 * Where webhooks go: subscriptions made at start (--webhook) or through the control API.
 * Apps with a webhookUrl are targets too, but they are read from the app registry and
 * the installs at delivery time (see targets in webhooks.ts), so they are not kept here.
 */
import { isWebhookEvent, type WebhookEventType } from './events.ts'

export interface Subscription {
  id: string
  url: string
  /** Only these events; absent: every event. */
  events?: WebhookEventType[]
  /** Only this location's events; absent: every location. */
  locationId?: string
  source: 'option' | 'control'
}

export interface SubscriptionInput {
  url: string
  events?: string[]
  locationId?: string
}

export interface Subscriptions {
  add(input: SubscriptionInput, source?: Subscription['source']): Subscription
  list(): Subscription[]
  remove(id: string): boolean
  /** Back to the --webhook subscriptions. */
  reset(): void
  /** Replace every subscription with these (a loaded state file; already checked). */
  restore(subs: Subscription[]): void
}

/** Problems with a webhook URL or event list, phrased for the person who wrote them. */
export function subscriptionErrors(input: { url?: unknown; events?: unknown }, where = 'webhook'): string[] {
  const errors: string[] = []
  if (input.url !== undefined) {
    const url = typeof input.url === 'string' && URL.canParse(input.url) ? new URL(input.url) : undefined
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      errors.push(`${where}.url must be an absolute http(s) URL (got ${JSON.stringify(input.url)})`)
  }
  if (input.events !== undefined) {
    if (!Array.isArray(input.events)) errors.push(`${where}.events must be an array of event names`)
    else
      for (const e of input.events) if (typeof e !== 'string' || !isWebhookEvent(e)) errors.push(`${where}.events: ${JSON.stringify(e)} is not a webhook event`)
  }
  return errors
}

export function createSubscriptions(initialUrls: string[] = []): Subscriptions {
  let list: Subscription[] = []
  let nextId = 1
  const add: Subscriptions['add'] = (input, source = 'control') => {
    const errors = subscriptionErrors(input)
    if (errors.length) throw new Error(errors.join('; '))
    const sub: Subscription = { id: `wh-${nextId++}`, url: input.url, source }
    if (input.events) sub.events = [...new Set(input.events)] as WebhookEventType[]
    if (input.locationId) sub.locationId = input.locationId
    list.push(sub)
    return structuredClone(sub)
  }
  const reset = () => {
    list = []
    nextId = 1
    for (const url of initialUrls) add({ url }, 'option')
  }
  reset()
  return {
    add,
    list: () => structuredClone(list),
    remove(id) {
      const before = list.length
      list = list.filter((s) => s.id !== id)
      return list.length < before
    },
    reset,
    restore(subs) {
      list = structuredClone(subs)
      const numbered = list.map((s) => /^wh-(\d+)$/.exec(s.id)).filter((m) => m !== null)
      nextId = Math.max(1, ...numbered.map((m) => Number(m[1]) + 1))
    },
  }
}
