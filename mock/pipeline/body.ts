/**
 * Reads the request body the way the real API's body parser does: JSON or form
 * encoded, by the operation's declared content type. Malformed JSON is a 400, and
 * `__proto__`/`constructor.prototype` keys are refused so no body can pollute prototypes.
 * A body in another content type is a 400 (the spec documents no 415). JSON nested deeper
 * than MAX_JSON_DEPTH is a 400 before it is parsed: validators and handlers recurse over
 * bodies, and no request of the API nests anywhere near that deep.
 */
import type { Context } from 'hono'
import { parseUntrustedJson } from '../json-file.ts'
import { refuse } from '../errors.ts'
import type { MockEnv } from '../env.ts'
import type { Step, StepNext } from './compose.ts'

export const MAX_JSON_DEPTH = 32

/** How deep arrays and objects nest in a JSON text; brackets inside strings don't count. Stops early past `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 0x5c)
        i++ // backslash: skip the escaped character
      else if (ch === 0x22) inString = false
    } else if (ch === 0x22) inString = true
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max
    } else if (ch === 0x5d || ch === 0x7d) depth--
  }
  return max
}

export function parseBody(): Step {
  return (c, next) => {
    const declared = c.get('op').requestBody?.contentType
    // No body to read: pass without an async step.
    return !declared || c.req.method === 'GET' ? next() : read(c, next, declared)
  }
}

/** The body in the declared content type, on the context for the steps after. */
async function read(c: Context<MockEnv>, next: StepNext, declared: string): Promise<void> {
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
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw refuse('too-deep', MAX_JSON_DEPTH)
  try {
    c.set('body', parseUntrustedJson(text))
  } catch (err) {
    throw err instanceof SyntaxError ? refuse('malformed-json', err.message) : refuse('forbidden-key')
  }
  return next()
}
