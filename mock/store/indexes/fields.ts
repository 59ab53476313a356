/**
 * Inverted indexes for search filters, per location: for each field a search has used,
 * the contacts holding each normalized value and the contacts where it exists, as
 * bitsets over the location's contact slots. Built on a field's first use, then kept up
 * to date on every write (change()), like the sorted views of orders.ts.
 *
 * `exists`, `not_exists`, `eq` and `not_eq` filters (and AND/OR groups of them) become
 * bitsets; so do `contains`, `not_contains` and the full-text query, through text indexes
 * (text.ts) over the field's values or the query's haystack. What is left (range, eq on a
 * field with too many distinct values to index) goes to the scan, which then only visits
 * the candidates.
 * Values are read and compared by search.ts's own reader and eqKeys, so an indexed
 * answer is the scan's answer.
 */
import { and, andNot, clearBit, or, setBit, type Bits } from './bitset.ts'
import { createTextIndex, type TextIndex } from './text.ts'
import { containsNeedle, eqKeys, parseQuery, queryTexts, type FieldReader } from '../search.ts'
import { phoneKey } from '../normalize.ts'
import type { Contact } from '../types.ts'

type Filter = { field: string; operator: string; value?: unknown }
type Group = { group: 'AND' | 'OR'; filters: Array<Filter | Group> }
export type FilterItem = Filter | Group

/** A field with more distinct values (emails, names, ids) is not indexed: its postings would outweigh the scan. */
const MAX_VALUES = 256

interface FieldIndex {
  values: Map<string, Bits>
  exists: Bits
}

interface LocationIndex {
  slots: Map<string, number>
  free: number[]
  next: number
  live: Bits
  /** null: not indexable (too many distinct values). */
  fields: Map<string, FieldIndex | null>
  /** Text indexes by source: a field name, or QUERY_TEXT / QUERY_DIGITS. */
  texts: Map<string, TextIndex>
}

/** Sources that are no field name (a NUL can't come from a request's field). */
const QUERY_TEXT = '\u0000query'
const QUERY_DIGITS = '\u0000digits'

export interface Plan {
  /** Contacts that pass the indexed filters (undefined: no filter was indexed). */
  bits?: Bits
  /** What the index could not answer; the scan applies it to the candidates. */
  rest: FilterItem[]
}

export interface FieldIndexes {
  /** The contact's slot in its location's bitsets. */
  slotOf(locationId: string, contactId: string): number | undefined
  /** The location's contact ids, in creation order (the store keeps no other list of them). */
  idsOf(locationId: string): Iterable<string>
  /** Splits the body's top-level filters (AND-ed) into an indexed part and the rest. */
  plan(locationId: string, filters: FilterItem[], all: () => Contact[]): Plan
  /** The contacts a full-text query matches (search.ts compileQuery's answer). */
  query(locationId: string, query: string, all: () => Contact[]): Bits
  /** Every contact of the location. */
  live(locationId: string): Bits
  /** A contact was created (old undefined), replaced, or deleted (next undefined). */
  change(locationId: string, old: Contact | undefined, next: Contact | undefined): void
  /** Contacts created at once (a seed): change(locationId, undefined, c) for each, in one pass. */
  addAll(locationId: string, contacts: readonly Contact[]): void
  clear(): void
}

