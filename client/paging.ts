/**
 * Async iterators over the two paged reads:
 *
 * - `POST /contacts/search`: numbered pages (`page`) while they can reach (the API
 *   serves at most 10,000 records that way), then the `searchAfter` cursor of the last
 *   contact for everything beyond.
 * - `GET /contacts/` (deprecated, still common): the `startAfterId` + `startAfter`
 *   cursor from `meta` (or from the last contact when `meta` lacks it).
 *
 * Each record is yielded once even if the data shifts between pages (ids already seen
 * are skipped). Pages are fetched one at a time, as the loop asks for them.
 */
import { GhlError } from './errors.ts'
import type { ListedContact, QueryParams, SearchBody, SearchContact, SuccessBody } from './types.ts'

/** Standard paging reaches at most this many records. */
export const SEARCH_PAGE_WINDOW = 10_000
export const SEARCH_MAX_PAGE_LIMIT = 500
export const LIST_MAX_LIMIT = 100

export type SearchAllParams = Omit<SearchBody, 'page' | 'searchAfter' | 'pageLimit'> & {
  /** Page size (default and maximum 500). */
  pageLimit?: number
  /**
   * `auto` (default): numbered pages up to the 10,000-record window, then `searchAfter`.
   * `searchAfter`: the cursor from the second page on, which does not skip or repeat
   * records when contacts are added or removed during a long walk.
   */
  paging?: 'auto' | 'searchAfter'
}

export type ListAllParams = Omit<QueryParams<'get-contacts'>, 'startAfterId' | 'startAfter'>

type SearchPage = SuccessBody<'search-contacts-advanced'>
type ListPage = SuccessBody<'get-contacts'>

export async function* searchPages(search: (body: SearchBody) => Promise<SearchPage>, params: SearchAllParams): AsyncGenerator<SearchPage> {
  const { paging = 'auto', ...rest } = params
  const pageLimit = Math.min(Math.max(1, params.pageLimit ?? SEARCH_MAX_PAGE_LIMIT), SEARCH_MAX_PAGE_LIMIT)
  let page = 1
  let searchAfter: Array<string | number> | undefined
  let fetched = 0
  for (;;) {
    const body: SearchBody = searchAfter ? { ...rest, pageLimit, searchAfter } : { ...rest, pageLimit, page }
    const result = await search(body)
    yield result
    fetched += result.contacts.length
    if (result.contacts.length < pageLimit) return
    if (typeof result.total === 'number' && fetched >= result.total) return
    if (!searchAfter && paging === 'auto' && (page + 1) * pageLimit <= SEARCH_PAGE_WINDOW) {
      page++
      continue
    }
    const cursor = result.contacts[result.contacts.length - 1].searchAfter
    if (!Array.isArray(cursor) || cursor.length === 0) {
      throw new GhlError({
        kind: 'validation',
        operation: 'search-contacts-advanced',
        message: `Cannot page past ${fetched} search results: the last contact carries no searchAfter cursor`,
      })
    }
    searchAfter = cursor
  }
}

export async function* listPages(list: (query: QueryParams<'get-contacts'>) => Promise<ListPage>, params: ListAllParams): AsyncGenerator<ListPage> {
  const limit = Math.min(Math.max(1, params.limit ?? LIST_MAX_LIMIT), LIST_MAX_LIMIT)
  let cursor: { startAfterId: string; startAfter: number } | undefined
  let fetched = 0
  for (;;) {
    const result = await list({ ...params, limit, ...cursor })
    yield result
    fetched += result.contacts.length
    if (result.contacts.length < limit) return
    if (typeof result.meta?.total === 'number' && fetched >= result.meta.total) return
    const last = result.contacts[result.contacts.length - 1]
    const startAfterId = result.meta?.startAfterId ?? last.id
    const startAfter = result.meta?.startAfter ?? (last.dateAdded ? Date.parse(last.dateAdded) : undefined)
    if (!startAfterId || startAfter === undefined || Number.isNaN(startAfter)) return
    if (cursor && cursor.startAfterId === startAfterId && cursor.startAfter === startAfter) return // no progress
    cursor = { startAfterId, startAfter }
  }
}

/** Flattens pages into records, skipping ids already yielded. */
export async function* records<T extends { id: string }>(pages: AsyncIterable<{ contacts: T[] }>): AsyncGenerator<T> {
  const seen = new Set<string>()
  for await (const page of pages) {
    for (const record of page.contacts) {
      if (seen.has(record.id)) continue
      seen.add(record.id)
      yield record
    }
  }
}

export type { SearchContact, ListedContact }
