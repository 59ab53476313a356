/** The one-way dependency rule (docs/architecture.md), checked on the import lines of every module. */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

function modules(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
}

/** Repository-relative paths of the modules `file` imports (static, dynamic and type imports). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2])
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(root, resolve(root, dirname(file), s)))
}

const isHandlerFile = (file: string) => /\bdefineHandlers\(/.test(readFileSync(join(root, file), 'utf8')) && !file.endsWith('mock/handler.ts')

describe('layers', () => {
  it('finds the modules and their imports (the scan itself works)', () => {
    expect(modules('mock')).toContain('mock/app.ts')
    expect(importsOf('mock/app.ts')).toContain('mock/handlers.ts')
  })

  it('nothing in openapi/ or mock/ imports contracts/ or cli/', () => {
    const bad = [...modules('openapi'), ...modules('mock')].flatMap((f) =>
      importsOf(f)
        .filter((i) => /^(contracts|cli)\//.test(i))
        .map((i) => `${f} → ${i}`),
    )
    expect(bad).toEqual([])
  })

  it('no handler imports the handler registry', () => {
    const below = ['mock/operations', 'mock/oauth', 'mock/control'].flatMap(modules)
    const bad = below.flatMap((f) =>
      importsOf(f)
        .filter((i) => i === 'mock/handlers.ts')
        .map((i) => `${f} → ${i}`),
    )
    expect(bad).toEqual([])
  })

  it('no handler file imports another handler file', () => {
    const handlerFiles = ['mock/operations', 'mock/oauth', 'mock/control'].flatMap(modules).filter(isHandlerFile)
    expect(handlerFiles.length).toBeGreaterThan(10)
    const set = new Set(handlerFiles)
    const bad = handlerFiles.flatMap((f) =>
      importsOf(f)
        .filter((i) => set.has(i))
        .map((i) => `${f} → ${i}`),
    )
    expect(bad).toEqual([])
  })
})
