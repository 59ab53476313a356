/** Finding the records a path names, with the real API's 400 for unknown ids. */
import { badRequest } from '../../errors.ts'
import type { Contact, Store } from '../../store/types.ts'

export async function requireContact(store: Store, contactId: string): Promise<Contact> {
  const contact = await store.getContact(contactId)
  if (!contact) throw badRequest(`Contact with id ${contactId} not found`)
  return contact
}
