/** The paging iterators against an in-memory fake of the two endpoints (the mock-backed runs are in mock-paging.test.ts). */
import { describe, expect, it } from 'vitest'
import { listPages, records, searchPages } from '../../client/paging.ts'
import type { QueryParams, SearchBody, SuccessBody } from '../../client/types.ts'

const N = 12_345
const ids = Array.from({ length: N }, (_, i) => `c${String(i).padStart(19, '0')}`)
const index = new Map(ids.map((id, i) => [id, i]))
const added = (i: number) => Date.UTC(2025, 0, 1) + Math.floor(i / 3) * 1000 // several contacts share a timestamp

function fakeSearch() {
  const bodies: SearchBody[] = []
  const search = async (body: SearchBody): Promise<SuccessBody<'search-contacts-advanced'>> => {
    bodies.push(body)
    if (body.page !== undefined && body.searchAfter !== undefined) throw new Error('page and searchAfter together')
    let start: number
    if (body.searchAfter) start = index.get(String(body.searchAfter[1]))! + 1
    else {
      if (body.page! * body.pageLimit > 10_000) throw new Error('page beyond 10,000 records')
      start = (body.page! - 1) * body.pageLimit
    }
    const contacts = ids.slice(start, start + body.pageLimit).map((id) => ({ id, locationId: 'loc', dateAdded: '', searchAfter: [added(index.get(id)!), id] }))
    return { contacts, total: N }
  }
  return { search, bodies }
}

describe('searchPages / searchAll', () => {
  it('pages by number up to 10,000 records, then by searchAfter: every record once, in order', async () => {
    const { search, bodies } = fakeSearch()
    const seen: string[] = []
    for await (const c of records(searchPages(search, { locationId: 'loc', pageLimit: 500 }))) seen.push(c.id)
    expect(seen).toEqual(ids)
    expect(bodies.filter((b) => b.page !== undefined).map((b) => b.page)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(bodies.filter((b) => b.searchAfter)).toHaveLength(5)
    expect(bodies[20].searchAfter).toEqual([added(9_999), ids[9_999]])
  })

  it('stops on a short page, clamps pageLimit to 500, and passes filters through', async () => {
    const bodies: SearchBody[] = []
    const search = async (body: SearchBody) => {
      bodies.push(body)
      return {
        contacts: body.page === 1 ? ids.slice(0, 500).map((id) => ({ id, locationId: 'l', dateAdded: '' })) : [{ id: 'x', locationId: 'l', dateAdded: '' }],
        total: 501,
      }
    }
    const filters = [{ field: 'tags', operator: 'eq' as const, value: 'vip' }]
    let n = 0
    for await (const _ of records(searchPages(search, { locationId: 'l', pageLimit: 5_000, filters }))) n++
    expect(n).toBe(501)
    expect(bodies).toEqual([
      { locationId: 'l', pageLimit: 500, filters, page: 1 },
      { locationId: 'l', pageLimit: 500, filters, page: 2 },
    ])
  })

  it('skips records a shifting result set repeats', async () => {
    const search = async (body: SearchBody) => ({
      contacts: (body.page === 1 ? ['a', 'b'] : body.page === 2 ? ['b', 'c'] : []).map((id) => ({ id, locationId: 'l', dateAdded: '' })),
      total: 99,
    })
    const seen: string[] = []
    for await (const c of records(searchPages(search, { locationId: 'l', pageLimit: 2 }))) seen.push(c.id)
    expect(seen).toEqual(['a', 'b', 'c'])
  })
})

describe('listPages / listAll (GET /contacts/)', () => {
  it('follows meta.startAfterId + startAfter', async () => {
    const queries: QueryParams<'get-contacts'>[] = []
    const list = async (q: QueryParams<'get-contacts'>): Promise<SuccessBody<'get-contacts'>> => {
      queries.push(q)
      const start = q.startAfterId ? index.get(q.startAfterId)! + 1 : 0
      const page = ids.slice(start, Math.min(start + q.limit!, 1_050))
      const last = page[page.length - 1]
      return {
        contacts: page.map((id) => ({ id })),
        count: page.length,
        meta: last ? { startAfterId: last, startAfter: added(index.get(last)!), total: 1_050 } : { total: 1_050 },
      }
    }
    const seen: string[] = []
    for await (const c of records(listPages(list, { locationId: 'loc' }))) seen.push(c.id)
    expect(seen).toEqual(ids.slice(0, 1_050))
    expect(queries).toHaveLength(11)
    expect(queries[1]).toEqual({ locationId: 'loc', limit: 100, startAfterId: ids[99], startAfter: added(99) })
  })

  it('falls back to the last contact when meta has no cursor, and stops when the cursor does not move', async () => {
    let calls = 0
    const list = async () => {
      calls++
      return {
        contacts: [
          { id: 'a', dateAdded: '2025-01-01T00:00:00.000Z' },
          { id: 'b', dateAdded: '2025-01-01T00:00:01.000Z' },
        ],
        count: 2,
      }
    }
    const seen: string[] = []
    for await (const c of records(listPages(list, { locationId: 'l', limit: 2 }))) seen.push(c.id)
    expect(seen).toEqual(['a', 'b'])
    expect(calls).toBe(2)
  })
})

describe('searchAfter mode', () => {
  it('uses the cursor from the second page on', async () => {
    const { search, bodies } = fakeSearch()
    let n = 0
    for await (const _ of records(searchPages(search, { locationId: 'loc', pageLimit: 500, paging: 'searchAfter' }))) n++
    expect(n).toBe(N)
    expect(bodies[0]).toEqual({ locationId: 'loc', pageLimit: 500, page: 1 })
    expect(bodies.slice(1).every((b) => b.page === undefined && Array.isArray(b.searchAfter))).toBe(true)
    expect('paging' in bodies[1]).toBe(false)
  })
})
