/**
 * Sorted views of each location's contacts, one per sort order in use, each entry carrying
 * its cursor key. Sorting 5,000 contacts costs ~15 ms, far more than filtering them, so a
 * view is built once and then kept in order on every write (a binary search and a splice)
 * instead of being rebuilt on the next search.
 */
import { compareValue, indexAfter, sortKey, type FieldReader, type Key, type SortSpec } from './search.ts'
import type { Contact } from './types.ts'

export interface Entry {
  c: Contact
  key: Key[]
}

/** A sorted view. Do not modify it. */
export interface View {
  list: Entry[]
  /**
   * list[i]'s slot in its location's bitsets (indexes/fields.ts) at slots[i]: a page walk
   * tests bits down one flat array (entry objects lie all over the heap: walking 100k of
   * them for a rare match took ~6 ms, the flat array a tenth of that).
   */
  slots: Int32Array
}

export interface Orders {
  /** The location's contacts under `sort`, built from `all()` the first time. */
  get(locationId: string, sort: SortSpec[], all: () => Contact[]): View
  /** A contact was created (old undefined), replaced, or deleted (next undefined). */
  change(locationId: string, old: Contact | undefined, next: Contact | undefined): void
  clear(): void
}

/** A client can ask for any sort fields; only the most recently built views are kept. */
const MAX_VIEWS_PER_LOCATION = 8

/** `slotOf` gives a contact's bitset slot; it must be assigned before change() adds the contact. */
export function createOrders(read: () => FieldReader, slotOf: (c: Contact) => number): Orders {
  const views = new Map<string, Map<string, View & { sort: SortSpec[] }>>()

  return {
    get(locationId, sort, all) {
      let bySort = views.get(locationId)
      if (!bySort) views.set(locationId, (bySort = new Map()))
      const id = JSON.stringify(sort)
      let view = bySort.get(id)
      if (!view) {
        const list = all().map((c) => ({ c, key: sortKey(c, sort, read()) }))
        // compareKeys with the directions looked up once: a view of 100k contacts takes ~1.7M comparisons.
        const dirs = sort.map((s) => (s.direction === 'desc' ? -1 : 1))
        const byId = (x: Entry, y: Entry) => (x.c.id < y.c.id ? -1 : x.c.id > y.c.id ? 1 : 0)
        if (sort.length === 1 && list.every((e) => typeof e.key[0] === 'number')) {
          // One numeric field (the dates of the default orders): numbers, then the id; the same order, several times faster.
          const dir = dirs[0]
          list.sort((x, y) => ((x.key[0] as number) - (y.key[0] as number)) * dir || byId(x, y))
        } else
          list.sort((x, y) => {
            for (let i = 0; i < x.key.length; i++) {
              const a = x.key[i]
              const b = y.key[i]
              if (a !== b) return i < dirs.length ? compareValue(a, b) * dirs[i] : compareValue(a, b)
            }
            return 0
          })
        if (bySort.size >= MAX_VIEWS_PER_LOCATION) bySort.delete(bySort.keys().next().value!)
        const slots = new Int32Array(Math.max(1024, list.length + (list.length >>> 3)))
        for (let i = 0; i < list.length; i++) slots[i] = slotOf(list[i].c)
        bySort.set(id, (view = { sort, list, slots }))
      }
      return view
    },
    change(locationId, old, next) {
      const bySort = views.get(locationId)
      if (!bySort) return
      for (const [id, view] of bySort) {
        const { sort, list } = view
        if (old) {
          // Keys end with the unique id, so the old entry sits just before the first key after it.
          const at = indexAfter(list, sortKey(old, sort, read()), sort) - 1
          if (at < 0 || list[at].c.id !== old.id) {
            bySort.delete(id) // out of step somehow: rebuild on next use rather than serve a wrong order
            continue
          }
          view.slots.copyWithin(at, at + 1, list.length)
          list.splice(at, 1)
        }
        if (next) {
          const key = sortKey(next, sort, read())
          const at = indexAfter(list, key, sort)
          if (list.length >= view.slots.length) {
            const grown = new Int32Array(view.slots.length * 2)
            grown.set(view.slots)
            view.slots = grown
          }
          view.slots.copyWithin(at + 1, at, list.length)
          view.slots[at] = slotOf(next)
          list.splice(at, 0, { c: next, key })
        }
      }
    },
    clear() {
      views.clear()
    },
  }
}
