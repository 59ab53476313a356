/**
 * Contacts: create, get, update, delete, upsert, duplicate lookup and the (deprecated)
 * cursor-paged list. Request bodies arrive validated against the spec (unknown properties
 * already refused); what is left here is what a schema cannot say: duplicates, custom
 * field ids and keys, phone and date normalisation, and the list's cursor and meta.
 */
import type { components } from '../../../openapi/generated/contacts.ts'
import { refuseWith, unprocessable } from '../../errors.ts'
import type { Contact, ContactInput, DuplicateMatch, Location, Store } from '../../store/types.ts'
import type { MockState } from '../../state.ts'
import { emailKey, phoneKey } from '../../store/normalize.ts'
import { defineHandlers, type BodyOf, type OperationInput } from '../../handler.ts'
import { requireContact, requireLocation } from './shared.ts'
import { contactAnswer, contactName, toContact, toCreatedContact, toListContact } from './view.ts'
import { andThen } from '../../then.ts'

type S = components['schemas']

type CreateBody = BodyOf<'create-contact'>
type UpdateBody = BodyOf<'update-contact'>
type UpsertBody = BodyOf<'upsert-contact'>
type ContactBody = CreateBody | UpdateBody | UpsertBody
type CustomFieldInput = NonNullable<ContactBody['customFields']>[number]

// ---------------------------------------------------------------------------------------
// Body → stored fields

/** Plain string fields copied as sent; `null` or '' clears them (on update). */
const STRING_FIELDS = [
  'firstName',
  'lastName',
  'name',
  'address1',
  'city',
  'state',
  'postalCode',
  'website',
  'timezone',
  'source',
  'country',
  'companyName',
  'assignedTo',
] as const satisfies ReadonlyArray<keyof ContactInput>

/**
 * Phones are kept in E.164 as the live API does: '+1 888-888-8888' → '+18888888888'.
 * Ten digits without a country code are taken as North American (+1).
 */
export function normalizePhone(raw: string): string | undefined {
  const digits = raw.replace(/\D/g, '')
  if (!digits) return undefined
  if (raw.trim().startsWith('+')) return `+${digits}`
  if (digits.length === 10) return `+1${digits}`
  return `+${digits}`
}

const pad = (n: number) => String(n).padStart(2, '0')

function ymd(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined
  return `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`
}

/**
 * dateOfBirth as the spec lists it (YYYY/MM/DD, MM/DD/YYYY, with -, /, . or _ as the
 * separator), a full ISO timestamp, or an object {year, month, day}; stored as YYYY-MM-DD.
 */
export function normalizeDateOfBirth(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>
    const [y, m, d] = [o.year, o.month, o.day].map(Number)
    return [y, m, d].every(Number.isInteger) ? ymd(y, m, d) : undefined
  }
  if (typeof raw !== 'string') return undefined
  const s = raw.trim()
  let match = /^(\d{4})[-/._](\d{1,2})[-/._](\d{1,2})$/.exec(s)
  if (match) return ymd(Number(match[1]), Number(match[2]), Number(match[3]))
  match = /^(\d{1,2})[-/._](\d{1,2})[-/._](\d{4})$/.exec(s)
  if (match) return ymd(Number(match[3]), Number(match[1]), Number(match[2]))
  match = /^(\d{4})-(\d{2})-(\d{2})T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/.exec(s)
  if (match && !Number.isNaN(Date.parse(s))) return ymd(Number(match[1]), Number(match[2]), Number(match[3]))
  return undefined
}

/** A custom field value as the spec's CustomFieldSchema has it (a string); undefined clears the field. */
function fieldValueToString(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return v.length ? v.map(String).join(', ') : undefined
  return JSON.stringify(v)
}

/**
 * customFields input ({id | key, field_value}) → the contact's [{id, value}], merged into
 * the current ones (fields not named keep their value; an empty value removes the field).
 * `key` (or an id that is really a key, with or without the `contact.` prefix) resolves
 * through the location's custom field definitions. Unknown ids/keys are added to `errors`.
 */
function mergeCustomFields(location: Location, current: S['CustomFieldSchema'][], input: CustomFieldInput[], errors: string[]): S['CustomFieldSchema'][] {
  const defs = location.customFields
  const byKey = (k: string | undefined) => (k ? defs.find((d) => d.key === k || d.key === `contact.${k}`) : undefined)
  const merged = new Map(current.filter((f) => f.id).map((f) => [f.id as string, f.value]))
  input.forEach((item, i) => {
    const def = defs.find((d) => d.id === item.id) ?? byKey(item.key) ?? byKey(item.id)
    if (!def) {
      const named = item.key && item.key !== item.id ? `id "${item.id}" / key "${item.key}"` : `id "${item.id}"`
      errors.push(`customFields.${i} ${named} is not a custom field of this location`)
      return
    }
    const value = fieldValueToString(item.field_value)
    if (value === undefined) merged.delete(def.id)
    else merged.set(def.id, value)
  })
  return [...merged].map(([id, value]) => (value === undefined ? { id } : { id, value }))
}

