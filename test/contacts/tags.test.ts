/** Tags of one contact: POST and DELETE /contacts/{contactId}/tags. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChangeEvent, Contact } from '../../mock/store/types.ts'
import { makeMock, type TestMock } from '../support/mock.ts'
import { checkVendorSchemas, ok } from '../support/answers.ts'

let m: TestMock
let contact: Contact
const events: ChangeEvent[] = []
const UNKNOWN = 'AAAAAAAAAAAAAAAAAAAA'

const add = (tags: unknown, id = contact.id) => m.http.post(`/contacts/${id}/tags`).set(m.auth()).send({ tags })
const remove = (tags: unknown, id = contact.id) => m.http.delete(`/contacts/${id}/tags`).set(m.auth()).send({ tags })
const readTags = async () => (await m.http.get(`/contacts/${contact.id}`).set(m.auth())).body.contact.tags

beforeAll(async () => {
  m = await makeMock()
  m.state.store.onChange((e) => events.push(e))
})

beforeEach(async () => {
  contact = await m.state.store.createContact(m.location.id, { firstName: 'Tag', lastName: 'Target', tags: ['lead', 'Newsletter'] })
  events.length = 0
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('add-tags', () => {
  it('answers 201 with every tag afterwards; the contact keeps them; the store emits ContactTagUpdate', async () => {
    expect(ok(await add(['vip', 'webinar']), 'add-tags', 201)).toEqual({ tags: ['lead', 'Newsletter', 'vip', 'webinar'] })
    expect(await readTags()).toEqual(['lead', 'Newsletter', 'vip', 'webinar'])
    expect(events.map((e) => e.type)).toEqual(['ContactTagUpdate'])
    expect(events[0]).toMatchObject({ locationId: m.location.id, contact: { id: contact.id, tags: ['lead', 'Newsletter', 'vip', 'webinar'] } })
  })

  it('deduplicates: repeats, existing tags (any case), surrounding spaces; empty tags are dropped', async () => {
    const body = ok(await add(['vip', 'VIP', ' vip ', 'LEAD', 'newsletter', '', '  ', ' spring sale ']), 'add-tags', 201)
    expect(body.tags).toEqual(['lead', 'Newsletter', 'vip', 'spring sale'])
    expect(await readTags()).toEqual(body.tags)
  })

  it('adding only tags the contact has writes nothing and emits nothing', async () => {
    expect(ok(await add(['lead', 'NEWSLETTER']), 'add-tags', 201)).toEqual({ tags: ['lead', 'Newsletter'] })
    expect(ok(await add([]), 'add-tags', 201)).toEqual({ tags: ['lead', 'Newsletter'] })
    expect(events).toEqual([])
  })
})

describe('remove-tags', () => {
  it('answers 200 with the tags left, matching without regard to case; the store emits ContactTagUpdate', async () => {
    expect(ok(await remove(['newsletter', 'not-there']), 'remove-tags', 200)).toEqual({ tags: ['lead'] })
    expect(await readTags()).toEqual(['lead'])
    expect(events.map((e) => e.type)).toEqual(['ContactTagUpdate'])
    expect(ok(await remove(['Lead']), 'remove-tags', 200)).toEqual({ tags: [] })
    expect(await readTags()).toEqual([])
  })

  it('removing tags the contact lacks writes nothing', async () => {
    expect(ok(await remove(['absent']), 'remove-tags', 200)).toEqual({ tags: ['lead', 'Newsletter'] })
    expect(events).toEqual([])
  })
})

describe('errors', () => {
  it('unknown contact → 400 for both', async () => {
    for (const res of [await add(['x'], UNKNOWN), await remove(['x'], UNKNOWN)]) {
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ statusCode: 400, message: `Contact with id ${UNKNOWN} not found` })
    }
  })

  it('tags missing, not an array of strings, or extra properties → 422; nothing changes', async () => {
    const missing = await m.http.post(`/contacts/${contact.id}/tags`).set(m.auth()).send({})
    expect(missing.status).toBe(422)
    expect(missing.body.message.some((msg: string) => msg.startsWith('tags '))).toBe(true)
    expect((await add('vip')).status).toBe(422)
    expect((await add([1, 2])).status).toBe(422)
    const extra = await m.http
      .delete(`/contacts/${contact.id}/tags`)
      .set(m.auth())
      .send({ tags: ['lead'], all: true })
    expect(extra.status).toBe(422)
    expect(extra.body.message).toContain('property all should not exist')
    expect(await readTags()).toEqual(['lead', 'Newsletter'])
    expect(events).toEqual([])
  })

  it("another location's contact → 403", async () => {
    const { contacts } = await m.state.store.listContacts(m.other.location.id, { limit: 1 })
    expect((await add(['x'], contacts[0].id)).status).toBe(403)
  })
})

checkVendorSchemas()
