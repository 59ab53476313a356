/**
 * POST /contacts/search: filters (every operator, nested AND/OR groups), full-text query,
 * sort, and two kinds of paging: `page` (standard, at most 10,000 records deep) or
 * `searchAfter` (the cursor each result carries, for deep paging). The matching itself is
 * the store's; the spec's schema refuses malformed filters and page with searchAfter, this
 * handler what no schema can say (paging depth, a cursor that does not fit the sort).
 */
import type { components } from '../../../openapi/generated/contacts.ts'
import { badRequest } from '../../errors.ts'
import { MAX_STANDARD_PAGING } from '../../store/search.ts'
import { defineHandlers } from '../../handler.ts'
import { requireLocation } from './shared.ts'
import { searchAnswer } from './view.ts'

type S = components['schemas']
export const searchHandlers = defineHandlers({
  async 'search-contacts-advanced'(input, state) {
    const body = input.body as S['SearchBodyV2DTO']
    const location = await requireLocation(state.store, body.locationId)
    // An empty searchAfter is the first page of a cursor walk, as if none was sent (the
    // spec refuses page with a non-empty one, and each filter's value by its operator).
    const cursor = body.searchAfter?.length ? body.searchAfter : undefined
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

    const { contacts, cursors, total } = await state.store.searchContacts(location.id, body)
    return { status: 200, body: searchAnswer(contacts, cursors, total) }
  },
})