/**
 * A create/update/upsert body → the store's ContactInput. Keys the body sends as null or
 * '' come back as `undefined` (the store drops them: the field is cleared). Fields the
 * API accepts but never returns (gender, inboundDndSettings, createNewIfDuplicateAllowed)
 * and locationId (fixed at creation) are not stored.
 */
export function toContactInput(body: ContactBody, location: Location, existing?: Contact): ContactInput {
  const input: ContactInput = {}
  const errors: string[] = []
  const b = body as Record<string, unknown>
  for (const key of STRING_FIELDS) {
    if (!(key in b)) continue
    const v = b[key]
    input[key] = typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined
  }
  // `name` alone is split into first and last name (the store derives `name` from them, so
  // keeping only `name` would be overwritten by the old first/last name on update).
  if (input.name && !('firstName' in b) && !('lastName' in b)) {
    const [first, ...rest] = input.name.split(/\s+/)
    input.firstName = first
    input.lastName = rest.length ? rest.join(' ') : undefined
  }
  if ('email' in b) input.email = typeof b.email === 'string' && b.email.trim() !== '' ? b.email.trim() : undefined
  // The spec's patterns already refused a phone without digits and a day the calendar lacks.
  if ('phone' in b) {
    const raw = typeof b.phone === 'string' ? b.phone.trim() : ''
    input.phone = raw ? normalizePhone(raw) : undefined
  }
  if ('dateOfBirth' in b) {
    const raw = b.dateOfBirth
    input.dateOfBirth = raw === null || raw === '' || raw === undefined ? undefined : normalizeDateOfBirth(raw)
  }
  if (body.dnd !== undefined) input.dnd = body.dnd
  if (body.dndSettings !== undefined) input.dndSettings = structuredClone(body.dndSettings)
  if (body.tags !== undefined) input.tags = [...new Set(body.tags.map((t) => t.trim()).filter(Boolean))]
  if (body.customFields !== undefined) input.customFields = mergeCustomFields(location, existing?.customFields ?? [], body.customFields, errors)
  // Every problem at once, in one 422, as class-validator reports them.
  if (errors.length) throw unprocessable(errors)
  return input
}

// ---------------------------------------------------------------------------------------
// Duplicates

const same = (field: 'email' | 'phone', a: string | undefined, b: string | undefined) =>
  field === 'email' ? emailKey(a) === emailKey(b) : phoneKey(a) === phoneKey(b)

export function duplicateError(match: DuplicateMatch) {
  const meta: Record<string, unknown> = { contactId: match.contact.id }
  const name = contactName(match.contact)
  if (name) meta.contactName = name
  meta.matchingField = match.matchingField
  return refuseWith('duplicate', { meta })
}

/**
 * In a location that does not allow duplicates, the contact `input` would become (a new
 * one, or `self` after the change) may not share a duplicate-identifying field with
 * another contact. Only fields the write sets to a new value are checked, so a contact
 * that already shares a value (from when duplicates were allowed) can still be edited.
 */
async function assertNoDuplicate(store: Store, location: Location, input: ContactInput, self?: Contact): Promise<void> {
  if (location.allowDuplicateContact) return
  for (const field of location.duplicatePriority) {
    const value = input[field]
    if (!value || (self && same(field, self[field], value))) continue
    const match = await store.findDuplicate(location.id, { [field]: value })
    if (match && match.contact.id !== self?.id) throw duplicateError(match)
  }
}

// ---------------------------------------------------------------------------------------
// Handlers

const createContact = async (input: OperationInput<'create-contact'>, state: MockState) => {
  const body = input.body
  const location = await requireLocation(state.store, body.locationId)
  const contactInput = toContactInput(body, location)
  await assertNoDuplicate(state.store, location, contactInput)
  const contact = await state.store.createContact(location.id, contactInput)
  return { status: 201, body: { contact: toCreatedContact(contact) } }
}

/**
 * GET /contacts/ (deprecated, still widely used): dateAdded ascending, cursor
 * (startAfter = the last contact's dateAdded in ms, startAfterId = its id).
 *
 * `count` is the total number of contacts matching the request (not the page size): that
 * is what the live API answers in practice, although the vendor's example suggests a page
 * count. `meta.total` carries the same number.
 *
 * On the last page `nextPageUrl`, `nextPage`, `startAfter` and `startAfterId` are left
 * out (the spec types them as non-null); `prevPage` is null on the first page.
 * `currentPage` is the 1-based page the cursor falls on (contacts before it / limit + 1).
 */
