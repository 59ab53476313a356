// The connector under test: pushes members into HighLevel as contacts, tagged, without duplicates.
import { createGhlClient, type GhlClientOptions } from 'ghl-contacts-mock/client'
import type { components } from 'ghl-contacts-mock/types'

type Contact = components['schemas']['GetContectByIdSchema']

export interface Member {
  email: string
  firstName: string
}

export async function syncMembers(options: GhlClientOptions & { locationId: string }, members: Member[]): Promise<Contact['id'][]> {
  const { locationId, ...clientOptions } = options
  const ghl = createGhlClient(clientOptions)
  const ids: string[] = []
  for (const m of members) {
    // createNewIfDuplicateAllowed has a default in the spec, so it may be left out.
    const { contact } = await ghl.contacts.upsert({ locationId, email: m.email, firstName: m.firstName })
    await ghl.tags.add(contact.id, { tags: ['member'] })
    ids.push(contact.id)
  }
  return ids
}
