/** Notes of a contact: /contacts/{contactId}/notes[/{id}]. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChangeEvent, Contact } from '../../mock/store/types.ts'
import { T0, makeMock, type TestMock } from '../support/mock.ts'
import { checkVendorSchemas, ok } from '../support/answers.ts'

let m: TestMock
let contact: Contact
let other: Contact
const events: ChangeEvent[] = []
const UNKNOWN = 'AAAAAAAAAAAAAAAAAAAA'

const notesPath = (contactId = contact.id) => `/contacts/${contactId}/notes`
const create = (body: object, contactId = contact.id) => m.http.post(notesPath(contactId)).set(m.auth()).send(body)

beforeAll(async () => {
  m = await makeMock()
  const { contacts } = await m.state.store.listContacts(m.location.id, { limit: 2 })
  ;[contact, other] = contacts
  m.state.store.onChange((e) => events.push(e))
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('note lifecycle', () => {
  it('create → get → update (shallow merge) → list → delete, each write visible in later reads', async () => {
    const user = m.location.users[1].id
    events.length = 0
    const { note } = ok(await create({ body: 'Prefers email', userId: user, title: 'Contact preference', pinned: true }), 'create-note', 201)
    expect(note).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      contactId: contact.id,
      body: 'Prefers email',
      userId: user,
      title: 'Contact preference',
      pinned: true,
      dateAdded: new Date(T0).toISOString(),
    })
    expect(events.map((e) => e.type)).toEqual(['NoteCreate'])

    expect(ok(await m.http.get(`${notesPath()}/${note.id}`).set(m.auth()), 'get-note', 200)).toEqual({ note })

    const updated = ok(await m.http.put(`${notesPath()}/${note.id}`).set(m.auth()).send({ body: 'Prefers SMS', color: '#FFAA00' }), 'update-note', 200)
    expect(updated.note).toEqual({ ...note, body: 'Prefers SMS', color: '#FFAA00' })
    expect(events.at(-1)?.type).toBe('NoteUpdate')

    const list = ok(await m.http.get(notesPath()).set(m.auth()), 'get-all-notes', 200)
    expect(list.notes).toContainEqual(updated.note)
    expect(list.notes.every((n: { contactId: string }) => n.contactId === contact.id)).toBe(true)

    expect(ok(await m.http.delete(`${notesPath()}/${note.id}`).set(m.auth()), 'delete-note', 200)).toEqual({ succeded: true })
    expect(events.at(-1)?.type).toBe('NoteDelete')
    const after = ok(await m.http.get(notesPath()).set(m.auth()), 'get-all-notes', 200)
    expect(after.notes.map((n: { id: string }) => n.id)).not.toContain(note.id)
    const gone = await m.http.get(`${notesPath()}/${note.id}`).set(m.auth())
    expect(gone.status).toBe(400)
    expect(gone.body).toEqual({ statusCode: 400, message: `Note with id ${note.id} not found` })
  })

  it('userId is optional; dateAdded does not change on update', async () => {
    const { note } = ok(await create({ body: 'No author' }), 'create-note', 201)
    expect(note).not.toHaveProperty('userId')
    m.state.clock.advance(60_000)
    const updated = ok(await m.http.put(`${notesPath()}/${note.id}`).set(m.auth()).send({ pinned: false }), 'update-note', 200)
    expect(updated.note.dateAdded).toBe(note.dateAdded)
    expect(updated.note.body).toBe('No author')
  })

  it("a new contact has no notes; another contact's notes are not listed", async () => {
    const { note } = ok(await create({ body: 'elsewhere' }, other.id), 'create-note', 201)
    const mine = ok(await m.http.get(notesPath()).set(m.auth()), 'get-all-notes', 200)
    expect(mine.notes.map((n: { id: string }) => n.id)).not.toContain(note.id)
    const fresh = await m.state.store.createContact(m.location.id, { firstName: 'No', lastName: 'Notes' })
    expect(ok(await m.http.get(notesPath(fresh.id)).set(m.auth()), 'get-all-notes', 200)).toEqual({ notes: [] })
  })
})

describe('unknown ids → 400', () => {
  it.each([
    ['get', ''],
    ['post', ''],
    ['get', `/${UNKNOWN}`],
    ['put', `/${UNKNOWN}`],
    ['delete', `/${UNKNOWN}`],
  ] as const)('%s /contacts/<unknown>/notes%s', async (method, rest) => {
    const req = m.http[method](`/contacts/${UNKNOWN}/notes${rest}`).set(m.auth())
    const res = method === 'post' ? await req.send({ body: 'x' }) : method === 'put' ? await req.send({}) : await req
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ statusCode: 400, message: `Contact with id ${UNKNOWN} not found` })
  })

  it.each(['get', 'put', 'delete'] as const)('%s an unknown note → Note with id … not found', async (method) => {
    const req = m.http[method](`${notesPath()}/${UNKNOWN}`).set(m.auth())
    const res = method === 'put' ? await req.send({ body: 'x' }) : await req
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ statusCode: 400, message: `Note with id ${UNKNOWN} not found` })
  })

  it("another contact's note is unknown under this contact and stays untouched", async () => {
    const { note } = ok(await create({ body: 'theirs' }, other.id), 'create-note', 201)
    const res = await m.http.put(`${notesPath()}/${note.id}`).set(m.auth()).send({ body: 'mine now' })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(`Note with id ${note.id} not found`)
    expect(await m.state.store.getNote(other.id, note.id)).toMatchObject({ body: 'theirs' })
  })
})

describe('validation', () => {
  it('body is required on create; unknown properties and wrong types → 422', async () => {
    const res = await create({ userId: m.location.users[0].id, pinned: 'yes', colour: 'red' })
    expect(res.status).toBe(422)
    expect(res.body.message).toEqual(
      expect.arrayContaining(['property colour should not exist', expect.stringMatching(/^body /), expect.stringMatching(/pinned/)]),
    )
  })

  it('userId, when given, must be a user of the location (400)', async () => {
    const before = (await m.state.store.listNotes(contact.id)).length
    const res = await create({ body: 'x', userId: m.other.location.users[0].id })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(`User with id ${m.other.location.users[0].id} not found in this location`)
    expect(await m.state.store.listNotes(contact.id)).toHaveLength(before)
  })

  it("another location's contact → 403", async () => {
    const { contacts } = await m.state.store.listContacts(m.other.location.id, { limit: 1 })
    expect((await m.http.get(notesPath(contacts[0].id)).set(m.auth())).status).toBe(403)
  })
})

checkVendorSchemas()
