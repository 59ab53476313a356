/**
 * Reads the request body the way the real API's body parser does: JSON or form
 * encoded, by the operation's declared content type. Malformed JSON is a 400, and
 * `__proto__`/`constructor.prototype` keys are refused so no body can pollute prototypes.
 * A body in another content type is a 400 (the spec documents no 415).
 */
import type { MiddlewareHandler } from 'hono'
import sjson from 'secure-json-parse'
import { refuse } from '../errors.ts'
import type { MockEnv } from '../env.ts'

export function parseBody(): MiddlewareHandler<MockEnv> {
  return async (c, next) => {
    const declared = c.get('op').requestBody?.contentType
    if (!declared || c.req.method === 'GET') return next()
    const text = await c.req.text()
    if (text.trim() === '') {
      c.set('body', undefined)
      return next()
    }
    const sent = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase()
    if (declared === 'application/x-www-form-urlencoded') {
      if (sent && sent !== declared) throw refuse('content-type', declared)
      c.set('body', Object.fromEntries(new URLSearchParams(text)))
      return next()
    }
    if (sent && !sent.includes('json')) throw refuse('content-type', 'application/json')
    try {
      c.set('body', sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }))
    } catch (err) {
      throw err instanceof SyntaxError ? refuse('malformed-json', err.message) : refuse('forbidden-key')
    }
    return next()
  }
}
