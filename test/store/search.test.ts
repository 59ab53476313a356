/** The pure search functions: every operator, groups, query, sort keys, cursors and paging. */
import { describe, expect, it } from 'vitest'
import {
  MAX_STANDARD_PAGING,
  compareKeys,
  compileSearch,
  createFieldReader,
  cursorOf,
  indexAfter,
  pageOf,
  sortKey,
  sortOf,
  type SortSpec,
} from '../../mock/store/search.ts'
import type { Contact, SearchBody } from '../../mock/store/types.ts'

function contact(id: string, fields: Partial<Contact>): Contact {
  return {
    id,
    locationId: 'L',
    dateAdded: '2024-01-01T00:00:00.000Z',
    dateUpdated: '2024-01-01T00:00:00.000Z',
    tags: [],
    followers: [],
    campaigns: {},
    workflows: {},
    ...fields,
  }
}

const people: Contact[] = [
  contact('a1', {
    firstName: 'Ada',
    lastName: 'Lovelace',
    fullNameLowerCase: 'ada lovelace',
    email: 'Ada@Example.com',
    emailLowerCase: 'ada@example.com',
    phone: '+15550100001',
    companyName: 'Analytical Engines',
    tags: ['vip', 'trainee'],
    dnd: false,
    type: 'lead',
    dateAdded: '2023-03-01T10:00:00.000Z',
    customFields: [
      { id: 'hours', value: '150' },
      { id: 'start', value: '2024-02-01' },
    ],
    dndSettings: { SMS: { status: 'active' } },
  }),
  contact('b2', {
    firstName: 'Grace',
    lastName: 'Hopper',
    fullNameLowerCase: 'grace hopper',
    email: 'grace@navy.mil',
    emailLowerCase: 'grace@navy.mil',
    phone: '+15550100002',
    companyName: 'Navy',
    tags: ['partner'],
    dnd: true,
    type: 'customer',
    dateAdded: '2024-06-15T12:00:00.000Z',
    customFields: [{ id: 'hours', value: '40' }],
  }),
  contact('c3', {
    firstName: 'alan',
    lastName: 'Turing',
    fullNameLowerCase: 'alan turing',
    email: 'alan@bletchley.uk',
    emailLowerCase: 'alan@bletchley.uk',
    companyName: 'Bletchley Park',
    tags: [],
    type: 'lead',
    dateAdded: '2025-01-20T08:30:00.000Z',
    businessId: 'biz1',
  }),
]

const run = (body: Pick<SearchBody, 'filters' | 'query'>) => {
  const match = compileSearch(body, createFieldReader())
  return people.filter(match).map((c) => c.id)
}
const f = (field: string, operator: string, value?: unknown) => ({ field, operator, value }) as NonNullable<SearchBody['filters']>[number]

