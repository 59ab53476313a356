/** Contacts: create, get, update, delete, upsert, duplicates, the cursor-paged list, partitioning, 422s. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeMock, T0, type TestMock } from '../support/mock.ts'
import { checkVendorSchemas, ok } from '../support/answers.ts'
import type { Contact, Location } from '../../mock/store/types.ts'

let m: TestMock
let loc: Location
let n = 0
/** A fresh email (and matching phone) per call, so tests never collide with each other or the seed. */
const unique = () => {
  n++
  return { email: `Person.${n}@Example.test`, phone: `+1 (555) 01${String(n).padStart(2, '0')}-${String(1000 + n)}` }
}

const create = (body: Record<string, unknown>) =>
  m.http
    .post('/contacts/')
    .set(m.auth())
    .send({ locationId: loc.id, ...body })
const get = (id: string, token?: string) => m.http.get(`/contacts/${id}`).set(m.auth(token))
const upsert = (body: Record<string, unknown>) =>
  m.http
    .post('/contacts/upsert')
    .set(m.auth())
    .send({ locationId: loc.id, ...body })

/** Make the store report `allowDuplicateContact: true` for a location (the seed has none); returns the undo. */
function allowDuplicates(locationId: string): () => void {
  const store = m.state.store
  const original = store.getLocation
  store.getLocation = async (id) => {
    const l = await original(id)
    return l && id === locationId ? { ...l, allowDuplicateContact: true } : l
  }
  return () => {
    store.getLocation = original
  }
}

async function allContacts(locationId: string): Promise<Contact[]> {
  return (await m.state.store.listContacts(locationId, { limit: 100_000 })).contacts
}

beforeAll(async () => {
  m = await makeMock()
  loc = m.location
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('create-contact', () => {
  it('201 {contact}; get-contact then sees it', async () => {
    const { email } = unique()
    const field = loc.customFields.find((f) => f.dataType === 'TEXT')!
    const body = ok(
      await create({
        firstName: 'Ada',
        lastName: 'Lovelace',
        email,
        phone: '+1 888-555-0101',
        tags: ['vip', 'vip', 'pioneer', ' pioneer '],
        customFields: [{ id: field.id, field_value: 'EMP-1' }],
        source: 'public api',
        dateOfBirth: '12/10/1815',
        gender: 'female',
      }),
      'create-contact',
      201,
    )
    const c = body.contact
    expect(c.id).toMatch(/^[A-Za-z0-9]{20}$/)
    expect(c).toMatchObject({
      locationId: loc.id,
      firstName: 'Ada',
      lastName: 'Lovelace',
      fullNameLowerCase: 'ada lovelace',
      email,
      emailLowerCase: email.toLowerCase(),
      phone: '+18885550101',
      tags: ['vip', 'pioneer'],
      customFields: [{ id: field.id, value: 'EMP-1' }],
      dateOfBirth: '1815-12-10',
      dateAdded: new Date(T0).toISOString(),
      dateUpdated: new Date(T0).toISOString(),
    })
    // Internal store fields and fields the API never returns stay inside; the create answer
    // is the vendor's CreateContactSchema, which has no `name` (get-contact has it).
    for (const k of ['campaigns', 'workflows', 'gender', 'followers', 'name']) expect(c).not.toHaveProperty(k)

    const fetched = ok(await get(c.id), 'get-contact').contact
    expect(fetched).toEqual({ ...c, name: 'Ada Lovelace' })
    expect((await m.state.store.getContact(c.id))?.email).toBe(email)
  })

  it('resolves custom field keys through the location definitions, and stores non-string values as text', async () => {
    const numeric = loc.customFields.find((f) => f.dataType === 'NUMERICAL')!
    const level = loc.customFields.find((f) => f.key === 'contact.training_level')!
    const c = ok(
      await create({
        ...unique(),
        customFields: [
          { id: 'ignored', key: numeric.key, field_value: 42 },
          { id: 'training_level', field_value: 'advanced' },
        ],
      }),
      'create-contact',
      201,
    ).contact
    expect(c.customFields).toEqual([
      { id: numeric.id, value: '42' },
      { id: level.id, value: 'advanced' },
    ])
  })

  it('unknown custom field ids/keys → 422 naming each, nothing created', async () => {
    const before = (await allContacts(loc.id)).length
    const res = await create({
      ...unique(),
      customFields: [
        { id: 'nope', field_value: 'x' },
        { id: 'also', key: 'contact.missing', field_value: 'y' },
      ],
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: [
        'customFields.0 id "nope" is not a custom field of this location',
        'customFields.1 id "also" / key "contact.missing" is not a custom field of this location',
      ],
    })
    expect((await allContacts(loc.id)).length).toBe(before)
  })

  it('an unreadable dateOfBirth → 422', async () => {
    const res = await create({ ...unique(), dateOfBirth: '31/31/2000' })
    expect(res.status).toBe(422)
    expect(res.body.message[0]).toMatch(/^dateOfBirth must be a valid date/)
  })

  it('same email (any case) in a location without duplicates → 400 with meta.contactId', async () => {
    const { email, phone } = unique()
    const first = ok(await create({ firstName: 'Grace', lastName: 'Hopper', email, phone }), 'create-contact', 201).contact
    const before = (await allContacts(loc.id)).length
    const res = await create({ firstName: 'Other', email: email.toUpperCase() })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      statusCode: 400,
      message: 'This location does not allow duplicated contacts.',
      meta: { contactId: first.id, contactName: 'Grace Hopper', matchingField: 'email' },
    })
    expect((await allContacts(loc.id)).length).toBe(before)
  })

  it('same phone, formatted differently → 400 with matchingField phone', async () => {
    const first = ok(await create({ firstName: 'Phone', phone: '+1 555 777 0001' }), 'create-contact', 201).contact
    const res = await create({ email: unique().email, phone: '+1 (555) 777-0001' })
    expect(res.status).toBe(400)
    expect(res.body.meta).toMatchObject({ contactId: first.id, matchingField: 'phone' })
  })

  it('a location that allows duplicates creates the second contact', async () => {
    const undo = allowDuplicates(loc.id)
    try {
      const { email } = unique()
      const a = ok(await create({ email }), 'create-contact', 201).contact
      const b = ok(await create({ email }), 'create-contact', 201).contact
      expect(b.id).not.toBe(a.id)
    } finally {
      undo()
    }
  })
})

