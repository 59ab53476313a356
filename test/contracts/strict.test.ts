/** Strict mode: each kind of consumer-contract break is caught, the clean case passes. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { makeMock, type TestMock } from '../support/mock.ts'
import { violationsReport } from '../../contracts/strict.ts'
import { failures, toJUnit } from '../../contracts/report.ts'

let m: TestMock
beforeEach(async () => {
  m = await makeMock({ strict: true })
})
afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

const kinds = async () => (await m.http.get('/__mock/contract/violations')).body.violations.map((v: { kind: string }) => v.kind)

describe('strict mode', () => {
  it('a correct consumer leaves no violation', async () => {
    const list = await m.http.get(`/contacts/?locationId=${m.location.id}&limit=2`).set(m.auth())
    expect(list.status).toBe(200)
    const created = await m.http.post('/contacts/').set(m.auth()).send({ locationId: m.location.id, firstName: 'Clean', email: 'clean@example.com' })
    expect(created.status).toBe(201)
    await m.http.post('/contacts/upsert').set(m.auth()).send({ locationId: m.location.id, email: 'clean@example.com', lastName: 'Again' })
    await m.http.post('/contacts/upsert').set(m.auth()).send({ locationId: m.location.id, email: 'clean@example.com', lastName: 'Again' })
    expect(await kinds()).toEqual([])
    expect(failures(violationsReport([]))).toEqual([])
  })

  it('catches a call to an endpoint that does not exist (writing appointments through Contacts)', async () => {
    const res = await m.http.post('/contacts/abc/appointments').set(m.auth()).send({ title: 'x' })
    expect(res.status).toBe(404) // the real API's answer still goes out
    expect(await kinds()).toEqual(['unknown-endpoint'])
  })

  it('catches an unknown field and a missing Version header', async () => {
    await m.http.post('/contacts/').set(m.auth()).send({ locationId: m.location.id, firstName: 'A', trainingLevel: 3 })
    await m.http.get(`/contacts/?locationId=${m.location.id}`).set({ Authorization: `Bearer ${m.token}` })
    const res = await m.http.get('/__mock/contract/violations')
    expect(res.body.violations.map((v: { kind: string }) => v.kind)).toEqual(['invalid-request', 'missing-version'])
    expect(res.body.violations[0].message).toContain('property trainingLevel should not exist')
    expect(res.body.violations[0].request.body).toMatchObject({ trainingLevel: 3 })
  })

  it('catches a write with a read-only token and a request for another location', async () => {
    const ro = (await m.http.post('/__mock/tokens').send({ locationId: m.location.id, scopes: ['contacts.readonly'] })).body.access_token
    await m.http.post('/contacts/').set(m.auth(ro)).send({ locationId: m.location.id, firstName: 'RO' })
    await m.http.get(`/contacts/?locationId=${m.other.location.id}`).set(m.auth())
    expect(await kinds()).toEqual(['insufficient-scope', 'wrong-location'])
  })

  it('catches a retried create that duplicates the record', async () => {
    const body = { locationId: m.location.id, firstName: 'Twice', email: 'twice@example.com' }
    expect((await m.http.post('/contacts/').set(m.auth()).send(body)).status).toBe(201)
    const again = await m.http.post('/contacts/').set(m.auth()).send(body)
    expect(again.status).toBe(400) // the location forbids duplicates: the real API's answer
    expect(again.body.meta.contactId).toBeTruthy()
    expect(await kinds()).toEqual(['duplicate-create'])
  })

  it('can be switched through the control API, and reports render for CI', async () => {
    await m.http.put('/__mock/contract').send({ strict: false })
    await m.http.post('/contacts/nope/appointments').set(m.auth()).send({})
    expect(await kinds()).toEqual([])
    await m.http.put('/__mock/contract').send({ strict: true })
    await m.http.post('/contacts/nope/appointments').set(m.auth()).send({})
    const { violations } = (await m.http.get('/__mock/contract/violations')).body
    const report = violationsReport(violations)
    expect(failures(report)).toHaveLength(1)
    expect(toJUnit(report)).toMatch(/<testsuite name="unknown-endpoint" tests="1" failures="1"/)
    expect((await m.http.delete('/__mock/contract/violations')).status).toBe(204)
    expect(await kinds()).toEqual([])
  })
})
