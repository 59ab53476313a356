import type { MiddlewareHandler } from 'hono'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'

/** Outermost middleware: sees the final status of every request, errors included. */
export function journal(state: MockState): MiddlewareHandler<MockEnv> {
  // Not an async function: one promise (next's) per request instead of two; a shared
  // journal's record (Redis) returns a promise, which the chain waits on as before.
  return (c, next) => {
    const started = performance.now()
    const time = state.clock.now()
    return next().then(() =>
      state.journal.record({
        time,
        method: c.req.method,
        path: c.req.path,
        operationId: c.get('op')?.operationId ?? null,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        locationId: c.get('locationId') ?? c.get('auth')?.locationId,
        app: c.get('auth')?.appId,
        fault: c.get('fault'),
        rateRemaining: c.get('rateRemaining'),
      }),
    )
  }
}