describe('get-contact', () => {
  it('unknown id → 400 Contact with id … not found', async () => {
    const res = await get('AAAAAAAAAAAAAAAAAAAA')
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ statusCode: 400, message: 'Contact with id AAAAAAAAAAAAAAAAAAAA not found' })
  })

  it('a seeded contact validates against both specs', async () => {
    const [seeded] = await allContacts(loc.id)
    const c = ok(await get(seeded.id), 'get-contact').contact
    expect(c.id).toBe(seeded.id)
    expect(c.tags).toEqual(seeded.tags)
  })
})

describe('update-contact', () => {
  it('200 {succeded, contact}; get sees the change; null clears; tags replace; custom fields merge', async () => {
    const [text, numeric] = [loc.customFields.find((f) => f.dataType === 'TEXT')!, loc.customFields.find((f) => f.dataType === 'NUMERICAL')!]
    const c = ok(
      await create({ firstName: 'Old', lastName: 'Name', ...unique(), city: 'Paris', tags: ['a'], customFields: [{ id: text.id, field_value: 'T' }] }),
      'create-contact',
      201,
    ).contact
    m.state.clock.advance(60_000)
    const res = ok(
      await m.http
        .put(`/contacts/${c.id}`)
        .set(m.auth())
        .send({ firstName: 'New', city: null, tags: ['b', 'c', 'b'], customFields: [{ id: numeric.id, field_value: '7' }] }),
      'update-contact',
    )
    expect(res.succeded).toBe(true)
    expect(res.contact).toMatchObject({ id: c.id, firstName: 'New', lastName: 'Name', name: 'New Name', fullNameLowerCase: 'new name', tags: ['b', 'c'] })
    expect(res.contact).not.toHaveProperty('city')
    expect(res.contact.customFields).toEqual([
      { id: text.id, value: 'T' },
      { id: numeric.id, value: '7' },
    ])
    const fetched = ok(await get(c.id), 'get-contact').contact
    expect(fetched).toEqual(res.contact)
    expect(fetched.dateAdded).toBe(c.dateAdded)
    expect(Date.parse(fetched.dateUpdated)).toBe(Date.parse(c.dateUpdated) + 60_000)
  })

  it('name alone sets first and last name', async () => {
    const c = ok(await create({ name: 'Mary Ann Evans', ...unique() }), 'create-contact', 201).contact
    expect(c).toMatchObject({ firstName: 'Mary', lastName: 'Ann Evans', fullNameLowerCase: 'mary ann evans' })
    expect(ok(await get(c.id), 'get-contact').contact).toMatchObject({ name: 'Mary Ann Evans' })
    const res = ok(await m.http.put(`/contacts/${c.id}`).set(m.auth()).send({ name: 'George Eliot' }), 'update-contact')
    expect(res.contact).toMatchObject({ name: 'George Eliot', firstName: 'George', lastName: 'Eliot', fullNameLowerCase: 'george eliot' })
  })

  it("email or phone of another contact → the duplicate 400; the contact's own values are fine", async () => {
    const a = ok(await create({ firstName: 'Alpha', ...unique() }), 'create-contact', 201).contact
    const b = ok(await create({ firstName: 'Beta', ...unique() }), 'create-contact', 201).contact
    let res = await m.http.put(`/contacts/${b.id}`).set(m.auth()).send({ email: a.email })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      statusCode: 400,
      message: 'This location does not allow duplicated contacts.',
      meta: { contactId: a.id, contactName: 'Alpha', matchingField: 'email' },
    })
    res = await m.http.put(`/contacts/${b.id}`).set(m.auth()).send({ phone: a.phone })
    expect(res.status).toBe(400)
    expect(res.body.meta).toMatchObject({ contactId: a.id, matchingField: 'phone' })
    expect(ok(await get(b.id), 'get-contact').contact).toMatchObject({ email: b.email, phone: b.phone })
    ok(await m.http.put(`/contacts/${b.id}`).set(m.auth()).send({ email: b.email.toUpperCase(), phone: b.phone }), 'update-contact')
  })

  it('unknown id → 400', async () => {
    const res = await m.http.put('/contacts/AAAAAAAAAAAAAAAAAAAA').set(m.auth()).send({ firstName: 'x' })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe('Contact with id AAAAAAAAAAAAAAAAAAAA not found')
  })
})

