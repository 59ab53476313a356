/** A contact's appointments: read only (they are written through the Calendars API). */
import type { CallOptions } from '../types.ts'
import { call, type ApiContext } from './call.ts'

export function appointmentsResource(ctx: ApiContext) {
  const { api } = ctx
  return {
    list: (contactId: string, options?: CallOptions) =>
      call(ctx, 'get-appointments-for-contact', options, (i) =>
        api.GET('/contacts/{contactId}/appointments', { params: { path: { contactId }, header: i.header }, fetch: i.fetch }),
      ),
  }
}
