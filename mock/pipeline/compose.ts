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
 *
 * Why `next()` may return nothing: when every step after a middleware finished at once (a
 * GET by id on the memory store does), the route answers with a Response, not a promise of
 * one. Hono then hands it back from `app.fetch` as it is, and @hono/node-server writes it
 * without its async path (no close listener, no microtasks): ~7 µs a request, about a
 * tenth of the whole GET. A middleware that waits uses `afterNext` (or awaits `next()`:
 * awaiting nothing is fine).
 */
import type { Context, Next } from 'hono'
import type { MockEnv } from '../env.ts'

/** What `next()` gives a step: undefined when the steps after it finished at once, else a promise of their end. */
export type StepNext = () => Promise<void> | undefined
/** A step of the pipeline: it may answer at once, and its `next()` may finish at once (see above). */
// biome-ignore lint/suspicious/noConfusingVoidType: as Hono's MiddlewareHandler, a step may be an async function that returns nothing.
export type Step = (c: Context<MockEnv>, next: StepNext) => Response | undefined | void | Promise<Response | undefined | void>

/** Runs `then` once the steps after a middleware are done: at once when they finished at once. */
export function afterNext(done: Promise<void> | undefined, then: () => void | Promise<void>): void | Promise<void> {
  return done ? done.then(then) : then()
}
export type OnError = (err: Error, c: Context<MockEnv>) => Response

interface Run {
  c: Context<MockEnv>
  middleware: readonly Step[]
  onError: OnError
  /** The deepest middleware started so far. */
  index: number
  /** What the last `next()` returned, to tell a middleware that hands it back unchanged. */
  passed: Promise<void> | undefined
}

/** As Hono's compose: a middleware's answer is kept unless one was given already; an error's answer always replaces it. */
function settle(run: Run, res: Response | undefined, isError: boolean): void {
  if (res && (!run.c.finalized || isError)) run.c.res = res
}

function fail(run: Run, err: unknown): void {
  if (!(err instanceof Error)) throw err
  run.c.error = err
  settle(run, run.onError(err, run.c), true)
}

/** Undefined when middleware `i` and every step after it finished at once. */
function dispatch(run: Run, i: number): Promise<void> | undefined {
  if (i <= run.index) return Promise.reject(new Error('next() called multiple times'))
  run.index = i
  const handler = run.middleware[i]
  if (!handler) return undefined
  let out: ReturnType<Step>
  try {
    out = handler(run.c, (() => (run.passed = dispatch(run, i + 1))) as Next)
  } catch (err) {
    fail(run, err)
    return undefined
  }
  // A middleware that returns `next()` as it got it (most steps pass most requests on so)
  // adds nothing to wait for: the steps after it settled their answers or errors already.
  if (out === run.passed) return run.passed
  if (out instanceof Promise)
    return out.then(
      (res) => settle(run, res ?? undefined, false),
      (err) => fail(run, err),
    )
  settle(run, out ?? undefined, false)
  return undefined
}

function answerOf(c: Context<MockEnv>): Response {
  if (!c.finalized) throw new Error('the pipeline gave no answer')
  return c.res
}

export function compose(middleware: readonly Step[], onError: OnError): (c: Context<MockEnv>) => Response | Promise<Response> {
  return (c) => {
    const run: Run = { c, middleware, onError, index: -1, passed: undefined }
    const done = dispatch(run, 0)
    return done ? done.then(() => answerOf(c)) : answerOf(c)
  }
}
