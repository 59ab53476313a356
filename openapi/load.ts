/**
 * Reads our OpenAPI documents once and indexes their operations. Routes, scopes and
 * validators are all derived from this index, so the spec stays the only description
 * of the API. The YAML is the source; at startup we read its JSON copy in
 * openapi/generated/ (`npm run gen` writes it, a test fails when it is stale), since
 * parsing the YAML took about a second of every start. (Strict validation of the documents themselves lives in
 * scripts/lint-spec.js and the tests: it is async and too slow for every startup.)
 */
import { readFileSync } from 'node:fs'
import { packageFile } from './package-files.ts'

export type ApiName = 'contacts' | 'oauth' | 'control'
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'
export type Schema = Record<string, unknown>

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  schema: Schema
}

export interface Operation {
  api: ApiName
  operationId: string
  method: HttpMethod
  /** OpenAPI path template, e.g. /contacts/{contactId} */
  path: string
  /** The same path in Hono's syntax, e.g. /contacts/:contactId */
  routePath: string
  /** Union of the scopes named by the operation's security requirements. */
  scopes: string[]
  /** True when the operation has a non-empty security requirement. */
  secured: boolean
  parameters: Parameter[]
  requestBody?: { contentType: string; required: boolean; pointer: string }
  /** status → JSON pointer of the response schema (when it has one) */
  responses: Record<string, { pointer?: string; contentType?: string; requiredHeaders: string[] }>
  deprecated: boolean
}

export interface ApiDocument {
  name: ApiName
  /** Used as the Ajv schema id, so pointers read as `${id}#/paths/...`. */
  id: string
  file: string
  doc: Record<string, any>
}

export interface SpecIndex {
  documents: ApiDocument[]
  operations: Operation[]
  byId: Map<string, Operation>
}

const METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete']

export const specFiles: Record<ApiName, string> = {
  contacts: packageFile('openapi', 'contacts.yaml'),
  oauth: packageFile('openapi', 'oauth.yaml'),
  control: packageFile('openapi', 'control.yaml'),
}

/** The same documents as plain JSON, generated from the YAML by `npm run gen`. */
export const specJsonFiles: Record<ApiName, string> = {
  contacts: packageFile('openapi', 'generated', 'contacts.json'),
  oauth: packageFile('openapi', 'generated', 'oauth.json'),
  control: packageFile('openapi', 'generated', 'control.json'),
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

function resolveLocal(doc: Record<string, any>, value: any): any {
  if (!value || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) return value
  const target = value.$ref
    .slice(2)
    .split('/')
    .reduce((node: any, key: string) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  if (target === undefined) throw new Error(`unresolvable $ref ${value.$ref}`)
  return resolveLocal(doc, target)
}

function indexDocument(api: ApiDocument): Operation[] {
  const { doc } = api
  const out: Operation[] = []
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths ?? {})) {
    const shared = (item.parameters ?? []) as unknown[]
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const opPointer = `${api.id}#/paths/${escapePointer(path)}/${method}`
      const parameters: Parameter[] = [...shared, ...(op.parameters ?? [])].map((p) => {
        const r = resolveLocal(doc, p)
        return { name: r.name, in: r.in, required: Boolean(r.required), schema: r.schema ?? {} }
      })
      let requestBody: Operation['requestBody']
      if (op.requestBody) {
        const rb = resolveLocal(doc, op.requestBody)
        const contentType = Object.keys(rb.content ?? {})[0]
        if (contentType) {
          requestBody = {
            contentType,
            required: Boolean(rb.required),
            pointer: `${opPointer}/requestBody/content/${escapePointer(contentType)}/schema`,
          }
        }
      }
      const responses: Operation['responses'] = {}
      for (const [status, resp] of Object.entries<any>(op.responses ?? {})) {
        const ref = resp.$ref as string | undefined
        const resolved = resolveLocal(doc, resp)
        const contentType = Object.keys(resolved.content ?? {})[0]
        const base = ref ? `${api.id}${ref}` : `${opPointer}/responses/${status}`
        const requiredHeaders = Object.entries<any>(resolved.headers ?? {})
          .filter(([, h]) => resolveLocal(doc, h).required)
          .map(([name]) => name.toLowerCase())
        responses[status] =
          contentType && resolved.content[contentType].schema
            ? { contentType, pointer: `${base}/content/${escapePointer(contentType)}/schema`, requiredHeaders }
            : { requiredHeaders }
      }
      const security: Array<Record<string, string[]>> = op.security ?? doc.security ?? []
      const scopes = [...new Set(security.flatMap((req) => Object.values(req).flat()))]
      out.push({
        api: api.name,
        operationId: op.operationId,
        method,
        path,
        routePath: path.replace(/\{([^}]+)\}/g, ':$1'),
        scopes,
        secured: security.some((req) => Object.keys(req).length > 0),
        parameters,
        requestBody,
        responses,
        deprecated: Boolean(op.deprecated),
      })
    }
  }
  return out
}

/**
 * Route registration order: static segments before parameters, so that
 * `/contacts/{contactId}/campaigns/removeAll` wins over `/campaigns/{campaignId}`.
 */
function specificity(a: Operation, b: Operation): number {
  const sa = a.path.split('/')
  const sb = b.path.split('/')
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i].startsWith('{')
    const pb = sb[i].startsWith('{')
    if (pa !== pb) return pa ? 1 : -1
  }
  return sb.length - sa.length
}

export function readDocument(name: ApiName): ApiDocument {
  return { name, id: `${name}.yaml`, file: specFiles[name], doc: JSON.parse(readFileSync(specJsonFiles[name], 'utf8')) }
}

let cached: SpecIndex | undefined

/** Loads the three documents once per process; the result is read-only by convention. */
export function loadSpec(): SpecIndex {
  if (cached) return cached
  const documents = (Object.keys(specFiles) as ApiName[]).map((name) => readDocument(name))
  const operations = documents.flatMap(indexDocument).sort(specificity)
  const byId = new Map<string, Operation>()
  for (const op of operations) {
    if (!op.operationId) throw new Error(`${op.method.toUpperCase()} ${op.path} has no operationId`)
    if (byId.has(op.operationId)) throw new Error(`duplicate operationId ${op.operationId}`)
    byId.set(op.operationId, op)
  }
  cached = { documents, operations, byId }
  return cached
}

export function buildIndex(documents: ApiDocument[]): Operation[] {
  return documents.flatMap(indexDocument)
}
