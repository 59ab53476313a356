/**
 * The first half of an app's install against the mock, as the user's browser does it:
 * the consent page (GET /oauth/chooselocation) redirects back with a one-time `code`.
 * The connector's own OAuth callback does the second half (the client's
 * `exchangeAuthorizationCode`), so the code under test is the code that ships.
 */
import type { ConnectorContext } from './harness.ts'

export interface Authorization {
  /** The app's credentials (default: the mock's default marketplace app). */
  clientId: string
  clientSecret: string
  redirectUri: string
  /** The one-time code to exchange at POST /oauth/token. */
  code: string
}

export interface AuthorizeOptions {
  /** Which registered app consents (default: the mock's default app). */
  clientId?: string
  /** Space separated (default `contacts.readonly contacts.write`). */
  scope?: string
  /** The location the user picks (default `ctx.locationId`). */
  locationId?: string
}

export async function authorize(ctx: ConnectorContext, options: AuthorizeOptions = {}): Promise<Authorization> {
  const apps = ctx.mock.app.state.apps
  const app = options.clientId === undefined ? apps.defaultApp : apps.get(options.clientId)
  if (!app) throw new Error(`authorize: no app ${options.clientId} is registered in the mock`)
  const redirectUri = app.redirectUris[0] ?? ''
  const state = `harness-${ctx.now()}`
  const consent = new URL(`${ctx.baseUrl}/oauth/chooselocation`)
  consent.search = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope: options.scope ?? 'contacts.readonly contacts.write',
    state,
    locationId: options.locationId ?? ctx.locationId,
  }).toString()
  const res = await fetch(consent, { redirect: 'manual' })
  const back = new URL(res.headers.get('location') ?? '', consent)
  const code = back.searchParams.get('code')
  if (!code || back.searchParams.get('state') !== state)
    throw new Error(`authorize: the consent page (${res.status}) did not redirect back with a code: ${back}`)
  return { clientId: app.clientId, clientSecret: app.clientSecret, redirectUri, code }
}
