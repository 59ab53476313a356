/**
 * Users following a contact. Answers list every follower afterwards plus the ones this
 * request added (followersAdded) or removed (followersRemoved), the vendor's field names.
 *
 * Choices where the vendor documents nothing:
 *   - add: every id must be a user of the contact's location. Unknown ones → 422 naming
 *     each of them (class-validator style, one message per offending array item) and
 *     nothing changes: silently following nobody would hide a consumer's bug.
 *   - remove: ids that do not follow the contact (including unknown ones) are ignored;
 *     there is nothing to remove, and removal is idempotent.
 *   - Repeated ids count once; ids already following are not "added" again.
 */
import { unprocessable } from '../../errors.ts'
import type { MockState } from '../../state.ts'
import type { Contact } from '../../store/types.ts'
import { defineHandlers } from '../../handler.ts'
import { requireContact } from './shared.ts'

async function checkUsers(state: MockState, contact: Contact, ids: string[]): Promise<void> {
  const users = new Set((await state.store.getLocation(contact.locationId))?.users.map((u) => u.id))
  const errors = ids.flatMap((id, i) => (users.has(id) ? [] : [`followers.${i} must be the id of a user of this location (got ${JSON.stringify(id)})`]))
  if (errors.length > 0) throw unprocessable(errors)
}

export const followersHandlers = defineHandlers({
  async 'add-followers-contact'(input, state) {
    const { contactId } = input.params
    const body = input.body
    const contact = await requireContact(state.store, contactId)
    await checkUsers(state, contact, body.followers)
    const followersAdded = [...new Set(body.followers)].filter((id) => !contact.followers.includes(id))
    const followers = [...contact.followers, ...followersAdded]
    if (followersAdded.length > 0) await state.store.updateContact(contact.id, { followers })
    return { status: 201, body: { followers, followersAdded } }
  },

  async 'remove-followers-contact'(input, state) {
    const { contactId } = input.params
    const body = input.body
    const contact = await requireContact(state.store, contactId)
    const drop = new Set(body.followers)
    const followersRemoved = contact.followers.filter((id) => drop.has(id))
    const followers = contact.followers.filter((id) => !drop.has(id))
    if (followersRemoved.length > 0) await state.store.updateContact(contact.id, { followers })
    return { status: 200, body: { followers, followersRemoved } }
  },
})
