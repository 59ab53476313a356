/** /__mock/faults and /__mock/scenarios: inject failures at run time. */
import { badRequest, notFound, unprocessable } from '../errors.ts'
import { checkScenario, builtinScenarios, loadScenario, rateLimitOf, type Scenario } from '../scenarios/load.ts'
import { FaultRuleError } from '../faults/rules.ts'
import { defineHandlers } from '../handler.ts'
import type { MockState } from '../state.ts'
import { outOfRange } from '../clock.ts'

function addRule(state: MockState, input: any) {
  try {
    return state.faults.add(input)
  } catch (err) {
    throw unprocessable(err instanceof FaultRuleError ? err.problems : [(err as Error).message])
  }
}

/** Applies a scenario to a running mock: limits, fault rules, token lifetime, clock, seed. */
async function applyScenario(state: MockState, s: Scenario) {
  if (s.seed !== undefined) await state.reset({ seed: s.seed })
  const limit = rateLimitOf(s)
  if (limit !== undefined) {
    state.limits.defaults = limit
    await state.limits.counters.reset()
  }
  if (s.retryAfter !== undefined) state.options.retryAfter = s.retryAfter
  if (s.auth?.accessTokenTtlSeconds !== undefined) state.options.accessTokenTtlSeconds = s.auth.accessTokenTtlSeconds
  if (s.clock?.start) {
    const why = outOfRange(Date.parse(s.clock.start))
    if (why) throw unprocessable([`clock.start: ${why}`])
    state.clock.set(Date.parse(s.clock.start))
  }
  if (s.clock?.frozen === false) state.clock.resume()
  for (const rule of s.faults ?? []) addRule(state, rule)
}

export const faultControlHandlers = defineHandlers({
  listFaults: async (_input, state) => ({ status: 200, body: { faultHeaders: state.options.faultHeaders, rules: await state.faults.read() } }),
  addFault: ({ body }, state) => ({ status: 201, body: addRule(state, body) }),
  deleteFault({ params }, state) {
    if (!state.faults.remove(params.id)) throw notFound(`Fault rule ${params.id} not found`)
    return { status: 204 }
  },
  clearFaults(_input, state) {
    state.faults.clear()
    return { status: 204 }
  },
  listScenarios: () => ({ status: 200, body: { scenarios: builtinScenarios() } }),
  async applyScenario({ body }, state) {
    let scenario: Scenario
    try {
      const operationIds = state.spec.operations.map((op) => op.operationId)
      scenario = body.name ? loadScenario(body.name, operationIds) : checkScenario(body.scenario, 'in the request', operationIds)
    } catch (err) {
      throw badRequest((err as Error).message)
    }
    await applyScenario(state, scenario)
    // Applied by every instance (docs/redis.md): answered from this one's rules, without waiting on the shared counters.
    return { status: 200, body: { applied: scenario.name ?? body.name ?? 'inline', rules: state.faults.list() } }
  },
})
