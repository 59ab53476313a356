/** Contacts: read, write, upsert, search (with paging), duplicates, the deprecated list. */
import { listPages, records, searchPages, type ListAllParams, type SearchAllParams } from '../paging.ts'
import type { CallOptions, QueryParams, RequestBody, SuccessBody, WriteCallOptions, SearchContact, ListedContact } from '../types.ts'
import { createWithRecovery, isSince } from '../recover.ts'
import { call, type ApiContext } from './call.ts'

export function contactsResource(ctx: ApiContext) {
  const { api } = ctx
  const search = (body: RequestBody<'search-contacts-advanced'>, options?: CallOptions) =>
    call(ctx, 'search-contacts-advanced', options, (i) => api.POST('/contacts/search', { params: { header: i.header }, body, fetch: i.fetch }))
  const findDuplicate = (query: QueryParams<'get-duplicate-contact'>, options?: CallOptions) =>
    call(ctx, 'get-duplicate-contact', options, (i) => api.GET('/contacts/search/duplicate', { params: { query, header: i.header }, fetch: i.fetch }))
  const createOnce = (body: RequestBody<'create-contact'>, options?: WriteCallOptions) =>
    call(ctx, 'create-contact', options, (i) => api.POST('/contacts/', { params: { header: i.header }, body, fetch: i.fetch }))
  const list = (query: QueryParams<'get-contacts'>, options?: CallOptions) =>
    call(ctx, 'get-contacts', options, (i) => api.GET('/contacts/', { params: { query, header: i.header }, fetch: i.fetch }))

  return {
    /** GET /contacts/{contactId}. An unknown id is a `not-found` GhlError (the API answers 400). */
    get: (contactId: string, options?: CallOptions) =>
      call(ctx, 'get-contact', options, (i) => api.GET('/contacts/{contactId}', { params: { path: { contactId }, header: i.header }, fetch: i.fetch })),

    /**
     * POST /contacts/. Not retried after an ambiguous failure unless `retrySafe` (prefer
     * `upsert` for syncs). A duplicate is a `duplicate` GhlError with `existingContactId`.
     */
    create: (body: RequestBody<'create-contact'>, options?: WriteCallOptions): Promise<SuccessBody<'create-contact'>> => {
      if (!options?.recover || (!body.email && !body.phone)) return createOnce(body, options)
      return createWithRecovery(
        () => createOnce(body, options),
        async (since) => {
          const query = { locationId: body.locationId, ...(body.email ? { email: body.email } : {}), ...(body.phone ? { number: body.phone } : {}) }
          const { contact } = await findDuplicate(query, { signal: options.signal })
          // The duplicate endpoint answers in the GET shape: the same contact, as create would have returned it.
          return contact && isSince(contact.dateAdded, since) ? ({ contact } as unknown as SuccessBody<'create-contact'>) : undefined
        },
        { now: ctx.now },
      )
    },

    update: (contactId: string, body: RequestBody<'update-contact'>, options?: CallOptions) =>
      call(ctx, 'update-contact', options, (i) =>
        api.PUT('/contacts/{contactId}', { params: { path: { contactId }, header: i.header }, body, fetch: i.fetch }),
      ),

    delete: (contactId: string, options?: CallOptions) =>
      call(ctx, 'delete-contact', options, (i) => api.DELETE('/contacts/{contactId}', { params: { path: { contactId }, header: i.header }, fetch: i.fetch })),

    /** POST /contacts/upsert: creates or updates by the location's duplicate rules; retry-safe. */
    upsert: (body: RequestBody<'upsert-contact'>, options?: CallOptions) =>
      call(ctx, 'upsert-contact', options, (i) => api.POST('/contacts/upsert', { params: { header: i.header }, body, fetch: i.fetch })),

    /** POST /contacts/search: one page. */
    search,

    /** Every contact matching the search, page after page (numbered pages, then `searchAfter`). */
    searchAll: (params: SearchAllParams, options?: CallOptions): AsyncGenerator<SearchContact> => records(searchPages((body) => search(body, options), params)),

    /** The search's raw pages (`{ contacts, total }`), for progress reporting or checkpoints. */
    searchPages: (params: SearchAllParams, options?: CallOptions): AsyncGenerator<SuccessBody<'search-contacts-advanced'>> =>
      searchPages((body) => search(body, options), params),

    /** GET /contacts/ (deprecated by the vendor): one page. */
    list,

    /** Every contact of the location through GET /contacts/ and its `startAfterId`/`startAfter` cursor. */
    listAll: (params: ListAllParams, options?: CallOptions): AsyncGenerator<ListedContact> => records(listPages((query) => list(query, options), params)),

    /** GET /contacts/search/duplicate: the contact an upsert would match (`contact: null` when none). */
    findDuplicate,
  }
}
