import { badRequest, errorBody, HttpError, unprocessable } from '../errors.ts'
import type { MockState } from '../state.ts'
import type { Step } from './compose.ts'

/**
 * Path, query and body against the spec; every violation listed in one 422. A rule the
 * spec marks `x-refusal` answers with its own status when nothing else is wrong: the live
 * API checks it after its validation pipe.
 */
export function validateRequest(state: MockState): Step {
  // No await inside: a plain function, so a request passing through costs no promise of its own.
  return (c, next) => {
    const query: Record<string, string | string[]> = {}
    // Most requests (GET by id) have no query string: no URL to parse then.
    if (c.req.url.includes('?')) {
      const url = new URL(c.req.url)
      for (const key of new Set(url.searchParams.keys())) {
        const all = url.searchParams.getAll(key)
        query[key] = all.length > 1 ? all : all[0]
      }
    }
    // No body reads as {} (as the real API's body parser gives it), so handlers always get an object.
    const body = c.get('body') ?? (c.get('op').requestBody ? {} : undefined)
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
