/**
 * The harness as a one-liner for a connector's own vitest (or any runner) suite:
 *
 *   it('survives the API', () => expectConnectorToPass({ connector, scenarios: ['clean', 'flaky'] }))
 *
 * Throws with the readable report when any check fails; writes JSON/JUnit reports when
 * `report` names a path.
 */
import { runConnectorHarness, type HarnessOptions } from './harness.ts'
import { failures, formatText, writeReports, type Report } from './report.ts'

export async function expectConnectorToPass(options: HarnessOptions & { report?: string }): Promise<Report> {
  const report = await runConnectorHarness(options)
  if (options.report) writeReports(report, options.report)
  if (failures(report).length > 0) throw new Error(formatText(report))
  return report
}
