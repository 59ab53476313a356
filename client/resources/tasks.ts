/** A contact's tasks. */
import type { CallOptions, RequestBody, WriteCallOptions } from '../types.ts'
import { createWithRecovery, sameInstant } from '../recover.ts'
import { call, type ApiContext } from './call.ts'

export function tasksResource(ctx: ApiContext) {
  const { api } = ctx
  const list = (contactId: string, options?: CallOptions) =>
    call(ctx, 'get-all-tasks', options, (i) => api.GET('/contacts/{contactId}/tasks', { params: { path: { contactId }, header: i.header }, fetch: i.fetch }))
  const createOnce = (contactId: string, body: RequestBody<'create-task'>, options?: WriteCallOptions) =>
    call(ctx, 'create-task', options, (i) =>
      api.POST('/contacts/{contactId}/tasks', { params: { path: { contactId }, header: i.header }, body, fetch: i.fetch }),
    )
  return {
    list,

    get: (contactId: string, taskId: string, options?: CallOptions) =>
      call(ctx, 'get-task', options, (i) =>
        api.GET('/contacts/{contactId}/tasks/{taskId}', { params: { path: { contactId, taskId }, header: i.header }, fetch: i.fetch }),
      ),

    /**
     * Not retried after an ambiguous failure unless `retrySafe` (a second task would be
     * created), or `recover`: then a task with the same title and due date counts as made.
     */
    create: (contactId: string, body: RequestBody<'create-task'>, options?: WriteCallOptions) => {
      if (!options?.recover) return createOnce(contactId, body, options)
      return createWithRecovery(
        () => createOnce(contactId, body, options),
        async () => {
          const { tasks } = await list(contactId, { signal: options.signal })
          const task = tasks.find((t) => t.title === body.title && sameInstant(t.dueDate, body.dueDate))
          return task ? { task } : undefined
        },
        { now: ctx.now },
      )
    },

    update: (contactId: string, taskId: string, body: RequestBody<'update-task'>, options?: CallOptions) =>
      call(ctx, 'update-task', options, (i) =>
        api.PUT('/contacts/{contactId}/tasks/{taskId}', { params: { path: { contactId, taskId }, header: i.header }, body, fetch: i.fetch }),
      ),

    /** PUT …/completed: marks the task completed (or not, with `{ completed: false }`). */
    complete: (contactId: string, taskId: string, body: RequestBody<'update-task-completed'> = { completed: true }, options?: CallOptions) =>
      call(ctx, 'update-task-completed', options, (i) =>
        api.PUT('/contacts/{contactId}/tasks/{taskId}/completed', { params: { path: { contactId, taskId }, header: i.header }, body, fetch: i.fetch }),
      ),

    delete: (contactId: string, taskId: string, options?: CallOptions) =>
      call(ctx, 'delete-task', options, (i) =>
        api.DELETE('/contacts/{contactId}/tasks/{taskId}', { params: { path: { contactId, taskId }, header: i.header }, fetch: i.fetch }),
      ),
  }
}
