/** A seeded contact's tasks, notes and appointments are drawn when read: they must read as generateWorld made them, and writes must stick. */
import { describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { generateWorld } from '../../mock/seed/generate.ts'
import { createMemoryStore } from '../../mock/store/memory.ts'

const seed = { seed: 5, locations: 2, contacts: 60 }
const newStore = () => createMemoryStore({ clock: createClock({ start: Date.UTC(2026, 0, 1), frozen: true }), seed })

describe('seeded children', () => {
  it('read as the whole world has them, for every contact of every location', async () => {
    const world = generateWorld(seed)
    const store = newStore()
    const by = <T extends { contactId: string }>(list: T[], id: string) => list.filter((x) => x.contactId === id)
    for (const c of world.contacts) {
      expect(await store.listTasks(c.id)).toEqual(by(world.tasks, c.id))
      expect(await store.listNotes(c.id)).toEqual(by(world.notes, c.id))
      expect(await store.listAppointments(c.id)).toEqual(by(world.appointments, c.id))
    }
  })

  it('appointments loaded from a state file are handed out as copies: a caller cannot change the store through them', async () => {
    const store = newStore()
    const data = await store.exportData()
    const owner = data.appointments[0].contactId
    await store.importData(data)
    const before = structuredClone(await store.listAppointments(owner))
    const handed = await store.listAppointments(owner)
    handed.length = 0
    expect(await store.listAppointments(owner)).toEqual(before)
  })

  it('keep writes on top of the seeded lists, forget them with the contact, and come back on reset', async () => {
    const world = generateWorld(seed)
    const store = newStore()
    const owner = world.contacts.find((c) => world.tasks.filter((t) => t.contactId === c.id).length >= 2)!
    const [first, second] = world.tasks.filter((t) => t.contactId === owner.id)
    const added = await store.createTask(owner.id, { title: 'New one', body: 'x', dueDate: '2026-02-01T10:00:00.000Z' })
    await store.updateTask(owner.id, first.id, { title: 'Renamed' })
    expect(await store.deleteTask(owner.id, second.id)).toBe(true)
    const titles = (await store.listTasks(owner.id)).map((t) => t.title)
    expect(titles).toEqual([
      'Renamed',
      ...world.tasks
        .filter((t) => t.contactId === owner.id)
        .slice(2)
        .map((t) => t.title),
      'New one',
    ])
    expect((await store.getTask(owner.id, added.id))?.title).toBe('New one')
    // A note written on another contact leaves this contact's notes as seeded.
    const other = world.contacts.find((c) => c.id !== owner.id)!
    await store.createNote(other.id, { body: 'hello' })
    expect(await store.listNotes(owner.id)).toEqual(world.notes.filter((n) => n.contactId === owner.id))

    expect(await store.deleteContact(owner.id)).toBe(true)
    expect(await store.listTasks(owner.id)).toEqual([])
    expect(await store.listNotes(owner.id)).toEqual([])
    expect(await store.listAppointments(owner.id)).toEqual([])
    expect(await store.deleteTask(owner.id, first.id)).toBe(false)

    await store.reset(seed)
    expect(await store.listTasks(owner.id)).toEqual(world.tasks.filter((t) => t.contactId === owner.id))
    expect(await store.listAppointments(owner.id)).toEqual(world.appointments.filter((a) => a.contactId === owner.id))
  })
})
