/**
 * The app's install against the mock, as a user's browser and the app's OAuth callback
 * would do it: the consent page (GET /oauth/chooselocation) redirects with a one-time
 * code, which the connector exchanges (src/oauth.ts).
 */
import type { ConnectorContext } from 'ghl-contacts-mock/harness'
import { exchangeCode, type Installation } from '../src/oauth.ts'

export interface AppCredentials {
  clientId: string
  clientSecret: string
  redirectUri: string
}

/** The mock's default marketplace app; a real connector has its own client id and secret. */
export function mockApp(ctx: ConnectorContext): AppCredentials {
  const app = ctx.mock.app.state.apps.defaultApp
  return { clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: app.redirectUris[0] ?? '' }
}

export async function install(ctx: ConnectorContext, app: AppCredentials): Promise<Installation> {
  const consent = new URL(`${ctx.baseUrl}/oauth/chooselocation`)
  consent.search = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    scope: 'contacts.readonly contacts.write',
    state: 'install-1',
    locationId: ctx.locationId,
  }).toString()
  const res = await fetch(consent, { redirect: 'manual' })
  const back = new URL(res.headers.get('location') ?? '')
  const code = back.searchParams.get('code')
  if (!code || back.searchParams.get('state') !== 'install-1') throw new Error(`consent did not come back with a code: ${back}`)
  return exchangeCode({ baseUrl: ctx.baseUrl, clientId: app.clientId, clientSecret: app.clientSecret, code, redirectUri: app.redirectUri, now: ctx.now })
}
