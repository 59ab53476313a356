/**
 * Provider conformance: exercise every Contacts operation against a target (the mock by
 * default, or the real API) in one stateful scenario (create → read → change → delete)
 * and check each answer's status, headers and body against our spec.
 *
 * Against anything but a mock it is read-only unless `allowWrites`, and it only ever
 * deletes what it created itself.
 */
import { loadSpec, type Operation } from '../openapi/load.ts'
import { createValidator } from '../openapi/validator.ts'
import { controlHeaders } from './control-headers.ts'
import type { CheckResult, Report } from './report.ts'

export interface VerifyOptions {
  target: string
  token?: string
  locationId?: string
  version?: string
  /** Default: true against a mock (detected through /__mock/health), false otherwise. */
  allowWrites?: boolean
  fetch?: typeof fetch
  /** The mock's `--admin-token`, sent on its control API calls (a mock started with one refuses them without). */
  adminToken?: string
  /** Ids the scenario needs on a real account (a mock provides them itself). */
  ids?: { userId?: string; campaignId?: string; workflowId?: string; businessId?: string }
}

interface Call {
  params?: Record<string, string>
  query?: Record<string, string | number>
  body?: unknown
  headers?: Record<string, string>
}

const RATE_HEADERS = ['x-ratelimit-limit-daily', 'x-ratelimit-daily-remaining', 'x-ratelimit-interval-milliseconds', 'x-ratelimit-max', 'x-ratelimit-remaining']

