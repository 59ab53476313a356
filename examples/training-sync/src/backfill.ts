/**
 * The nightly backfill: every contact with the trigger tag, page by page through
 * search, onboarded if the webhooks missed it (downtime, a lost or mis-signed webhook,
 * a contact tagged before the install). Contacts already done cost nothing but their page.
 */
import type { ContactChange, OnboardOutcome, SyncDeps } from './onboard.ts'

/** How many contacts each outcome had. */
export type Tally = Record<OnboardOutcome, number>

export const emptyTally = (): Tally => ({ 'not-a-new-hire': 0, 'profile-updated': 0, assigned: 0 })

export async function backfill(deps: SyncDeps, onboard: (contact: ContactChange) => Promise<OnboardOutcome>): Promise<Tally & { pages: number }> {
  const tally = { ...emptyTally(), pages: 0 }
  const pages = deps.ghl.contacts.searchPages({
    locationId: deps.config.locationId,
    pageLimit: deps.config.backfillPageLimit,
    filters: [{ field: 'tags', operator: 'eq', value: deps.config.triggerTag }],
    sort: [{ field: 'dateAdded', direction: 'asc' }],
  })
  for await (const page of pages) {
    tally.pages++
    for (const contact of page.contacts) tally[await onboard(contact)]++
  }
  return tally
}
