/** The CLI's own usage: --version, suggestions for a mistyped command, short errors. In process, no spawn. */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { buildCli, withDefaultCommand } from '../../cli/main.ts'
import { missingUpstreamMessage, upstreamSource, VENDOR_CONTACTS_SPEC_URL } from '../../contracts/drift.ts'

function run(...args: string[]): { out: string; err: string; code: number | undefined } {
  const program = buildCli()
  let out = ''
  let err = ''
  let code: number | undefined
  for (const command of [program, ...program.commands] as Command[]) {
    command.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) })
  }
  try {
    program.parse(withDefaultCommand(['node', 'ghl-mock', ...args]))
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode
  }
  return { out, err, code }
}

describe('ghl-mock usage', () => {
  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'))
    expect(run('--version')).toMatchObject({ out: `${version}\n`, code: 0 })
  })

  it('a mistyped command is refused with the right one suggested', () => {
    const { err, code } = run('verfy', '--target', 'http://x')
    expect(code).toBe(1)
    expect(err).toContain("unknown command 'verfy'")
    expect(err).toContain('Did you mean verify?')
  })

  it('an error is one line plus where the help is, not the whole help', () => {
    for (const [args, help] of [
      [['start', '--port', 'abc'], "see 'ghl-mock start --help'"],
      [['--port', 'abc'], "see 'ghl-mock start --help'"],
      [['verify', '--bogus'], "see 'ghl-mock verify --help'"],
      [['bogus'], "see 'ghl-mock --help'"],
    ] as const) {
      const { err, code } = run(...args)
      expect(code).toBe(1)
      expect(err).not.toContain('Usage:')
      expect(err.trim().split('\n').at(-1)).toBe(help)
      expect(err.trim().split('\n').length).toBeLessThanOrEqual(2)
    }
  })

  it('start stays the default command for options, and the root help stays the root help', () => {
    expect(withDefaultCommand(['node', 'ghl-mock'])).toEqual(['node', 'ghl-mock', 'start'])
    expect(withDefaultCommand(['node', 'ghl-mock', '--port', '0'])).toEqual(['node', 'ghl-mock', 'start', '--port', '0'])
    expect(withDefaultCommand(['node', 'ghl-mock', '--help'])).toEqual(['node', 'ghl-mock', '--help'])
    expect(withDefaultCommand(['node', 'ghl-mock', 'verify', '-t', 'x'])).toEqual(['node', 'ghl-mock', 'verify', '-t', 'x'])
  })
})

describe('drift --upstream', () => {
  it('says plainly what to pass when nothing is given', () => {
    expect(() => upstreamSource(undefined)).toThrow(missingUpstreamMessage)
    expect(missingUpstreamMessage).toContain(VENDOR_CONTACTS_SPEC_URL)
    expect(missingUpstreamMessage).toContain('GoHighLevel/highlevel-api-docs')
  })

  it('takes an https URL as is, a file path if it exists, and refuses anything else', () => {
    expect(upstreamSource(VENDOR_CONTACTS_SPEC_URL)).toBe(VENDOR_CONTACTS_SPEC_URL)
    expect(upstreamSource('package.json')).toMatch(/\/package\.json$/)
    expect(() => upstreamSource('no/such/contacts.json')).toThrow(/no such file/)
    expect(() => upstreamSource('ftp://example.com/contacts.json')).toThrow(/file path or an http\(s\) URL/)
  })
})