export async function verifyProvider(options: VerifyOptions): Promise<Report & { target: string; mock: boolean }> {
  const spec = loadSpec()
  const validator = createValidator(spec)
  const doFetch = options.fetch ?? fetch
  const control = controlHeaders(options.adminToken)
  const base = options.target.replace(/\/$/, '')
  const results: CheckResult[] = []
  const mock = await doFetch(`${base}/__mock/health`, { headers: control }).then(
    (r) => {
      if (r.status === 401 && r.headers.get('content-type')?.includes('json'))
        throw new Error(`${base}/__mock/health answered 401: a mock started with --admin-token needs it here too (--admin-token or GHL_MOCK_ADMIN_TOKEN)`)
      return r.ok
    },
    (err: Error & { cause?: { code?: string } }) => {
      throw new Error(`cannot reach ${base} (${err.cause?.code ?? err.message}): is the mock running (npm start), or the URL right?`)
    },
  )
  const allowWrites = options.allowWrites ?? mock
  let { token, locationId } = options
  const ids = { ...options.ids }

  if (mock && (!token || !locationId)) {
    const { locations } = await (await doFetch(`${base}/__mock/locations`, { headers: control })).json()
    locationId ??= locations[0].id
    const loc = locations.find((l: any) => l.id === locationId) ?? locations[0]
    ids.userId ??= loc.users[0]?.id
    ids.campaignId ??= loc.campaigns[0]?.id
    ids.workflowId ??= loc.workflows[0]?.id
    ids.businessId ??= loc.businesses[0]?.id
    const issued = await doFetch(`${base}/__mock/tokens`, {
      method: 'POST',
      headers: { ...control, 'content-type': 'application/json' },
      body: JSON.stringify({ locationId }),
    })
    token ??= (await issued.json()).access_token
  }
  if (!token || !locationId)
    throw new Error('verify needs a token and a location id (--token/--location or GHL_TOKEN/GHL_LOCATION_ID) for a target that is not a ghl-mock')

  const exercised = new Set<string>()
  const skip = (operationId: string, why: string) => {
    if (exercised.has(operationId)) return
    exercised.add(operationId)
    results.push({ suite: operationId, name: 'skipped', ok: true, skipped: true, details: [why] })
  }

  async function call(operationId: string, expected: number, input: Call = {}, also?: (body: any) => string | undefined) {
    const op = spec.byId.get(operationId) as Operation
    exercised.add(operationId)
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(input.params?.[name] ?? ''))
    const url = new URL(base + path)
    for (const [k, v] of Object.entries(input.query ?? {})) url.searchParams.set(k, String(v))
    const started = performance.now()
    const details: string[] = []
    let body: any
    let status = 0
    try {
      const res = await doFetch(url, {
        method: op.method.toUpperCase(),
        headers: {
          Authorization: `Bearer ${token}`,
          Version: options.version ?? '2021-07-28',
          ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...input.headers,
        },
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
      })
      status = res.status
      const text = await res.text()
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        details.push(`body is not JSON: ${text.slice(0, 200)}`)
      }
      const headers = Object.fromEntries(res.headers)
      if (status !== expected) details.push(`status ${status}, expected ${expected}: ${text.slice(0, 300)}`)
      const check = validator.checkResponse(op, status, body, status < 300 ? headers : undefined)
      details.push(...check.errors)
      if (status < 300) for (const h of RATE_HEADERS) if (!/^\d+$/.test(headers[h] ?? '')) details.push(`header ${h} is missing or not a whole number`)
      if (status === expected && also) {
        const problem = also(body)
        if (problem) details.push(problem)
      }
    } catch (err) {
      details.push(`request failed: ${(err as Error).message}`)
    }
    results.push({
      suite: operationId,
      name: `${op.method.toUpperCase()} ${op.path} → ${expected}`,
      ok: details.length === 0,
      durationMs: performance.now() - started,
      details,
    })
    return status === expected ? body : undefined
  }

  // Read-only part: works against any account.
  const list = await call('get-contacts', 200, { query: { locationId, limit: 5 } }, (b) => (Array.isArray(b?.contacts) ? undefined : 'no contacts array'))
  await call('search-contacts-advanced', 200, { body: { locationId, pageLimit: 5 } }, (b) => (typeof b?.total === 'number' ? undefined : 'no total'))
  const existing = list?.contacts?.[0]?.id as string | undefined
  if (existing) {
    await call('get-contact', 200, { params: { contactId: existing } }, (b) => (b?.contact?.id === existing ? undefined : 'read another contact'))
    await call('get-all-tasks', 200, { params: { contactId: existing } })
    await call('get-all-notes', 200, { params: { contactId: existing } })
    await call('get-appointments-for-contact', 200, { params: { contactId: existing } })
  }
  await call('get-contact', 400, { params: { contactId: 'AAAAAAAAAAAAAAAAAAAA' } }, (b) =>
    b?.statusCode === 400 ? undefined : 'error body lacks statusCode 400',
  )
  if (ids.businessId) await call('get-contacts-by-businessId', 200, { params: { businessId: ids.businessId }, query: { locationId } })

  if (!allowWrites) {
    for (const op of spec.operations) if (op.api === 'contacts') skip(op.operationId, 'writes not allowed against this target (use --allow-writes)')
    return { title: `Provider conformance: ${base}`, target: base, mock, results }
  }

  // Stateful part: only on records this run creates.
  const stamp = Date.now().toString(36)
  const email = `verify-${stamp}@example.com`
  const created = await call('create-contact', 201, { body: { locationId, firstName: 'Verify', lastName: stamp, email, tags: ['verify'] } }, (b) =>
    b?.contact?.email?.toLowerCase() === email ? undefined : 'created contact does not echo its email',
  )
  const id = created?.contact?.id as string | undefined
  if (!id) {
    for (const op of spec.operations) if (op.api === 'contacts') skip(op.operationId, 'create-contact failed, nothing to exercise')
    return { title: `Provider conformance: ${base}`, target: base, mock, results }
  }
  const p = { contactId: id }
  await call('get-contact', 200, { params: p }, (b) => (b?.contact?.email?.toLowerCase() === email ? undefined : 'read does not see the create'))
  await call('update-contact', 200, { params: p, body: { lastName: 'Updated' } }, (b) => (b?.contact?.lastName === 'Updated' ? undefined : 'update not echoed'))
  await call('get-contact', 200, { params: p }, (b) => (b?.contact?.lastName === 'Updated' ? undefined : 'read does not see the update'))
  await call('upsert-contact', 200, { body: { locationId, email, firstName: 'Upserted' } }, (b) =>
    b?.new === false && b?.contact?.id === id ? undefined : 'upsert by email did not update the same contact',
  )
  await call('get-duplicate-contact', 200, { query: { locationId, email } }, (b) =>
    b?.contact?.id === id ? undefined : 'duplicate lookup did not find the contact',
  )
  await call('add-tags', 201, { params: p, body: { tags: ['verify-a', 'verify-b'] } }, (b) => (b?.tags?.includes('verify-a') ? undefined : 'tag not added'))
  await call('remove-tags', 200, { params: p, body: { tags: ['verify-b'] } }, (b) => (b?.tags?.includes('verify-b') ? 'tag not removed' : undefined))
  await call('bulk-update-tags', 201, { params: { type: 'add' }, body: { contacts: [id], tags: ['verify-bulk'], locationId } })
  await call('get-contact', 200, { params: p }, (b) => (b?.contact?.tags?.includes('verify-bulk') ? undefined : 'bulk tag not visible'))

  const task = await call('create-task', 201, { params: p, body: { title: 'Verify task', dueDate: '2030-01-01T10:00:00Z', completed: false } })
  const taskId = task?.task?.id
  if (taskId) {
    const t = { ...p, taskId }
    await call('get-task', 200, { params: t }, (b) => (b?.task?.id === taskId ? undefined : 'another task'))
    await call('update-task', 200, { params: t, body: { title: 'Verify task 2' } }, (b) =>
      b?.task?.title === 'Verify task 2' ? undefined : 'update not echoed',
    )
    await call('update-task-completed', 200, { params: t, body: { completed: true } }, (b) => (b?.task?.completed === true ? undefined : 'not completed'))
    await call('get-all-tasks', 200, { params: p }, (b) => (b?.tasks?.some((x: any) => x.id === taskId) ? undefined : 'task not listed'))
    await call('delete-task', 200, { params: t })
  }
  const note = await call('create-note', 201, { params: p, body: { body: 'Verify note' } })
  const noteId = note?.note?.id
  if (noteId) {
    const n = { ...p, id: noteId }
    await call('get-note', 200, { params: n }, (b) => (b?.note?.id === noteId ? undefined : 'another note'))
    await call('update-note', 200, { params: n, body: { body: 'Verify note 2' } }, (b) => (b?.note?.body === 'Verify note 2' ? undefined : 'update not echoed'))
    await call('get-all-notes', 200, { params: p }, (b) => (b?.notes?.some((x: any) => x.id === noteId) ? undefined : 'note not listed'))
    await call('delete-note', 200, { params: n })
  }
  if (ids.userId) {
    await call('add-followers-contact', 201, { params: p, body: { followers: [ids.userId] } })
    await call('remove-followers-contact', 200, { params: p, body: { followers: [ids.userId] } })
  } else for (const o of ['add-followers-contact', 'remove-followers-contact']) skip(o, 'no user id (--user)')
  if (ids.campaignId) {
    await call('add-contact-to-campaign', 201, { params: { ...p, campaignId: ids.campaignId }, body: {} })
    await call('remove-contact-from-campaign', 200, { params: { ...p, campaignId: ids.campaignId } })
    await call('remove-contact-from-every-campaign', 200, { params: p })
  } else
    for (const o of ['add-contact-to-campaign', 'remove-contact-from-campaign', 'remove-contact-from-every-campaign']) skip(o, 'no campaign id (--campaign)')
  if (ids.workflowId) {
    await call('add-contact-to-workflow', 200, { params: { ...p, workflowId: ids.workflowId }, body: {} })
    await call('delete-contact-from-workflow', 200, { params: { ...p, workflowId: ids.workflowId }, body: {} })
  } else for (const o of ['add-contact-to-workflow', 'delete-contact-from-workflow']) skip(o, 'no workflow id (--workflow)')
  if (ids.businessId) {
    await call('add-remove-contact-from-business', 200, { body: { locationId, ids: [id], businessId: ids.businessId } })
    await call('get-contacts-by-businessId', 200, { params: { businessId: ids.businessId }, query: { locationId } }, (b) =>
      b?.contacts?.some((c: any) => c.id === id) ? undefined : 'contact not listed under its business',
    )
    await call('add-remove-contact-from-business', 200, { body: { locationId, ids: [id], businessId: null } })
  } else for (const o of ['add-remove-contact-from-business', 'get-contacts-by-businessId']) skip(o, 'no business id (--business)')
  await call('get-appointments-for-contact', 200, { params: p })
  await call('search-contacts-advanced', 200, { body: { locationId, pageLimit: 10, filters: [{ field: 'email', operator: 'eq', value: email }] } }, (b) =>
    b?.contacts?.some((c: any) => c.id === id) ? undefined : 'search does not find the created contact',
  )
  await call('delete-contact', 200, { params: p }, (b) => (b?.succeded === true ? undefined : 'succeded is not true'))
  await call('get-contact', 400, { params: p })

  for (const op of spec.operations)
    if (op.api === 'contacts' && !exercised.has(op.operationId)) {
      results.push({ suite: op.operationId, name: 'exercised', ok: false, details: ['the scenario never called this operation'] })
    }
  return { title: `Provider conformance: ${base}`, target: base, mock, results }
}
