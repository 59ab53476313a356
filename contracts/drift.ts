/**
 * Drift check: our Contacts spec against the vendor's published one. Reports operations
 * on one side only, parameter and requiredness differences, request and response fields
 * the vendor documents that we lack, and type mismatches. Known, intended differences
 * live in contracts/drift-allow.yaml, one reviewed entry with a reason each.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import SwaggerParser from '@apidevtools/swagger-parser'
import { parse } from 'yaml'
import { specFiles } from '../openapi/load.ts'
import { packageFile } from '../openapi/package-files.ts'

export type DriftKind =
  | 'operation-missing'
  | 'operation-extra'
  | 'parameter-missing'
  | 'parameter-extra'
  | 'parameter-required'
  | 'parameter-type'
  | 'request-field-missing'
  | 'request-field-type'
  | 'response-missing'
  | 'response-field-missing'
  | 'response-field-type'

export interface DriftFinding {
  /** Stable key used by the allow-list, e.g. `response-field-missing GET /contacts/{contactId} 200 contact.email`. */
  id: string
  kind: DriftKind
  operation: string
  detail: string
}

export interface AllowEntry {
  id: string
  reason: string
}

export interface DriftReport {
  findings: DriftFinding[]
  /** Findings not covered by the allow-list: these fail the check. */
  unexpected: DriftFinding[]
  allowed: Array<DriftFinding & { reason: string }>
  /** Allow-list entries that matched nothing: stale, to be removed. */
  unusedAllowances: AllowEntry[]
}

type Doc = Record<string, any>
type Schema = Record<string, any>

const METHODS = ['get', 'post', 'put', 'patch', 'delete']
export const defaultAllowListFile = packageFile('contracts', 'drift-allow.yaml')

/** Non-null JSON types of a schema, with 3.0 `nullable` and 3.1 type arrays read alike. */
function typesOf(schema: Schema | undefined): string[] {
  if (!schema) return []
  const t = schema.type
  const list: string[] = Array.isArray(t) ? t : t ? [t] : []
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]
  const all = [...list, ...branches.flatMap(typesOf)]
  return [...new Set(all.filter((x) => x !== 'null'))].sort()
}

/** Field paths → types, merging union branches; arrays descend as `field[]`. Cycles stop. */
function fields(schema: Schema | undefined, prefix = '', seen = new Set<Schema>(), out = new Map<string, string[]>()): Map<string, string[]> {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return out
  seen = new Set(seen).add(schema)
  for (const branch of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) fields(branch, prefix, seen, out)
  for (const [name, sub] of Object.entries<Schema>(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name
    const merged = new Set([...(out.get(path) ?? []), ...typesOf(sub)])
    out.set(path, [...merged].sort())
    fields(sub, path, seen, out)
    if (sub.items) fields(sub.items, `${path}[]`, seen, out)
  }
  return out
}

/** Ours may be narrower where the vendor is vague (integer for number) but must not disagree. */
function compatible(theirs: string[], ours: string[]): boolean {
  if (theirs.length === 0 || ours.length === 0) return true
  return theirs.some((t) => ours.includes(t) || (t === 'number' && ours.includes('integer')) || (t === 'integer' && ours.includes('number')))
}

function operations(doc: Doc) {
  const out = new Map<string, Schema>()
  for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
    for (const m of METHODS)
      if (item[m]) out.set(`${m.toUpperCase()} ${path}`, { ...item[m], parameters: [...(item.parameters ?? []), ...(item[m].parameters ?? [])] })
  }
  return out
}

const jsonSchemaOf = (content: Schema | undefined) => (content ? (Object.values<Schema>(content)[0]?.schema as Schema | undefined) : undefined)

export function compareSpecs(ours: Doc, theirs: Doc): DriftFinding[] {
  const findings: DriftFinding[] = []
  const add = (kind: DriftKind, operation: string, key: string, detail: string) =>
    findings.push({ id: `${kind} ${operation}${key ? ` ${key}` : ''}`, kind, operation, detail })
  const a = operations(ours)
  const b = operations(theirs)
  for (const key of b.keys()) if (!a.has(key)) add('operation-missing', key, '', `the vendor documents ${key}; our spec does not`)
  for (const key of a.keys()) if (!b.has(key)) add('operation-extra', key, '', `our spec has ${key}; the vendor's does not`)

  for (const [key, vendorOp] of b) {
    const ourOp = a.get(key)
    if (!ourOp) continue
    const params = (op: Schema) => new Map<string, Schema>(op.parameters.map((p: Schema) => [`${p.in}.${p.name}`, p]))
    const ourParams = params(ourOp)
    const vendorParams = params(vendorOp)
    for (const [name, vp] of vendorParams) {
      const op = ourParams.get(name)
      if (!op) add('parameter-missing', key, name, `vendor parameter ${name} is missing`)
      else {
        if (Boolean(op.required) !== Boolean(vp.required))
          add('parameter-required', key, name, `${name}: vendor required=${Boolean(vp.required)}, ours required=${Boolean(op.required)}`)
        if (!compatible(typesOf(vp.schema), typesOf(op.schema)))
          add('parameter-type', key, name, `${name}: vendor ${typesOf(vp.schema)}, ours ${typesOf(op.schema)}`)
      }
    }
    for (const name of ourParams.keys()) if (!vendorParams.has(name)) add('parameter-extra', key, name, `our parameter ${name} is not in the vendor's spec`)

    const vendorBody = fields(jsonSchemaOf(vendorOp.requestBody?.content))
    const ourBody = fields(jsonSchemaOf(ourOp.requestBody?.content))
    for (const [path, types] of vendorBody) {
      const ourTypes = ourBody.get(path)
      if (!ourTypes) add('request-field-missing', key, path, `request field ${path} is missing`)
      else if (!compatible(types, ourTypes)) add('request-field-type', key, path, `request field ${path}: vendor ${types}, ours ${ourTypes}`)
    }

    for (const [status, vendorResp] of Object.entries<Schema>(vendorOp.responses ?? {})) {
      if (!status.startsWith('2')) continue
      const ourResp = ourOp.responses?.[status]
      if (!ourResp) {
        add('response-missing', key, status, `vendor success status ${status} is not documented by us`)
        continue
      }
      const vendorFields = fields(jsonSchemaOf(vendorResp.content))
      const ourFields = fields(jsonSchemaOf(ourResp.content))
      for (const [path, types] of vendorFields) {
        const ourTypes = ourFields.get(path)
        if (!ourTypes) add('response-field-missing', key, `${status} ${path}`, `response ${status} field ${path} is missing`)
        else if (!compatible(types, ourTypes))
          add('response-field-type', key, `${status} ${path}`, `response ${status} field ${path}: vendor ${types}, ours ${ourTypes}`)
      }
    }
  }
  return findings
}

