/** Strict mode through the control API: switch it, read and clear the violations. */
import { defineHandlers } from '../handler.ts'

export const contractControlHandlers = defineHandlers({
  getContract: async (_input, state) => ({
    status: 200,
    body: { strict: state.strict.enabled, violations: (await state.strict.violations.read()).length },
  }),

  // Applied by every instance (docs/redis.md): the answer comes from what this one holds, without waiting on the shared list.
  setContract({ body }, state) {
    state.strict.enabled = body.strict
    return { status: 200, body: { strict: state.strict.enabled, violations: state.strict.violations.list().length } }
  },

  listViolations: async (_input, state) => ({
    status: 200,
    body: { strict: state.strict.enabled, violations: await state.strict.violations.read() },
  }),

  async clearViolations(_input, state) {
    await state.strict.violations.clear()
    return { status: 204 }
  },
})
