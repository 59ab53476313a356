/** Campaign membership of a contact. */
import type { CallOptions, WriteCallOptions } from '../types.ts'
import { call, type ApiContext } from './call.ts'

export function campaignsResource(ctx: ApiContext) {
  const { api } = ctx
  return {
    /** Not retried after an ambiguous failure unless `retrySafe`: enrolment may start the campaign twice. */
    add: (contactId: string, campaignId: string, options?: WriteCallOptions) =>
      call(ctx, 'add-contact-to-campaign', options, (i) =>
        api.POST('/contacts/{contactId}/campaigns/{campaignId}', { params: { path: { contactId, campaignId }, header: i.header }, body: {}, fetch: i.fetch }),
      ),

    remove: (contactId: string, campaignId: string, options?: CallOptions) =>
      call(ctx, 'remove-contact-from-campaign', options, (i) =>
        api.DELETE('/contacts/{contactId}/campaigns/{campaignId}', { params: { path: { contactId, campaignId }, header: i.header }, fetch: i.fetch }),
      ),

    removeAll: (contactId: string, options?: CallOptions) =>
      call(ctx, 'remove-contact-from-every-campaign', options, (i) =>
        api.DELETE('/contacts/{contactId}/campaigns/removeAll', { params: { path: { contactId }, header: i.header }, fetch: i.fetch }),
      ),
  }
}
