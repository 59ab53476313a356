import type { MockState } from '../state.ts'
import type { Step } from './compose.ts'

/**
 * The mock checks its own answers against the spec (tests turn this on), so it cannot
 * drift from its own contract. Failures are recorded, not thrown: the caller still gets
 * the answer, and the test suite asserts the list stays empty.
 */
export function selfCheck(state: MockState): Step {
  return async (c, next) => {
    await next()
    const op = c.get('op')
    if (!op || c.res.status >= 500 || c.res.status === 302) return
    const type = c.res.headers.get('content-type') ?? ''
    const body = type.includes('json')
      ? await c.res
          .clone()
          .json()
          .catch(() => undefined)
      : undefined
    const check = state.validator.checkResponse(op, c.res.status, body, Object.fromEntries(c.res.headers))
    if (!check.valid) {
      state.selfCheckFailures.push({ method: c.req.method, path: c.req.path, operationId: op.operationId, status: c.res.status, errors: check.errors })
    }
  }
}
