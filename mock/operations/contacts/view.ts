/**
 * A stored Contact → the shapes the API answers with. The store keeps internal fields the
 * spec does not document (campaign and workflow membership maps, followers outside the
 * list/search shapes); these views keep exactly what the spec documents and nothing else,
 * and never send `null` or `undefined` where the spec says string.
 *
 * Exports (stable; other handlers import them):
 *   toContact(c)        GetContectByIdSchema: get, update, upsert, duplicate lookups
 *   contactAnswer(c)    { contact: toContact(c) }, serialised once per stored version asked for again soon (GET by id)
 *   toCreatedContact(c) CreateContactSchema:  create (the vendor's own, narrower shape: no `name`)
 *   toListContact(c)    ContactsSearchSchema: GET /contacts/ and GET /contacts/business/{id}
 *   toSearchContact(c)  SearchContactSchema:  POST /contacts/search (with its searchAfter cursor)
 *   searchAnswer(...)   the whole search answer, its JSON from the contacts' cached GET answers
 *   contactName(c)      the display name the API reports (duplicate error meta, list contactName)
 *
 * The field lists are checked against the generated types at compile time: when the spec
 * gains or loses a field, tsc points here.
 */
import type { components } from '../../../openapi/generated/contacts.ts'
import type { Contact } from '../../store/types.ts'
import { jsonOf, serialiseOnce, serialisedAs } from '../../json-once.ts'

type S = components['schemas']
export type ContactView = S['GetContectByIdSchema']
export type CreatedContactView = S['CreateContactSchema']
export type ContactListView = S['ContactsSearchSchema']
export type SearchContactView = S['SearchContactSchema']

/** Every field of GetContectByIdSchema (the `satisfies` makes tsc flag a missing or unknown key). */
const CONTACT_FIELDS = Object.keys({
  id: true,
  name: true,
  locationId: true,
  firstName: true,
  lastName: true,
  email: true,
  emailLowerCase: true,
  timezone: true,
  companyName: true,
  phone: true,
  dnd: true,
  dndSettings: true,
  type: true,
  source: true,
  assignedTo: true,
  address1: true,
  city: true,
  state: true,
  country: true,
  postalCode: true,
  website: true,
  tags: true,
  dateOfBirth: true,
  dateAdded: true,
  dateUpdated: true,
  attachments: true,
  ssn: true,
  keyword: true,
  firstNameLowerCase: true,
  fullNameLowerCase: true,
  lastNameLowerCase: true,
  lastActivity: true,
  customFields: true,
  businessId: true,
  attributionSource: true,
  lastAttributionSource: true,
  visitorId: true,
} satisfies Record<keyof ContactView, true>) as Array<keyof ContactView>

/**
 * Every field of CreateContactSchema. The vendor documents the create answer with its own
 * schema, not GetContectByIdSchema: no `name`, `ssn`, `keyword`, `attachments`, attribution
 * or `lastActivity`, and a few fields the store does not keep (`deleted`, `offers`, ...),
 * which are left out like any absent field.
 */
const CREATED_FIELDS = Object.keys({
  id: true,
  dateAdded: true,
  dateUpdated: true,
  deleted: true,
  tags: true,
  type: true,
  customFields: true,
  locationId: true,
  firstName: true,
  firstNameLowerCase: true,
  fullNameLowerCase: true,
  lastName: true,
  lastNameLowerCase: true,
  email: true,
  emailLowerCase: true,
  bounceEmail: true,
  unsubscribeEmail: true,
  dnd: true,
  dndSettings: true,
  phone: true,
  address1: true,
  city: true,
  state: true,
  country: true,
  postalCode: true,
  website: true,
  source: true,
  companyName: true,
  dateOfBirth: true,
  birthMonth: true,
  birthDay: true,
  lastSessionActivityAt: true,
  offers: true,
  products: true,
  businessId: true,
  assignedTo: true,
} satisfies Record<keyof CreatedContactView, true>) as Array<keyof CreatedContactView>

