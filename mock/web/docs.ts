/**
 * /docs: our three specs in Scalar's API reference. Scalar's standalone bundle comes
 * from the npm package and is served by the mock itself, so the page works with no
 * network. Try-it-out is pointed at this mock, with a seeded all-scopes token filled in.
 */
import type { ApiName } from '../../openapi/load.ts'
import { escapeHtml, scriptJson } from './html.ts'
import type { SpecFile } from './specs.ts'

export function docsPage(input: { origin: string; token?: string; specs: Record<ApiName, SpecFile> }): string {
  const order: ApiName[] = ['contacts', 'oauth', 'control']
  const config = {
    sources: order.map((name, i) => ({ title: input.specs[name].title, slug: name, url: `/openapi/${name}.json`, default: i === 0 })),
    servers: [{ url: input.origin, description: 'This mock' }],
    // Scalar fetches web fonts from its own CDN unless told not to.
    withDefaultFonts: false,
    // Scalar's AI agent and its developer toolbar (share, deploy) talk to scalar.com.
    agent: { disabled: true },
    showDeveloperTools: 'never',
    // Every operation on one page, so a reader (and a browser test) finds each one without clicking.
    defaultOpenAllTags: true,
    ...(input.token
      ? {
          authentication: {
            preferredSecurityScheme: 'OAuth2',
            securitySchemes: { OAuth2: { flows: { authorizationCode: { token: input.token } } } },
          },
        }
      : {}),
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.specs.contacts.title)} · API reference (ghl-mock)</title>
</head>
<body>
<div id="reference"></div>
<script type="application/json" id="docs-config">${scriptJson(config)}</script>
<script src="/docs/scalar.js"></script>
<script src="/docs/docs.js"></script>
</body>
</html>`
}
