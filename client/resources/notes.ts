/** A contact's notes. */
import type { CallOptions, RequestBody, WriteCallOptions } from '../types.ts'
import { createWithRecovery, isSince } from '../recover.ts'
import { call, type ApiContext } from './call.ts'

export function notesResource(ctx: ApiContext) {
  const { api } = ctx
  const list = (contactId: string, options?: CallOptions) =>
    call(ctx, 'get-all-notes', options, (i) => api.GET('/contacts/{contactId}/notes', { params: { path: { contactId }, header: i.header }, fetch: i.fetch }))
  const createOnce = (contactId: string, body: RequestBody<'create-note'>, options?: WriteCallOptions) =>
    call(ctx, 'create-note', options, (i) =>
      api.POST('/contacts/{contactId}/notes', { params: { path: { contactId }, header: i.header }, body, fetch: i.fetch }),
    )
  return {
    list,

    get: (contactId: string, noteId: string, options?: CallOptions) =>
      call(ctx, 'get-note', options, (i) =>
        api.GET('/contacts/{contactId}/notes/{id}', { params: { path: { contactId, id: noteId }, header: i.header }, fetch: i.fetch }),
      ),

    /**
     * Not retried after an ambiguous failure unless `retrySafe` (a second note would be
     * created), or `recover`: then a note with the same body added since the call started counts as made.
     */
    create: (contactId: string, body: RequestBody<'create-note'>, options?: WriteCallOptions) => {
      if (!options?.recover) return createOnce(contactId, body, options)
      return createWithRecovery(
        () => createOnce(contactId, body, options),
        async (since) => {
          const { notes } = await list(contactId, { signal: options.signal })
          const note = notes.find((n) => n.body === body.body && (body.title === undefined || n.title === body.title) && isSince(n.dateAdded, since))
          return note ? { note } : undefined
        },
        { now: ctx.now },
      )
    },

    update: (contactId: string, noteId: string, body: RequestBody<'update-note'>, options?: CallOptions) =>
      call(ctx, 'update-note', options, (i) =>
        api.PUT('/contacts/{contactId}/notes/{id}', { params: { path: { contactId, id: noteId }, header: i.header }, body, fetch: i.fetch }),
      ),

    delete: (contactId: string, noteId: string, options?: CallOptions) =>
      call(ctx, 'delete-note', options, (i) =>
        api.DELETE('/contacts/{contactId}/notes/{id}', { params: { path: { contactId, id: noteId }, header: i.header }, fetch: i.fetch }),
      ),
  }
}
