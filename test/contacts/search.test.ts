/**
 * POST /contacts/search: every operator, nested groups, sort, page/pageLimit, searchAfter
 * deep paging, query, the 400s and 422s, and location partitioning. Expected results are
 * computed independently from the stored contacts with plain predicates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Response } from 'supertest'
import { makeMock, type TestMock } from '../support/mock.ts'
import { checkVendorSchemas, ok as okAs } from '../support/answers.ts'
import type { Contact, Location } from '../../mock/store/types.ts'

let m: TestMock
let loc: Location
let all: Contact[]

type Hit = { id: string; locationId: string; searchAfter: Array<string | number>; [k: string]: unknown }

const ok = (res: Response, status = 200): { contacts: Hit[]; total: number } => okAs(res, 'search-contacts-advanced', status)

const search = (body: Record<string, unknown>, token?: string) =>
  m.http
    .post('/contacts/search')
    .set(m.auth(token))
    .send({ locationId: loc.id, pageLimit: 500, ...body })

/** Ids of every match (one page of up to 500 is enough for 200 contacts), sorted for set comparison. */
async function ids(body: Record<string, unknown>): Promise<string[]> {
  const res = ok(await search(body))
  expect(res.total).toBe(res.contacts.length)
  return res.contacts.map((c) => c.id).sort()
}
const expected = (pred: (c: Contact) => boolean) =>
  all
    .filter(pred)
    .map((c) => c.id)
    .sort()

const byDateDesc = (a: Contact, b: Contact) => (a.dateAdded > b.dateAdded ? -1 : a.dateAdded < b.dateAdded ? 1 : a.id < b.id ? 1 : -1)

