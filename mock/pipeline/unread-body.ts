/**
 * An answer sent before the request body was read (413, a 404 or 401 on a POST) leaves
 * the body's bytes on the connection. Keeping it alive would make the next request on it
 * start in the middle of that body, and Node drops such a connection when its drain gives
 * up: the client's next request gets ECONNRESET. So say `Connection: close`; the client
 * opens a fresh connection instead of reusing a doomed one.
 */
import { afterNext, type Step } from './compose.ts'

/** Unread bodies up to this size are drained by the server, and the connection stays usable. */
export const DRAINABLE_BYTES = 64 * 1024

export function closeOnUnreadBody(): Step {
  // Not an async function: a request answered at once passes without a promise.
  return (c, next) =>
    afterNext(next(), () => {
      const length = c.req.header('content-length')
      const large = c.req.header('transfer-encoding') !== undefined || Number(length ?? 0) > DRAINABLE_BYTES
      // A 413 may have read part of a chunked body; what is left is unread either way.
      if (c.res.status === 413 || (large && !c.req.raw.bodyUsed)) c.res.headers.set('Connection', 'close')
    })
}
