/**
 * Type helpers over the generated spec types (openapi/generated/contacts.ts), and
 * friendly names for the shapes connectors use most. No shape is written here by hand.
 */
import type { components, operations, paths } from '../openapi/generated/contacts.ts'

export type { components, operations, paths }
export type Schemas = components['schemas']
export type OperationId = keyof operations
/** The `Version` header values the API accepts. */
export type ApiVersion = components['parameters']['Version']

type JsonContent<T> = T extends { content: { 'application/json': infer B } } ? B : never
type Responses<Op extends OperationId> = operations[Op]['responses']

/** The JSON body of an operation's 2xx answer. */
export type SuccessBody<Op extends OperationId> = {
  [S in keyof Responses<Op>]: S extends 200 | 201 | 202 ? JsonContent<Responses<Op>[S]> : never
}[keyof Responses<Op>]

/** The JSON request body of an operation. */
export type RequestBody<Op extends OperationId> = JsonContent<NonNullable<operations[Op]['requestBody']>>

/** The query parameters of an operation. */
export type QueryParams<Op extends OperationId> = NonNullable<operations[Op]['parameters']['query']>

export type Contact = Schemas['GetContectByIdSchema']
export type SearchContact = Schemas['SearchContactSchema']
export type ListedContact = Schemas['ContactsSearchSchema']
export type Task = Schemas['TaskSchema']
export type Note = Schemas['GetNoteSchema']
export type Appointment = Schemas['GetEventSchema']
export type SearchBody = Schemas['SearchBodyV2DTO']
export type SearchFilter = Schemas['SearchFilter'] | Schemas['SearchFilterGroup']
export type CreateContactBody = RequestBody<'create-contact'>
export type UpdateContactBody = RequestBody<'update-contact'>
export type UpsertContactBody = RequestBody<'upsert-contact'>

/** Per-call options every client method accepts as its last argument. */
export interface CallOptions {
  signal?: AbortSignal
  /** Per-attempt timeout; overrides the client's `timeoutMs`. */
  timeoutMs?: number
  /** Overrides the client's retry policy's attempt count for this call (1: no retry). */
  maxAttempts?: number
}

/**
 * Options of calls that create something each time they succeed. Such calls are not
 * retried after an ambiguous failure (5xx, reset connection, timeout) unless the caller
 * says a second copy cannot happen or does not matter.
 */
export interface WriteCallOptions extends CallOptions {
  /** Retry this create like a read: the caller accepts (or rules out) a second copy. */
  retrySafe?: boolean
  /**
   * After an ambiguous failure, look for the record the call would have created (a
   * contact by email/phone, a task by title and due date, a note by body) and return it;
   * send the create again only when it is not there. (Contacts, tasks and notes.)
   */
  recover?: boolean
}
