import { readFileSync } from 'node:fs'
import SwaggerParser from '@apidevtools/swagger-parser'
import { describe, expect, it } from 'vitest'
import { loadSpec, specFiles, type ApiName } from '../../openapi/load.ts'
import { generateJson, generateTypes, generatedFile, generatedJsonFile } from '../../openapi/generate.ts'
import { missingHandlers } from '../../mock/app.ts'

const spec = loadSpec()

describe('our OpenAPI documents', () => {
  it.each(Object.entries(specFiles))('%s passes strict validation', async (_name, file) => {
    await expect(SwaggerParser.validate(file)).resolves.toBeTruthy()
  })

  it.each(Object.keys(specFiles))('generated types for %s are up to date (run `npm run gen`)', async (name) => {
    const committed = readFileSync(generatedFile(name as ApiName), 'utf8')
    expect(committed).toBe(await generateTypes(name as ApiName))
  })

  it.each(Object.keys(specFiles))('the JSON copy of %s read at startup is up to date (run `npm run gen`)', (name) => {
    const committed = readFileSync(generatedJsonFile(name as ApiName), 'utf8')
    expect(committed).toBe(generateJson(name as ApiName))
  })

  it('covers the 32 Contacts operations, each with a scope from its security requirements', () => {
    const contacts = spec.operations.filter((op) => op.api === 'contacts')
    expect(contacts).toHaveLength(32)
    for (const op of contacts) {
      expect(op.secured, op.operationId).toBe(true)
      expect(op.scopes, op.operationId).toEqual([op.method === 'get' || op.path === '/contacts/search' ? 'contacts.readonly' : 'contacts.write'])
    }
  })

  it('has a handler for every operation in every document', () => {
    expect(missingHandlers({ spec })).toEqual([])
  })

  it('documents the five rate-limit headers on every Contacts response', () => {
    const doc = spec.documents.find((d) => d.name === 'contacts')!.doc
    const deref = (x: any): any =>
      x?.$ref
        ? deref(
            x.$ref
              .slice(2)
              .split('/')
              .reduce((n: any, k: string) => n[k], doc),
          )
        : x
    for (const op of spec.operations.filter((o) => o.api === 'contacts')) {
      const responses = doc.paths[op.path][op.method].responses
      for (const [status, r] of Object.entries<any>(responses)) {
        const headers = Object.keys(deref(r).headers ?? {})
        expect(headers, `${op.operationId} ${status}`).toEqual(
          expect.arrayContaining([
            'X-RateLimit-Limit-Daily',
            'X-RateLimit-Daily-Remaining',
            'X-RateLimit-Interval-Milliseconds',
            'X-RateLimit-Max',
            'X-RateLimit-Remaining',
          ]),
        )
      }
    }
  })
})
