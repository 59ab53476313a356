/**
 * Checks a success body against the vendor's published response schema (besides our own
 * spec, which the mock's self-check covers): what we send must also satisfy clients
 * generated from the vendor's spec. Operations for which the vendor documents no body
 * (search, duplicate lookup) pass trivially. Skipped (no errors) when the vendor file is
 * not present, as in a fresh clone.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'

const file = fileURLToPath(new URL('../../../shared/upstream/apps/contacts.json', import.meta.url))
const doc = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
// The vendor file is OpenAPI 3.0 (draft-04-ish schemas with `nullable`); strict off for `example` & co.
const ajv = new Ajv({ strict: false, allErrors: true })
if (doc) ajv.addSchema(doc, 'vendor')
const cache = new Map<string, ValidateFunction | null>()

function validatorFor(operationId: string, status: number): ValidateFunction | null {
  const key = `${operationId} ${status}`
  if (cache.has(key)) return cache.get(key)!
  let v: ValidateFunction | null = null
  for (const [path, item] of Object.entries<Record<string, any>>(doc?.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (op?.operationId !== operationId) continue
      const schema = op.responses?.[String(status)]?.content?.['application/json']?.schema
      if (schema) {
        const pointer = `vendor#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`
        v = ajv.compile({ $ref: pointer })
      }
    }
  }
  cache.set(key, v)
  return v
}

/** Errors of `body` against the vendor's schema for this operation and status ([] when valid or undocumented). */
export function vendorErrors(operationId: string, status: number, body: unknown): string[] {
  if (!doc) return []
  const v = validatorFor(operationId, status)
  if (!v || v(body)) return []
  return (v.errors ?? []).map((e) => `${operationId} ${status}: body${e.instancePath} ${e.message}`)
}
