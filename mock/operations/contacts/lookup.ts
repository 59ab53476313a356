/** Finding the records a path names, with the real API's 400 for unknown ids. */
import { refuse } from '../../errors.ts'
import type { Contact, Location, Store } from '../../store/types.ts'

export async function requireContact(store: Store, contactId: string): Promise<Contact> {
  const contact = await store.getContact(contactId)
  if (!contact) throw refuse('unknown-record', 'Contact', contactId)
  return contact
}

/** A campaign, workflow, user or business the contact's location must have (else 400). */
export async function requireLocationRef(
  store: Store,
  contact: Contact,
  list: 'campaigns' | 'workflows' | 'users' | 'businesses',
  id: string,
  label: string,
): Promise<void> {
  const location: Location | undefined = await store.getLocation(contact.locationId)
  if (!location?.[list].some((x) => x.id === id)) throw refuse('unknown-record', label, id)
}
