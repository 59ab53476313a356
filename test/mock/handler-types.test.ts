/**
 * Handlers are typed by operationId from the generated spec types (checked by tsc, which
 * `npm test` runs first: each @ts-expect-error below fails the build if the line compiles).
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { defineHandlers, type BodyOf, type ParamsOf, type ResultOf } from '../../mock/handler.ts'
import type { components } from '../../openapi/generated/contacts.ts'

type S = components['schemas']

describe('defineHandlers', () => {
  it('types params, body and result from the spec by operationId', () => {
    expectTypeOf<ParamsOf<'get-task'>>().toEqualTypeOf<{ contactId: string; taskId: string }>()
    expectTypeOf<BodyOf<'create-task'>>().toEqualTypeOf<S['CreateTaskParams']>()
    expectTypeOf<ResultOf<'get-task'>>().toEqualTypeOf<S['TaskByIsSuccessfulResponseDto']>()
  })

  it('refuses handlers that do not match the spec', () => {
    const handlers = defineHandlers({
      // @ts-expect-error: the answer lacks `task` (wrong result shape)
      'get-task': () => ({ status: 200, body: { tasks: [] } }),
      'create-task': (input) => {
        // @ts-expect-error: CreateTaskParams has no field `due`
        const due: string = input.body.due
        // @ts-expect-error: get-task's path has no `noteId`
        const note: string = input.params.noteId
        return { status: 201, body: { task: { id: due + note, title: '', dueDate: '', completed: false, contactId: '' } } }
      },
    })
    expect(Object.keys(handlers)).toEqual(['get-task', 'create-task'])
  })
})
