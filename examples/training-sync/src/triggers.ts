/**
 * Where "a contact tagged new-hire was created or changed" comes from.
 *
 * SEAM: today the kit has no webhook delivery, so `pollingTriggers` asks the search
 * endpoint for contacts with the tag updated since the last poll. Once the kit
 * delivers webhooks, a webhook source implements the same `TriggerSource`: its receiver
 * verifies each event (ContactCreate / ContactUpdate / ContactTagUpdate; the client's `createWebhookVerifier`),
 * stores it in a durable queue and answers 2xx (or 429 when it could not store it: 429
 * is the only status HighLevel delivers again); its `drain()` hands the queued events
 * over and removes each once handled. Nothing else in the connector changes.
 */
import type { GhlClient } from 'ghl-contacts-mock/client'

/** The fields of a contact the connector acts on: present in search results and in contact webhook payloads alike. */
export interface ContactChange {
  id: string
  firstName?: string | null
  lastName?: string | null
  email?: string | null
  tags?: string[]
  customFields?: Array<{ id?: string; value?: unknown }>
  dateUpdated?: string
}

export interface TriggerSource {
  /**
   * Hands each change since the last drain to `handle`, in order. The position moves on
   * only when every change was handled: a run that fails sees them again next time
   * (so a change may come twice; handlers are idempotent). Returns how many were handled.
   */
  drain(handle: (change: ContactChange) => Promise<void>): Promise<number>
}

export interface PollingOptions {
  locationId: string
  /** Only contacts with this tag. */
  tag: string
  /** Start here (epoch ms); a stored cursor, or the install time. */
  since: number
  pageLimit?: number
}

export interface PollingTriggers extends TriggerSource {
  /** The cursor to persist between runs. */
  cursor(): number
}

export function pollingTriggers(ghl: GhlClient, options: PollingOptions): PollingTriggers {
  let cursor = options.since
  return {
    cursor: () => cursor,
    async drain(handle) {
      const changes: ContactChange[] = []
      // `gte`, not `gt`: contacts updated in the same millisecond as the last one seen are
      // not lost; the one seen last comes back once more and is skipped as already done.
      const pages = ghl.contacts.searchAll({
        locationId: options.locationId,
        pageLimit: options.pageLimit ?? 100,
        filters: [
          { field: 'tags', operator: 'eq', value: options.tag },
          { field: 'dateUpdated', operator: 'range', value: { gte: new Date(cursor).toISOString() } },
        ],
        sort: [{ field: 'dateUpdated', direction: 'asc' }],
      })
      let latest = cursor
      for await (const c of pages) {
        changes.push(c)
        const t = c.dateUpdated ? Date.parse(c.dateUpdated) : NaN
        if (t > latest) latest = t
      }
      for (const change of changes) await handle(change)
      cursor = latest
      return changes.length
    },
  }
}
