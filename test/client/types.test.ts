/** The client's inputs and outputs are the spec's generated types (checked by tsc; trivial at run time). */
import { describe, expectTypeOf, it } from 'vitest'
import type { createGhlClient, GhlError, GhlErrorKind } from '../../client/index.ts'
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

  it('errors', () => {
    expectTypeOf<GhlError['kind']>().toEqualTypeOf<GhlErrorKind>()
    expectTypeOf<GhlError['existingContactId']>().toEqualTypeOf<string | undefined>()
  })
})
