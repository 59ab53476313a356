/**
 * `ghl-contacts-mock/contracts`: provider conformance (verify a running mock or the real
 * API against the spec), strict-mode reports, the drift check, the spec's validators and
 * the JSON/JUnit report writers.
 */
export { verifyProvider, type VerifyOptions } from './verify.ts'
export { fetchViolations, violationsReport } from './strict.ts'
export { checkDrift, formatDrift, readAllowList, type AllowEntry, type DriftFinding, type DriftKind, type DriftReport } from './drift.ts'
export { failures, formatText, publish, toJUnit, writeReports, type CheckResult, type Report } from './report.ts'
export { createValidator, type RequestCheck, type RequestParts, type ResponseCheck, type Validator } from '../openapi/validator.ts'
export { loadSpec, type ApiName, type Operation, type SpecIndex } from '../openapi/load.ts'
