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
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { MockEnv } from '../env.ts'

type Middleware = MiddlewareHandler<MockEnv>
export type OnError = (err: Error, c: Context<MockEnv>) => Response

const DONE: Promise<void> = Promise.resolve()

export function compose(middleware: readonly Middleware[], onError: OnError): (c: Context<MockEnv>) => Promise<Response> {
  return (c) => {
    let index = -1
    // As Hono's compose: a middleware's answer is kept unless one was given already; an
    // error's answer always replaces it.
    const settle = (res: Response | void, isError = false) => {
      if (res && (!c.finalized || isError)) c.res = res
    }
    const fail = (err: unknown) => {
      if (!(err instanceof Error)) throw err
      c.error = err
      settle(onError(err, c), true)
    }
    const dispatch = (i: number): Promise<void> => {
      if (i <= index) return Promise.reject(new Error('next() called multiple times'))
      index = i
      const handler = middleware[i]
      if (!handler) return DONE
      let out: Response | void | Promise<Response | void>
      try {
        out = handler(c, () => dispatch(i + 1))
      } catch (err) {
        fail(err)
        return DONE
      }
      if (out instanceof Promise) return out.then((res) => settle(res), fail)
      settle(out)
      return DONE
    }
    return dispatch(0).then(() => {
      if (!c.finalized) throw new Error('the pipeline gave no answer')
      return c.res
    })
  }
}
