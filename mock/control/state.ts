/** GET/PUT /__mock/state: save the whole state as one document, and load one. */
import { unprocessable } from '../errors.ts'
import type { HandlerMap } from '../handler.ts'
import { consistencyProblems, exportState, loadState, type StateFile } from '../state-file.ts'

// Plain HandlerMap: the schema pins only the keys a load needs, the records are typed as the mock keeps them (StateFile).
export const stateControlHandlers: HandlerMap = {
  exportState: async (_input, state) => ({
    status: 200,
    body: await exportState(state),
    headers: { 'Content-Disposition': `attachment; filename="ghl-mock-state-${state.options.seed}.json"` },
  }),

  async importState({ body }, state) {
    // The pipeline validated the body against the schema already; what remains is whether its records fit together.
    const file = body as StateFile
    const problems = consistencyProblems(
      file,
      state.spec.operations.map((o) => o.operationId),
    )
    if (problems.length > 0) throw unprocessable(problems)
    await loadState(state, file)
    const counts = Object.fromEntries(Object.entries(file.data).map(([k, v]) => [k, v.length]))
    return {
      status: 200,
      body: {
        status: 'loaded',
        seed: state.options.seed,
        counts: { ...counts, tokens: file.tokens.length, apps: file.apps.length, webhooks: file.webhooks.length, faults: file.faults.length },
      },
    }
  },
}
