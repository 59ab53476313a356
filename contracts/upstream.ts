/**
 * The vendor's published Contacts spec (`../shared/upstream/apps/contacts.json`, beside
 * the repository) as a response validator: what the mock answers must also satisfy
 * clients generated from the vendor's spec, not only ours.
 *
 *   const check = await loadUpstream()        // null when the vendor folder is absent
 *   check?.('get-task', 200, body)            // → [] when valid, else error strings
 *   check?.('POST /contacts/bulk/tags/update/{type}', 201, body)
 *
 * An operation is named by the vendor's operationId, by `METHOD /path` (the vendor's path
 * template), or by our operationId: one the vendor does not have is looked up in our spec
 * and matched by method + path (so our `bulk-update-tags` finds the vendor's misnamed
 * `create-association`). A status the vendor does not document for the operation is an
 * error; a documented status without a JSON schema (the vendor leaves search and duplicate
 * lookup bodies empty) accepts any body. An operation neither spec knows throws.
 *
 * The document is dereferenced with swagger-parser (which resolves its
 * `../common/common-schemas.json` refs) and checked with Ajv: OpenAPI 3.0 schemas, whose
 * `nullable` Ajv 8 reads natively; strict mode off for `example` and other OpenAPI keywords.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import SwaggerParser from '@apidevtools/swagger-parser'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { loadSpec } from '../openapi/load.ts'
import { packageFile } from '../openapi/package-files.ts'

export type UpstreamCheck = (operation: string, status: number, body: unknown) => string[]

/** The vendor folder: GHL_UPSTREAM_DIR when set, else the one next to the repository (`<repo>/../shared/upstream/`). */
export const defaultUpstreamDir: string | URL = process.env.GHL_UPSTREAM_DIR || `${packageFile('..', 'shared', 'upstream')}/`

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

interface VendorOperation {
  operationId?: string
  method: string
  path: string
  responses: Record<string, { content?: Record<string, { schema?: object }> }>
}

/** `null` when the vendor's Contacts spec is not there (a fresh clone has no ../shared). */
export async function loadUpstream(dir: string | URL = defaultUpstreamDir): Promise<UpstreamCheck | null> {
  const base = typeof dir === 'string' ? pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`) : dir
  const file = fileURLToPath(new URL('apps/contacts.json', base))
  if (!existsSync(file)) return null
  const doc = (await SwaggerParser.dereference(file)) as { paths: Record<string, Record<string, any>> }

  const byId = new Map<string, VendorOperation>()
  const byRoute = new Map<string, VendorOperation>()
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const entry: VendorOperation = { operationId: op.operationId, method, path, responses: op.responses ?? {} }
      if (op.operationId) byId.set(op.operationId, entry)
      byRoute.set(`${method.toUpperCase()} ${path}`, entry)
    }
  }

  // Our operationIds, for those the vendor names differently.
  const ours = new Map(
    loadSpec()
      .operations.filter((op) => op.api === 'contacts')
      .map((op) => [op.operationId, `${op.method.toUpperCase()} ${op.path}`]),
  )

  function find(operation: string): VendorOperation {
    const [method, path] = operation.trim().split(/\s+/, 2)
    const route = path ? `${method.toUpperCase()} ${path}` : undefined
    const found = route ? byRoute.get(route) : (byId.get(operation) ?? byRoute.get(ours.get(operation) ?? ''))
    if (!found) throw new Error(`the vendor's Contacts spec has no operation ${operation}`)
    return found
  }

  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats.default(ajv)
  const compiled = new Map<string, ValidateFunction | null | 'undocumented'>()

  function validatorFor(op: VendorOperation, status: number): ValidateFunction | null | 'undocumented' {
    const key = `${op.method} ${op.path} ${status}`
    if (!compiled.has(key)) {
      const response = op.responses[String(status)]
      const schema = response?.content?.['application/json']?.schema
      compiled.set(key, !response ? 'undocumented' : schema ? ajv.compile(schema) : null)
    }
    return compiled.get(key)!
  }

  return (operation, status, body) => {
    const op = find(operation)
    const name = `${op.operationId ?? operation} (${op.method.toUpperCase()} ${op.path}) ${status}`
    const validate = validatorFor(op, status)
    if (validate === 'undocumented') {
      const documented = Object.keys(op.responses).join(', ')
      return [`${name}: the vendor documents no ${status} response (it documents ${documented})`]
    }
    if (!validate || validate(body)) return []
    return (validate.errors ?? []).map((e) => `${name}: body${e.instancePath} ${e.message}`)
  }
}

export type UpstreamWebhookCheck = (type: string, body: unknown) => string[]

/**
 * The vendor's webhook payload schemas (`upstream/webhooks/<Event>.json`) as a validator;
 * `null` when the folder is absent. An event without a vendor schema (INSTALL, UNINSTALL)
 * is an error, so a test cannot pass by naming the wrong event.
 */
export async function loadUpstreamWebhooks(dir: string | URL = defaultUpstreamDir): Promise<UpstreamWebhookCheck | null> {
  const base = typeof dir === 'string' ? pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`) : dir
  const folder = fileURLToPath(new URL('webhooks/', base))
  if (!existsSync(folder)) return null
  const ajv = new Ajv({ strict: false, allErrors: true })
  const compiled = new Map<string, ValidateFunction>()
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(`${folder}${file}`, 'utf8')) as { event?: string; schema?: object }
    if (doc.event && doc.schema) compiled.set(doc.event, ajv.compile(doc.schema))
  }
  return (type, body) => {
    const validate = compiled.get(type)
    if (!validate) return [`the vendor publishes no webhook schema for ${type}`]
    if (validate(body)) return []
    return (validate.errors ?? []).map((e) => `${type}: body${e.instancePath} ${e.message}`)
  }
}
