/** Tags on one contact, and in bulk. */
import type { CallOptions, RequestBody } from '../types.ts'
import { call, type ApiContext } from './call.ts'

export function tagsResource(ctx: ApiContext) {
  const { api } = ctx
  return {
    add: (contactId: string, body: RequestBody<'add-tags'>, options?: CallOptions) =>
      call(ctx, 'add-tags', options, (i) =>
        api.POST('/contacts/{contactId}/tags', { params: { path: { contactId }, header: i.header }, body, fetch: i.fetch }),
      ),

    remove: (contactId: string, body: RequestBody<'remove-tags'>, options?: CallOptions) =>
      call(ctx, 'remove-tags', options, (i) =>
        api.DELETE('/contacts/{contactId}/tags', { params: { path: { contactId }, header: i.header }, body, fetch: i.fetch }),
      ),

    /** POST /contacts/bulk/tags/update/{type}: add tags to (or remove them from) many contacts. */
    bulkUpdate: (type: 'add' | 'remove', body: RequestBody<'bulk-update-tags'>, options?: CallOptions) =>
      call(ctx, 'bulk-update-tags', options, (i) =>
        api.POST('/contacts/bulk/tags/update/{type}', { params: { path: { type }, header: i.header }, body, fetch: i.fetch }),
      ),
  }
}
