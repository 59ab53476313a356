/**
 * The in-memory Store: contacts partitioned by location, with the indexes searches and
 * duplicate checks need (email and phone per location, a default-ordered list per
 * location kept until a write changes it). Returns copies, so callers can't change
 * state behind its back; every write emits one change event.
 */
import type { Clock } from '../clock.ts'
import { createRng, type Rng } from '../rng.ts'
import { generateWorld } from '../seed/generate.ts'
import { DEFAULT_SORT, MAX_STANDARD_PAGING, compareKeys, matchQuery, matches, sortKey, type SortSpec } from './search.ts'
import type { Appointment, ChangeEvent, Contact, ContactInput, Location, Note, SeedOptions, Store, Task } from './types.ts'

export { MAX_STANDARD_PAGING }

const copy = <T>(v: T): T => structuredClone(v)
const digits = (phone: string | null | undefined) => (phone ? phone.replace(/\D/g, '') : '')
const lower = (email: string | null | undefined) => (email ? email.trim().toLowerCase() : '')

function withDerived(c: Contact): Contact {
  const first = c.firstName ?? ''
  const last = c.lastName ?? ''
  const full = [first, last].filter(Boolean).join(' ') || (c.name ?? '')
  return {
    ...c,
    name: full || c.name,
    firstNameLowerCase: first ? first.toLowerCase() : undefined,
    lastNameLowerCase: last ? last.toLowerCase() : undefined,
    fullNameLowerCase: full ? full.toLowerCase() : undefined,
    emailLowerCase: c.email ? lower(c.email) : undefined,
    tags: [...new Set(c.tags ?? [])],
  }
}

function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k]
  return o
}

