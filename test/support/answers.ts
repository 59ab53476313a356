/**
 * Success answers in tests: `ok()` checks the status and keeps the body; `checkVendorSchemas()`,
 * called at the end of a test file, adds one test that checks every kept body against the
 * vendor's published spec (contracts/upstream.ts). That test is skipped, visibly, when the
 * vendor files (../shared/upstream) are absent, instead of passing on nothing.
 */
import { expect, it } from 'vitest'
import type { Response } from 'supertest'
import { loadUpstream } from '../../contracts/upstream.ts'

const upstream = await loadUpstream()
export const hasUpstream = upstream !== null

const answers: Array<{ operation: string; status: number; body: unknown }> = []

/** Expects `status` and returns the body; `operation` (operationId or `METHOD /path`) names it for the vendor check. */
export function ok(res: Response, operation: string, status = 200): any {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  answers.push({ operation, status, body: res.body })
  return res.body
}

export function checkVendorSchemas(): void {
  it.skipIf(!hasUpstream)("every answer above satisfies the vendor's published schema", () => {
    expect(answers.length).toBeGreaterThan(0)
    expect(answers.flatMap((a) => upstream!(a.operation, a.status, a.body))).toEqual([])
  })
}