beforeAll(async () => {
  m = await makeMock()
  loc = m.location
  all = (await m.state.store.listContacts(loc.id, { limit: 100_000 })).contacts
  expect(all.length).toBe(200)
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('operators', () => {
  it('eq / not_eq on an array field (tags)', async () => {
    const vip = expected((c) => c.tags.includes('vip'))
    expect(vip.length).toBeGreaterThan(0)
    expect(await ids({ filters: [{ field: 'tags', operator: 'eq', value: 'vip' }] })).toEqual(vip)
    expect(await ids({ filters: [{ field: 'tags', operator: 'not_eq', value: 'vip' }] })).toEqual(expected((c) => !c.tags.includes('vip')))
  })

  it('eq is case-insensitive on text; a list value matches any of it', async () => {
    const target = all[3]
    expect(await ids({ filters: [{ field: 'email', operator: 'eq', value: target.email!.toUpperCase() }] })).toEqual([target.id])
    expect(await ids({ filters: [{ field: 'type', operator: 'eq', value: ['lead', 'customer'] }] })).toEqual(
      expected((c) => c.type === 'lead' || c.type === 'customer'),
    )
  })

  it('contains / not_contains', async () => {
    const needle = 'an'
    const hit = (c: Contact) => (c.firstName ?? '').toLowerCase().includes(needle)
    expect(await ids({ filters: [{ field: 'firstName', operator: 'contains', value: 'AN' }] })).toEqual(expected(hit))
    expect(await ids({ filters: [{ field: 'firstName', operator: 'not_contains', value: needle }] })).toEqual(expected((c) => !hit(c)))
  })

  it('exists / not_exists (no value)', async () => {
    const has = expected((c) => !!c.businessId)
    expect(has.length).toBeGreaterThan(0)
    expect(await ids({ filters: [{ field: 'businessId', operator: 'exists' }] })).toEqual(has)
    expect(await ids({ filters: [{ field: 'businessId', operator: 'not_exists' }] })).toEqual(expected((c) => !c.businessId))
  })

  it('range on dates (ISO or epoch ms bounds) and on numeric custom fields', async () => {
    const from = '2024-01-01T00:00:00.000Z'
    const to = Date.UTC(2024, 5, 30)
    const inRange = expected((c) => c.dateAdded >= from && Date.parse(c.dateAdded) < to)
    expect(inRange.length).toBeGreaterThan(0)
    expect(await ids({ filters: [{ field: 'dateAdded', operator: 'range', value: { gte: from, lt: to } }] })).toEqual(inRange)

    const hours = loc.customFields.find((f) => f.dataType === 'NUMERICAL')!
    const value = (c: Contact) => c.customFields?.find((f) => f.id === hours.id)?.value
    const over = expected((c) => value(c) !== undefined && Number(value(c)) > 100)
    expect(await ids({ filters: [{ field: `customFields.${hours.id}`, operator: 'range', value: { gt: 100 } }] })).toEqual(over)
  })

  it('filters in the top-level list are ANDed', async () => {
    expect(
      await ids({
        filters: [
          { field: 'tags', operator: 'eq', value: 'vip' },
          { field: 'type', operator: 'eq', value: 'lead' },
        ],
      }),
    ).toEqual(expected((c) => c.tags.includes('vip') && c.type === 'lead'))
  })

  it('nested AND/OR groups', async () => {
    const body = {
      filters: [
        {
          group: 'OR',
          filters: [
            { field: 'tags', operator: 'eq', value: 'vip' },
            {
              group: 'AND',
              filters: [
                { field: 'tags', operator: 'eq', value: 'partner' },
                { field: 'businessId', operator: 'exists' },
              ],
            },
          ],
        },
        { field: 'dnd', operator: 'eq', value: false },
      ],
    }
    const want = expected((c) => (c.tags.includes('vip') || (c.tags.includes('partner') && !!c.businessId)) && c.dnd === false)
    expect(want.length).toBeGreaterThan(0)
    expect(await ids(body)).toEqual(want)
  })
})

describe('query, sort and paging', () => {
  it('query: full text over name, email, phone and company', async () => {
    const target = all[7]
    const res = ok(await search({ query: target.email }))
    expect(res.contacts.map((c) => c.id)).toEqual([target.id])
    expect(res.total).toBe(1)
    const byName = ok(await search({ query: target.lastName }))
    expect(byName.contacts.map((c) => c.id)).toContain(target.id)
  })

  it('default order is dateAdded desc; results carry searchAfter and the GetContectByIdSchema fields', async () => {
    const res = ok(await search({ pageLimit: 10 }))
    expect(res.total).toBe(200)
    expect(res.contacts.map((c) => c.id)).toEqual(
      [...all]
        .sort(byDateDesc)
        .slice(0, 10)
        .map((c) => c.id),
    )
    const first = res.contacts[0]
    const stored = all.find((c) => c.id === first.id)!
    expect(first.searchAfter).toEqual([Date.parse(stored.dateAdded), stored.id])
    expect(first).toMatchObject({ id: stored.id, locationId: loc.id, email: stored.email, tags: stored.tags, followers: stored.followers })
    for (const k of ['campaigns', 'workflows']) expect(first).not.toHaveProperty(k)
  })

  it('sort by a field, both directions (id breaks ties)', async () => {
    const key = (c: Contact) => (c.firstName ?? '').toLowerCase()
    const asc = [...all].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1)).map((c) => c.id)
    const got = ok(await search({ sort: [{ field: 'firstName', direction: 'asc' }] })).contacts.map((c) => c.id)
    expect(got).toEqual(asc)
    const desc = ok(await search({ sort: [{ field: 'firstName', direction: 'desc' }] })).contacts.map((c) => key(all.find((x) => x.id === c.id)!))
    expect(desc).toEqual([...desc].sort().reverse())
  })

  it('page/pageLimit: consecutive pages tile the result without gaps or overlaps', async () => {
    const order = [...all].sort(byDateDesc).map((c) => c.id)
    const seen: string[] = []
    for (let page = 1; page <= 5; page++) {
      const res = ok(await search({ page, pageLimit: 45 }))
      expect(res.total).toBe(200)
      expect(res.contacts.length).toBe(page < 5 ? 45 : 20)
      seen.push(...res.contacts.map((c) => c.id))
    }
    expect(seen).toEqual(order)
    expect(ok(await search({ page: 6, pageLimit: 45 })).contacts).toEqual([])
  })

  it('searchAfter walks the whole result with any sort', async () => {
    const sort = [{ field: 'lastName', direction: 'asc' }]
    const reference = ok(await search({ sort })).contacts.map((c) => c.id)
    const seen: string[] = []
    let after: Array<string | number> | undefined
    for (let i = 0; i < 20; i++) {
      const res = ok(await search({ sort, pageLimit: 37, ...(after ? { searchAfter: after } : {}) }))
      if (res.contacts.length === 0) break
      seen.push(...res.contacts.map((c) => c.id))
      after = res.contacts[res.contacts.length - 1].searchAfter
    }
    expect(seen).toEqual(reference)
  })
})

describe('deep paging beyond 10,000 records', () => {
  it('page stops at 10,000 (400 past it); searchAfter reaches every record', async () => {
    const big = await makeMock({ locations: 1, contacts: 10_050 })
    const run = (body: Record<string, unknown>) =>
      big.http
        .post('/contacts/search')
        .set(big.auth())
        .send({ locationId: big.location.id, ...body })

    const lastStandard = ok(await run({ page: 20, pageLimit: 500 }))
    expect(lastStandard.total).toBe(10_050)
    expect(lastStandard.contacts.length).toBe(500)
    const beyond = await run({ page: 21, pageLimit: 500 })
    expect(beyond.status).toBe(400)
    expect(beyond.body.message).toMatch(/at most 10000 records .*Use searchAfter/)

    const seen = new Set<string>()
    let after: Array<string | number> | undefined
    let pages = 0
    for (;;) {
      const res = ok(await run({ pageLimit: 500, ...(after ? { searchAfter: after } : {}) }))
      if (res.contacts.length === 0) break
      for (const c of res.contacts) seen.add(c.id)
      after = res.contacts[res.contacts.length - 1].searchAfter
      pages++
      expect(pages).toBeLessThan(30)
    }
    expect(pages).toBe(21)
    expect(seen.size).toBe(10_050)
    expect(big.state.selfCheckFailures).toEqual([])
  })
})