export function createMemoryStore(deps: { clock: Clock; rng?: Rng; seed: SeedOptions }): Store {
  const listeners = new Set<(e: ChangeEvent) => void>()
  let rng: Rng
  let locations = new Map<string, Location>()
  let contacts = new Map<string, Contact>()
  let byLocation = new Map<string, Set<string>>()
  let emails = new Map<string, Map<string, Set<string>>>()
  let phones = new Map<string, Map<string, Set<string>>>()
  let tasks = new Map<string, Map<string, Task>>()
  let notes = new Map<string, Map<string, Note>>()
  let appointments = new Map<string, Appointment[]>()
  /** locationId → contacts in GET /contacts/ order (dateAdded asc, id), rebuilt after writes. */
  const ordered = new Map<string, Contact[]>()
  /** locationId → sort (as JSON) → contacts with their cursor keys, in that order; dropped on writes. */
  const sorted = new Map<string, Map<string, Array<{ c: Contact; key: Array<string | number> }>>>()

  const now = () => new Date(deps.clock.now()).toISOString()
  const emit = (e: ChangeEvent) => {
    for (const l of listeners) l(copy(e))
  }

  function indexOf(map: Map<string, Map<string, Set<string>>>, loc: string) {
    let m = map.get(loc)
    if (!m) map.set(loc, (m = new Map()))
    return m
  }
  function index(c: Contact, add: boolean) {
    const pairs: Array<[Map<string, Map<string, Set<string>>>, string]> = [
      [emails, lower(c.email)],
      [phones, digits(c.phone)],
    ]
    for (const [map, key] of pairs) {
      if (!key) continue
      const m = indexOf(map, c.locationId)
      const set = m.get(key) ?? new Set<string>()
      if (add) set.add(c.id)
      else set.delete(c.id)
      if (set.size) m.set(key, set)
      else m.delete(key)
    }
  }
  function put(c: Contact) {
    const old = contacts.get(c.id)
    if (old) index(old, false)
    contacts.set(c.id, c)
    index(c, true)
    let set = byLocation.get(c.locationId)
    if (!set) byLocation.set(c.locationId, (set = new Set()))
    set.add(c.id)
    ordered.delete(c.locationId)
    sorted.delete(c.locationId)
  }
  function locationContacts(loc: string): Contact[] {
    let list = ordered.get(loc)
    if (!list) {
      list = [...(byLocation.get(loc) ?? [])].map((id) => contacts.get(id)!)
      list.sort((a, b) => (a.dateAdded < b.dateAdded ? -1 : a.dateAdded > b.dateAdded ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      ordered.set(loc, list)
    }
    return list
  }
  function childMap<T>(map: Map<string, Map<string, T>>, contactId: string) {
    let m = map.get(contactId)
    if (!m) map.set(contactId, (m = new Map()))
    return m
  }
  function load(options: SeedOptions) {
    const world = generateWorld(options)
    rng = createRng(`${options.seed}:runtime`)
    locations = new Map(world.locations.map((l) => [l.id, l]))
    contacts = new Map()
    byLocation = new Map()
    emails = new Map()
    phones = new Map()
    ordered.clear()
    sorted.clear()
    for (const c of world.contacts) put(c)
    tasks = new Map()
    for (const t of world.tasks) childMap(tasks, t.contactId).set(t.id, t)
    notes = new Map()
    for (const n of world.notes) childMap(notes, n.contactId).set(n.id, n)
    appointments = new Map()
    for (const a of world.appointments) appointments.set(a.contactId, [...(appointments.get(a.contactId) ?? []), a])
  }
  load(deps.seed)

  function requireContact(id: string) {
    const c = contacts.get(id)
    if (!c) throw new Error(`no contact ${id}`)
    return c
  }

  const store: Store = {
    async listLocations() {
      return copy([...locations.values()])
    },
    async getLocation(id) {
      const l = locations.get(id)
      return l && copy(l)
    },

    async getContact(id) {
      const c = contacts.get(id)
      return c && copy(c)
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
      put(contact)
      emit({ type: 'ContactCreate', locationId, time: deps.clock.now(), contact })
      return copy(contact)
    },
    async updateContact(id, patch) {
      const old = requireContact(id)
      const next = strip(withDerived({ ...old, ...copy(patch), id, locationId: old.locationId, dateAdded: old.dateAdded, dateUpdated: now() } as Contact))
      put(next)
      const changed = (Object.keys(patch) as Array<keyof ContactInput>).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(next[k]))
      const type = changed.length > 0 && changed.every((k) => k === 'tags') ? 'ContactTagUpdate' : changed.length > 0 && changed.every((k) => k === 'dnd' || k === 'dndSettings') ? 'ContactDndUpdate' : 'ContactUpdate'
      emit({ type, locationId: next.locationId, time: deps.clock.now(), contact: next })
      return copy(next)
    },
    async deleteContact(id) {
      const c = contacts.get(id)
      if (!c) return false
      index(c, false)
      contacts.delete(id)
      byLocation.get(c.locationId)?.delete(id)
      ordered.delete(c.locationId)
      sorted.delete(c.locationId)
      tasks.delete(id)
      notes.delete(id)
      appointments.delete(id)
      emit({ type: 'ContactDelete', locationId: c.locationId, time: deps.clock.now(), contact: c })
      return true
    },
    async findDuplicate(locationId, by) {
      const loc = locations.get(locationId)
      for (const field of loc?.duplicatePriority ?? ['email', 'phone']) {
        const key = field === 'email' ? lower(by.email) : digits(by.phone)
        if (!key) continue
        const ids = indexOf(field === 'email' ? emails : phones, locationId).get(key)
        if (ids?.size) {
          // The oldest record wins when duplicates were allowed at some point.
          const match = [...ids].map((i) => contacts.get(i)!).sort((a, b) => (a.dateAdded < b.dateAdded ? -1 : 1))[0]
          return { contact: copy(match), matchingField: field }
        }
      }
      return undefined
    },
    async listContacts(locationId, q) {
      const all = locationContacts(locationId).filter((c) => matchQuery(c, q.query))
      let start = 0
      if (q.startAfter !== undefined || q.startAfterId) {
        const afterTime = q.startAfter !== undefined ? new Date(q.startAfter).toISOString() : contacts.get(q.startAfterId ?? '')?.dateAdded ?? ''
        const afterId = q.startAfterId ?? ''
        start = all.findIndex((c) => c.dateAdded > afterTime || (c.dateAdded === afterTime && c.id > afterId))
        if (start < 0) start = all.length
      }
      return { contacts: copy(all.slice(start, start + q.limit)), total: all.length }
    },
    async searchContacts(locationId, body) {
      const sort: SortSpec[] = body.sort?.length ? (body.sort as SortSpec[]) : DEFAULT_SORT
      // Sorting is the expensive part; it is done once per location and sort until a write.
      let bySort = sorted.get(locationId)
      if (!bySort) sorted.set(locationId, (bySort = new Map()))
      const sortId = JSON.stringify(sort)
      let all = bySort.get(sortId)
      if (!all) {
        all = locationContacts(locationId).map((c) => ({ c, key: sortKey(c, sort) }))
        all.sort((a, b) => compareKeys(a.key, b.key, sort))
        bySort.set(sortId, all)
      }
      const hits = all.filter((h) => matches(h.c, body))
      let page = hits
      if (body.searchAfter?.length) {
        const after = body.searchAfter as Array<string | number>
        page = hits.filter((h) => compareKeys(h.key, after, sort) > 0)
        page = page.slice(0, body.pageLimit)
      } else {
        const from = ((body.page ?? 1) - 1) * body.pageLimit
        page = from >= MAX_STANDARD_PAGING ? [] : hits.slice(from, Math.min(from + body.pageLimit, MAX_STANDARD_PAGING))
      }
      return { contacts: page.map((h) => ({ ...copy(h.c), searchAfter: h.key })), total: hits.length }
    },
    async contactsByBusiness(locationId, businessId, opts) {
      const all = locationContacts(locationId).filter((c) => c.businessId === businessId && matchQuery(c, opts.query))
      return { contacts: copy(all.slice(opts.skip, opts.skip + opts.limit)), total: all.length }
    },

    async listTasks(contactId) {
      return copy([...(tasks.get(contactId)?.values() ?? [])])
    },
    async getTask(contactId, taskId) {
      const t = tasks.get(contactId)?.get(taskId)
      return t && copy(t)
    },
    async createTask(contactId, input) {
      const c = requireContact(contactId)
      const task = strip({ completed: false, ...copy(input), id: rng.id(), contactId, locationId: c.locationId } as Task)
      childMap(tasks, contactId).set(task.id, task)
      emit({ type: 'TaskCreate', locationId: c.locationId, time: deps.clock.now(), task })
      return copy(task)
    },
    async updateTask(contactId, taskId, patch) {
      const old = tasks.get(contactId)?.get(taskId)
      if (!old) throw new Error(`no task ${taskId}`)
      const task = strip({ ...old, ...copy(patch), id: old.id, contactId, locationId: old.locationId } as Task)
      childMap(tasks, contactId).set(taskId, task)
      emit({ type: !old.completed && task.completed ? 'TaskComplete' : 'TaskUpdate', locationId: task.locationId, time: deps.clock.now(), task })
      return copy(task)
    },
    async deleteTask(contactId, taskId) {
      const t = tasks.get(contactId)?.get(taskId)
      if (!t) return false
      tasks.get(contactId)!.delete(taskId)
      emit({ type: 'TaskDelete', locationId: t.locationId, time: deps.clock.now(), task: t })
      return true
    },

    async listNotes(contactId) {
      return copy([...(notes.get(contactId)?.values() ?? [])])
    },
    async getNote(contactId, noteId) {
      const n = notes.get(contactId)?.get(noteId)
      return n && copy(n)
    },
    async createNote(contactId, input) {
      const c = requireContact(contactId)
      const note = strip({ ...copy(input), id: rng.id(), contactId, locationId: c.locationId, dateAdded: now() } as Note)
      childMap(notes, contactId).set(note.id, note)
      emit({ type: 'NoteCreate', locationId: c.locationId, time: deps.clock.now(), note })
      return copy(note)
    },
    async updateNote(contactId, noteId, patch) {
      const old = notes.get(contactId)?.get(noteId)
      if (!old) throw new Error(`no note ${noteId}`)
      const note = strip({ ...old, ...copy(patch), id: old.id, contactId, locationId: old.locationId, dateAdded: old.dateAdded } as Note)
      childMap(notes, contactId).set(noteId, note)
      emit({ type: 'NoteUpdate', locationId: note.locationId, time: deps.clock.now(), note })
      return copy(note)
    },
    async deleteNote(contactId, noteId) {
      const n = notes.get(contactId)?.get(noteId)
      if (!n) return false
      notes.get(contactId)!.delete(noteId)
      emit({ type: 'NoteDelete', locationId: n.locationId, time: deps.clock.now(), note: n })
      return true
    },

    async listAppointments(contactId) {
      return copy(appointments.get(contactId) ?? [])
    },

    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async reset(options) {
      load(options)
    },
  }
  return store
}
