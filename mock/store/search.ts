/**
 * POST /contacts/search semantics as pure functions over stored contacts: filters (every
 * operator, nested AND/OR groups), full-text query, sort, and the cursor that comes with
 * each result (`searchAfter`: its sort values followed by its id).
 */
import type { Contact, SearchBody } from './types.ts'

export const MAX_STANDARD_PAGING = 10_000

type Filter = { field: string; operator: string; value?: unknown }
type Group = { group: 'AND' | 'OR'; filters: Array<Filter | Group> }
type Primitive = string | number | boolean | undefined
type Key = string | number

const DATE_FIELDS = new Set(['dateAdded', 'dateUpdated', 'dateOfBirth', 'lastActivity'])

/** A contact's value for a filter or sort field; `customFields.<id>` (or `customField.<id>`) reads a custom field. */
export function readField(contact: Contact, field: string): unknown {
  let path = paths.get(field)
  if (!path) {
    const custom = /^customFields?\.(.+)$/.exec(field)
    paths.set(field, (path = custom ? { custom: custom[1] } : { parts: field.split('.') }))
  }
  if ('custom' in path) return contact.customFields?.find((f) => f.id === path.custom)?.value
  let node: unknown = contact
  for (const part of path.parts) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined
  return node
}

// Field names parsed once: searches run the same few fields over thousands of contacts.
const paths = new Map<string, { custom: string } | { parts: string[] }>()
const wantedOf = new WeakMap<Filter, Primitive[]>()

function normalize(field: string, v: unknown): Primitive {
  if (v === null || v === undefined || v === '') return undefined
  if (DATE_FIELDS.has(field)) {
    const ms = typeof v === 'number' ? v : Date.parse(String(v))
    return Number.isNaN(ms) ? String(v).toLowerCase() : ms
  }
  if (typeof v === 'string') return v.toLowerCase()
  if (typeof v === 'number' || typeof v === 'boolean') return v
  return String(v).toLowerCase()
}

function isEmpty(v: unknown) {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
}

/** Values of a field as a list, so array fields (tags, followers) and scalars read alike. */
function valuesOf(contact: Contact, field: string): Primitive[] {
  const raw = readField(contact, field)
  return (Array.isArray(raw) ? raw : [raw]).map((v) => normalize(field, v)).filter((v) => v !== undefined)
}

function matchFilter(contact: Contact, f: Filter): boolean {
  const values = valuesOf(contact, f.field)
  switch (f.operator) {
    case 'exists':
      return !isEmpty(readField(contact, f.field))
    case 'not_exists':
      return isEmpty(readField(contact, f.field))
    case 'eq':
    case 'not_eq': {
      let wanted = wantedOf.get(f)
      if (!wanted) wantedOf.set(f, (wanted = (Array.isArray(f.value) ? f.value : [f.value]).map((v) => normalize(f.field, v))))
      const hit = values.some((v) => wanted.includes(v) || (typeof v === 'number' && wanted.includes(String(v))))
      return f.operator === 'eq' ? hit : !hit
    }
    case 'contains':
    case 'not_contains': {
      const needle = String(f.value ?? '').toLowerCase()
      const hit = values.some((v) => String(v).includes(needle))
      return f.operator === 'contains' ? hit : !hit
    }
    case 'range': {
      const r = (f.value ?? {}) as Record<string, unknown>
      const checks: Array<[string, (c: number) => boolean]> = [
        ['gte', (c) => c >= 0],
        ['lte', (c) => c <= 0],
        ['gt', (c) => c > 0],
        ['lt', (c) => c < 0],
      ]
      return values.some((v) =>
        checks.every(([k, ok]) => r[k] === undefined || ok(compareLoose(v, normalize(f.field, r[k])))),
      )
    }
    default:
      return false
  }
}

/** Numbers compare as numbers even when stored as text (custom field values are strings). */
function compareLoose(a: Primitive, b: Primitive): number {
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : NaN
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : NaN
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb
  const sa = String(a)
  const sb = String(b)
  return sa < sb ? -1 : sa > sb ? 1 : 0
}

function matchAny(contact: Contact, item: Filter | Group): boolean {
  if ('group' in item) {
    return item.group === 'OR' ? item.filters.some((f) => matchAny(contact, f)) : item.filters.every((f) => matchAny(contact, f))
  }
  return matchFilter(contact, item)
}

const QUERY_FIELDS = ['fullNameLowerCase', 'emailLowerCase', 'phone', 'companyName'] as const

/** Case-insensitive substring over name, email, phone and company. */
export function matchQuery(contact: Contact, query: string | undefined): boolean {
  if (!query) return true
  const q = query.toLowerCase()
  const digits = q.replace(/\D/g, '')
  return QUERY_FIELDS.some((k) => {
    const v = contact[k]
    if (typeof v !== 'string') return false
    if (k === 'phone' && digits.length >= 3) return v.replace(/\D/g, '').includes(digits)
    return v.toLowerCase().includes(q)
  })
}

export function matches(contact: Contact, body: Pick<SearchBody, 'filters' | 'query'>): boolean {
  return matchQuery(contact, body.query) && ((body.filters ?? []) as Array<Filter | Group>).every((f) => matchAny(contact, f))
}

export interface SortSpec {
  field: string
  direction: 'asc' | 'desc'
}

export const DEFAULT_SORT: SortSpec[] = [{ field: 'dateAdded', direction: 'desc' }]

/** The cursor of a contact under a sort: its sort values, then its id as the tiebreaker. */
export function sortKey(contact: Contact, sort: SortSpec[]): Key[] {
  return [...sort.map((s) => sortValue(contact, s.field)), contact.id]
}

function sortValue(contact: Contact, field: string): Key {
  const v = normalize(field, readField(contact, field))
  // Missing values sort as '' (first ascending); numbers and strings keep their own order.
  return v === undefined ? '' : typeof v === 'boolean' ? Number(v) : v
}

function compareValue(a: Key, b: Key): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0
  return typeof a === 'number' ? 1 : -1
}

export function compareKeys(a: Key[], b: Key[], sort: SortSpec[]): number {
  for (let i = 0; i < a.length; i++) {
    const dir = i < sort.length && sort[i].direction === 'desc' ? -1 : 1
    const c = compareValue(a[i], b[i]) * dir
    if (c !== 0) return c
  }
  return 0
}
