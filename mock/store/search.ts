/**
 * POST /contacts/search semantics as pure functions over stored contacts: filters (every
 * operator, nested AND/OR groups), full-text query, sort, paging, and the cursor that
 * comes with each result (`searchAfter`: its sort values followed by its id).
 *
 * A search compiles its body once into a predicate, then runs it over every contact of
 * the location. Field values are read through a `FieldReader`; the store passes a
 * memoizing one (`createFieldReader`) so repeated searches do not lower-case and parse
 * the same values again.
 */
import type { Contact, SearchBody } from './types.ts'
import { phoneKey } from './normalize.ts'

/** Standard paging (`page` × `pageLimit`) reaches at most this many records; deeper needs `searchAfter`. */
export const MAX_STANDARD_PAGING = 10_000

export type Key = string | number
/** A field's values, normalized for comparison: strings lower-cased, dates as epoch ms, empty values dropped. */
export type Normalized = Array<string | number | boolean>
export type FieldReader = (contact: Contact, field: string) => Normalized

export interface SortSpec {
  field: string
  direction: 'asc' | 'desc'
}

type Filter = { field: string; operator: string; value?: unknown }
type Group = { group: 'AND' | 'OR'; filters: Array<Filter | Group> }
type Predicate = (contact: Contact) => boolean

export const DEFAULT_SORT: SortSpec[] = [{ field: 'dateAdded', direction: 'desc' }]
/** The live API sorts by at most two fields. */
export const MAX_SORT_FIELDS = 2

const DATE_FIELDS = new Set(['dateAdded', 'dateUpdated', 'dateOfBirth', 'lastActivity'])
/** Pseudo-field the reader uses for the full-text query's haystack. */
const QUERY_FIELD = '\u0000query'

/** Reads a raw field: `customFields.<id>` (or `customField.<id>`) is a custom field's value, `a.b` walks objects. */
export function readRaw(contact: Contact, field: string): unknown {
  // Most fields are plain names: no pattern match or split for them (sorting 100k contacts reads 100k of them).
  if (!field.includes('.')) return ownValue(contact, field)
  const custom = /^customFields?\.(.+)$/.exec(field)
  if (custom) return contact.customFields?.find((f) => f.id === custom[1])?.value
  let node: unknown = contact
  for (const part of field.split('.')) node = ownValue(node, part)
  return node
}

/**
 * A field name comes from the request: only a record's own data counts, so `constructor`,
 * `__proto__` or `toString` read as missing instead of reaching the prototype, and arrays
 * expose their elements only (not `length`).
 */
