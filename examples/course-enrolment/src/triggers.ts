/**
 * Where "a contact was tagged for a course" comes from.
 *
 * SEAM: today the kit has no webhook delivery, so `pollingTriggers` asks the search
 * endpoint for contacts with any of the course tags updated since the last poll. Once
 * the kit delivers webhooks, a webhook source (ContactTagUpdate / ContactCreate,
 * verified with the client's `createWebhookVerifier`) implements the same
 * `TriggerSource` by buffering verified events and handing them out from `next()`.
 */
import type { GhlClient } from 'ghl-contacts-mock/client'

/** The fields of a contact the connector acts on: present in search results and in contact webhook payloads alike. */
export interface ContactChange {
  id: string
  firstName?: string | null
  lastName?: string | null
  email?: string | null
  tags?: string[]
  dateUpdated?: string
}

export interface TriggerSource {
  /** The changes since the previous call (may repeat a change: handlers are idempotent). */
  next(): Promise<ContactChange[]>
}

export interface PollingOptions {
  locationId: string
  /** Contacts with any of these tags. */
  tags: string[]
  /** Start here (epoch ms): a stored cursor, or the install time. */
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
    async next() {
      const changes: ContactChange[] = []
      // `gte`, not `gt`: contacts updated in the same millisecond as the last one seen are
      // not lost; the one seen last comes back once more and is skipped as already done.
      const contacts = ghl.contacts.searchAll({
        locationId: options.locationId,
        pageLimit: options.pageLimit ?? 100,
        filters: [
          { group: 'OR', filters: options.tags.map((tag) => ({ field: 'tags', operator: 'eq' as const, value: tag })) },
          { field: 'dateUpdated', operator: 'range', value: { gte: new Date(cursor).toISOString() } },
        ],
        sort: [{ field: 'dateUpdated', direction: 'asc' }],
      })
      let latest = cursor
      for await (const c of contacts) {
        changes.push(c)
        const t = c.dateUpdated ? Date.parse(c.dateUpdated) : NaN
        if (t > latest) latest = t
      }
      cursor = latest
      return changes
    },
  }
}