describe('delete-contact', () => {
  it('200 {succeded: true}; then get and delete answer 400', async () => {
    const c = ok(await create(unique()), 'create-contact', 201).contact
    expect(ok(await m.http.delete(`/contacts/${c.id}`).set(m.auth()), 'delete-contact')).toEqual({ succeded: true })
    expect((await get(c.id)).status).toBe(400)
    expect(await m.state.store.getContact(c.id)).toBeUndefined()
    const again = await m.http.delete(`/contacts/${c.id}`).set(m.auth())
    expect(again.status).toBe(400)
    expect(again.body.message).toBe(`Contact with id ${c.id} not found`)
    // Its email is free again.
    ok(await create({ email: c.email }), 'create-contact', 201)
  })
})

describe('upsert-contact', () => {
  it('no match → 200 {new: true}, created', async () => {
    const { email } = unique()
    const body = ok(await upsert({ firstName: 'Up', email }), 'upsert-contact')
    expect(body.new).toBe(true)
    expect(ok(await get(body.contact.id), 'get-contact').contact).toMatchObject({ firstName: 'Up', email })
  })

  it('email match → 200 {new: false}, that contact updated', async () => {
    const c = ok(await create({ firstName: 'Before', lastName: 'Keep', ...unique(), tags: ['x'] }), 'create-contact', 201).contact
    const body = ok(await upsert({ firstName: 'After', email: c.email.toUpperCase(), tags: ['y'] }), 'upsert-contact')
    expect(body).toMatchObject({ new: false, contact: { id: c.id, firstName: 'After', lastName: 'Keep', tags: ['y'] } })
    expect(ok(await get(c.id), 'get-contact').contact.firstName).toBe('After')
  })

  it('phone match (email unknown) → updates it and takes the new email', async () => {
    const c = ok(await create({ firstName: 'ByPhone', phone: '+1 555 888 0002' }), 'create-contact', 201).contact
    const { email } = unique()
    const body = ok(await upsert({ phone: '(555) 888-0002', email }), 'upsert-contact')
    expect(body).toMatchObject({ new: false, contact: { id: c.id, email, phone: '+15558880002' } })
  })

  it("email matches A and phone matches B → A is updated, B's phone is not copied, B untouched", async () => {
    const a = ok(await create({ firstName: 'A', ...unique() }), 'create-contact', 201).contact
    const b = ok(await create({ firstName: 'B', ...unique() }), 'create-contact', 201).contact
    const before = (await allContacts(loc.id)).length
    const body = ok(await upsert({ email: a.email, phone: b.phone, lastName: 'Merged' }), 'upsert-contact')
    expect(body.new).toBe(false)
    expect(body.contact).toMatchObject({ id: a.id, lastName: 'Merged', phone: a.phone })
    expect(ok(await get(a.id), 'get-contact').contact.phone).toBe(a.phone)
    expect(ok(await get(b.id), 'get-contact').contact).toEqual({ ...b, name: 'B' })
    expect((await allContacts(loc.id)).length).toBe(before)
  })

  it('createNewIfDuplicateAllowed in a location that allows duplicates → always new', async () => {
    const c = ok(await create(unique()), 'create-contact', 201).contact
    const undo = allowDuplicates(loc.id)
    try {
      const body = ok(await upsert({ email: c.email, createNewIfDuplicateAllowed: true }), 'upsert-contact')
      expect(body.new).toBe(true)
      expect(body.contact.id).not.toBe(c.id)
      // Without the flag it still updates the match.
      expect(ok(await upsert({ email: c.email, city: 'Rome' }), 'upsert-contact').new).toBe(false)
    } finally {
      undo()
    }
  })
})

