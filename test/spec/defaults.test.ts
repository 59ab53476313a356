/**
 * A spec `default` is what the server assumes when a request leaves the field out, so the
 * generated request types must let callers leave it out (openapi-typescript makes such
 * fields required unless `defaultNonNullable: false`, set in openapi/generate.ts).
 * This walks every request body of the three specs, finds each property with a default,
 * and checks in the generated file that the property is optional (`name?:`).
 */
import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { readDocument, specFiles, type ApiName } from '../../openapi/load.ts'
import { generatedFile } from '../../openapi/generate.ts'
import type { RequestBody } from '../../client/types.ts'

// Compile-time half: the upsert the issue names compiles without the defaulted flag.
const upsert: RequestBody<'upsert-contact'> = { locationId: 'loc', email: 'a@example.com' }

type Doc = Record<string, any>
interface Defaulted {
  /** Where the property lives in the generated file, e.g. components.schemas.UpsertContactDto.createNewIfDuplicateAllowed */
  path: string[]
  where: string
}

function deref(doc: Doc, node: any): { node: any; ref?: string } {
  let ref: string | undefined
  while (node && typeof node.$ref === 'string') {
    ref = node.$ref
    node = node.$ref
      .slice(2)
      .split('/')
      .reduce((n: any, k: string) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  }
  return { node, ref }
}

function defaultedIn(doc: Doc, schema: any, path: string[], where: string, seen: Set<string>, out: Defaulted[]): void {
  const { node, ref } = deref(doc, schema)
  if (!node || typeof node !== 'object') return
  if (ref) {
    if (seen.has(ref)) return
    seen = new Set([...seen, ref])
    const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref)
    if (m) path = ['components', 'schemas', m[1]!]
  }
  for (const [name, prop] of Object.entries<any>(node.properties ?? {})) {
    if (deref(doc, prop).node?.default !== undefined || prop?.default !== undefined) out.push({ path: [...path, name], where: `${where}.${name}` })
    defaultedIn(doc, prop, [...path, name], `${where}.${name}`, seen, out)
  }
  if (node.items) defaultedIn(doc, node.items, path, `${where}[]`, seen, out)
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const sub of node[key] ?? []) defaultedIn(doc, sub, path, where, seen, out)
}

function defaultedRequestFields(name: ApiName): Defaulted[] {
  const { doc } = readDocument(name)
  const out: Defaulted[] = []
  for (const item of Object.values<Doc>(doc.paths ?? {})) {
    for (const op of Object.values<any>(item)) {
      if (!op?.requestBody) continue
      const body = deref(doc, op.requestBody).node
      for (const [type, media] of Object.entries<any>(body.content ?? {})) {
        defaultedIn(doc, media.schema, ['operations', op.operationId, 'requestBody', 'content', type], `${op.operationId} body`, new Set(), out)
      }
    }
  }
  return out
}

/** Follows property names through the generated declarations; true/false = optional or not, undefined = not found. */
function isOptional(source: ts.SourceFile, path: string[]): boolean | undefined {
  const [top, ...rest] = path
  const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === top)
  let candidates: ts.Node[] = decl ? [decl] : []
  let found: ts.PropertySignature | undefined
  for (const segment of rest) {
    const next: ts.Node[] = []
    found = undefined
    for (const node of candidates) {
      for (const member of membersOf(node)) {
        if (
          ts.isPropertySignature(member) &&
          member.name &&
          (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) &&
          member.name.text === segment
        ) {
          found = member
          if (member.type) next.push(member.type)
        }
      }
    }
    if (!found) return undefined
    candidates = next
  }
  return found ? Boolean(found.questionToken) : undefined
}

function membersOf(node: ts.Node): readonly ts.TypeElement[] {
  if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) return node.members
  if (ts.isArrayTypeNode(node)) return membersOf(node.elementType)
  if (ts.isParenthesizedTypeNode(node)) return membersOf(node.type)
  if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) return node.types.flatMap((t) => membersOf(t))
  return []
}

describe('request fields with a spec default are optional in the generated types', () => {
  it('the upsert body needs only locationId and an identity', () => {
    expect(upsert).toEqual({ locationId: 'loc', email: 'a@example.com' })
  })

  it('the walk finds the defaults it must (createNewIfDuplicateAllowed on upsert)', () => {
    expect(defaultedRequestFields('contacts').map((d) => d.where)).toContain('upsert-contact body.createNewIfDuplicateAllowed')
  })

  it.each(Object.keys(specFiles) as ApiName[])('%s', (name) => {
    const file = generatedFile(name)
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest)
    const problems = defaultedRequestFields(name)
      .map((d) => ({ ...d, optional: isOptional(source, d.path) }))
      .filter((d) => d.optional !== true)
      .map((d) => `${d.where} (${d.path.join('.')}): ${d.optional === undefined ? 'not found in the generated file' : 'required'}`)
    expect(problems).toEqual([])
  })
})
