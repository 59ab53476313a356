/** Tags of one contact. The answer lists every tag the contact has afterwards. */
import type { HandlerMap } from '../types.ts'
import { requireContact } from './lookup.ts'

export const tagsHandlers: HandlerMap = {
  async 'add-tags'({ params, body }, state) {
    const contact = await requireContact(state.store, params.contactId)
    const tags = [...new Set([...contact.tags, ...(body.tags as string[])])]
    await state.store.updateContact(contact.id, { tags })
    return { status: 201, body: { tags } }
  },
  async 'remove-tags'({ params, body }, state) {
    const contact = await requireContact(state.store, params.contactId)
    const drop = new Set((body.tags as string[]).map((t) => t.toLowerCase()))
    const tags = contact.tags.filter((t) => !drop.has(t.toLowerCase()))
    await state.store.updateContact(contact.id, { tags })
    return { status: 200, body: { tags } }
  },
}
