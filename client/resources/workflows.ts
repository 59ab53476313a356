/** Workflow enrolment of a contact. */
import type { CallOptions, RequestBody, WriteCallOptions } from '../types.ts'
import { call, type ApiContext } from './call.ts'

export function workflowsResource(ctx: ApiContext) {
  const { api } = ctx
  return {
    /** Not retried after an ambiguous failure unless `retrySafe`: the workflow could run twice. */
    add: (contactId: string, workflowId: string, body: RequestBody<'add-contact-to-workflow'> = {}, options?: WriteCallOptions) =>
      call(ctx, 'add-contact-to-workflow', options, (i) =>
        api.POST('/contacts/{contactId}/workflow/{workflowId}', { params: { path: { contactId, workflowId }, header: i.header }, body, fetch: i.fetch }),
      ),

    remove: (contactId: string, workflowId: string, body: RequestBody<'delete-contact-from-workflow'> = {}, options?: CallOptions) =>
      call(ctx, 'delete-contact-from-workflow', options, (i) =>
        api.DELETE('/contacts/{contactId}/workflow/{workflowId}', { params: { path: { contactId, workflowId }, header: i.header }, body, fetch: i.fetch }),
      ),
  }
}
