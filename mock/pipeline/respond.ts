/**
 * The one place the pipeline turns an answer (a handler's result or a refusal) into a
 * Response. Headers that middleware earlier in the chain mean to add to whatever answer
 * comes back (the rate limits' X-RateLimit-*) are left on the context with `addHeaders`
 * and merged here, so the answer is built once with one plain header record: changing a
 * built Response's headers afterwards turns them into a WHATWG Headers object on every
 * request, which cost more than the rest of the rate limiter.
 */
import type { Context } from 'hono'
import type { MockEnv } from '../env.ts'
import { jsonOf } from '../json-once.ts'

/** Headers for the answer to this request, whoever builds it (names in lower case; later calls win on the same name). */
export function addHeaders(c: Context<MockEnv>, headers: Record<string, string>): void {
  const added = c.get('addHeaders')
  c.set('addHeaders', added ? { ...added, ...headers } : headers)
}

/** Headers added with `addHeaders` and not yet in an answer; calling it takes them. */
function takeAddedHeaders(c: Context<MockEnv>): Record<string, string> | undefined {
  const added = c.get('addHeaders')
  if (added) c.set('addHeaders', undefined)
  return added
}

/** A Response built elsewhere (a handler's own) with the headers the pipeline added. */
export function withAddedHeaders(c: Context<MockEnv>, res: Response): Response {
  const added = takeAddedHeaders(c)
  if (added) for (const name in added) res.headers.set(name, added[name])
  return res
}

/** A JSON answer (no body: `null` with no content type) with the headers the pipeline added. */
export function respond(c: Context<MockEnv>, status: number, body: unknown, headers?: Record<string, string>): Response {
  const out: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' }
  // Names in lower case, as a WHATWG Headers object would send them, so that a name given
  // twice in different cases is still one header.
  if (headers) for (const name in headers) out[name.toLowerCase()] = headers[name]
  const added = takeAddedHeaders(c)
  if (added) Object.assign(out, added)
  return new Response(body === undefined ? null : jsonOf(body), { status, headers: out })
}