export function readAllowList(file = defaultAllowListFile): AllowEntry[] {
  const list = parse(readFileSync(file, 'utf8')) ?? []
  if (!Array.isArray(list)) throw new Error(`${file}: expected a list of { id, reason }`)
  for (const [i, entry] of list.entries()) {
    if (typeof entry?.id !== 'string' || typeof entry?.reason !== 'string' || entry.reason.trim() === '') {
      throw new Error(`${file}: entry ${i + 1} needs an id and a non-empty reason`)
    }
  }
  return list
}

export function applyAllowList(findings: DriftFinding[], allow: AllowEntry[]): DriftReport {
  const byId = new Map(allow.map((e) => [e.id, e]))
  const used = new Set<string>()
  const allowed: DriftReport['allowed'] = []
  const unexpected: DriftFinding[] = []
  for (const f of findings) {
    const entry = byId.get(f.id)
    if (entry) {
      used.add(f.id)
      allowed.push({ ...f, reason: entry.reason })
    } else unexpected.push(f)
  }
  return { findings, unexpected, allowed, unusedAllowances: allow.filter((e) => !used.has(e.id)) }
}

/**
 * Where the vendor publishes its Contacts spec: the public repository
 * https://github.com/GoHighLevel/highlevel-api-docs, file apps/contacts.json (it refers to
 * ../common/common-schemas.json, so a local copy needs that file beside it too).
 */
export const VENDOR_CONTACTS_SPEC_URL = 'https://raw.githubusercontent.com/GoHighLevel/highlevel-api-docs/main/apps/contacts.json'

export const missingUpstreamMessage = `drift needs the vendor's Contacts spec: pass --upstream with an https:// URL, e.g.
  ghl-mock drift --upstream ${VENDOR_CONTACTS_SPEC_URL}
or the path of apps/contacts.json in a clone of https://github.com/GoHighLevel/highlevel-api-docs (with its common/ folder).`

/** A file path or an http(s) URL, checked up front so a typo gets a plain message rather than a parser error. */
export function upstreamSource(value: string | undefined): string {
  if (!value) throw new Error(missingUpstreamMessage)
  if (/^https?:\/\//i.test(value)) return value
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new Error(`--upstream ${value}: only a file path or an http(s) URL is supported`)
  if (!existsSync(value)) throw new Error(`--upstream ${value}: no such file (expected the vendor's apps/contacts.json)`)
  return resolve(value)
}

/** Dereferences both sides (the vendor's file refers to ../common/common-schemas.json). */
export async function checkDrift(options: { upstream: string; ours?: string | Doc; allowList?: AllowEntry[] }): Promise<DriftReport> {
  // The user names the URL; the parser's default refuses loopback and private addresses (a
  // mirror on the LAN, or the test's local server), which is a guard for servers, not a CLI.
  const theirs = (await SwaggerParser.dereference(options.upstream, { resolve: { http: { safeUrlResolver: false } } })) as Doc
  const oursSource = options.ours ?? specFiles.contacts
  const ours = (await SwaggerParser.dereference(typeof oursSource === 'string' ? oursSource : (structuredClone(oursSource) as any))) as Doc
  return applyAllowList(compareSpecs(ours, theirs), options.allowList ?? readAllowList())
}

export function formatDrift(report: DriftReport): string {
  const lines = [`drift: ${report.findings.length} differences, ${report.allowed.length} allowed, ${report.unexpected.length} unexpected`]
  for (const f of report.unexpected) lines.push(`  ✗ ${f.id}\n      ${f.detail}`)
  for (const e of report.unusedAllowances) lines.push(`  ! stale allow-list entry (matches nothing): ${e.id}`)
  return lines.join('\n')
}
