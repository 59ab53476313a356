/**
 * Fault injection: from the client's `X-Mock-Fault` header (unless --no-fault-headers) or
 * from a matching rule. Runs before everything else in the operation's chain, so a fault
 * looks to the client like the network or the gateway failing, and is journaled with
 * what caused it.
 */
import type { Context } from 'hono'
import { injected, refuse } from '../errors.ts'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'
import { describeAction, parseFaultHeader, type FaultAction } from '../faults/action.ts'
import type { FaultRule } from '../faults/rules.ts'
import type { Step, StepNext } from './compose.ts'
import { andThen } from '../then.ts'

interface NodeBindings {
  incoming?: { socket?: { destroy(): void; once(event: string, fn: () => void): void; destroyed?: boolean } }
}

function socketOf(c: Context<MockEnv>) {
  return (c.env as NodeBindings | undefined)?.incoming?.socket
}

/** Resolves when the client gives up (aborts, or closes the connection). */
function clientGone(c: Context<MockEnv>): Promise<void> {
  return new Promise((resolve) => {
    const signal = c.req.raw.signal
    if (signal.aborted) return resolve()
    signal.addEventListener('abort', () => resolve(), { once: true })
    socketOf(c)?.once('close', () => resolve())
  })
}

type Chosen = { action: FaultAction; cause: string } | undefined

const chosen = (rule: FaultRule | undefined): Chosen => rule && { action: rule.action, cause: `rule:${rule.id}` }

/** A promise only when a rule matched the request on a shared store (its counters are in Redis); otherwise the answer itself. */
function chooseFault(c: Context<MockEnv>, state: MockState): Chosen | Promise<Chosen> {
  const header = state.options.faultHeaders ? c.req.header('x-mock-fault') : undefined
  if (header) {
    try {
      return { action: parseFaultHeader(header), cause: 'header' }
    } catch (err) {
      throw refuse('fault-header', (err as Error).message)
    }
  }
  // No rules (the usual case): skip finding out who asks, which costs a token lookup per request.
  if (state.faults.list().length === 0) return undefined
  const op = c.get('op')
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
  const token = bearer ? state.tokens.find(bearer) : undefined
  const rule = state.faults.decide({
    method: c.req.method,
    path: c.req.path,
    operationId: op.operationId,
    locationId: token?.locationId ?? c.req.query('locationId'),
    app: token?.appId,
  })
  return andThen(rule, chosen)
}

export function injectFaults(state: MockState): Step {
  return (c, next) => {
    // The control API is how QA gets out of a fault; it is never faulted itself.
    if (c.get('op').api === 'control') return next()
    // Most requests meet no fault: they pass without an async step.
    return andThen(chooseFault(c, state), (fault) => (fault ? inject(c, next, state, fault) : next()))
  }
}

/** The chosen fault, played out (some answer in place of the API, some change its answer). */
async function inject(c: Context<MockEnv>, next: StepNext, state: MockState, fault: { action: FaultAction; cause: string }): Promise<Response | undefined> {
  const { action } = fault
  c.set('fault', `${fault.cause} ${describeAction(action)}`)
  if (action.latency) await state.sleep(action.latency)
  if (action.reset) {
    const socket = socketOf(c)
    if (socket) {
      socket.destroy()
      return new Response(null, { status: 502 })
    }
    // No socket (in-process app.request): the nearest a fetch caller can see.
    throw refuse('connection-reset')
  }
  if (action.timeout) {
    await clientGone(c)
    return new Response(null, { status: 504 })
  }
  if (action.status) throw injected(action.status)
  await next()
  if (action.malformed) {
    const text = await c.res.text()
    const headers = new Headers(c.res.headers)
    headers.delete('content-length')
    c.res = new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), { status: c.res.status, headers })
  }
}
