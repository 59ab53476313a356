/**
 * JSON from outside the mock (request bodies, state and apps files): a `__proto__` or
 * `constructor.prototype` key is refused, so no key named by input reaches a prototype
 * when the value is later spread or merged.
 */
import { readFileSync } from 'node:fs'
import sjson from 'secure-json-parse'

/** Throws SyntaxError for bad JSON and another Error for a forbidden key. */
export function parseUntrustedJson(text: string): unknown {
  return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
}

/** Reads a JSON file for the CLI: one readable line (`cannot read apps file …`, `… is not valid JSON: …`) instead of a stack trace. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  try {
    return parseUntrustedJson(text)
  } catch (err) {
    throw new Error(`${what} ${path} is not valid JSON: ${(err as Error).message}`)
  }
}
