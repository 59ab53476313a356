/** A contact's followers (users). */
import type { CallOptions, RequestBody } from '../types.ts'
import { call, type ApiContext } from './call.ts'

export function followersResource(ctx: ApiContext) {
  const { api } = ctx
  return {
    add: (contactId: string, body: RequestBody<'add-followers-contact'>, options?: CallOptions) =>
      call(ctx, 'add-followers-contact', options, (i) =>
        api.POST('/contacts/{contactId}/followers', { params: { path: { contactId }, header: i.header }, body, fetch: i.fetch }),
      ),

    remove: (contactId: string, body: RequestBody<'remove-followers-contact'>, options?: CallOptions) =>
      call(ctx, 'remove-followers-contact', options, (i) =>
        api.DELETE('/contacts/{contactId}/followers', { params: { path: { contactId }, header: i.header }, body, fetch: i.fetch }),
      ),
  }
}