/** ContactsSearchSchema fields read straight from the stored contact (the rest are derived below). */
const LIST_FIELDS = Object.keys({
  id: true,
  locationId: true,
  email: true,
  timezone: true,
  country: true,
  source: true,
  dateAdded: true,
  customFields: true,
  tags: true,
  businessId: true,
  followers: true,
  firstName: true,
  lastName: true,
  companyName: true,
  phone: true,
  dnd: true,
  type: true,
  assignedTo: true,
  address1: true,
  city: true,
  state: true,
  postalCode: true,
  website: true,
  dateOfBirth: true,
  dateUpdated: true,
} satisfies Record<Exclude<keyof ContactListView, ListDerived>, true>) as Array<Exclude<keyof ContactListView, ListDerived>>

/** List fields with no stored counterpart of the same name. */
type ListDerived = 'contactName' | 'attributions' | 'additionalEmails' | 'additionalPhones'

const present = (v: unknown) => v !== undefined && v !== null

/**
 * Shares nested values with `source` instead of cloning them: the store hands out copies
 * or frozen records, and a view is only serialised, so a deep copy per read bought nothing.
 */
function pick<K extends string>(source: Record<string, unknown>, keys: readonly K[]): Record<K, unknown> {
  const out = {} as Record<K, unknown>
  for (const k of keys) {
    const v = source[k]
    if (v !== undefined && v !== null) out[k] = v
  }
  return out
}

/** The name the API shows for a contact: its name, else first + last (undefined when it has neither). */
export function contactName(c: Pick<Contact, 'name' | 'firstName' | 'lastName'>): string | undefined {
  const full = [c.firstName, c.lastName].filter(Boolean).join(' ')
  return c.name || full || undefined
}

/** First and last attribution, as the list and search shapes report them. */
function attributionsOf(c: Contact): S['AttributionSource'][] | undefined {
  const list = [c.attributionSource, c.lastAttributionSource].filter((a): a is S['AttributionSource'] => present(a))
  return list.length ? list : undefined
}

/** GetContectByIdSchema: the single-contact shape (get, create, update, upsert, duplicate). */
export function toContact(c: Contact): ContactView {
  return pick(c as unknown as Record<string, unknown>, CONTACT_FIELDS) as unknown as ContactView
}

/**
 * Answers kept at most, ~3 KB each (the view and its JSON). The oldest goes first, not the
 * least recently used: moving a hit to the back would cost every GET a delete and a set.
 */
export const MAX_CACHED_ANSWERS = 10_000
const answers = new Map<Contact, { contact: ContactView }>()
/**
 * When each record was last asked for without a kept answer, counted in such asks. An
 * answer is kept only for a record asked for again within MAX_CACHED_ANSWERS asks, i.e.
 * one whose answer would still be kept if it had been kept the first time. A walk through
 * every contact (a connector's full sync, once or every few minutes) then keeps nothing:
 * kept answers it never asked for again had lived long enough to become old garbage, and
 * grew the heap by more than the cache holds (a walk through 100k: +330 MB RSS).
 */
const lastAsked = new WeakMap<Contact, number>()
let asks = 0

/**
 * The answer of GET /contacts/{id}, frozen and serialised once per version of a record
 * asked for again soon (see lastAsked). The store replaces a record on every write and
 * hands out frozen ones, so the record object is its own version key; a record that is
 * not frozen (not from the store) is answered afresh every time.
 */
export function contactAnswer(c: Contact): { contact: ContactView } {
  const cached = answers.get(c)
  if (cached) return cached
  const answer = { contact: toContact(c) }
  if (!Object.isFrozen(c)) return answer
  const last = lastAsked.get(c)
  lastAsked.set(c, ++asks)
  if (last === undefined || asks - last > MAX_CACHED_ANSWERS) return answer
  if (answers.size >= MAX_CACHED_ANSWERS) answers.delete(answers.keys().next().value!)
  answers.set(c, serialiseOnce(answer))
  return answer
}

