/** Contacts of a business: GET /contacts/business/{businessId} and POST /contacts/bulk/business. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeMock, type TestMock } from '../support/mock.ts'
import { checkVendorSchemas, ok } from '../support/answers.ts'
import type { Contact, Location } from '../../mock/store/types.ts'

let m: TestMock
let loc: Location

const all = async (locationId = loc.id): Promise<Contact[]> => (await m.state.store.listContacts(locationId, { limit: 100_000 })).contacts
const list = (businessId: string, query: Record<string, string | number> = {}, token?: string) =>
  m.http
    .get(`/contacts/business/${businessId}`)
    .query({ locationId: loc.id, ...query })
    .set(m.auth(token))
const bulk = (body: Record<string, unknown>, token?: string) =>
  m.http
    .post('/contacts/bulk/business')
    .set(m.auth(token))
    .send({ locationId: loc.id, ...body })

beforeAll(async () => {
  m = await makeMock()
  loc = m.location
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('get-contacts-by-businessId', () => {
  it('lists the business contacts (default limit 25) with count = all of them; skip/limit page through', async () => {
    // The business with the most seeded contacts.
    const contacts = await all()
    const [business, members] = loc.businesses
      .map((b) => [b.id, contacts.filter((c) => c.businessId === b.id).map((c) => c.id)] as const)
      .sort((a, b) => b[1].length - a[1].length)[0]
    expect(members.length).toBeGreaterThan(5)

    const first = ok(await list(business), 'get-contacts-by-businessId')
    expect(first.count).toBe(members.length)
    expect(first.contacts.length).toBe(Math.min(25, members.length))
    expect(first.contacts.every((c: { businessId: string; locationId: string }) => c.businessId === business && c.locationId === loc.id)).toBe(true)

    const seen: string[] = []
    for (let skip = 0; skip < members.length; skip += 4) {
      const page = ok(await list(business, { skip, limit: 4 }), 'get-contacts-by-businessId')
      expect(page.count).toBe(members.length)
      seen.push(...page.contacts.map((c: { id: string }) => c.id))
    }
    expect(seen).toEqual(members)
    expect(ok(await list(business, { skip: members.length }), 'get-contacts-by-businessId').contacts).toEqual([])
  })

  it('query narrows the list', async () => {
    const member = (await all()).find((c) => c.businessId)!
    const body = ok(await list(member.businessId!, { query: member.email! }), 'get-contacts-by-businessId')
    expect(body).toMatchObject({ count: 1, contacts: [{ id: member.id, contactName: member.fullNameLowerCase }] })
  })

  it('a businessId the location does not know → an empty list', async () => {
    expect(ok(await list('000000000000000000000000'), 'get-contacts-by-businessId')).toEqual({ contacts: [], count: 0 })
    // A business of another location is unknown here too.
    expect(ok(await list(m.other.location.businesses[0].id), 'get-contacts-by-businessId')).toEqual({ contacts: [], count: 0 })
  })

  it("another location's token → 403; bad paging → 422", async () => {
    const res = await list(loc.businesses[0].id, {}, m.other.token)
    expect(res.status).toBe(403)
    const bad = await list(loc.businesses[0].id, { limit: 0, skip: -1 })
    expect(bad.status).toBe(422)
    expect(bad.body.message).toEqual(expect.arrayContaining(['limit must not be less than 1', 'skip must not be less than 0']))
  })
})

describe('add-remove-contact-from-business', () => {
  it('attaches contacts; unknown ids and ids of another location are reported and left alone', async () => {
    const business = loc.businesses[1].id
    const targets = (await all()).filter((c) => c.businessId !== business).slice(0, 3)
    const foreign = (await all(m.other.location.id))[0]
    const body = ok(
      await bulk({ businessId: business, ids: [targets[0].id, targets[1].id, 'AAAAAAAAAAAAAAAAAAAA', foreign.id, targets[2].id, targets[0].id] }),
      'add-remove-contact-from-business',
    )
    expect(body).toEqual({
      success: false,
      ids: targets.map((t) => t.id),
      errors: [
        { id: 'AAAAAAAAAAAAAAAAAAAA', message: 'Contact with id AAAAAAAAAAAAAAAAAAAA not found' },
        { id: foreign.id, message: `Contact with id ${foreign.id} not found` },
      ],
    })
    for (const t of targets) {
      const got = await m.http.get(`/contacts/${t.id}`).set(m.auth())
      expect(got.body.contact.businessId).toBe(business)
    }
    expect(await m.state.store.getContact(foreign.id)).toEqual(foreign)
    const listed = ok(await list(business, { limit: 200 }), 'get-contacts-by-businessId').contacts.map((c: { id: string }) => c.id)
    for (const t of targets) expect(listed).toContain(t.id)
  })

  it('businessId null removes the business; all ids fine → success true', async () => {
    const members = (await all()).filter((c) => c.businessId).slice(0, 2)
    const body = ok(await bulk({ businessId: null, ids: members.map((c) => c.id) }), 'add-remove-contact-from-business')
    expect(body).toEqual({ success: true, ids: members.map((c) => c.id) })
    for (const c of members) {
      const stored = (await m.state.store.getContact(c.id))!
      expect(stored).not.toHaveProperty('businessId')
      const got = await m.http.get(`/contacts/${c.id}`).set(m.auth())
      expect(got.body.contact).not.toHaveProperty('businessId')
    }
  })

  it("a business unknown to the location (or another location's) → 400, nothing changed", async () => {
    const target = (await all())[10]
    for (const businessId of ['000000000000000000000000', m.other.location.businesses[0].id]) {
      const res = await bulk({ businessId, ids: [target.id] })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ statusCode: 400, message: `Business with id ${businessId} not found` })
    }
    expect(await m.state.store.getContact(target.id)).toEqual(target)
  })

  it("another location's token → 403; malformed bodies → 422", async () => {
    const res = await bulk({ businessId: null, ids: [] }, m.other.token)
    expect(res.status).toBe(403)
    const bad = await m.http.post('/contacts/bulk/business').set(m.auth()).send({ locationId: loc.id, ids: 'x', foo: 1 })
    expect(bad.status).toBe(422)
    expect(bad.body.message).toEqual(expect.arrayContaining(['property foo should not exist', 'businessId should not be empty', 'ids must be an array']))
  })
})

checkVendorSchemas()