function ownValue(node: unknown, key: string): unknown {
  if (!node || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined
  if (Array.isArray(node) && !/^\d+$/.test(key)) return undefined
  return (node as Record<string, unknown>)[key]
}

function normalizeOne(field: string, v: unknown): string | number | boolean | undefined {
  if (v === null || v === undefined || v === '') return undefined
  if (isDateField(field) && (typeof v === 'string' || typeof v === 'number')) {
    const ms = typeof v === 'number' ? v : Date.parse(v)
    return Number.isNaN(ms) ? String(v).toLowerCase() : ms
  }
  if (typeof v === 'string') return v.toLowerCase()
  if (typeof v === 'number' || typeof v === 'boolean') return v
  return JSON.stringify(v).toLowerCase()
}

function isDateField(field: string) {
  return DATE_FIELDS.has(field)
}

/** A field's values as a list, so array fields (tags, followers) and scalars read alike. */
export function readNormalized(contact: Contact, field: string): Normalized {
  if (field === QUERY_FIELD) return [queryHaystack(contact), phoneKey(contact.phone)]
  const raw = readRaw(contact, field)
  const out: Normalized = []
  for (const v of Array.isArray(raw) ? raw : [raw]) {
    const n = normalizeOne(field, v)
    if (n !== undefined) out.push(n)
  }
  return out
}

/**
 * A reader that remembers each contact's normalized values. Keyed by the contact object:
 * the store replaces a contact object on every write instead of changing it, so an entry
 * can never be stale, and entries of replaced contacts are garbage-collected.
 */
export function createFieldReader(): FieldReader {
  const cache = new WeakMap<Contact, Map<string, Normalized>>()
  return (contact, field) => {
    let fields = cache.get(contact)
    if (!fields) cache.set(contact, (fields = new Map()))
    let values = fields.get(field)
    if (!values) fields.set(field, (values = readNormalized(contact, field)))
    return values
  }
}

/** What the full-text query looks in, part by part, lower-cased: name, email, phone, company. */
export function queryTexts(c: Contact): string[] {
  const parts: string[] = []
  for (const v of [c.fullNameLowerCase ?? c.name, c.emailLowerCase ?? c.email, c.phone, c.companyName])
    if (typeof v === 'string' && v !== '') parts.push(v.toLowerCase())
  return parts
}

function queryHaystack(c: Contact): string {
  return queryTexts(c).join('\u0000')
}

/** A query as the search applies it: lower-cased, and its digits when it reads as a phone number (3+ digits, phone punctuation only). */
export function parseQuery(query: string): { text: string; digits?: string } {
  const text = query.toLowerCase()
  const digits = text.replace(/\D/g, '')
  return digits.length >= 3 && /^[\d\s()+.-]+$/.test(text) ? { text, digits } : { text }
}

/** The text a contains/not_contains filter looks for. */
export const containsNeedle = (value: unknown) => String(value ?? '').toLowerCase()

/** Full text: case-insensitive substring of name, email, phone or company; a query of 3+ digits also matches phones by digits. */
export function compileQuery(query: string | undefined, read: FieldReader = readNormalized): Predicate | undefined {
  if (!query) return undefined
  const { text, digits } = parseQuery(query)
  return (c) => {
    const [hay, phone] = read(c, QUERY_FIELD) as [string, string]
    return hay.includes(text) || (digits !== undefined && phone.includes(digits))
  }
}

export function matchQuery(contact: Contact, query: string | undefined): boolean {
  return compileQuery(query)?.(contact) ?? true
}

/** Numbers compare as numbers even when stored as text (custom field values are strings). */
function compareLoose(a: string | number | boolean, b: string | number | boolean): number {
  const na = toNumber(a)
  const nb = toNumber(b)
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb
  const sa = String(a)
  const sb = String(b)
  return sa < sb ? -1 : sa > sb ? 1 : 0
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/

function toNumber(v: string | number | boolean): number {
  if (typeof v === 'number') return v
  if (typeof v !== 'string' || v.trim() === '') return NaN
  // Dates kept as text (DATE custom fields) compare with ms bounds as dates.
  return ISO_DATE.test(v) ? Date.parse(v) : Number(v)
}

const RANGE_CHECKS: Array<[string, (c: number) => boolean]> = [
  ['gte', (c) => c >= 0],
  ['lte', (c) => c <= 0],
  ['gt', (c) => c > 0],
  ['lt', (c) => c < 0],
]

/** The text keys an eq/not_eq filter matches: the scan and the indexes (indexes/fields.ts) both use it, so they cannot disagree. */
export function eqKeys(field: string, value: unknown): Set<string> {
  return new Set(
    (Array.isArray(value) ? value : [value])
      .map((v) => normalizeOne(field, v))
      .filter((v) => v !== undefined)
      .map(String),
  )
}

function compileFilter(f: Filter, read: FieldReader): Predicate {
  const field = f.field
  switch (f.operator) {
    case 'exists':
      return (c) => read(c, field).length > 0
    case 'not_exists':
      return (c) => read(c, field).length === 0
    case 'eq':
    case 'not_eq': {
      // Compared as text so 150 matches "150" and true matches "true"; an array value means "any of".
      const wanted = eqKeys(field, f.value)
      const hit = (c: Contact) => read(c, field).some((v) => wanted.has(String(v)))
      return f.operator === 'eq' ? hit : (c) => !hit(c)
    }
    case 'contains':
    case 'not_contains': {
      const needle = containsNeedle(f.value)
      const hit = (c: Contact) => read(c, field).some((v) => String(v).includes(needle))
      return f.operator === 'contains' ? hit : (c) => !hit(c)
    }
    case 'range': {
      const r = (f.value ?? {}) as Record<string, unknown>
      const bounds = RANGE_CHECKS.flatMap(([k, ok]) => {
        const b = normalizeOne(field, r[k])
        return b === undefined ? [] : [{ b, ok }]
      })
      return (c) => read(c, field).some((v) => bounds.every(({ b, ok }) => ok(compareLoose(v, b))))
    }
    default:
      return () => false
  }
}

function compileItem(item: Filter | Group, read: FieldReader): Predicate {
  if ('group' in item) {
    const parts = (item.filters ?? []).map((f) => compileItem(f, read))
    return item.group === 'OR' ? (c) => parts.some((p) => p(c)) : (c) => parts.every((p) => p(c))
  }
  return compileFilter(item, read)
}

/** The body's filters (AND-ed at the top level) and query as one predicate. */
export function compileSearch(body: Pick<SearchBody, 'filters' | 'query'>, read: FieldReader = readNormalized): Predicate {
  const parts = ((body.filters ?? []) as Array<Filter | Group>).map((f) => compileItem(f, read))
  const query = compileQuery(body.query, read)
  if (query) parts.unshift(query)
  if (parts.length === 0) return () => true
  if (parts.length === 1) return parts[0]
  return (c) => parts.every((p) => p(c))
}

export function matches(contact: Contact, body: Pick<SearchBody, 'filters' | 'query'>): boolean {
  return compileSearch(body)(contact)
}

/** The body's sort, or the default (newest first), capped at MAX_SORT_FIELDS. */
export function sortOf(body: Pick<SearchBody, 'sort'>): SortSpec[] {
  const sort = (body.sort ?? []) as SortSpec[]
  return sort.length ? sort.slice(0, MAX_SORT_FIELDS).map((s) => ({ field: s.field, direction: s.direction === 'desc' ? 'desc' : 'asc' })) : DEFAULT_SORT
}

/** The cursor of a contact under a sort: its sort values, then its id as the tiebreaker. */
export function sortKey(contact: Contact, sort: SortSpec[], read: FieldReader = readNormalized): Key[] {
  return [...sort.map((s) => sortValue(read(contact, s.field))), contact.id]
}

function sortValue(values: Normalized): Key {
  // Missing values sort as '' (first ascending); an array sorts by its first element.
  const v = values[0]
  return v === undefined ? '' : typeof v === 'boolean' ? Number(v) : v
}

/**
 * A client's searchAfter as comparable keys: dates may come back as ISO strings, strings
 * in any case. Values are taken as they are otherwise, so cursors we issued compare exactly.
 */
export function cursorOf(after: Array<string | number>, sort: SortSpec[]): Key[] {
  return after.map((v, i) => {
    if (i >= sort.length) return v
    const n = normalizeOne(sort[i].field, v)
    return n === undefined ? '' : typeof n === 'boolean' ? Number(n) : n
  })
}

export function compareValue(a: Key, b: Key): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0
  // Missing values ('') first, then numbers, then other text: a stable total order across types.
  if (a === '') return -1
  if (b === '') return 1
  return typeof a === 'number' ? -1 : 1
}

/** Orders keys under a sort; a shorter key (a partial cursor) compares equal on its prefix. */
export function compareKeys(a: Key[], b: Key[], sort: SortSpec[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const dir = i < sort.length && sort[i].direction === 'desc' ? -1 : 1
    const c = compareValue(a[i], b[i]) * dir
    if (c !== 0) return c
  }
  return 0
}

/** Index of the first entry strictly after `cursor` in a list sorted by `sort` (binary search). */
export function indexAfter<T extends { key: Key[] }>(sorted: T[], cursor: Key[], sort: SortSpec[]): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareKeys(sorted[mid].key, cursor, sort) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * One page of sorted hits: after the cursor when `searchAfter` is given, else standard
 * paging, which stops at MAX_STANDARD_PAGING records (a page beyond it is empty).
 */
export function pageOf<T extends { key: Key[] }>(hits: T[], body: Pick<SearchBody, 'page' | 'pageLimit' | 'searchAfter'>, sort: SortSpec[]): T[] {
  const limit = Math.max(0, body.pageLimit)
  if (body.searchAfter?.length) {
    const from = indexAfter(hits, cursorOf(body.searchAfter as Array<string | number>, sort), sort)
    return hits.slice(from, from + limit)
  }
  const from = (Math.max(1, body.page ?? 1) - 1) * limit
  if (from >= MAX_STANDARD_PAGING) return []
  return hits.slice(from, Math.min(from + limit, MAX_STANDARD_PAGING))
}

/**
 * pageOf over the entries of `sorted` whose index passes `hit`, without listing every hit
 * first: a walk from the cursor (or the start) that stops once the page is full.
 */
export function pageWhere<T extends { key: Key[] }>(
  sorted: T[],
  hit: (index: number) => boolean,
  body: Pick<SearchBody, 'page' | 'pageLimit' | 'searchAfter'>,
  sort: SortSpec[],
): T[] {
  const limit = Math.max(0, body.pageLimit)
  let from = 0
  let skip = 0
  let take = limit
  if (body.searchAfter?.length) from = indexAfter(sorted, cursorOf(body.searchAfter as Array<string | number>, sort), sort)
  else {
    skip = (Math.max(1, body.page ?? 1) - 1) * limit
    if (skip >= MAX_STANDARD_PAGING) return []
    take = Math.min(limit, MAX_STANDARD_PAGING - skip)
  }
  const out: T[] = []
  for (let i = from; i < sorted.length && out.length < take; i++) {
    if (!hit(i)) continue
    if (skip > 0) skip--
    else out.push(sorted[i])
  }
  return out
}
