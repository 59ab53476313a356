/**
 * What an injected fault does, and the `X-Mock-Fault` header that asks for one:
 * `status=503`, `latency=1500`, `reset`, `timeout`, `malformed`, combinable with `;` or `,`
 * (e.g. `latency=800;status=502`).
 */
export interface FaultAction {
  /** Answer with this status (4xx/5xx) in the GHL error shape instead of running the operation. */
  status?: number
  /** Wait this many ms (of real time) before answering. */
  latency?: number
  /** Drop the connection: the client sees ECONNRESET / "socket hang up". */
  reset?: boolean
  /** Never answer; the request hangs until the client gives up. */
  timeout?: boolean
  /** Run the operation, then send its JSON body cut in half. */
  malformed?: boolean
  // Webhook faults (rules whose match has `webhook: true` or an `event`):
  /** Deliver the same webhook (same webhookId) twice. */
  duplicate?: boolean
  /** Hold the delivery back until a later one to the same URL has gone out. */
  reorder?: boolean
  /** Make the delivery due this many ms of mock time later. */
  delay?: number
  /** Never send it (the receiver never hears of the event). */
  drop?: boolean
  /** Send it with an X-GHL-Signature that does not match the body. */
  badSignature?: boolean
}

export const WEBHOOK_ACTIONS = ['duplicate', 'reorder', 'delay', 'drop', 'badSignature'] as const
export const REQUEST_ACTIONS = ['status', 'latency', 'reset', 'timeout', 'malformed'] as const

export function describeAction(a: FaultAction): string {
  return [
    a.status !== undefined && `status=${a.status}`,
    a.latency !== undefined && `latency=${a.latency}`,
    a.reset && 'reset',
    a.timeout && 'timeout',
    a.malformed && 'malformed',
    a.duplicate && 'duplicate',
    a.reorder && 'reorder',
    a.delay !== undefined && `delay=${a.delay}`,
    a.drop && 'drop',
    a.badSignature && 'bad-signature',
  ]
    .filter(Boolean)
    .join(';')
}

export function checkAction(a: FaultAction): string[] {
  const problems: string[] = []
  if (a.status !== undefined && (!Number.isInteger(a.status) || a.status < 400 || a.status > 599))
    problems.push(`status must be a whole number from 400 to 599 (got ${a.status})`)
  if (a.latency !== undefined && (!Number.isInteger(a.latency) || a.latency < 0 || a.latency > 600_000))
    problems.push(`latency must be whole milliseconds from 0 to 600000 (got ${a.latency})`)
  if (a.delay !== undefined && (!Number.isInteger(a.delay) || a.delay < 0)) problems.push(`delay must be whole milliseconds ≥ 0 (got ${a.delay})`)
  if (!describeAction(a))
    problems.push(
      'a fault needs at least one of status, latency, reset, timeout, malformed (requests) or duplicate, reorder, delay, drop, badSignature (webhooks)',
    )
  return problems
}

/** Parses the header; throws an Error naming the bad part. */
export function parseFaultHeader(text: string): FaultAction {
  const action: FaultAction = {}
  for (const part of text
    .split(/[;,]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value] = part.split('=').map((x) => x.trim())
    if ((key === 'status' || key === 'latency') && value !== undefined && /^\d+$/.test(value)) action[key] = Number(value)
    else if ((key === 'reset' || key === 'timeout' || key === 'malformed') && value === undefined) action[key] = true
    else throw new Error(`X-Mock-Fault: "${part}" is not understood; use status=<4xx|5xx>, latency=<ms>, reset, timeout, malformed`)
  }
  const problems = checkAction(action)
  if (problems.length) throw new Error(`X-Mock-Fault: ${problems.join('; ')}`)
  return action
}
