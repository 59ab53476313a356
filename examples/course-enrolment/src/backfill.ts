/**
 * The nightly backfill: every contact with a course tag, page by page through search
 * (an `OR` group of the tags), enrolled if the webhooks missed it (downtime, a lost or
 * mis-signed webhook, a contact tagged before the install). A contact whose courses are
 * done costs nothing but its page: the per-course `enrolled:` tag says so.
 */
import type { ContactChange, EnrolDeps } from './enrol.ts'

export interface BackfillResult {
  pages: number
  /** Course enrolments this run completed on the HighLevel side. */
  enrolled: number
}

export async function backfill(deps: EnrolDeps, enrol: (contact: ContactChange) => Promise<string[]>, pageLimit = 100): Promise<BackfillResult> {
  const result = { pages: 0, enrolled: 0 }
  const pages = deps.ghl.contacts.searchPages({
    locationId: deps.config.locationId,
    pageLimit,
    filters: [
      { group: 'OR', filters: deps.platform.courses.map((c) => ({ field: 'tags', operator: 'eq' as const, value: `${deps.config.coursePrefix}${c.id}` })) },
    ],
    sort: [{ field: 'dateAdded', direction: 'asc' }],
  })
  for await (const page of pages) {
    result.pages++
    for (const contact of page.contacts) result.enrolled += (await enrol(contact)).length
  }
  return result
}