describe('refusals', () => {
  it('page and searchAfter together → 400', async () => {
    const res = await search({ page: 2, searchAfter: [1700000000000, 'abc'] })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      statusCode: 400,
      message: 'page and searchAfter cannot be used together: use page for standard paging or searchAfter for deep paging.',
    })
  })

  it('an empty searchAfter goes with page (it is the first page of a walk, as if none was sent)', async () => {
    ok(await search({ page: 1, pageLimit: 5, searchAfter: [] }))
  })

  it('page × pageLimit beyond 10,000 → 400 pointing at searchAfter', async () => {
    const res = await search({ page: 101, pageLimit: 100 })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe('Standard paging reaches at most 10000 records (page 101 × pageLimit 100 = 10100). Use searchAfter for deeper paging.')
  })

  it('a searchAfter that does not fit the sort → 400', async () => {
    const res = await search({ searchAfter: ['only-one'] })
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/^searchAfter must be the searchAfter value of the last contact/)
  })

  it('schema violations → 422 (pageLimit, unknown properties, operators, long values, missing value)', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ pageLimit: 501 }, 'pageLimit must not be greater than 500'],
      [{ foo: 1 }, 'property foo should not exist'],
      [{ filters: [{ field: 'tags', operator: 'like', value: 'x' }] }, 'filters.0.operator must be one of the following values'],
      [{ query: 'q'.repeat(76) }, 'query must be shorter than or equal to 75 characters'],
      // The operator decides the value (SearchFilter's discriminator): only that branch speaks.
      [{ filters: [{ field: 'tags', operator: 'eq' }] }, 'filters.0.value should not be empty'],
      [{ filters: [{ field: 'tags', operator: 'eq', value: '' }] }, 'filters.0.value should not be empty'],
      [{ filters: [{ field: 'tags', operator: 'contains', value: [] }] }, 'filters.0.value must contain at least 1 elements'],
      [{ filters: [{ field: 'tags', operator: 'range', value: 'x' }] }, 'filters.0.value must be an object'],
      [{ filters: [{ field: 'dateAdded', operator: 'range', value: {} }] }, 'filters.0.value should not be empty'],
      [{ filters: [{ field: 'dateAdded', operator: 'range' }] }, 'filters.0.value should not be empty'],
      [{ filters: [{ field: 'tags', operator: 'exists', value: 'x' }] }, 'property filters.0.value should not exist'],
      [{ filters: [{ field: 'tags' }] }, 'filters.0.operator should not be empty'],
      [{ filters: [{ group: 'OR', filters: [{ field: 'dateAdded', operator: 'range', value: 'x' }] }] }, 'filters.0.filters.0.value must be an object'],
    ]
    for (const [body, message] of cases) {
      const res = await search(body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(
        res.body.message.some((msg: string) => msg.startsWith(message)),
        `${JSON.stringify(res.body.message)} ∌ ${message}`,
      ).toBe(true)
    }
    const noLimit = await m.http.post('/contacts/search').set(m.auth()).send({ locationId: loc.id })
    expect(noLimit.status).toBe(422)
    expect(noLimit.body.message).toContain('pageLimit should not be empty')
  })
})

describe('locations are partitioned', () => {
  it("location B's token cannot search A (403); its own search only returns its contacts", async () => {
    const res = await search({}, m.other.token)
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ statusCode: 403, message: 'The token does not have access to this location.', error: 'Forbidden' })

    const mine = all[0]
    const theirs = ok(await m.http.post('/contacts/search').set(m.auth(m.other.token)).send({ locationId: m.other.location.id, pageLimit: 500 }))
    expect(theirs.total).toBe(200)
    expect(theirs.contacts.every((c) => c.locationId === m.other.location.id)).toBe(true)
    const probe = ok(
      await m.http.post('/contacts/search').set(m.auth(m.other.token)).send({ locationId: m.other.location.id, pageLimit: 10, query: mine.email }),
    )
    expect(probe).toEqual({ contacts: [], total: 0 })
  })

  it('a contact created in A is searchable at once in A only', async () => {
    const created = await m.http.post('/contacts/').set(m.auth()).send({ locationId: loc.id, firstName: 'Zebulon', email: 'zebulon.search@example.test' })
    expect(created.status).toBe(201)
    expect(ok(await search({ query: 'zebulon.search' })).contacts.map((c) => c.id)).toEqual([created.body.contact.id])
    const inB = ok(
      await m.http.post('/contacts/search').set(m.auth(m.other.token)).send({ locationId: m.other.location.id, pageLimit: 10, query: 'zebulon.search' }),
    )
    expect(inB.total).toBe(0)
  })
})

checkVendorSchemas()
