import type { MiddlewareHandler } from 'hono'
import { badRequest, errorBody, HttpError, unprocessable } from '../errors.ts'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'

/**
 * Path, query and body against the spec; every violation listed in one 422. A rule the
 * spec marks `x-refusal` answers with its own status when nothing else is wrong: the live
 * API checks it after its validation pipe.
 */
export function validateRequest(state: MockState): MiddlewareHandler<MockEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url)
    const query: Record<string, string | string[]> = {}
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key)
      query[key] = all.length > 1 ? all : all[0]
    }
    const body = c.get('body')
    const check = state.validator.checkRequest(c.get('op'), { params: c.req.param() as Record<string, string>, query, body })
    if (check.errors.length > 0) throw unprocessable(check.errors)
    if (check.refusal) {
      // The spec's x-refusal rules are 400s today (page with searchAfter); another status keeps its own.
      const { status, message } = check.refusal
      throw status === 400 ? badRequest(message) : new HttpError('validation', status, errorBody(status, message))
    }
    c.set('input', { params: check.params, query: check.query, body })
    return next()
  }
}