describe('get-duplicate-contact', () => {
  it('by email, by number (URL-encoded +), and {contact: null} when none', async () => {
    const c = ok(await create({ firstName: 'Dupe', email: 'dupe.lookup@example.test', phone: '+15559990003' }), 'create-contact', 201).contact
    const q = (params: Record<string, string>) =>
      m.http
        .get('/contacts/search/duplicate')
        .query({ locationId: loc.id, ...params })
        .set(m.auth())
    expect(ok(await q({ email: 'DUPE.lookup@example.test' }), 'get-duplicate-contact')).toEqual({
      contact: ok(await get(c.id), 'get-contact').contact,
      matchingField: 'email',
    })
    expect(ok(await q({ number: '+15559990003' }), 'get-duplicate-contact')).toMatchObject({ contact: { id: c.id }, matchingField: 'phone' })
    // An unencoded + arrives as a space; still found.
    const raw = await m.http.get(`/contacts/search/duplicate?locationId=${loc.id}&number=+15559990003`).set(m.auth())
    expect(ok(raw, 'get-duplicate-contact').contact.id).toBe(c.id)
    expect(ok(await q({ email: 'nobody@example.test' }), 'get-duplicate-contact')).toEqual({ contact: null })
    expect(ok(await q({}), 'get-duplicate-contact')).toEqual({ contact: null })
  })

  it("another location's data is not visible", async () => {
    const [theirs] = await allContacts(m.other.location.id)
    const res = await m.http.get('/contacts/search/duplicate').query({ locationId: loc.id, email: theirs.email! }).set(m.auth())
    expect(ok(res, 'get-duplicate-contact')).toEqual({ contact: null })
  })
})

describe('get-contacts (cursor paging)', () => {
  it('walks every contact of the location through meta.nextPageUrl: no gaps, no duplicates, meta right', async () => {
    const fresh = await makeMock()
    const location = fresh.location
    const expected = (await fresh.state.store.listContacts(location.id, { limit: 100_000 })).contacts.map((c) => c.id)
    expect(expected.length).toBe(200)
    const seen: string[] = []
    let url: string | undefined = `/contacts/?locationId=${location.id}&limit=30`
    let page = 0
    while (url) {
      const res = await fresh.http.get(url).set(fresh.auth())
      const body = ok(res, 'get-contacts')
      page++
      expect(body.count).toBe(200)
      expect(body.meta.total).toBe(200)
      expect(body.meta.currentPage).toBe(page)
      expect(body.meta.prevPage).toBe(page === 1 ? null : page - 1)
      const ids = body.contacts.map((c: { id: string }) => c.id)
      seen.push(...ids)
      if (body.meta.nextPageUrl) {
        expect(body.contacts.length).toBe(30)
        const last = body.contacts[body.contacts.length - 1]
        expect(body.meta).toMatchObject({ startAfterId: last.id, startAfter: Date.parse(last.dateAdded), nextPage: page + 1 })
        const next = new URL(body.meta.nextPageUrl)
        // Absolute, on this server.
        expect(next.origin).toBe(new URL(res.request.url).origin)
        expect(next.pathname).toBe('/contacts/')
        expect(Object.fromEntries(next.searchParams)).toEqual({
          locationId: location.id,
          limit: '30',
          startAfter: String(body.meta.startAfter),
          startAfterId: last.id,
        })
        url = next.pathname + next.search
      } else {
        expect(body.contacts.length).toBe(200 - 30 * 6)
        for (const k of ['nextPageUrl', 'nextPage', 'startAfter', 'startAfterId']) expect(body.meta).not.toHaveProperty(k)
        url = undefined
      }
      expect(page).toBeLessThan(20)
    }
    expect(page).toBe(7)
    expect(seen).toEqual(expected)
    expect(new Set(seen).size).toBe(200)
    const dates = seen.map((id) => expected.indexOf(id))
    expect(dates).toEqual([...dates].sort((a, b) => a - b))
    expect(fresh.state.selfCheckFailures).toEqual([])
  })

  it('default limit 20; list items use the ContactsSearchSchema shape', async () => {
    const body = ok(await m.http.get('/contacts/').query({ locationId: loc.id }).set(m.auth()), 'get-contacts')
    expect(body.contacts.length).toBe(20)
    const first = body.contacts[0]
    const stored = (await m.state.store.getContact(first.id))!
    expect(first).toMatchObject({ id: stored.id, locationId: loc.id, email: stored.email, contactName: stored.fullNameLowerCase, tags: stored.tags })
    for (const k of ['campaigns', 'workflows', 'emailLowerCase', 'name']) expect(first).not.toHaveProperty(k)
  })

  it('query narrows the list and count', async () => {
    const target = (await allContacts(loc.id))[5]
    const body = ok(await m.http.get('/contacts/').query({ locationId: loc.id, query: target.email! }).set(m.auth()), 'get-contacts')
    expect(body.contacts.map((c: { id: string }) => c.id)).toEqual([target.id])
    expect(body.count).toBe(1)
    expect(body.meta).toMatchObject({ total: 1, currentPage: 1, prevPage: null })
  })

  it('limit over 100 or locationId missing → 422', async () => {
    let res = await m.http.get('/contacts/').query({ locationId: loc.id, limit: 101 }).set(m.auth())
    expect(res.status).toBe(422)
    expect(res.body.message).toContain('limit must not be greater than 100')
    res = await m.http.get('/contacts/').set(m.auth())
    expect(res.status).toBe(422)
    expect(res.body.message).toContain('locationId should not be empty')
  })
})