describe('operators', () => {
  it('eq / not_eq: case-insensitive, tags contain, arrays mean any of, numbers and booleans as text', () => {
    expect(run({ filters: [f('firstName', 'eq', 'ALAN')] })).toEqual(['c3'])
    expect(run({ filters: [f('firstNameLowerCase', 'eq', 'alan')] })).toEqual([])
    expect(run({ filters: [f('fullNameLowerCase', 'eq', 'alan turing')] })).toEqual(['c3'])
    expect(run({ filters: [f('tags', 'eq', 'VIP')] })).toEqual(['a1'])
    expect(run({ filters: [f('tags', 'eq', ['partner', 'trainee'])] })).toEqual(['a1', 'b2'])
    expect(run({ filters: [f('type', 'eq', ['customer', 'nobody'])] })).toEqual(['b2'])
    expect(run({ filters: [f('customFields.hours', 'eq', 150)] })).toEqual(['a1'])
    expect(run({ filters: [f('dnd', 'eq', true)] })).toEqual(['b2'])
    expect(run({ filters: [f('dnd', 'eq', 'false')] })).toEqual(['a1'])
    expect(run({ filters: [f('tags', 'not_eq', 'vip')] })).toEqual(['b2', 'c3'])
    expect(run({ filters: [f('email', 'not_eq', 'ADA@example.com')] })).toEqual(['b2', 'c3'])
  })

  it('eq on dates compares instants, whatever the format', () => {
    expect(run({ filters: [f('dateAdded', 'eq', Date.UTC(2024, 5, 15, 12))] })).toEqual(['b2'])
    expect(run({ filters: [f('dateAdded', 'eq', '2024-06-15T12:00:00Z')] })).toEqual(['b2'])
  })

  it('contains / not_contains: substrings, case-insensitive, any tag', () => {
    expect(run({ filters: [f('email', 'contains', 'NAVY')] })).toEqual(['b2'])
    expect(run({ filters: [f('tags', 'contains', 'rain')] })).toEqual(['a1'])
    expect(run({ filters: [f('companyName', 'not_contains', 'park')] })).toEqual(['a1', 'b2'])
    // A contact without the field does not contain anything.
    expect(run({ filters: [f('phone', 'not_contains', '0001')] })).toEqual(['b2', 'c3'])
  })

  it('exists / not_exists: empty strings and empty arrays count as missing', () => {
    expect(run({ filters: [f('businessId', 'exists')] })).toEqual(['c3'])
    expect(run({ filters: [f('phone', 'not_exists')] })).toEqual(['c3'])
    expect(run({ filters: [f('tags', 'exists')] })).toEqual(['a1', 'b2'])
    expect(run({ filters: [f('tags', 'not_exists')] })).toEqual(['c3'])
    expect(run({ filters: [f('customField.start', 'exists')] })).toEqual(['a1'])
    expect(run({ filters: [f('dndSettings.SMS.status', 'exists')] })).toEqual(['a1'])
  })

  it('range: dates (ISO or ms), numbers stored as text, dates stored as text', () => {
    expect(run({ filters: [f('dateAdded', 'range', { gte: '2024-01-01T00:00:00.000Z', lt: Date.UTC(2025, 0, 20, 8, 30) })] })).toEqual(['b2'])
    expect(run({ filters: [f('dateAdded', 'range', { gt: '2024-06-15T12:00:00.000Z' })] })).toEqual(['c3'])
    expect(run({ filters: [f('dateAdded', 'range', { lte: '2024-06-15T12:00:00.000Z' })] })).toEqual(['a1', 'b2'])
    expect(run({ filters: [f('customFields.hours', 'range', { gt: 100 })] })).toEqual(['a1'])
    expect(run({ filters: [f('customFields.hours', 'range', { gte: '40', lte: 40 })] })).toEqual(['b2'])
    expect(run({ filters: [f('customFields.start', 'range', { gte: '2024-01-01', lte: Date.UTC(2024, 11, 31) })] })).toEqual(['a1'])
  })

  it('an unknown operator matches nothing', () => {
    expect(run({ filters: [f('email', 'like', 'a')] })).toEqual([])
  })
})

describe('combining', () => {
  it('top-level filters are AND-ed; groups are AND or OR and nest', () => {
    expect(run({ filters: [f('type', 'eq', 'lead'), f('tags', 'eq', 'vip')] })).toEqual(['a1'])
    const either = { group: 'OR', filters: [f('tags', 'eq', 'partner'), f('businessId', 'exists')] }
    expect(run({ filters: [either] as SearchBody['filters'] })).toEqual(['b2', 'c3'])
    const nested = {
      group: 'AND',
      filters: [
        f('type', 'eq', 'lead'),
        { group: 'OR', filters: [f('tags', 'eq', 'vip'), { group: 'AND', filters: [f('businessId', 'exists'), f('firstName', 'eq', 'alan')] }] },
      ],
    }
    expect(run({ filters: [nested] as SearchBody['filters'] })).toEqual(['a1', 'c3'])
    expect(run({ filters: [{ group: 'OR', filters: [] }] as SearchBody['filters'] })).toEqual([])
    expect(run({ filters: [{ group: 'AND', filters: [] }] as SearchBody['filters'] })).toEqual(['a1', 'b2', 'c3'])
  })

  it('query: substring of name, email, phone or company, case-insensitive, and-ed with filters', () => {
    expect(run({ query: 'LOVE' })).toEqual(['a1'])
    expect(run({ query: 'navy.mil' })).toEqual(['b2'])
    expect(run({ query: 'bletchley park' })).toEqual(['c3'])
    expect(run({ query: '555-010-0002' })).toEqual(['b2'])
    expect(run({ query: 'a', filters: [f('type', 'eq', 'customer')] })).toEqual(['b2'])
    expect(run({ query: 'zzz' })).toEqual([])
  })
})

