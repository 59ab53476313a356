/**
 * What the Contacts handlers share: finding the records a request names (with the real
 * API's 400 for unknown ids), ISO dates, and the tag rules. Handler files import this,
 * never each other.
 */
import { refuse, unprocessable } from '../../errors.ts'
import type { Contact, Location, Store } from '../../store/types.ts'
import { andThen } from '../../then.ts'

/** At once when the store answers at once (the memory store), as `store.getContact` does. */
export function requireContact(store: Store, contactId: string): Contact | Promise<Contact> {
  const known = (contact: Contact | undefined) => {
    if (!contact) throw refuse('unknown-record', 'Contact', contactId)
    return contact
  }
  const contact = store.getContact(contactId)
  return andThen(contact, known)
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

/** A task or note of the contact: 400 for an unknown contact first, then for the record (one of another contact counts as unknown). */
export async function requireChild<T>(store: Store, contactId: string, label: 'Task' | 'Note', id: string, find: () => Promise<T | undefined>): Promise<T> {
  await requireContact(store, contactId)
  const found = await find()
  if (!found) throw refuse('unknown-record', label, id)
  return found
}

type Membership = 'campaigns' | 'workflows'

/** The contact and the campaign or workflow of its location that a membership call names (400 for either unknown). */
export async function requireMembership(store: Store, contactId: string, list: Membership, id: string, label: string): Promise<Contact> {
  const contact = await requireContact(store, contactId)
  await requireLocationRef(store, contact, list, id, label)
  return contact
}

/** Takes the contact out of a campaign or workflow; writes nothing when it was not in it. */
export async function leave(store: Store, contact: Contact, list: Membership, id: string): Promise<void> {
  if (!Object.hasOwn(contact[list], id)) return
  const { [id]: _removed, ...rest } = contact[list]
  await store.updateContact(contact.id, { [list]: rest })
}

export async function requireLocation(store: Store, locationId: string): Promise<Location> {
  const location = await store.getLocation(locationId)
  if (!location) throw refuse('unknown-record', 'Location', locationId)
  return location
}

/** A user the location must have (else 400), when `userId` is given: a task's assignee, a note's author. */
export async function requireUser(store: Store, locationId: string, userId: string | undefined): Promise<void> {
  if (userId === undefined) return
  const location = await store.getLocation(locationId)
  if (!location?.users.some((u) => u.id === userId)) throw refuse('unknown-user', userId)
}

/**
 * An ISO 8601 date string (the spec's format, checked before the handler runs) → its
 * canonical form (`….000Z`); undefined stays undefined. A leap second (`23:59:60Z`) passes
 * the format but not Date.parse: it gets the format's 422 rather than a 500.
 */
export function isoDate(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw unprocessable([`${field} must be a valid ISO 8601 date string`])
  return new Date(ms).toISOString()
}

// Tags are labels compared without regard to case or surrounding spaces (tags.ts, bulk.ts).
const key = (tag: string) => tag.trim().toLowerCase()

/** `current` plus the `added` tags it lacks, in order, each once. */
export function withTags(current: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(current.map(key))
  const out = [...current]
  for (const raw of added) {
    const tag = raw.trim()
    if (!tag || seen.has(key(tag))) continue
    seen.add(key(tag))
    out.push(tag)
  }
  return out
}

/** `current` without the `removed` tags. */
export function withoutTags(current: readonly string[], removed: readonly string[]): string[] {
  const drop = new Set(removed.map(key))
  return current.filter((t) => !drop.has(key(t)))
}

export const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i])
