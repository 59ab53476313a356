/**
 * The handler contract: plain functions from validated input to a status and body.
 * They never see Hono, so they read like the API's documentation and test without HTTP.
 */
import type { TokenRecord } from './auth/tokens.ts'
import type { RequestInput } from './env.ts'
import type { MockState } from './state.ts'

export interface HandlerInput extends RequestInput {
  /** The authenticated token (secured operations only). */
  auth?: TokenRecord
  /** The full request URL, for links such as meta.nextPageUrl. */
  url: string
  headers: Headers
}

export interface HandlerResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type Handler = (input: HandlerInput, state: MockState) => Promise<HandlerResult | Response> | HandlerResult | Response

export type HandlerMap = Record<string, Handler>
