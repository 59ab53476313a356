/**
 * One report model for every check the kit runs (conformance, strict-mode violations,
 * the connector harness), printed for people and written as JSON and JUnit XML for CI.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface CheckResult {
  /** Groups results, e.g. the operation or the scenario. */
  suite: string
  name: string
  ok: boolean
  durationMs?: number
  /** Why it failed (or notes when it passed). */
  details?: string[]
  skipped?: boolean
}

export interface Report {
  title: string
  results: CheckResult[]
}

export const failures = (report: Report) => report.results.filter((r) => !r.ok && !r.skipped)

export function formatText(report: Report): string {
  const lines = [report.title]
  let suite = ''
  for (const r of report.results) {
    if (r.suite !== suite) lines.push(`  ${(suite = r.suite)}`)
    const mark = r.skipped ? '-' : r.ok ? '✓' : '✗'
    lines.push(`    ${mark} ${r.name}${r.skipped ? ' (skipped)' : ''}`)
    if (!r.ok || r.skipped) for (const d of r.details ?? []) lines.push(`        ${d}`)
  }
  const failed = failures(report).length
  const skipped = report.results.filter((r) => r.skipped).length
  lines.push(`${report.results.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  return lines.join('\n')
}

const xml = (s: string) =>
  s
    .replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')

export function toJUnit(report: Report): string {
  const suites = new Map<string, CheckResult[]>()
  for (const r of report.results) suites.set(r.suite, [...(suites.get(r.suite) ?? []), r])
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(report.title)}" tests="${report.results.length}" failures="${failures(report).length}">`,
  ]
  for (const [name, results] of suites) {
    const failed = results.filter((r) => !r.ok && !r.skipped).length
    const skipped = results.filter((r) => r.skipped).length
    out.push(`  <testsuite name="${xml(name)}" tests="${results.length}" failures="${failed}" skipped="${skipped}">`)
    for (const r of results) {
      const time = ((r.durationMs ?? 0) / 1000).toFixed(3)
      out.push(`    <testcase classname="${xml(name)}" name="${xml(r.name)}" time="${time}">`)
      if (r.skipped) out.push(`      <skipped message="${xml((r.details ?? []).join('; '))}"/>`)
      else if (!r.ok) out.push(`      <failure message="${xml((r.details ?? ['failed'])[0])}">${xml((r.details ?? []).join('\n'))}</failure>`)
      out.push('    </testcase>')
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}

/** Writes `<base>.json` and `<base>.xml` (JUnit); returns the two paths. */
export function writeReports(report: Report, base: string): string[] {
  const stem = base.replace(/\.(json|xml)$/, '')
  mkdirSync(dirname(stem) || '.', { recursive: true })
  writeFileSync(`${stem}.json`, `${JSON.stringify({ ...report, failed: failures(report).length }, null, 2)}\n`)
  writeFileSync(`${stem}.xml`, toJUnit(report))
  return [`${stem}.json`, `${stem}.xml`]
}

/** What the CLI does with every report: print it, write the files when asked, exit 1 on failure. */
export function publish(report: Report, base?: string): void {
  console.log(formatText(report))
  if (base) console.log(`wrote ${writeReports(report, base).join(', ')}`)
  if (failures(report).length > 0) process.exitCode = 1
}
