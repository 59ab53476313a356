/** Drift between our spec and the vendor's published one (read from ../shared/upstream when present). */
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { applyAllowList, checkDrift, compareSpecs, readAllowList, upstreamSource } from '../../contracts/drift.ts'
import { specFiles } from '../../openapi/load.ts'

const upstream = fileURLToPath(new URL('../../../shared/upstream/apps/contacts.json', import.meta.url))
const present = existsSync(upstream)
if (!present) console.warn(`[drift] skipped: ${upstream} not found (a fresh clone has no ../shared/upstream)`)

describe.skipIf(!present)('drift against the vendor spec', () => {
  it('finds no difference outside the reviewed allow-list, and no stale entry', async () => {
    const report = await checkDrift({ upstream })
    expect(report.unexpected).toEqual([])
    expect(report.unusedAllowances).toEqual([])
    expect(report.allowed.length).toBeGreaterThan(0)
  })

  it('catches a response field we removed, a parameter made optional, and a missing operation', async () => {
    const ours = parse(readFileSync(specFiles.contacts, 'utf8'))
    delete ours.components.schemas.GetContectByIdSchema.properties.emailLowerCase
    const locationParam = ours.paths['/contacts/'].get.parameters.find((p: any) => p.name === 'locationId')
    locationParam.required = false
    delete ours.paths['/contacts/{contactId}/notes/{id}'].put
    const report = await checkDrift({ upstream, ours })
    const ids = report.unexpected.map((f) => f.id)
    expect(ids).toContain('response-field-missing GET /contacts/{contactId} 200 contact.emailLowerCase')
    expect(ids).toContain('parameter-required GET /contacts/ query.locationId')
    expect(ids).toContain('operation-missing PUT /contacts/{contactId}/notes/{id}')
  })

  it('reads the vendor spec from a URL too, with its relative $ref to ../common (served here from the same files)', async () => {
    const base = resolve(dirname(upstream), '..')
    const server = createServer((req, res) => {
      const file = join(base, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
      if (!file.startsWith(base) || !existsSync(file)) return void res.writeHead(404).end()
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(readFileSync(file))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apps/contacts.json`
      const [fromUrl, fromFile] = await Promise.all([checkDrift({ upstream: upstreamSource(url) }), checkDrift({ upstream })])
      expect(fromUrl.findings).toEqual(fromFile.findings)
      expect(fromUrl.unexpected).toEqual([])
    } finally {
      server.close()
    }
  })
})

describe('drift mechanics', () => {
  const vendor = {
    paths: {
      '/things/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, n: { type: 'number', nullable: true } } } } },
            },
          },
        },
      },
    },
  }

  it('reads 3.0 nullable and 3.1 type arrays alike, and reports type mismatches', () => {
    const ours = structuredClone(vendor) as any
    ours.paths['/things/{id}'].get.responses['200'].content['application/json'].schema.properties = {
      name: { type: 'integer' },
      n: { type: ['number', 'null'] },
    }
    const findings = compareSpecs(ours, vendor)
    expect(findings.map((f) => f.id)).toEqual(['response-field-type GET /things/{id} 200 name'])
  })

  it('allow-list entries need a reason; stale ones are reported', () => {
    const report = applyAllowList(
      [{ id: 'x', kind: 'operation-extra', operation: 'GET /x', detail: '' }],
      [
        { id: 'x', reason: 'ours only' },
        { id: 'y', reason: 'old' },
      ],
    )
    expect(report.unexpected).toEqual([])
    expect(report.unusedAllowances).toEqual([{ id: 'y', reason: 'old' }])
    expect(() => readAllowList(fileURLToPath(new URL('./fixtures/bad-allow.yaml', import.meta.url)))).toThrow(/needs an id and a non-empty reason/)
  })
})
