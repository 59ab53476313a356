import type { MockState } from '../state.ts'
import { afterNext, type Step } from './compose.ts'

/** Outermost middleware: sees the final status of every request, errors included. */
export function journal(state: MockState): Step {
  // Not an async function: a request answered at once is recorded at once; a shared
  // journal's record (Redis) returns a promise, which the chain waits on.
  return (c, next) => {
    const started = performance.now()
    const time = state.clock.now()
    return afterNext(next(), () =>
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