export function createFieldIndexes(read: () => FieldReader): FieldIndexes {
  const locations = new Map<string, LocationIndex>()

  function locationOf(id: string): LocationIndex {
    let loc = locations.get(id)
    if (!loc) locations.set(id, (loc = { slots: new Map(), free: [], next: 0, live: new Uint32Array(0), fields: new Map(), texts: new Map() }))
    return loc
  }

  function textValues(c: Contact, source: string): string[] {
    if (source === QUERY_TEXT) return queryTexts(c)
    if (source === QUERY_DIGITS) {
      const digits = phoneKey(c.phone)
      return digits ? [digits] : []
    }
    return read()(c, source).map(String)
  }

  /** The source's text index, built over the location's contacts on first use. */
  function textOf(loc: LocationIndex, source: string, all: () => Contact[]): TextIndex {
    let index = loc.texts.get(source)
    if (!index) {
      index = createTextIndex()
      for (const c of all()) index.add(loc.slots.get(c.id)!, textValues(c, source))
      loc.texts.set(source, index)
    }
    return index
  }

  /** Adds (or removes) a contact's values to one field's postings; false when the field grew past MAX_VALUES. */
  function post(index: FieldIndex, c: Contact, field: string, slot: number, add: boolean): boolean {
    const values = read()(c, field)
    if (add) {
      if (values.length) index.exists = setBit(index.exists, slot)
      for (const v of values) {
        const key = String(v)
        const bits = index.values.get(key)
        if (!bits && index.values.size >= MAX_VALUES) return false
        index.values.set(key, setBit(bits ?? new Uint32Array(0), slot))
      }
    } else {
      clearBit(index.exists, slot)
      for (const v of values) {
        const bits = index.values.get(String(v))
        if (bits) clearBit(bits, slot)
      }
    }
    return true
  }

  /** The field's index, built over the location's contacts on first use; undefined when it cannot be indexed. */
  function fieldOf(loc: LocationIndex, field: string, all: () => Contact[]): FieldIndex | undefined {
    const known = loc.fields.get(field)
    if (known !== undefined) return known ?? undefined
    const index: FieldIndex = { values: new Map(), exists: new Uint32Array(0) }
    for (const c of all()) {
      if (!post(index, c, field, loc.slots.get(c.id)!, true)) {
        loc.fields.set(field, null)
        return undefined
      }
    }
    loc.fields.set(field, index)
    return index
  }

  function bitsOf(loc: LocationIndex, item: FilterItem, all: () => Contact[]): Bits | undefined {
    if ('group' in item) {
      const parts: Bits[] = []
      for (const f of item.filters ?? []) {
        const b = bitsOf(loc, f, all)
        if (!b) return undefined
        parts.push(b)
      }
      // An empty AND matches everything, an empty OR nothing (as the scan's every/some).
      if (parts.length === 0) return item.group === 'OR' ? new Uint32Array(0) : loc.live
      return parts.reduce(item.group === 'OR' ? or : and)
    }
    if (item.operator === 'contains' || item.operator === 'not_contains') {
      const hit = textOf(loc, item.field, all).matching(containsNeedle(item.value))
      return item.operator === 'contains' ? hit : andNot(loc.live, hit)
    }
    if (!['exists', 'not_exists', 'eq', 'not_eq'].includes(item.operator)) return undefined
    const index = fieldOf(loc, item.field, all)
    if (!index) return undefined
    switch (item.operator) {
      case 'exists':
        return index.exists
      case 'not_exists':
        return andNot(loc.live, index.exists)
      default: {
        // One value (the usual case) answers with the index's own bits, not a 12 KB copy per search at 100k.
        let hit: Bits | undefined
        for (const key of eqKeys(item.field, item.value)) {
          const bits = index.values.get(key)
          if (bits) hit = hit ? or(hit, bits) : bits
        }
        hit ??= new Uint32Array(0)
        return item.operator === 'eq' ? hit : andNot(loc.live, hit)
      }
    }
  }

  function change(locationId: string, old: Contact | undefined, next: Contact | undefined): void {
    const loc = locationOf(locationId)
    const id = (next ?? old)!.id
    let slot = loc.slots.get(id)
    if (old && slot !== undefined) {
      for (const [field, index] of loc.fields) if (index) post(index, old, field, slot, false)
      for (const index of loc.texts.values()) index.remove(slot)
    }
    if (!next) {
      if (slot !== undefined) {
        clearBit(loc.live, slot)
        loc.slots.delete(id)
        loc.free.push(slot)
      }
      return
    }
    if (slot === undefined) {
      slot = loc.free.pop() ?? loc.next++
      loc.slots.set(id, slot)
    }
    loc.live = setBit(loc.live, slot)
    for (const [field, index] of loc.fields) {
      if (index && !post(index, next, field, slot, true)) loc.fields.set(field, null)
    }
    for (const [source, index] of loc.texts) index.add(slot, textValues(next, source))
  }

  return {
    slotOf: (locationId, contactId) => locations.get(locationId)?.slots.get(contactId),
    idsOf: (locationId) => locations.get(locationId)?.slots.keys() ?? [],
    plan(locationId, filters, all) {
      const loc = locationOf(locationId)
      let bits: Bits | undefined
      const rest: FilterItem[] = []
      for (const item of filters) {
        const b = bitsOf(loc, item, all)
        if (!b) rest.push(item)
        else bits = bits ? and(bits, b) : b
      }
      return { bits, rest }
    },
    query(locationId, query, all) {
      const loc = locationOf(locationId)
      const { text, digits } = parseQuery(query)
      // The scan looks in the parts joined by NUL: a query with a NUL could span two parts.
      if (text.includes('\u0000')) {
        let bits: Bits = new Uint32Array(0)
        const hay = (c: Contact) => queryTexts(c).join('\u0000')
        for (const c of all())
          if (hay(c).includes(text) || (digits !== undefined && phoneKey(c.phone).includes(digits))) bits = setBit(bits, loc.slots.get(c.id)!)
        return bits
      }
      const hit = textOf(loc, QUERY_TEXT, all).matching(text)
      return digits === undefined ? hit : or(hit, textOf(loc, QUERY_DIGITS, all).matching(digits))
    },
    live: (locationId) => locationOf(locationId).live,
    change,
    addAll(locationId, contacts) {
      const loc = locationOf(locationId)
      if (loc.next > 0 || loc.fields.size > 0 || loc.texts.size > 0) {
        for (const c of contacts) change(locationId, undefined, c)
        return
      }
      // A fresh location: slots 0..n-1 in order, all live, and no index to post to yet.
      for (let i = 0; i < contacts.length; i++) loc.slots.set(contacts[i].id, i)
      loc.next = contacts.length
      loc.live = new Uint32Array((contacts.length + 31) >>> 5)
      loc.live.fill(0xffffffff, 0, contacts.length >>> 5)
      if (contacts.length & 31) loc.live[contacts.length >>> 5] = (1 << (contacts.length & 31)) - 1
    },
    clear() {
      locations.clear()
    },
  }
}
