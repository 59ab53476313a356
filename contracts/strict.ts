/** Turns strict-mode violations (from a mock instance or its control API) into a Report. */
import type { Violation } from '../mock/contract/violations.ts'
import { controlHeaders } from './control-headers.ts'
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

/**
 * Reads the violations of a running mock through its control API. A mock not in strict
 * mode records nothing, so "no violations" from it would let a misconfigured CI job pass:
 * that is an error, not an empty list.
 */
export async function fetchViolations(target: string, options: { adminToken?: string; fetch?: typeof fetch } = {}): Promise<Violation[]> {
  const res = await (options.fetch ?? fetch)(new URL('/__mock/contract/violations', target), { headers: controlHeaders(options.adminToken) })
  if (res.status === 401)
    throw new Error(`${target} refused /__mock/contract/violations (401): pass the mock's admin token with --admin-token or GHL_MOCK_ADMIN_TOKEN`)
  if (!res.ok) throw new Error(`${target} answered ${res.status} for /__mock/contract/violations: is it a ghl-mock?`)
  const body = (await res.json()) as { strict: boolean; violations: Violation[] }
  if (!body.strict) {
    throw new Error(
      `the mock at ${target} is not in strict mode, so it recorded no violations to report: start it with --strict (or PUT /__mock/contract {"strict": true}) before your tests run`,
    )
  }
  return body.violations
}
