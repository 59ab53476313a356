/**
 * `ghl-contacts-mock/types`: the types openapi-typescript generated from our three specs,
 * one namespace per API, plus the Contacts ones under their usual names.
 *
 *   import type { contacts, components } from 'ghl-contacts-mock/types'
 *   type Contact = components['schemas']['GetContectByIdSchema']
 */
export type * as contacts from './generated/contacts.ts'
export type * as oauth from './generated/oauth.ts'
export type * as control from './generated/control.ts'
export type { components, operations, paths } from './generated/contacts.ts'
