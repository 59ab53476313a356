/**
 * Contacts of a business: listing them, and attaching/detaching contacts in bulk.
 * Businesses are the location's (seeded, read through store.getLocation).
 */
import type { components } from '../../../openapi/generated/contacts.ts'
import { refuse } from '../../errors.ts'
import { defineHandlers } from '../../handler.ts'
import { requireLocation } from './shared.ts'
import { toListContact } from './view.ts'

type S = components['schemas']

export const businessHandlers = defineHandlers({
  /**
   * {contacts, count}: `count` is the number of contacts of the business matching `query`
   * (not the page size), as for GET /contacts/. A businessId the location does not know
   * answers an empty list rather than 400: the live endpoint filters contacts by the id
   * and has nothing to match, and a business with no contacts looks the same.
   */
  async 'get-contacts-by-businessId'(input, state) {
    const q = input.query
    const location = await requireLocation(state.store, q.locationId)
    const { contacts, total } = await state.store.contactsByBusiness(location.id, input.params.businessId, {
      limit: q.limit ?? 25,
      skip: q.skip ?? 0,
      query: q.query,
    })
    return { status: 200, body: { contacts: contacts.map(toListContact), count: total } }
  },

  /**
   * Sets (or, with businessId null, clears) the business of each contact in `ids`.
   * An unknown businessId for the location → 400, nothing changed. Ids that are unknown or
   * belong to another location are not changed and are reported per id, with the same
   * "not found" message either way (no hint that an id exists elsewhere):
   *   { success: <every id changed>, ids: [changed ids], errors?: [{ id, message }] }
   * `errors` is an addition to the vendor's {success, ids} (both schemas allow it).
   */
  async 'add-remove-contact-from-business'(input, state) {
    const body = input.body as S['ContactsBusinessUpdate']
    const location = await requireLocation(state.store, body.locationId)
    const businessId = body.businessId ?? null
    if (businessId !== null && !location.businesses.some((b) => b.id === businessId)) {
      throw refuse('unknown-record', 'Business', businessId)
    }
    const changed: string[] = []
    const errors: Array<{ id: string; message: string }> = []
    for (const id of new Set(body.ids)) {
      const contact = await state.store.getContact(id)
      if (!contact || contact.locationId !== location.id) {
        errors.push({ id, message: `Contact with id ${id} not found` })
        continue
      }
      await state.store.updateContact(id, { businessId: businessId ?? undefined })
      changed.push(id)
    }
    const res: S['ContactsBulkUpateResponse'] & { errors?: typeof errors } = { success: errors.length === 0, ids: changed }
    if (errors.length) res.errors = errors
    return { status: 200, body: res }
  },
})
