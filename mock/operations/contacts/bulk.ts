/**
 * POST /contacts/bulk/tags/update/{type} (type add | remove): tags on many contacts at once.
 * The vendor's operationId for it is `create-association`; ours is `bulk-update-tags`.
 *
 * Each contact is handled on its own and gets one entry in `responses`, which the vendor
 * types as an array of strings (its example shows objects; the schema wins for wire
 * compatibility): `"<contactId>: <message>"`, with the vendor example's messages:
 *   Tags updated                            the contact was processed (also when nothing changed)
 *   contact id is not a valid firebase id   not a 20-character alphanumeric id
 *   contact not found                       well-formed but unknown; also a deleted contact (the
 *                                           store keeps no tombstones, so "contact is deleted"
 *                                           cannot be told apart)
 *   contact does not belong to location     a contact of another location than body.locationId
 * Failed contacts are left alone, the others are updated. `succeded` is true when no
 * contact failed; `errorCount` counts the failures. Ids repeated in `contacts` are processed
 * once. Tags follow the single-contact rules (tags.ts): case-insensitive, trimmed.
 * `removeAllTags: true` clears every tag (and ignores `tags`); it only goes with type
 * remove: with add → 422, as the vendor documents ("Can only be used with remove type").
 * body.locationId must be the token's location: the auth step answers 403 otherwise.
 */
import { unprocessable } from '../../errors.ts'
import { defineHandlers } from '../../handler.ts'
import { sameTags, withTags, withoutTags } from './shared.ts'

const CONTACT_ID = /^[A-Za-z0-9]{20}$/

export const bulkHandlers = defineHandlers({
  async 'bulk-update-tags'(input, state) {
    const { type } = input.params
    const body = input.body
    if (body.removeAllTags && type !== 'remove') throw unprocessable(['removeAllTags can only be used with type remove'])

    const responses: string[] = []
    let errorCount = 0
    for (const id of new Set(body.contacts)) {
      const contact = await state.store.getContact(id)
      const problem = contact
        ? contact.locationId !== body.locationId
          ? 'contact does not belong to location'
          : undefined
        : CONTACT_ID.test(id)
          ? 'contact not found'
          : 'contact id is not a valid firebase id'
      if (problem || !contact) {
        errorCount++
        responses.push(`${id}: ${problem}`)
        continue
      }
      const tags = type === 'add' ? withTags(contact.tags, body.tags) : body.removeAllTags ? [] : withoutTags(contact.tags, body.tags)
      if (!sameTags(tags, contact.tags)) await state.store.updateContact(id, { tags })
      responses.push(`${id}: Tags updated`)
    }
    return { status: 201, body: { succeded: errorCount === 0, errorCount, responses } }
  },
})
