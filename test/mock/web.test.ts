import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { readFileSync } from 'node:fs'
import { specFiles } from '../../openapi/load.ts'
import { makeMock } from '../support/mock.ts'

describe('pages for people', async () => {
  const m = await makeMock({ contacts: 5 })

  it.each(['contacts', 'oauth', 'control'] as const)('serves the %s spec as YAML and JSON', async (name) => {
    const yaml = await m.http.get(`/openapi/${name}.yaml`)
    expect(yaml.status).toBe(200)
    expect(yaml.headers['content-type']).toContain('application/yaml')
    expect(yaml.text).toBe(readFileSync(specFiles[name], 'utf8'))
    const json = await m.http.get(`/openapi/${name}.json`)
    expect(json.status).toBe(200)
    expect(json.body).toEqual(parse(yaml.text))
  })

  it('answers 404 in the API shape for a spec it does not have', async () => {
    const res = await m.http.get('/openapi/other.yaml')
    expect(res.status).toBe(404)
    expect(res.body.statusCode).toBe(404)
  })

  it('GET / leads to /docs', async () => {
    const res = await m.http.get('/')
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/docs')
  })

  it('/docs loads Scalar from the mock itself, points try-it-out at the mock with a seeded token, same-origin only', async () => {
    const res = await m.http.get('/docs')
    expect(res.status).toBe(200)
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    const scripts = [...res.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((s) => s[1])
    expect(scripts).toEqual(['/docs/scalar.js', '/docs/docs.js'])
    const config = JSON.parse(/<script type="application\/json" id="docs-config">(.*?)<\/script>/s.exec(res.text)![1])
    expect(config.sources.map((s: { url: string }) => s.url)).toEqual(['/openapi/contacts.json', '/openapi/oauth.json', '/openapi/control.json'])
    expect(config.servers[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(config.authentication.securitySchemes.OAuth2.flows.authorizationCode.token).toBe(m.token)
    expect(config.withDefaultFonts).toBe(false)
    const bundle = await m.http.get('/docs/scalar.js')
    expect(bundle.status).toBe(200)
    expect(bundle.headers['content-type']).toContain('text/javascript')
    expect(bundle.text.length).toBeGreaterThan(1_000_000)
    expect(bundle.text).toContain('createApiReference')
  })
})
