/**
 * GET /oauth/chooselocation: the marketplace's "choose location" page, played by the mock.
 * A simulated user picks a location (the `locationId` query parameter, else the first one)
 * and approves, unless told to deny (`deny=true`, or the app's `consent: "deny"`).
 * An invalid request (unknown client, unregistered redirect_uri, a scope the app does not
 * have, response_type other than `code`, unknown location) gets a 400 HTML page saying
 * what is wrong and is never redirected: the redirect URI cannot be trusted then.
 */
import type { App } from '../auth/apps.ts'
import type { OperationHandler } from '../handler.ts'
import type { MockState } from '../state.ts'
import type { Location } from '../store/types.ts'
import { escapeHtml } from '../web/html.ts'

export function errorPage(title: string, problems: string[]): Response {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
<ul>
${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('\n')}
</ul>
<p>No authorization code was issued and you were not redirected. The apps the mock knows: <code>GET /__mock/apps</code>.</p>
</body>
</html>
`
  return new Response(html, { status: 400, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } })
}

const redirect = (location: string) => new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } })

/** redirect_uri with these parameters added (keeping any query it already has). */
function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

export const userIdOf = (location: Location) => location.users[0]?.id ?? location.id

interface Choice {
  picked: Location
  approved: Location[]
  approveAll: boolean
}

/** Which locations the simulated user approves; a string is the problem to show. */
async function chooseLocations(app: App, requested: string | undefined, state: MockState): Promise<Choice | string> {
  const all = await state.store.listLocations()
  const ids = (requested ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const chosen: Location[] = []
  for (const id of ids) {
    const loc = all.find((l) => l.id === id)
    if (!loc) return `locationId ${id} is not a location of the mock (see GET /__mock/locations)`
    if (!chosen.includes(loc)) chosen.push(loc)
  }
  if (app.distribution === 'Location') {
    if (chosen.length > 1) return `app ${app.clientId} has distribution Location: it is installed on one location at a time, but ${chosen.length} were chosen`
    const picked = chosen[0] ?? all[0]
    return { picked, approved: [picked], approveAll: false }
  }
  // Company (agency) install: the chosen locations, or every location of the first location's company.
  if (chosen.length === 0) {
    const companyId = all[0].companyId
    const approved = all.filter((l) => l.companyId === companyId)
    return { picked: approved[0], approved, approveAll: true }
  }
  if (new Set(chosen.map((l) => l.companyId)).size > 1) return 'the chosen locations belong to different companies; an agency install covers one company'
  return { picked: chosen[0], approved: chosen, approveAll: false }
}

export const chooseLocation: OperationHandler<'choose-location'> = async ({ query }, state) => {
  const problems: string[] = []
  if (query.response_type !== 'code') problems.push(`response_type must be code (got ${query.response_type})`)
  const app = state.apps.get(String(query.client_id))
  if (!app) {
    problems.push(`client_id ${query.client_id} is not the client id of any app registered with the mock`)
    return errorPage('Invalid authorization request', problems)
  }
  const redirectUri = String(query.redirect_uri)
  if (!app.redirectUris.includes(redirectUri)) {
    problems.push(`redirect_uri ${redirectUri} is not registered for app ${app.name} (${app.clientId}); registered: ${app.redirectUris.join(', ')}`)
  }
  const scopes = [
    ...new Set(
      String(query.scope ?? '')
        .split(/\s+/)
        .filter(Boolean),
    ),
  ]
  if (scopes.length === 0) problems.push('scope is empty: ask for at least one scope, space separated')
  const beyond = scopes.filter((s) => !app.scopes.includes(s))
  if (beyond.length > 0) {
    problems.push(
      `scope ${beyond.join(', ')} ${beyond.length > 1 ? 'are' : 'is'} not granted to app ${app.name} (${app.clientId}); it may ask for: ${app.scopes.join(' ')}`,
    )
  }
  const choice = await chooseLocations(app, query.locationId, state)
  if (typeof choice === 'string') problems.push(choice)
  if (problems.length > 0 || typeof choice === 'string') return errorPage('Invalid authorization request', problems)

  const oauthState = query.state as string | undefined
  if (query.deny === true || app.consent === 'deny') {
    return redirect(withParams(redirectUri, { error: 'access_denied', error_description: 'The user denied the authorization request.', state: oauthState }))
  }

  const installedBy = app.distribution === 'Company' ? 'Company' : 'Location'
  for (const loc of choice.approved) {
    state.grants.install({ clientId: app.clientId, locationId: loc.id, companyId: loc.companyId, installedBy, scopes })
  }
  const code = state.grants.createCode(
    {
      clientId: app.clientId,
      redirectUri,
      scopes,
      installedBy,
      locationId: choice.picked.id,
      companyId: choice.picked.companyId,
      approvedLocations: choice.approved.map((l) => l.id),
      approveAllLocations: choice.approveAll,
      userId: userIdOf(choice.picked),
    },
    state.options.authCodeTtlSeconds * 1000,
  )
  return redirect(withParams(redirectUri, { code: code.code, state: oauthState }))
}
