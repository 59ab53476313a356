/**
 * POST /contacts/search: filters (every operator, nested AND/OR groups), full-text query,
 * sort, and two kinds of paging: `page` (standard, at most 10,000 records deep) or
 * `searchAfter` (the cursor each result carries, for deep paging). The matching itself is
 * the store's; this handler refuses what the live API refuses and shapes the answer.
 */
import type { components } from '../../../openapi/generated/contacts.ts'
import { badRequest, unprocessable } from '../../errors.ts'
import { MAX_STANDARD_PAGING } from '../../store/search.ts'
import { defineHandlers } from '../../handler.ts'
import { requireLocation } from './shared.ts'
import { toSearchContact } from './view.ts'

type S = components['schemas']
type Filter = S['SearchFilter']
type Group = S['SearchFilterGroup']

const VALUE_OPERATORS = new Set(['eq', 'not_eq', 'contains', 'not_contains'])
const isRange = (v: unknown): v is S['SearchRangeValue'] => !!v && typeof v === 'object' && !Array.isArray(v)

/** What the schema cannot say about a filter: which operators need which kind of value. */
function filterErrors(items: Array<Filter | Group>, path: string, errors: string[]): void {
  items.forEach((item, i) => {
    const at = `${path}.${i}`
    if ('group' in item) return filterErrors(item.filters, `${at}.filters`, errors)
    const { operator, value } = item
    if (VALUE_OPERATORS.has(operator)) {
      if (value === undefined || value === null || value === '' || isRange(value) || (Array.isArray(value) && value.length === 0)) {
        errors.push(`${at}.value must be a string, number, boolean or list of strings for operator ${operator}`)
      }
    } else if (operator === 'range') {
      if (!isRange(value) || Object.keys(value).length === 0) {
        errors.push(`${at}.value must be an object with at least one of gte, lte, gt, lt for operator range`)
      }
    }
  })
}

export const searchHandlers = defineHandlers({
  async 'search-contacts-advanced'(input, state) {
    const body = input.body as S['SearchBodyV2DTO']
    const location = await requireLocation(state.store, body.locationId)
    const errors: string[] = []
    filterErrors(body.filters ?? [], 'filters', errors)
    if (errors.length) throw unprocessable(errors)

    // An empty searchAfter is the first page of a cursor walk, as if none was sent.
    const cursor = body.searchAfter?.length ? body.searchAfter : undefined
    if (body.page !== undefined && cursor) {
      throw badRequest('page and searchAfter cannot be used together: use page for standard paging or searchAfter for deep paging.')
    }
    const page = body.page ?? 1
    if (!cursor && page * body.pageLimit > MAX_STANDARD_PAGING) {
      throw badRequest(
        `Standard paging reaches at most ${MAX_STANDARD_PAGING} records (page ${page} × pageLimit ${body.pageLimit} = ${page * body.pageLimit}). Use searchAfter for deeper paging.`,
      )
    }
    if (cursor) {
      // The cursor is the sort values of the last result followed by its id.
      const expected = (body.sort?.length || 1) + 1
      if (cursor.length !== expected) {
        throw badRequest(
          `searchAfter must be the searchAfter value of the last contact of the previous page, with the same sort (${expected} values, got ${cursor.length}).`,
        )
      }
    }

    const { contacts, total } = await state.store.searchContacts(location.id, body)
    return { status: 200, body: { contacts: contacts.map(toSearchContact), total } }
  },
})
