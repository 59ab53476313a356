/**
 * The handler contract: plain functions from validated input to a status and body.
 * They never see Hono, so they read like the API's documentation and test without HTTP.
 *
 * Handlers are written with `defineHandlers`, which types each one by its operationId from
 * the generated spec types: its path params, query and body, and the body it may answer
 * with, so a handler that answers the wrong shape does not compile.
 */
import type { operations as ContactsOperations } from '../openapi/generated/contacts.ts'
import type { operations as OAuthOperations } from '../openapi/generated/oauth.ts'
import type { operations as ControlOperations } from '../openapi/generated/control.ts'
import type { TokenRecord } from './auth/tokens.ts'
import type { RequestInput } from './env.ts'
import type { MockState } from './state.ts'

type Operations = ContactsOperations & OAuthOperations & ControlOperations
export type OperationId = keyof Operations

type Part<K extends OperationId, P extends string> = Operations[K]['parameters'] extends { [Q in P]?: infer T }
  ? [T] extends [never | undefined]
    ? Record<string, never>
    : NonNullable<T>
  : never
type ContentOf<R> = R extends { content: infer C } ? C[keyof C] : undefined
type SuccessStatus = 200 | 201 | 202 | 204

export type ParamsOf<K extends OperationId> = Part<K, 'path'>
export type QueryOf<K extends OperationId> = Part<K, 'query'>
/** The request body (after validation); undefined when the operation has none, or an optional one was not sent. */
export type BodyOf<K extends OperationId> = Operations[K] extends { requestBody: { content: infer C } }
  ? C[keyof C]
  : Operations[K] extends { requestBody?: { content: infer C } }
    ? C[keyof C] | undefined
    : undefined
/** The bodies the spec documents for the operation's successful answers. */
export type ResultOf<K extends OperationId> = {
  [S in keyof Operations[K]['responses']]: S extends SuccessStatus ? ContentOf<Operations[K]['responses'][S]> : never
}[keyof Operations[K]['responses']]

export interface HandlerInput extends RequestInput {
  /** The authenticated token (secured operations only). */
  auth?: TokenRecord
  /** The full request URL, for links such as meta.nextPageUrl. */
  url: string
}

export interface HandlerResult<B = unknown> {
  status: number
  body?: B
  headers?: Record<string, string>
}

/** What the registry and the pipeline see: any operation's handler. */
export type Handler = (input: HandlerInput, state: MockState) => Promise<HandlerResult | Response> | HandlerResult | Response

export type HandlerMap = Record<string, Handler>

export type OperationInput<K extends OperationId> = Omit<HandlerInput, 'params' | 'query' | 'body'> & {
  params: ParamsOf<K>
  query: QueryOf<K>
  body: BodyOf<K>
}

export type OperationHandler<K extends OperationId> = (
  input: OperationInput<K>,
  state: MockState,
) => Promise<HandlerResult<ResultOf<K>> | Response> | HandlerResult<ResultOf<K>> | Response

/** Handlers by operationId, each typed from the spec by its operationId. */
export function defineHandlers<K extends OperationId>(handlers: { [Id in K]: OperationHandler<Id> }): HandlerMap {
  // The request validator has checked params, query and body against the same spec the
  // types come from, so the pipeline's untyped input is the typed input here.
  return handlers as unknown as HandlerMap
}
