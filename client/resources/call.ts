/**
 * The bridge between a friendly method and the typed openapi-fetch call: per-call
 * context for the transport (operation, retry safety, signal, timeout) and the
 * `Version` header every Contacts operation requires.
 */
import type { Client } from 'openapi-fetch'
import { errorFromResponse } from '../errors.ts'
import { OPERATIONS } from '../operations.ts'
import type { Transport } from '../transport.ts'
import type { ApiVersion, OperationId, SuccessBody, WriteCallOptions, paths } from '../types.ts'

export interface ApiContext {
  api: Client<paths>
  transport: Transport
  version: ApiVersion
  /** The client-wide signal, combined with each call's own. */
  signal?: AbortSignal
  now: () => number
}

function combine(a?: AbortSignal, b?: AbortSignal): AbortSignal | undefined {
  if (!a || !b) return a ?? b
  return AbortSignal.any([a, b])
}

/** What each typed call passes to openapi-fetch. */
export interface CallInit {
  fetch: (request: Request) => Promise<Response>
  header: { Version: ApiVersion }
}

export async function call<Op extends OperationId>(
  ctx: ApiContext,
  operation: Op,
  options: WriteCallOptions | undefined,
  run: (init: CallInit) => Promise<{ data?: SuccessBody<Op>; error?: unknown; response: Response }>,
): Promise<SuccessBody<Op>> {
  const fetch = ctx.transport.fetchFor({
    operation,
    retrySafe: OPERATIONS[operation].retrySafe || options?.retrySafe === true,
    signal: combine(ctx.signal, options?.signal),
    timeoutMs: options?.timeoutMs,
    maxAttempts: options?.maxAttempts,
  })
  const result = await run({ fetch, header: { Version: ctx.version } })
  // The transport throws for every error answer; this guards against a custom fetch that does not go through it.
  if (result.error !== undefined || (result.data === undefined && !result.response.ok)) {
    throw errorFromResponse(result.response.status, result.error, { operation, method: OPERATIONS[operation].method, url: result.response.url })
  }
  return result.data as SuccessBody<Op>
}
