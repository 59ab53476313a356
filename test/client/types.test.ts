/** The client's inputs and outputs are the spec's generated types (checked by tsc; trivial at run time). */
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { createGhlClient, GhlError, GhlErrorKind } from '../../client/index.ts'
import type { SearchFilter } from '../../client/types.ts'
import type { components, operations } from '../../openapi/generated/contacts.ts'

type Client = ReturnType<typeof createGhlClient>
type S = components['schemas']

describe('types come from the spec', () => {
  it('outputs', () => {
    expectTypeOf<Awaited<ReturnType<Client['contacts']['get']>>>().toEqualTypeOf<S['ContactsByIdSuccessfulResponseDto']>()
    expectTypeOf<Awaited<ReturnType<Client['contacts']['search']>>>().toEqualTypeOf<S['SearchContactsSuccessfulResponseDto']>()
    expectTypeOf<Awaited<ReturnType<Client['contacts']['upsert']>>>().toEqualTypeOf<S['UpsertContactsSuccessfulResponseDto']>()
    expectTypeOf<Awaited<ReturnType<Client['contacts']['delete']>>>().toEqualTypeOf<S['DeleteContactsSuccessfulResponseDto']>()
    expectTypeOf<Awaited<ReturnType<Client['tasks']['complete']>>>().toEqualTypeOf<S['TaskByIsSuccessfulResponseDto']>()
    expectTypeOf<Awaited<ReturnType<Client['notes']['create']>>>().toEqualTypeOf<S['GetCreateUpdateNoteSuccessfulResponseDto']>()
    expectTypeOf<ReturnType<Client['contacts']['searchAll']>>().toEqualTypeOf<AsyncGenerator<S['SearchContactSchema']>>()
    expectTypeOf<ReturnType<Client['contacts']['listAll']>>().toEqualTypeOf<AsyncGenerator<S['ContactsSearchSchema']>>()
  })

  it('inputs', () => {
    expectTypeOf<Parameters<Client['contacts']['create']>[0]>().toEqualTypeOf<S['CreateContactDto']>()
    expectTypeOf<Parameters<Client['contacts']['update']>[1]>().toEqualTypeOf<S['UpdateContactDto']>()
    expectTypeOf<Parameters<Client['contacts']['search']>[0]>().toEqualTypeOf<S['SearchBodyV2DTO']>()
    expectTypeOf<Parameters<Client['contacts']['list']>[0]>().toEqualTypeOf<NonNullable<operations['get-contacts']['parameters']['query']>>()
    expectTypeOf<Parameters<Client['tasks']['create']>[1]>().toEqualTypeOf<S['CreateTaskParams']>()
  })

  it('search filters type-check per operator (the spec says which value each operator takes)', () => {
    const ok: SearchFilter[] = [
      { field: 'tags', operator: 'eq', value: 'vip' },
      { field: 'tags', operator: 'contains', value: ['a', 'b'] },
      { field: 'dateAdded', operator: 'range', value: { gte: '2024-01-01' } },
      { field: 'businessId', operator: 'exists' },
      { group: 'OR', filters: [{ field: 'email', operator: 'not_exists' }] },
    ]
    // @ts-expect-error range takes bounds, not a string
    const range: SearchFilter = { field: 'tags', operator: 'range', value: 'x' }
    // @ts-expect-error exists takes no value
    const exists: SearchFilter = { field: 'tags', operator: 'exists', value: 'x' }
    // @ts-expect-error eq needs a value
    const eq: SearchFilter = { field: 'tags', operator: 'eq' }
    expectTypeOf([...ok, range, exists, eq]).toEqualTypeOf<SearchFilter[]>()
  })

  it('errors', () => {
    expectTypeOf<GhlError['kind']>().toEqualTypeOf<GhlErrorKind>()
    expectTypeOf<GhlError['existingContactId']>().toEqualTypeOf<string | undefined>()
  })

  it('refuses what the spec does not allow (each line below must not compile)', () => {
    // Never called: only tsc reads it (an unused @ts-expect-error fails `npm test`).
    const misuse = async (client: Client) => {
      // @ts-expect-error: CreateContactDto has no field `mail`
      await client.contacts.create({ locationId: 'l', mail: 'a@b.c' })
      // @ts-expect-error: a task is created under a contact id
      await client.tasks.create({ title: 't', dueDate: '2026-01-01T00:00:00.000Z', completed: false })
      // @ts-expect-error: getting a contact does not answer a task
      const task: S['TaskByIsSuccessfulResponseDto'] = await client.contacts.get('id')
      // @ts-expect-error: GhlError's kind is one of its listed kinds
      const kind: GhlErrorKind = 'teapot'
      return [task, kind]
    }
    expect(misuse).toBeTypeOf('function')
  })
})