describe('locations are partitioned', () => {
  it("location B's token cannot read, change, delete or list A's contacts (403)", async () => {
    const [mine] = await allContacts(loc.id)
    const forbidden = { statusCode: 403, message: 'The token does not have access to this location.', error: 'Forbidden' }
    const responses = [
      await get(mine.id, m.other.token),
      await m.http.put(`/contacts/${mine.id}`).set(m.auth(m.other.token)).send({ firstName: 'Hacked' }),
      await m.http.delete(`/contacts/${mine.id}`).set(m.auth(m.other.token)),
      await m.http.get('/contacts/').query({ locationId: loc.id }).set(m.auth(m.other.token)),
      await m.http.post('/contacts/').set(m.auth(m.other.token)).send({ locationId: loc.id, firstName: 'x' }),
      await m.http.post('/contacts/upsert').set(m.auth(m.other.token)).send({ locationId: loc.id, email: mine.email }),
    ]
    for (const res of responses) {
      expect(res.status).toBe(403)
      expect(res.body).toEqual(forbidden)
    }
    expect(await m.state.store.getContact(mine.id)).toEqual(mine)
  })

  it("each location's list only holds its own contacts; emails may repeat across locations", async () => {
    const body = ok(await m.http.get('/contacts/').query({ locationId: m.other.location.id, limit: 100 }).set(m.auth(m.other.token)), 'get-contacts')
    expect(body.contacts.every((c: { locationId: string }) => c.locationId === m.other.location.id)).toBe(true)
    const [mine] = await allContacts(loc.id)
    const copy = await m.http.post('/contacts/').set(m.auth(m.other.token)).send({ locationId: m.other.location.id, email: mine.email })
    expect(copy.status).toBe(201)
  })
})

describe('request validation (422)', () => {
  it('unknown property → property foo should not exist', async () => {
    const res = await create({ firstName: 'x', foo: 1 })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({ statusCode: 422, message: ['property foo should not exist'], error: 'Unprocessable Entity' })
    const upd = await m.http
      .put(`/contacts/${(await allContacts(loc.id))[0].id}`)
      .set(m.auth())
      .send({ locationId: loc.id })
    expect(upd.status).toBe(422)
    expect(upd.body.message).toEqual(['property locationId should not exist'])
  })

  it('missing locationId and wrong types are listed together', async () => {
    const res = await m.http.post('/contacts/').set(m.auth()).send({ tags: 'vip', dnd: 'yes' })
    expect(res.status).toBe(422)
    expect(res.body.message).toEqual(expect.arrayContaining(['locationId should not be empty', 'tags must be an array', 'dnd must be a boolean value']))
  })
})

checkVendorSchemas()
