/**
 * Runs the pipeline's middleware in order the way Hono's own compose does (koa style:
 * each one gets `next`; an error thrown at any depth becomes the answer at that depth
 * through `onError`, and the middleware around it carry on with that answer), wrapped as
 * a single Hono handler per route.
 *
 * Why not let Hono compose them: Hono's compose wraps every middleware of every request
 * in an async dispatcher, a promise and a closure, which for the dozen steps of this
 * pipeline cost more than the steps themselves; this one only waits on middleware that
 * return a promise. And a route with one handler is run by Hono without its compose.
 * (The helpers are module functions, not closures made per request: allocation is the
 * cost here.)
 */
import type { Context, MiddlewareHandler, Next } from 'hono'
import type { MockEnv } from '../env.ts'

/** Hono's middleware, or a step that may answer at once (a Response, not a promise of one). */
type Middleware = MiddlewareHandler<MockEnv> | ((c: Context<MockEnv>, next: Next) => Response | Promise<Response>)
export type OnError = (err: Error, c: Context<MockEnv>) => Response

interface Run {
  c: Context<MockEnv>
  middleware: readonly Middleware[]
  onError: OnError
  /** The deepest middleware started so far. */
  index: number
  /** What the last `next()` returned, to tell a middleware that hands it back unchanged. */
  passed: Promise<void> | undefined
}

const DONE: Promise<void> = Promise.resolve()

/** As Hono's compose: a middleware's answer is kept unless one was given already; an error's answer always replaces it. */
function settle(run: Run, res: Response | undefined, isError: boolean): void {
  if (res && (!run.c.finalized || isError)) run.c.res = res
}

function fail(run: Run, err: unknown): void {
  if (!(err instanceof Error)) throw err
  run.c.error = err
  settle(run, run.onError(err, run.c), true)
}

function dispatch(run: Run, i: number): Promise<void> {
  if (i <= run.index) return Promise.reject(new Error('next() called multiple times'))
  run.index = i
  const handler = run.middleware[i]
  if (!handler) return DONE
  let out: Response | undefined | Promise<Response | undefined>
  try {
    out = handler(run.c, () => (run.passed = dispatch(run, i + 1))) as typeof out
  } catch (err) {
    fail(run, err)
    return DONE
  }
  // A middleware that returns `next()` as it got it (most steps pass most requests on so)
  // adds nothing to wait for: the steps after it settled their answers or errors already.
  if (out !== undefined && out === run.passed) return out as Promise<void>
  if (out instanceof Promise)
    return out.then(
      (res) => settle(run, res, false),
      (err) => fail(run, err),
    )
  settle(run, out, false)
  return DONE
}

export function compose(middleware: readonly Middleware[], onError: OnError): (c: Context<MockEnv>) => Promise<Response> {
  return (c) => {
    const run: Run = { c, middleware, onError, index: -1, passed: undefined }
    return dispatch(run, 0).then(() => {
      if (!c.finalized) throw new Error('the pipeline gave no answer')
      return c.res
    })
  }
}
