/** Contacts and businesses. */
import type { CallOptions, QueryParams, RequestBody } from '../types.ts'
import { call, type ApiContext } from './call.ts'

export function businessesResource(ctx: ApiContext) {
  const { api } = ctx
  return {
    /** GET /contacts/business/{businessId}: the business's contacts (`limit`/`skip` paging). */
    contacts: (businessId: string, query: QueryParams<'get-contacts-by-businessId'>, options?: CallOptions) =>
      call(ctx, 'get-contacts-by-businessId', options, (i) =>
        api.GET('/contacts/business/{businessId}', { params: { path: { businessId }, query, header: i.header }, fetch: i.fetch }),
      ),

    /** POST /contacts/bulk/business: attach contacts to a business (`businessId: null` detaches them). */
    setContacts: (body: RequestBody<'add-remove-contact-from-business'>, options?: CallOptions) =>
      call(ctx, 'add-remove-contact-from-business', options, (i) =>
        api.POST('/contacts/bulk/business', { params: { header: i.header }, body, fetch: i.fetch }),
      ),
  }
}
