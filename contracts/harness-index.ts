/**
 * `ghl-contacts-mock/harness`: run your connector against fresh mocks, one per scenario,
 * and fail on crashes, contract violations, duplicates and your own final-state check.
 */
export { runConnectorHarness, scenarioOf, findDuplicates, type Connector, type ConnectorContext, type HarnessOptions, type HarnessScenario } from './harness.ts'
export { expectConnectorToPass } from './vitest.ts'
export type { CheckResult, Report } from './report.ts'
