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
    expect(config.showDeveloperTools).toBe('never')
    expect(config.defaultOpenAllTags).toBe(true)
    const bundle = await m.http.get('/docs/scalar.js')
    expect(bundle.status).toBe(200)
    expect(bundle.headers['content-type']).toContain('text/javascript')
    expect(bundle.text.length).toBeGreaterThan(1_000_000)
    expect(bundle.text).toContain('createApiReference')
  })

  it('/docs prefills the token only for a request the control API would let read it (loopback Host, the admin token if any)', async () => {
    const tokenIn = (text: string) =>
      JSON.parse(/<script type="application\/json" id="docs-config">(.*?)<\/script>/s.exec(text)![1]).authentication?.securitySchemes?.OAuth2?.flows
        ?.authorizationCode?.token
    const rebound = await m.http.get('/docs').set('Host', 'attacker.example:4010')
    expect(rebound.status).toBe(200)
    expect(tokenIn(rebound.text)).toBeUndefined()
    expect(rebound.text).not.toContain(m.token)
    const guarded = await makeMock({ contacts: 1, control: { hosts: 'loopback', corsOrigins: [], adminToken: 's3cret' } })
    expect(tokenIn((await guarded.http.get('/docs')).text)).toBeUndefined()
    expect(tokenIn((await guarded.http.get('/docs').set('X-Mock-Admin-Token', 's3cret')).text)).toBe(guarded.token)
  })
})

describe('QA console page', async () => {
  const m = await makeMock({ contacts: 2 })

  it('/__mock/ui is one same-origin page: its script and style come from the mock, the CSP forbids other origins', async () => {
    const res = await m.http.get('/__mock/ui')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/html')
    const csp = res.headers['content-security-policy']
    expect(csp).toContain("default-src 'self'")
    expect(csp).not.toMatch(/https?:/)
    expect([...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((x) => x[1]).filter((u) => !u.startsWith('/'))).toEqual([])
    for (const [path, type] of [
      ['/__mock/ui/console.js', 'text/javascript'],
      ['/__mock/ui/console.css', 'text/css'],
    ]) {
      const asset = await m.http.get(path)
      expect(asset.status).toBe(200)
      expect(asset.headers['content-type']).toContain(type)
    }
  })

  it('the page and its assets are control operations that match their spec (self-check)', async () => {
    for (const path of ['/__mock/ui', '/__mock/ui/console.js', '/__mock/ui/console.css']) await m.http.get(path).expect(200)
    expect(m.state.selfCheckFailures).toEqual([])
  })

  it('every control call the console script makes is a control API operation, sent as JSON', async () => {
    const script = (await m.http.get('/__mock/ui/console.js')).text
    expect(script).toContain("'Content-Type': 'application/json'")
    // Template-literal paths: each ${...} stands for one path segment.
    const calls = [...script.matchAll(/api\('(GET|POST|PUT|PATCH|DELETE)', [`'](\/__mock\/[^`'?]*)/g)].map((x) => [x[1], x[2].replace(/\$\{[^}]*\}\)?/g, 'x')])
    expect(calls.length).toBeGreaterThan(10)
    const control = m.state.spec.operations.filter((op) => op.api === 'control')
    for (const [method, path] of calls) {
      const known = control.some((op) => op.method.toUpperCase() === method && new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]*')}$`).test(path))
      expect(known, `${method} ${path}`).toBe(true)
    }
  })
})

describe('the control guard covers the console', async () => {
  const m = await makeMock({ contacts: 1 })
  const locked = await makeMock({ contacts: 1, control: { adminToken: 's3cret', hosts: 'loopback', corsOrigins: [] } })

  it('a page under another host name (DNS rebinding) gets neither the console nor its event stream', async () => {
    for (const path of ['/__mock/ui', '/__mock/ui/console.js', '/__mock/journal/stream', '/__mock/state']) {
      const res = await m.http.get(path).set('Host', 'evil.example:4010')
      expect(res.status, path).toBe(403)
    }
  })

  it("the console's actions are refused from another origin and without a JSON body type", async () => {
    await m.http
      .post('/__mock/faults')
      .set('Origin', 'http://evil.example')
      .send({ action: { status: 503 } })
      .expect(403)
    await m.http.put('/__mock/state').set('Sec-Fetch-Site', 'cross-site').send({}).expect(403)
    await m.http.post('/__mock/reset').set('Content-Type', 'text/plain').send('{}').expect(415)
    const same = await m.http
      .post('/__mock/faults')
      .set('Host', '127.0.0.1:4010')
      .set('Origin', 'http://127.0.0.1:4010')
      .send({ action: { status: 503 } })
    expect(same.status, JSON.stringify(same.body)).toBe(201)
  })

  it('with an admin token, the console and its calls need it too', async () => {
    await locked.http.get('/__mock/ui').expect(401)
    await locked.http.get('/__mock/state').expect(401)
    await locked.http.get('/__mock/ui').set('X-Mock-Admin-Token', 's3cret').expect(200)
  })
})

describe('every control route has a spec', async () => {
  const m = await makeMock({ contacts: 1 })

  it('each route the app serves under /__mock is an operation of openapi/control.yaml', () => {
    const specified = new Set(m.state.spec.operations.filter((op) => op.api === 'control').map((op) => `${op.method.toUpperCase()} ${op.routePath}`))
    const served = m.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/__mock')).map((r) => `${r.method} ${r.path}`)
    expect(served.length).toBeGreaterThan(40)
    expect(served.filter((r) => !specified.has(r))).toEqual([])
    expect(served).toEqual(
      expect.arrayContaining([
        'GET /__mock/ui',
        'GET /__mock/state',
        'PUT /__mock/state',
        'GET /__mock/journal/stream',
        'POST /__mock/webhooks/deliveries/:webhookId/redeliver',
      ]),
    )
  })
})
