/** Strict mode through the control API: switch it, read and clear the violations. */
import { defineHandlers } from '../handler.ts'

export const contractControlHandlers = defineHandlers({
  getContract: (_input, state) => ({
    status: 200,
    body: { strict: state.strict.enabled, violations: state.strict.violations.list().length },
  }),

  setContract({ body }, state) {
    state.strict.enabled = body.strict
    return { status: 200, body: { strict: state.strict.enabled, violations: state.strict.violations.list().length } }
  },

  listViolations: (_input, state) => ({
    status: 200,
    body: { strict: state.strict.enabled, violations: state.strict.violations.list() },
  }),

  clearViolations(_input, state) {
    state.strict.violations.clear()
    return { status: 204 }
  },
})
