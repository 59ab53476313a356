/**
 * The in-memory Store: contacts partitioned by location, with the indexes searches and
 * duplicate checks need (email and phone per location; sorted views per location and
 * sort order, kept in order on writes by orders.ts). Returns copies or frozen records, so
 * callers can't change state behind its back; every write emits one change event.
 *
 * Ids of records created at run time come from the store's own stream,
 * `createRng(`${seed}:runtime`)`, restarted by reset(), never a shared rng: that would
 * make the ids after a reset depend on what else drew from it before.
 */
import type { Clock } from '../clock.ts'
import { createRng, type Rng } from '../rng.ts'
import { createSeeder, type Children, type SeededWorld, type Seeder } from '../seed/generate.ts'
import { createOrders, type Entry } from './orders.ts'
import { createFieldIndexes, type FilterItem } from './indexes/fields.ts'
import { and, count, hasBit } from './indexes/bitset.ts'
import { emailKey, phoneKey } from './normalize.ts'
import {
  MAX_STANDARD_PAGING,
  compileQuery,
  compileSearch,
  createFieldReader,
  indexAfter,
  readNormalized,
  pageOf,
  pageWhere,
  sortOf,
  type Key,
  type SortSpec,
} from './search.ts'
import type { Appointment, ChangeEvent, Contact, ContactInput, Location, Note, SearchBody, SeedOptions, Store, StoreData, Task } from './types.ts'
import { frozen } from './frozen.ts'

export { MAX_STANDARD_PAGING }

/** GET /contacts/ order: oldest first, then id. */
const LIST_ORDER: SortSpec[] = [{ field: 'dateAdded', direction: 'asc' }]

/**
 * Deep copy of plain JSON-like records, several times faster than structuredClone (which
 * dominated search time at 500 results a page); anything that is not a plain object or
 * array still goes through structuredClone.
 */
function copy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(copy) as T
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) return structuredClone(v)
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k])
  return out as T
}

/** Lower-case copies and the full name, recomputed on every write so they never drift from the source fields. */
function withDerived(c: Contact): Contact {
  const first = c.firstName ?? ''
  const last = c.lastName ?? ''
  const full = [first, last].filter(Boolean).join(' ') || (c.name ?? '')
  return {
    ...c,
    name: full || undefined,
    firstNameLowerCase: first ? first.toLowerCase() : undefined,
    lastNameLowerCase: last ? last.toLowerCase() : undefined,
    fullNameLowerCase: full ? full.toLowerCase() : undefined,
    emailLowerCase: c.email ? emailKey(c.email) : undefined,
    tags: [...new Set(c.tags ?? [])],
  }
}

function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k]
  return o
}

const dateMs = (iso: string | undefined): Key => {
  const ms = iso ? Date.parse(iso) : NaN
  return Number.isNaN(ms) ? '' : ms
}

/** Which webhook an update is: a tags-only or DND-only change has its own event type. */
function updateType(old: Contact, next: Contact, patch: ContactInput): 'ContactUpdate' | 'ContactTagUpdate' | 'ContactDndUpdate' {
  const changed = (Object.keys(patch) as Array<keyof ContactInput>).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(next[k]))
  if (changed.length === 0) return 'ContactUpdate'
  if (changed.every((k) => k === 'tags')) return 'ContactTagUpdate'
  if (changed.every((k) => k === 'dnd' || k === 'dndSettings')) return 'ContactDndUpdate'
  return 'ContactUpdate'
}

/** One contact id, or several. */
type Ids = string | Set<string>