const getContacts = async (input: OperationInput<'get-contacts'>, state: MockState) => {
  const q = input.query
  const limit = q.limit ?? 20
  const location = await requireLocation(state.store, q.locationId)
  const cursor = q.startAfter !== undefined || q.startAfterId !== undefined
  // With a cursor, everything after it is read once to know the position and whether more follow.
  const { contacts: rest, total } = await state.store.listContacts(location.id, {
    limit: cursor ? Number.MAX_SAFE_INTEGER : limit + 1,
    startAfter: q.startAfter,
    startAfterId: q.startAfterId,
    query: q.query,
  })
  const page = rest.slice(0, limit)
  const hasMore = rest.length > limit
  const before = cursor ? total - rest.length : 0
  const currentPage = Math.floor(before / limit) + 1
  const meta: S['ContactsMetaSchema'] = { total, currentPage, prevPage: currentPage > 1 ? currentPage - 1 : null }
  const last = page[page.length - 1]
  if (hasMore && last) {
    const startAfter = Date.parse(last.dateAdded)
    const next = new URL(input.url)
    next.searchParams.set('startAfter', String(startAfter))
    next.searchParams.set('startAfterId', last.id)
    Object.assign(meta, { nextPageUrl: next.toString(), startAfterId: last.id, startAfter, nextPage: currentPage + 1 })
  }
  return { status: 200, body: { contacts: page.map(toListContact), count: total, meta } }
}

export const contactsHandlers = defineHandlers({
  'create-contact': createContact,

  'get-contacts': getContacts,

  // Not async: the busiest route answers at once when the store does (see mock/pipeline/compose.ts).
  'get-contact'(input, state) {
    const contact = requireContact(state.store, input.params.contactId)
    const answer = (found: Contact) => ({ status: 200, body: contactAnswer(found) })
    return andThen(contact, answer)
  },

  async 'update-contact'(input, state) {
    const body = input.body
    const current = await requireContact(state.store, input.params.contactId)
    const location = await requireLocation(state.store, current.locationId)
    const patch = toContactInput(body, location, current)
    await assertNoDuplicate(state.store, location, patch, current)
    const contact = await state.store.updateContact(current.id, patch)
    return { status: 200, body: { succeded: true, contact: toContact(contact) } }
  },

  async 'delete-contact'(input, state) {
    const contact = await requireContact(state.store, input.params.contactId)
    await state.store.deleteContact(contact.id)
    return { status: 200, body: { succeded: true } }
  },

  /**
   * Matches by the location's duplicate priority (email, then phone) and updates the
   * match, else creates. If the first field matches one contact and a later field another,
   * the first match is updated and the later field is left out of the update (copying it
   * would create a duplicate). `createNewIfDuplicateAllowed` in a location that allows
   * duplicates always creates. Both outcomes answer 200, as the spec documents.
   */
  async 'upsert-contact'(input, state) {
    const body = input.body
    const location = await requireLocation(state.store, body.locationId)
    const contactInput = toContactInput(body, location)
    let match: DuplicateMatch | undefined
    const conflicting: Array<'email' | 'phone'> = []
    if (!(location.allowDuplicateContact && body.createNewIfDuplicateAllowed)) {
      for (const field of location.duplicatePriority) {
        const value = contactInput[field]
        if (!value) continue
        const found = await state.store.findDuplicate(location.id, { [field]: value })
        if (!found) continue
        if (!match) match = found
        else if (found.contact.id !== match.contact.id) conflicting.push(field)
      }
    }
    if (!match) {
      const contact = await state.store.createContact(location.id, contactInput)
      return { status: 200, body: { new: true, contact: toContact(contact) } }
    }
    // Custom fields merge into the matched contact's own.
    const patch = toContactInput(body, location, match.contact)
    for (const field of conflicting) delete patch[field]
    const contact = await state.store.updateContact(match.contact.id, patch)
    return { status: 200, body: { new: false, contact: toContact(contact) } }
  },

  /**
   * The contact an upsert would match, by the location's priority: {contact, matchingField},
   * or {contact: null} when there is none (also when neither email nor number is given).
   */
  async 'get-duplicate-contact'(input, state) {
    const q = input.query
    const location = await requireLocation(state.store, q.locationId)
    const email = q.email?.trim() || undefined
    const phone = q.number?.trim() || undefined
    let match = email || phone ? await state.store.findDuplicate(location.id, { email, phone }) : undefined
    // '+1 423…' sent unencoded arrives as ' 1423…'; a national number may lack its +1: try the E.164 form too.
    const e164 = phone && normalizePhone(phone)
    if (!match && e164 && phoneKey(e164) !== phoneKey(phone)) match = await state.store.findDuplicate(location.id, { phone: e164 })
    const res: S['GetDuplicateContactSuccessfulResponseDto'] = match
      ? { contact: toContact(match.contact), matchingField: match.matchingField }
      : { contact: null }
    return { status: 200, body: res }
  },
})
