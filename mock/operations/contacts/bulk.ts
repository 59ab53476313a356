/**
 * POST /contacts/bulk/tags/update/{type}: add or remove tags on many contacts. Each
 * contact is handled on its own: unknown ids and other locations' contacts are reported
 * in `responses` and left alone, the rest are updated.
 */
import { unprocessable } from '../../errors.ts'
import type { HandlerMap } from '../types.ts'

export const bulkHandlers: HandlerMap = {
  async 'bulk-update-tags'({ params, body }, state) {
    const add = params.type === 'add'
    if (body.removeAllTags && add) throw unprocessable(['removeAllTags can only be used with type remove'])
    const tags = body.tags as string[]
    const drop = new Set(tags.map((t) => t.toLowerCase()))
    const responses: string[] = []
    let errorCount = 0
    for (const id of body.contacts as string[]) {
      const contact = await state.store.getContact(id)
      const problem = !contact ? 'contact not found' : contact.locationId !== body.locationId ? 'contact does not belong to location' : undefined
      if (problem || !contact) {
        errorCount++
        responses.push(`${id}: ${problem}`)
        continue
      }
      const next = add ? [...new Set([...contact.tags, ...tags])] : body.removeAllTags ? [] : contact.tags.filter((t) => !drop.has(t.toLowerCase()))
      await state.store.updateContact(id, { tags: next })
      responses.push(`${id}: Tags updated`)
    }
    return { status: 201, body: { succeded: errorCount === 0, errorCount, responses } }
  },
}