describe('sort keys, cursors and paging', () => {
  const read = createFieldReader()
  const sorted = (sort: SortSpec[]) => people.map((c) => ({ c, key: sortKey(c, sort, read) })).sort((x, y) => compareKeys(x.key, y.key, sort))

  it('defaults to newest first; at most two fields; keys end with the id', () => {
    expect(sortOf({})).toEqual([{ field: 'dateAdded', direction: 'desc' }])
    expect(
      sortOf({
        sort: [
          { field: 'a', direction: 'asc' },
          { field: 'b', direction: 'desc' },
          { field: 'c', direction: 'asc' },
        ],
      }),
    ).toHaveLength(2)
    expect(sorted(sortOf({})).map((e) => e.c.id)).toEqual(['c3', 'b2', 'a1'])
    expect(sorted(sortOf({}))[0].key).toEqual([Date.parse('2025-01-20T08:30:00.000Z'), 'c3'])
  })

  it('sorts strings case-insensitively, missing values first ascending, id breaks ties', () => {
    expect(sorted([{ field: 'firstName', direction: 'asc' }]).map((e) => e.c.id)).toEqual(['a1', 'c3', 'b2'])
    expect(sorted([{ field: 'phone', direction: 'asc' }]).map((e) => e.c.id)).toEqual(['c3', 'a1', 'b2'])
    expect(
      sorted([
        { field: 'type', direction: 'asc' },
        { field: 'dateAdded', direction: 'desc' },
      ]).map((e) => e.c.id),
    ).toEqual(['b2', 'c3', 'a1'])
    expect(sorted([{ field: 'type', direction: 'desc' }]).map((e) => e.c.id)).toEqual(['a1', 'c3', 'b2'])
  })

  it('finds the first entry after a cursor, including ISO dates sent back by a client', () => {
    const sort = sortOf({})
    const list = sorted(sort)
    expect(indexAfter(list, list[0].key, sort)).toBe(1)
    expect(indexAfter(list, cursorOf(['2024-06-15T12:00:00.000Z', 'b2'], sort), sort)).toBe(2)
    // A cursor without the id compares on its prefix only: equal means "not after".
    expect(indexAfter(list, cursorOf([Date.parse('2024-06-15T12:00:00.000Z')], sort), sort)).toBe(2)
    expect(indexAfter(list, [0, ''], sort)).toBe(3)
  })

  it('standard paging stops at MAX_STANDARD_PAGING; searchAfter goes on', () => {
    const sort: SortSpec[] = [{ field: 'n', direction: 'asc' }]
    const many = Array.from({ length: MAX_STANDARD_PAGING + 50 }, (_, i) => ({ key: [i, `id${i}`] }))
    expect(pageOf(many, { pageLimit: 100, page: 100 }, sort).map((e) => e.key[0])).toEqual(Array.from({ length: 100 }, (_, i) => 9900 + i))
    expect(pageOf(many, { pageLimit: 100, page: 101 }, sort)).toEqual([])
    expect(pageOf(many, { pageLimit: 300, page: 34 }, sort)).toHaveLength(100)
    expect(pageOf(many, { pageLimit: 30, searchAfter: [10_005, 'id10005'] }, sort).map((e) => e.key[0])).toEqual(
      Array.from({ length: 30 }, (_, i) => 10_006 + i),
    )
  })
})
