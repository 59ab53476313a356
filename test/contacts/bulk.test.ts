/** POST /contacts/bulk/tags/update/{type}: our `bulk-update-tags`, the vendor's `create-association`. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Response } from 'supertest'
import type { ChangeEvent, Contact } from '../../mock/store/types.ts'
import { makeMock, type TestMock } from '../support/mock.ts'
import { checkVendorSchemas, ok as okAs } from '../support/answers.ts'

let m: TestMock
let a: Contact
let b: Contact
let foreign: Contact
const events: ChangeEvent[] = []
const UNKNOWN = 'AAAAAAAAAAAAAAAAAAAA'

// By method + path: the vendor names this operation create-association.
const ok = (res: Response) => okAs(res, 'POST /contacts/bulk/tags/update/{type}', 201)

const bulk = (type: string, body: Record<string, unknown>, token?: string) =>
  m.http
    .post(`/contacts/bulk/tags/update/${type}`)
    .set(m.auth(token))
    .send({ locationId: m.location.id, ...body })
const tagsOf = async (c: Contact) => (await m.state.store.getContact(c.id))!.tags

beforeAll(async () => {
  m = await makeMock()
  m.state.store.onChange((e) => events.push(e))
  const { contacts } = await m.state.store.listContacts(m.other.location.id, { limit: 1 })
  foreign = contacts[0]
})

beforeEach(async () => {
  a = await m.state.store.createContact(m.location.id, { firstName: 'Bulk', lastName: 'A', tags: ['lead'] })
  b = await m.state.store.createContact(m.location.id, { firstName: 'Bulk', lastName: 'B', tags: ['customer', 'vip'] })
  events.length = 0
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('bulk-update-tags', () => {
  it('add: 201 {succeded, errorCount, responses: strings}; every contact gets the tags once', async () => {
    const body = ok(await bulk('add', { contacts: [a.id, b.id], tags: ['webinar', 'VIP'] }))
    expect(body).toEqual({ succeded: true, errorCount: 0, responses: [`${a.id}: Tags updated`, `${b.id}: Tags updated`] })
    expect(await tagsOf(a)).toEqual(['lead', 'webinar', 'VIP'])
    expect(await tagsOf(b)).toEqual(['customer', 'vip', 'webinar'])
    // Visible through the API too.
    expect((await m.http.get(`/contacts/${a.id}`).set(m.auth())).body.contact.tags).toEqual(['lead', 'webinar', 'VIP'])
    expect(events.map((e) => [e.type, 'contact' in e && e.contact.id])).toEqual([
      ['ContactTagUpdate', a.id],
      ['ContactTagUpdate', b.id],
    ])
  })

  it('remove: the listed tags go (any case); contacts without them are not written', async () => {
    const body = ok(await bulk('remove', { contacts: [a.id, b.id], tags: ['VIP'] }))
    expect(body).toEqual({ succeded: true, errorCount: 0, responses: [`${a.id}: Tags updated`, `${b.id}: Tags updated`] })
    expect(await tagsOf(a)).toEqual(['lead'])
    expect(await tagsOf(b)).toEqual(['customer'])
    expect(events.map((e) => 'contact' in e && e.contact.id)).toEqual([b.id])
  })

  it('remove with removeAllTags clears every tag, whatever `tags` says', async () => {
    ok(await bulk('remove', { contacts: [a.id, b.id], tags: [], removeAllTags: true }))
    expect(await tagsOf(a)).toEqual([])
    expect(await tagsOf(b)).toEqual([])
    ok(await bulk('remove', { contacts: [a.id], tags: ['x'], removeAllTags: false }))
  })

  it('removeAllTags with add → 422 and nothing changes', async () => {
    const res = await bulk('add', { contacts: [a.id], tags: ['x'], removeAllTags: true })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({ statusCode: 422, message: ['removeAllTags can only be used with type remove'], error: 'Unprocessable Entity' })
    expect(await tagsOf(a)).toEqual(['lead'])
    // removeAllTags: false is harmless with add.
    ok(await bulk('add', { contacts: [a.id], tags: ['x'], removeAllTags: false }))
  })

  it('unknown, malformed, deleted and other-location ids are reported per contact; the others are updated', async () => {
    const gone = await m.state.store.createContact(m.location.id, { firstName: 'Gone' })
    await m.state.store.deleteContact(gone.id)
    const body = ok(await bulk('add', { contacts: [a.id, UNKNOWN, 'abcdef', gone.id, foreign.id, b.id], tags: ['spring'] }))
    expect(body).toEqual({
      succeded: false,
      errorCount: 4,
      responses: [
        `${a.id}: Tags updated`,
        `${UNKNOWN}: contact not found`,
        'abcdef: contact id is not a valid firebase id',
        `${gone.id}: contact not found`,
        `${foreign.id}: contact does not belong to location`,
        `${b.id}: Tags updated`,
      ],
    })
    expect(await tagsOf(a)).toContain('spring')
    expect(await tagsOf(b)).toContain('spring')
    expect((await m.state.store.getContact(foreign.id))!.tags).not.toContain('spring')
  })

  it('a repeated id is processed once', async () => {
    expect(ok(await bulk('add', { contacts: [a.id, a.id], tags: ['x'] }))).toEqual({ succeded: true, errorCount: 0, responses: [`${a.id}: Tags updated`] })
    expect(events).toHaveLength(1)
  })

  it('an empty contact list is a success with no responses', async () => {
    expect(ok(await bulk('add', { contacts: [], tags: ['x'] }))).toEqual({ succeded: true, errorCount: 0, responses: [] })
  })

  it('type must be add or remove; contacts, tags and locationId are required; no other properties (422)', async () => {
    const type = await bulk('replace', { contacts: [a.id], tags: ['x'] })
    expect(type.status).toBe(422)
    const missing = await m.http
      .post('/contacts/bulk/tags/update/add')
      .set(m.auth())
      .send({ contacts: [a.id], extra: 1 })
    expect(missing.status).toBe(422)
    expect(missing.body.message).toEqual(
      expect.arrayContaining(['property extra should not exist', expect.stringMatching(/^tags /), expect.stringMatching(/^locationId /)]),
    )
    expect(await tagsOf(a)).toEqual(['lead'])
  })

  it("another location's locationId → 403", async () => {
    const res = await bulk('add', { contacts: [foreign.id], tags: ['x'], locationId: m.other.location.id })
    expect(res.status).toBe(403)
    expect((await m.state.store.getContact(foreign.id))!.tags).not.toContain('x')
  })
})

checkVendorSchemas()
