/** Users following a contact. Followers must be users of the contact's location. */
import { unprocessable } from '../../errors.ts'
import type { MockState } from '../../state.ts'
import type { Contact } from '../../store/types.ts'
import type { HandlerMap } from '../types.ts'
import { requireContact } from './lookup.ts'

async function checkUsers(state: MockState, contact: Contact, ids: string[]) {
  const users = new Set((await state.store.getLocation(contact.locationId))?.users.map((u) => u.id))
  const unknown = ids.filter((id) => !users.has(id))
  if (unknown.length > 0) throw unprocessable(unknown.map((id) => `followers: user ${id} is not a user of this location`))
}

export const followersHandlers: HandlerMap = {
  async 'add-followers-contact'({ params, body }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await checkUsers(state, contact, body.followers)
    const followersAdded = (body.followers as string[]).filter((id) => !contact.followers.includes(id))
    const followers = [...contact.followers, ...new Set(followersAdded)]
    await state.store.updateContact(contact.id, { followers })
    return { status: 201, body: { followers, followersAdded } }
  },
  async 'remove-followers-contact'({ params, body }, state) {
    const contact = await requireContact(state.store, params.contactId)
    const drop = new Set(body.followers as string[])
    const followersRemoved = contact.followers.filter((id) => drop.has(id))
    const followers = contact.followers.filter((id) => !drop.has(id))
    await state.store.updateContact(contact.id, { followers })
    return { status: 200, body: { followers, followersRemoved } }
  },
}
