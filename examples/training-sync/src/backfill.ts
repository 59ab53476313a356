/**
 * The nightly backfill: every contact with the trigger tag, page by page through
 * search, onboarded if the triggers missed it (downtime, a lost webhook, a contact
 * tagged before the install). Contacts already done cost nothing but their page.
 */
import { onboard, type OnboardOutcome, type SyncDeps } from './onboard.ts'

/** How many contacts each outcome had. */
export type Tally = Record<OnboardOutcome, number>

export const emptyTally = (): Tally => ({ 'not-a-new-hire': 0, 'profile-updated': 0, assigned: 0 })

export async function backfill(deps: SyncDeps): Promise<Tally & { pages: number }> {
  const tally = { ...emptyTally(), pages: 0 }
  const pages = deps.ghl.contacts.searchPages({
    locationId: deps.config.locationId,
    pageLimit: deps.config.backfillPageLimit,
    filters: [{ field: 'tags', operator: 'eq', value: deps.config.triggerTag }],
    sort: [{ field: 'dateAdded', direction: 'asc' }],
  })
  for await (const page of pages) {
    tally.pages++
    for (const contact of page.contacts) tally[await onboard(deps, contact)]++
  }
  return tally
}