/** CreateContactSchema: the answer of POST /contacts/. */
export function toCreatedContact(c: Contact): CreatedContactView {
  return pick(c as unknown as Record<string, unknown>, CREATED_FIELDS) as unknown as CreatedContactView
}

/** ContactsSearchSchema: one contact of GET /contacts/ or GET /contacts/business/{businessId}. */
export function toListContact(c: Contact): ContactListView {
  const out = pick(c as unknown as Record<string, unknown>, LIST_FIELDS) as unknown as ContactListView
  // The live API reports the lower-cased full name here (`john deo`).
  const name = c.fullNameLowerCase ?? contactName(c)?.toLowerCase()
  if (name) out.contactName = name
  const attributions = attributionsOf(c)
  if (attributions) out.attributions = attributions
  return out
}

/** SearchContactSchema: one result of POST /contacts/search, with the cursor for `searchAfter`. */
export function toSearchContact(c: Contact, searchAfter?: Array<string | number>): SearchContactView {
  const out: SearchContactView = toContact(c)
  if (c.followers) out.followers = [...c.followers]
  const attributions = attributionsOf(c)
  if (attributions) out.attributions = attributions
  if (searchAfter) out.searchAfter = [...searchAfter]
  return out
}

export interface SearchAnswer {
  contacts: SearchContactView[]
  total: number
}

/** `{"contact":` before, `}` after the contact in a GET answer's JSON. */
const CONTACT_OPENING = '{"contact":'.length

/**
 * The answer of POST /contacts/search, its JSON put together from the contacts' GET
 * answers (contactAnswer, cached per stored version): a search result is the same fields
 * followed by followers, attributions and its cursor. Serialising 20 contacts afresh took
 * most of a search's time and its garbage most of the scavenges that made the p99. The
 * views themselves are only built if something reads `contacts`; the pipeline only sends
 * the bytes.
 */
export function searchAnswer(contacts: Contact[], cursors: Array<Array<string | number>>, total: number): SearchAnswer {
  let views: SearchContactView[] | undefined
  const body: SearchAnswer = {
    get contacts() {
      return (views ??= contacts.map((c, i) => toSearchContact(c, cursors[i])))
    },
    total,
  }
  const heads: Array<string | Uint8Array> = []
  const tails: string[] = []
  let size = 0
  for (let i = 0; i < contacts.length; i++) {
    const c = contacts[i]
    const json = jsonOf(contactAnswer(c))
    // The contact's JSON without its closing brace (and the answer's): a view on the cached bytes, not a copy.
    const head = typeof json === 'string' ? json.slice(CONTACT_OPENING, -2) : json.subarray(CONTACT_OPENING, json.length - 2)
    let tail = ''
    if (c.followers) tail += `,"followers":${JSON.stringify(c.followers)}`
    const attributions = attributionsOf(c)
    if (attributions) tail += `,"attributions":${JSON.stringify(attributions)}`
    tail += `,"searchAfter":${JSON.stringify(cursors[i])}}`
    // A view with no field at all would be `{`: the cursor is then its first field, without a comma.
    if (head.length === 1) tail = tail.slice(1)
    heads.push(head)
    tails.push(tail)
    size += (typeof head === 'string' ? 3 * head.length : head.length) + 3 * tail.length + 1
  }
  const end = `],"total":${total}}`
  const out = Buffer.allocUnsafe(size + 13 + end.length)
  let at = out.write('{"contacts":[')
  for (let i = 0; i < heads.length; i++) {
    if (i) out[at++] = 0x2c // ,
    const head = heads[i]
    if (typeof head === 'string') at += out.write(head, at)
    else {
      out.set(head, at)
      at += head.length
    }
    at += out.write(tails[i], at)
  }
  at += out.write(end, at)
  return serialisedAs(body, new Uint8Array(out.buffer, out.byteOffset, at))
}
