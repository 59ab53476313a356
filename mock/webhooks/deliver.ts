/** One HTTP attempt: POST the signed body, give up after the timeout (real milliseconds). */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>

export interface AttemptResult {
  status?: number
  durationMs: number
  error?: string
}

export async function post(fetch: Fetch, url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<AttemptResult> {
  const started = performance.now()
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const duration = () => Math.round((performance.now() - started) * 10) / 10
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: controller.signal })
    // Drain the answer so the connection can be reused; its content does not matter.
    await res.arrayBuffer().catch(() => undefined)
    return { status: res.status, durationMs: duration() }
  } catch (err) {
    const error = controller.signal.aborted ? `timeout after ${timeoutMs} ms` : (((err as Error).cause as Error | undefined)?.message ?? (err as Error).message)
    return { durationMs: duration(), error }
  } finally {
    clearTimeout(timer)
  }
}
