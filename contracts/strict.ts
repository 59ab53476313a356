/** Turns strict-mode violations (from a mock instance or its control API) into a Report. */
import type { Violation } from '../mock/contract/violations.ts'
import type { Report } from './report.ts'

export function violationsReport(violations: Violation[], title = 'Consumer contract (strict mode)'): Report {
  if (violations.length === 0) return { title, results: [{ suite: 'consumer contract', name: 'no violations', ok: true }] }
  return {
    title,
    results: violations.map((v) => ({
      suite: v.kind,
      name: `${v.request.method} ${v.request.path}${v.request.query} → ${v.response.status}`,
      ok: false,
      details: [v.message, ...(v.request.body !== undefined ? [`request body: ${JSON.stringify(v.request.body).slice(0, 500)}`] : [])],
    })),
  }
}

/** Reads the violations of a running mock through its control API. */
export async function fetchViolations(target: string, fetchImpl: typeof fetch = fetch): Promise<Violation[]> {
  const res = await fetchImpl(new URL('/__mock/contract/violations', target))
  if (!res.ok) throw new Error(`${target} answered ${res.status} for /__mock/contract/violations: is it a ghl-mock?`)
  return ((await res.json()) as { violations: Violation[] }).violations
}
