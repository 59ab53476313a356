/**
 * Refuses a request body larger than `maxBytes` (413) before anything reads it.
 *
 * A body with a Content-Length is judged by that header: Node's parser holds the body to
 * it, so nothing more can arrive. Only a chunked body is counted as it streams, by Hono's
 * bodyLimit. Asking Hono's middleware about every body would build a whole WHATWG Request
 * for the Node request (it reads `c.req.raw.body`), ~150 µs of a search's ~900; without
 * that, the body parser reads the bytes straight from the Node request.
 */
import type { Next } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { refuse } from '../errors.ts'
import type { Step } from './compose.ts'

export function limitBody(maxBytes: number): Step {
  const streamed = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw refuse('body-too-large', maxBytes)
    },
  })
  return (c, next) => {
    // A GET or HEAD has no body to measure.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next as Next)
    if (Number(length) > maxBytes) throw refuse('body-too-large', maxBytes)
    return next()
  }
}
