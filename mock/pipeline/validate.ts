import type { MiddlewareHandler } from 'hono'
import { unprocessable } from '../errors.ts'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'

/** Path, query and body against the spec; every violation listed in one 422. */
export function validateRequest(state: MockState): MiddlewareHandler<MockEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url)
    const query: Record<string, string | string[]> = {}
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key)
      query[key] = all.length > 1 ? all : all[0]
    }
    // No body reads as {} (as the real API's body parser gives it), so handlers always get an object.
    const body = c.get('body') ?? (c.get('op').requestBody ? {} : undefined)
    const check = state.validator.checkRequest(c.get('op'), { params: c.req.param() as Record<string, string>, query, body })
    if (check.errors.length > 0) throw unprocessable(check.errors)
    c.set('input', { params: check.params, query: check.query, body })
    return next()
  }
}
