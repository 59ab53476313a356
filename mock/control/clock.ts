/** GET/POST /__mock/clock: read and move the mock's clock instead of waiting. */
import { defineHandlers } from '../handler.ts'
import type { MockState } from '../state.ts'
import { unprocessable } from '../errors.ts'

const view = (state: MockState) => {
  const now = state.clock.now()
  return { now: new Date(now).toISOString(), epochMs: now, frozen: state.clock.frozen }
}

export const clockControlHandlers = defineHandlers({
  getClock: (_input, state) => ({ status: 200, body: view(state) }),

  setClock({ body }, state) {
    if (body.set !== undefined) {
      const ms = Date.parse(body.set)
      if (Number.isNaN(ms)) throw unprocessable(['set must be a valid ISO 8601 date string'])
      state.clock.set(ms)
    }
    if (body.advanceMs !== undefined) state.clock.advance(body.advanceMs)
    if (body.resume) state.clock.resume()
    return { status: 200, body: view(state) }
  },
})
