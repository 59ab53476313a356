/**
 * Tags of one contact. Both answers list every tag the contact has afterwards.
 *
 * Tags are labels compared without regard to case or surrounding spaces: adding `VIP` to a
 * contact tagged `vip` changes nothing, removing `VIP` removes `vip`. New tags are kept as
 * sent (trimmed), empty ones are dropped. A request that changes nothing writes nothing
 * (no dateUpdated bump, no event); one that does makes the store emit ContactTagUpdate.
 * The same rules serve the bulk endpoint (bulk.ts).
 */
import { defineHandlers } from '../../handler.ts'
import { requireContact, sameTags, withTags, withoutTags } from './shared.ts'

export const tagsHandlers = defineHandlers({
  async 'add-tags'(input, state) {
    const { contactId } = input.params
    const body = input.body
    const contact = await requireContact(state.store, contactId)
    const tags = withTags(contact.tags, body.tags)
    if (!sameTags(tags, contact.tags)) await state.store.updateContact(contact.id, { tags })
    return { status: 201, body: { tags } }
  },

  async 'remove-tags'(input, state) {
    const { contactId } = input.params
    const body = input.body
    const contact = await requireContact(state.store, contactId)
    const tags = withoutTags(contact.tags, body.tags)
    if (!sameTags(tags, contact.tags)) await state.store.updateContact(contact.id, { tags })
    return { status: 200, body: { tags } }
  },
})