export function createMemoryStore(deps: {
  clock: Clock
  seed: SeedOptions
  seeder?: Seeder
  onSeedProgress?: (contacts: number, total: number) => void
}): Store {
  const seeder = deps.seeder ?? createSeeder()
  const listeners = new Set<(e: ChangeEvent) => void>()
  let rng: Rng
  let locations = new Map<string, Location>()
  let contacts = new Map<string, Contact>()
  /**
   * locationId → lower-cased email → contact id, or ids when duplicates exist (a location
   * may allow them); a lone id is kept as itself, since a Set each would weigh more than
   * the contacts' emails.
   */
  let emails = new Map<string, Map<string, Ids>>()
  /** locationId → phone digits → contact id(s). */
  let phones = new Map<string, Map<string, Ids>>()
  /**
   * contactId → its tasks (notes), in creation order: a list each, a contact has a handful (a Map
   * each cost ~30 MB at 100k contacts). Only lists that were written are here: a seeded
   * contact's others are drawn from the seed when read (seeded.childrenOf), and appointments
   * are never written, so always drawn.
   */
  let tasks = new Map<string, Task[]>()
  let notes = new Map<string, Note[]>()
  /** Appointments of a loaded state file (seeded ones are drawn from the seed). */
  let appointments = new Map<string, Appointment[]>()
  let seeded: SeededWorld | undefined
  /** Seeded contact id → its index in seeded.contacts; made when a seeded list is first read. */
  let seedIndex: Map<string, number> | undefined
  /** Normalized field values per contact object; a write replaces the object, so entries never go stale. */
  let read = createFieldReader()
  // Views and indexes read each record once and keep what they need (reading is pure: records
  // are never changed in place); the memoizing reader is for scans, which read again and again.
  // Memoizing for them too kept a map per contact alive: tens of MB at 100k contacts.
  const fieldIndexes = createFieldIndexes(() => readNormalized)
  const orders = createOrders(
    () => readNormalized,
    (c) => fieldIndexes.slotOf(c.locationId, c.id)!,
  )

  const now = () => new Date(deps.clock.now()).toISOString()
  const emit = (e: ChangeEvent) => {
    for (const l of listeners) l(copy(e))
  }

  function indexOf(map: Map<string, Map<string, Ids>>, loc: string) {
    let m = map.get(loc)
    if (!m) map.set(loc, (m = new Map()))
    return m
  }
  function index(c: Contact, add: boolean) {
    const pairs: Array<[Map<string, Map<string, Ids>>, string]> = [
      [emails, emailKey(c.email)],
      [phones, phoneKey(c.phone)],
    ]
    for (const [map, key] of pairs) {
      if (!key) continue
      const m = indexOf(map, c.locationId)
      const ids = m.get(key)
      if (add) {
        if (ids === undefined || ids === c.id) m.set(key, c.id)
        else if (typeof ids === 'string') m.set(key, new Set([ids, c.id]))
        else ids.add(c.id)
      } else if (ids === c.id) m.delete(key)
      else if (typeof ids !== 'string' && ids?.delete(c.id)) {
        if (ids.size === 1) m.set(key, ids.values().next().value!)
      }
    }
  }
  /** The one place contacts are written: every index and sorted view follows here. */
  function put(next: Contact | undefined, old: Contact | undefined) {
    const c = (next ?? old)!
    if (old) index(old, false)
    if (next) {
      contacts.set(c.id, next)
      index(next, true)
    } else contacts.delete(c.id)
    // The field indexes first: they give a new contact the slot its sorted-view entries carry.
    fieldIndexes.change(c.locationId, old, next)
    orders.change(c.locationId, old, next)
  }
  const unordered = (loc: string) => () => Array.from(fieldIndexes.idsOf(loc), (id) => contacts.get(id)!)
  /** The location's contacts in GET /contacts/ order. */
  const listOrder = (loc: string) => orders.get(loc, LIST_ORDER, unordered(loc)).list

  /** A contact's list as the seed made it, or undefined for a contact that is gone or was not seeded. */
  function seededList<K extends keyof Children>(kind: K, contactId: string): Children[K] | undefined {
    if (!seeded || !contacts.has(contactId)) return undefined
    seedIndex ??= new Map(seeded.contacts.map((c, i) => [c.id, i]))
    const i = seedIndex.get(contactId)
    return i === undefined ? undefined : seeded.childrenOf(i)[kind]
  }
  function clear() {
    read = createFieldReader()
    orders.clear()
    fieldIndexes.clear()
    contacts = new Map()
    emails = new Map()
    phones = new Map()
    seedIndex = undefined
    tasks = new Map()
    notes = new Map()
    appointments = new Map()
    seeded = undefined
  }
  function load(options: SeedOptions) {
    // The old world goes before the new one is made, so a reset does not hold both at once.
    clear()
    const world = seeder.seedWorld(options, deps.onSeedProgress)
    // Our own id stream, restarted here: after a reset the same seed gives the same ids to
    // records created afterwards too, whatever ran before.
    rng = createRng(`${options.seed}:runtime`)
    locations = new Map(world.locations.map((l) => [l.id, l]))
    seeded = world
    // put() for each contact, in bulk: the seed's contacts are new, valid, and unique by
    // email and phone in their location (the seed made its key maps for that; they become
    // the duplicate indexes here), and no sorted view exists yet.
    for (const c of world.contacts) contacts.set(c.id, c)
    for (const [l, location] of world.locations.entries()) {
      emails.set(location.id, world.emailIds[l])
      phones.set(location.id, world.phoneIds[l])
      fieldIndexes.addAll(location.id, world.contacts.slice(l * options.contacts, (l + 1) * options.contacts))
    }
  }
  /** A loaded state file's records: every list kept as given, nothing drawn from a seed. */
  function fill(world: StoreData, idStream: Rng) {
    clear()
    rng = idStream
    locations = new Map(world.locations.map((l) => [l.id, l]))
    for (const c of world.contacts) put(c, undefined)
    const group = <T extends { contactId: string }>(map: Map<string, T[]>, list: T[]) => {
      for (const r of list) map.get(r.contactId)?.push(r) ?? map.set(r.contactId, [r])
    }
    group(tasks, world.tasks)
    group(notes, world.notes)
    group(appointments, world.appointments)
  }
  load(deps.seed)

  function requireContact(id: string) {
    const c = contacts.get(id)
    if (!c) throw new Error(`Contact with id ${id} not found`)
    return c
  }

  /** Tasks and notes: records under a contact, kept and announced alike. */
  function childRecords<T extends Task | Note>(
    kind: 'Task' | 'Note',
    maps: () => Map<string, T[]>,
    seededOf: (contactId: string) => T[] | undefined,
    rules: { defaults?: Partial<T>; kept?: (old: T | undefined) => Partial<T>; updated?: (old: T, next: T) => 'Update' | 'Complete' },
  ) {
    const announce = (type: string, record: T) =>
      emit({ type: `${kind}${type}`, locationId: record.locationId, time: deps.clock.now(), [kind.toLowerCase()]: record } as unknown as ChangeEvent)
    const read = (contactId: string) => maps().get(contactId) ?? seededOf(contactId)
    /** The contact's list, kept from now on: the first write takes over the seeded one. */
    const own = (contactId: string) => {
      let list = maps().get(contactId)
      if (!list) maps().set(contactId, (list = seededOf(contactId) ?? []))
      return list
    }
    return {
      list: async (contactId: string) => copy(read(contactId) ?? []),
      async get(contactId: string, id: string) {
        const r = read(contactId)?.find((x) => x.id === id)
        return r && copy(r)
      },
      async create(contactId: string, input: Partial<T>) {
        const c = requireContact(contactId)
        const record = strip({ ...rules.defaults, ...copy(input), id: rng.id(), contactId, locationId: c.locationId, ...rules.kept?.(undefined) } as T)
        own(contactId).push(record)
        announce('Create', record)
        return copy(record)
      },
      async update(contactId: string, id: string, patch: Partial<T>) {
        const list = read(contactId) ? own(contactId) : []
        const at = list.findIndex((x) => x.id === id)
        const old = list[at]
        if (!old) throw new Error(`no ${kind.toLowerCase()} ${id}`)
        const record = strip({ ...old, ...copy(patch), id: old.id, contactId, locationId: old.locationId, ...rules.kept?.(old) } as T)
        list[at] = record
        announce(rules.updated?.(old, record) ?? 'Update', record)
        return copy(record)
      },
      async remove(contactId: string, id: string) {
        const list = read(contactId) ? own(contactId) : []
        const at = list.findIndex((x) => x.id === id)
        if (at < 0) return false
        const [r] = list.splice(at, 1)
        announce('Delete', r)
        return true
      },
    }
  }
  const tasksOf = childRecords<Task>(
    'Task',
    () => tasks,
    (id) => seededList('tasks', id),
    {
      defaults: { completed: false },
      updated: (old, next) => (!old.completed && next.completed ? 'Complete' : 'Update'),
    },
  )
  const notesOf = childRecords<Note>(
    'Note',
    () => notes,
    (id) => seededList('notes', id),
    { kept: (old) => ({ dateAdded: old ? old.dateAdded : now() }) },
  )

  const store: Store = {
    async listLocations() {
      return copy([...locations.values()])
    },
    async getLocation(id) {
      const l = locations.get(id)
      return l && copy(l)
    },

    getContact(id) {
      const c = contacts.get(id)
      return c && frozen(c)
    },
    async createContact(locationId, input) {
      const time = now()
      const contact = strip(
        withDerived({
          followers: [],
          campaigns: {},
          workflows: {},
          customFields: [],
          ...copy(input),
          tags: input.tags ?? [],
          id: rng.id(),
          locationId,
          dateAdded: time,
          dateUpdated: time,
        } as Contact),
      )
      put(contact, undefined)
      emit({ type: 'ContactCreate', locationId, time: deps.clock.now(), contact })
      return copy(contact)
    },
    async updateContact(id, patch) {
      const old = requireContact(id)
      const base = { ...old }
      // A new first or last name re-derives the full name unless the patch sets one.
      if (('firstName' in patch || 'lastName' in patch) && !('name' in patch)) delete base.name
      const next = strip(withDerived({ ...base, ...copy(patch), id, locationId: old.locationId, dateAdded: old.dateAdded, dateUpdated: now() } as Contact))
      put(next, old)
      emit({ type: updateType(old, next, patch), locationId: next.locationId, time: deps.clock.now(), contact: next })
      return copy(next)
    },
    async deleteContact(id) {
      const c = contacts.get(id)
      if (!c) return false
      put(undefined, c)
      tasks.delete(id)
      notes.delete(id)
      emit({ type: 'ContactDelete', locationId: c.locationId, time: deps.clock.now(), contact: c })
      return true
    },
    async findDuplicate(locationId, by) {
      const loc = locations.get(locationId)
      for (const field of loc?.duplicatePriority ?? ['email', 'phone']) {
        const key = field === 'email' ? emailKey(by.email) : phoneKey(by.phone)
        if (!key) continue
        const found = indexOf(field === 'email' ? emails : phones, locationId).get(key)
        const ids = found === undefined ? [] : typeof found === 'string' ? [found] : [...found]
        if (ids.length) {
          // The oldest record wins when duplicates were allowed at some point.
          const [match] = ids
            .map((i) => contacts.get(i)!)
            .sort((a, b) => (a.dateAdded < b.dateAdded ? -1 : a.dateAdded > b.dateAdded ? 1 : a.id < b.id ? -1 : 1))
          return { contact: copy(match), matchingField: field }
        }
      }
      return undefined
    },
    async listContacts(locationId, q) {
      const { list: ordered, slots } = orders.get(locationId, LIST_ORDER, unordered(locationId))
      let start = 0
      if (q.startAfter !== undefined || q.startAfterId) {
        // The cursor as a sort key: (startAfter ms, startAfterId); a missing part sorts before everything.
        const afterMs = q.startAfter !== undefined ? (Number.isFinite(q.startAfter) ? q.startAfter : '') : dateMs(contacts.get(q.startAfterId ?? '')?.dateAdded)
        const cursor: Key[] = [afterMs, q.startAfterId ?? '']
        // The first hit after the cursor is the first entry after it that is a hit: one binary search over them all.
        start = indexAfter(ordered, cursor, LIST_ORDER)
      }
      if (!q.query) return { contacts: ordered.slice(start, start + q.limit).map((e) => frozen(e.c)), total: ordered.length }
      const bits = fieldIndexes.query(locationId, q.query, unordered(locationId))
      const page: Contact[] = []
      for (let i = start; i < ordered.length && page.length < q.limit; i++) if (hasBit(bits, slots[i])) page.push(frozen(ordered[i].c))
      return { contacts: page, total: count(bits) }
    },
    async searchContacts(locationId, body) {
      const sort = sortOf(body)
      const { list: all, slots } = orders.get(locationId, sort, unordered(locationId))
      // The stored records themselves (frozen, as getContact gives them): the views copy what an answer shows.
      const result = (page: Entry[], total: number) => ({ contacts: page.map((e) => frozen(e.c)), cursors: page.map((e) => e.key.slice()), total })
      // Indexed filters (and the query) narrow the candidates to a bitset; only what they cannot answer is scanned.
      const plan = fieldIndexes.plan(locationId, (body.filters ?? []) as FilterItem[], unordered(locationId))
      let bits = plan.bits
      if (body.query) {
        const hits = fieldIndexes.query(locationId, body.query, unordered(locationId))
        bits = bits ? and(bits, hits) : hits
      }
      const found = bits
      const candidate = found && ((i: number) => hasBit(found, slots[i]))
      if (plan.rest.length === 0) return candidate ? result(pageWhere(all, candidate, body, sort), count(found)) : result(pageOf(all, body, sort), all.length)
      const match = compileSearch({ filters: plan.rest as SearchBody['filters'] }, read)
      const hits = all.filter((e, i) => (!candidate || candidate(i)) && match(e.c))
      return result(pageOf(hits, body, sort), hits.length)
    },
    async contactsByBusiness(locationId, businessId, opts) {
      const query = compileQuery(opts.query, read)
      const all = listOrder(locationId).filter((e) => e.c.businessId === businessId && (!query || query(e.c)))
      return { contacts: all.slice(opts.skip, opts.skip + opts.limit).map((e) => frozen(e.c)), total: all.length }
    },

    listTasks: tasksOf.list,
    getTask: tasksOf.get,
    createTask: tasksOf.create,
    updateTask: tasksOf.update,
    deleteTask: tasksOf.remove,
    listNotes: notesOf.list,
    getNote: notesOf.get,
    createNote: notesOf.create,
    updateNote: notesOf.update,
    deleteNote: notesOf.remove,

    async listAppointments(contactId) {
      const loaded = contacts.has(contactId) ? appointments.get(contactId) : undefined
      return loaded ? copy(loaded) : (seededList('appointments', contactId) ?? [])
    },

    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async reset(options) {
      load(options)
    },
    async exportData() {
      // Every contact's lists, those still only in the seed drawn now.
      const all = [...contacts.values()]
      const lists = <T>(own: (id: string) => T[] | undefined, kind: keyof Children) =>
        all.flatMap((c) => own(c.id) ?? (seededList(kind, c.id) as T[] | undefined) ?? [])
      return copy({
        locations: [...locations.values()],
        contacts: all,
        tasks: lists((id) => tasks.get(id), 'tasks'),
        notes: lists((id) => notes.get(id), 'notes'),
        appointments: lists((id) => appointments.get(id), 'appointments'),
      })
    },
    async importData(data) {
      // An id stream apart from the one that made the imported records (which a mock with
      // the same seed would replay), so ids created after the load cannot collide with them.
      fill(copy(data), createRng(`import:${data.contacts.length}:${data.contacts[0]?.id ?? ''}:${data.contacts.at(-1)?.id ?? ''}`))
    },
  }
  return store
}
