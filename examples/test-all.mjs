#!/usr/bin/env node
/**
 * `npm run test:examples`: each example is its own package; install it the way its README
 * says (`npm ci`, which links the kit from ../..) and run its tests. The kit must be built
 * first (the root's `npm ci` does it through `prepare`).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const examples = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'package.json')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name))

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const results = []
for (const name of examples) {
  const cwd = join(root, name)
  const started = performance.now()
  let ok = true
  for (const args of [['ci', '--no-audit', '--no-fund'], ['test']]) {
    console.log(`\n▶ examples/${name}: npm ${args[0]}`)
    const run = spawnSync(npm, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' })
    if (run.status !== 0) {
      ok = false
      break
    }
  }
  results.push({ name, ok, seconds: ((performance.now() - started) / 1000).toFixed(1) })
}

console.log('\nexamples:')
for (const r of results) console.log(`  ${r.ok ? '✓' : '✗'} ${r.name} (${r.seconds} s)`)
if (examples.length === 0 || results.some((r) => !r.ok)) process.exit(1)
