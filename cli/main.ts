/**
 * The `ghl-mock` command. Every subcommand is a thin layer over a function the tests
 * can call directly.
 */
import { readFileSync } from 'node:fs'
import { Command, InvalidArgumentError, Option } from 'commander'
import { DEFAULT_HOST, DEFAULT_PORT, startMockServer } from '../mock/server.ts'
import { defaultOptions } from '../mock/options.ts'
import { parseRateLimit } from '../mock/limits/policy.ts'
import { loadAppsFile } from '../mock/auth/apps.ts'
import { packageFile } from '../openapi/package-files.ts'
import { startedByNpm, stopWhenOrphaned } from './orphan.ts'
import { allScopesOf } from '../mock/state.ts'
import { loadSpec } from '../openapi/load.ts'
import { exposureWarning, reachableUrls, startBanner } from './banner.ts'

function integer(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`)
    return n
  }
}

function rateLimitValue(value: string) {
  try {
    return parseRateLimit(value)
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message)
  }
}

const seedValue = (value: string) => (/^\d+$/.test(value) ? Number(value) : value)

export function buildCli(): Command {
  const program = new Command('ghl-mock')
    .description('Local mock server and contract-testing kit for the HighLevel (GoHighLevel) Contacts API v2.')
    .version(packageVersion(), '-V, --version')

  program
    .command('start')
    .description('Start the mock API server (default command: `ghl-mock --port 0` is `ghl-mock start --port 0`).')
    .addOption(
      new Option('-p, --port <port>', 'port to listen on (0 = any free port)')
        .env('PORT')
        .default(DEFAULT_PORT)
        .argParser(integer('port', 0, 65535)),
    )
    .addOption(new Option('-H, --host <host>', 'address to bind; the control API has no auth, so keep it local').default(DEFAULT_HOST))
    .addOption(
      new Option('-s, --seed <seed>', 'seed for the generated data, ids and tokens (number or word)')
        .env('GHL_MOCK_SEED')
        .default(defaultOptions.seed)
        .argParser(seedValue),
    )
    .addOption(
      new Option('--locations <n>', 'number of locations (sub-accounts) to seed').default(defaultOptions.locations).argParser(integer('locations', 1, 1000)),
    )
    .addOption(new Option('--contacts <n>', 'contacts per location').default(defaultOptions.contacts).argParser(integer('contacts', 0, 100000)))
    .addOption(
      new Option('--rate-limit <spec>', 'burst and daily limits per app per location, e.g. 5/10s,1000/day, or off (default: 100/10s,200000/day)').argParser(
        rateLimitValue,
      ),
    )
    .option('--retry-after', 'send Retry-After on 429 (the real API documents none)')
    .option('--no-fault-headers', 'ignore the X-Mock-Fault request header (fault rules still apply)')
    .option(
      '--scenario <name-or-file...>',
      'apply scenarios at start: built-in names (rate-limited, flaky, slow, outage, token-expiry, webhook-chaos) or JSON/YAML files',
    )
    .option('--strict', 'strict mode: record every consumer-contract violation (GET /__mock/contract/violations)')
    .addOption(
      new Option(
        '--apps <file>',
        'JSON file with marketplace apps to register: [{ clientId?, clientSecret?, name?, redirectUris, scopes?, distribution?, consent? }]',
      ).env('GHL_MOCK_APPS'),
    )
    .option('--redirect-uri <uri...>', 'redirect URI(s) of the default app (default: http://localhost:3000/oauth/callback)')
    // No commander default: when left out, the options' default (or a scenario's value) applies.
    .addOption(
      new Option('--token-ttl <seconds>', `lifetime of OAuth access tokens, expires_in (default: ${defaultOptions.accessTokenTtlSeconds})`).argParser(
        integer('token-ttl', 1, 10 * 365 * 86400),
      ),
    )
    .option('--webhook <url...>', 'send every webhook event to this URL (repeatable; more: POST /__mock/webhooks)')
    .option('--legacy-signature', 'also sign webhooks with RSA in x-wh-signature (the platform before 2026-07-01)')
    .option('--webhook-key <pem-file>', 'PEM private key(s) to sign webhooks with (Ed25519; RSA for the legacy signature) instead of the seed-derived key')
    .addOption(
      new Option('--webhook-timeout <ms>', `how long one webhook attempt may take (default: ${defaultOptions.webhookTimeoutMs})`).argParser(
        integer('webhook-timeout', 1, 600_000),
      ),
    )
    .addOption(
      new Option(
        '--admin-token <token>',
        'require this token on every /__mock/* call (Authorization: Bearer or X-Mock-Admin-Token); needed to bind a non-loopback --host',
      ).env('GHL_MOCK_ADMIN_TOKEN'),
    )
    .option('--unsafe-open-control', 'allow a non-loopback --host without --admin-token: anyone who reaches the port can reset data and mint tokens')
    .addOption(
      new Option('--store <redis-url>', 'answer as one API with every instance on this Redis: redis://host:port/db (docs/redis.md; default: memory)').env(
        'GHL_MOCK_REDIS_URL',
      ),
    )
    .option('--namespace <name>', 'key prefix in Redis, so several mocks can share one Redis apart (default: ghl-mock:<seed>)')
    .option('--state <file>', 'load a saved state (GET /__mock/state) at start: data, tokens, apps, webhooks, rules, limits and clock')
    .option('-q, --quiet', 'print only the base URL')
    .action(async (opts) => {
      const { apps: appsFile, redirectUri, tokenTtl, scenario, quiet, webhook, webhookKey, webhookTimeout, adminToken, state: stateFile, ...rest } = opts
      const webhookKeyPem = webhookKey ? readFileSync(webhookKey, 'utf8') : undefined
      // An invalid apps file stops the start here, before anything listens.
      const apps = appsFile ? loadAppsFile(appsFile, allScopesOf(loadSpec())) : undefined
      // Scenario files are read and checked here too, so a bad one stops the start before listening.
      const server = await startMockServer({
        ...rest,
        scenarios: scenario ?? [],
        apps,
        defaultRedirectUris: redirectUri,
        accessTokenTtlSeconds: tokenTtl,
        webhooks: webhook ?? [],
        webhookKeyPem,
        webhookTimeoutMs: webhookTimeout,
        control: adminToken === undefined ? undefined : { adminToken },
        stateFile,
        handleSignals: true,
        // Big seeds take seconds: show that something is happening (stderr, so --quiet's stdout stays the URL).
        onSeedProgress: (done, total) =>
          total >= 20_000 && console.error(`seeding: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} contacts`),
      })
      if (startedByNpm()) stopWhenOrphaned(server.close)
      const address = server.server.address() as import('node:net').AddressInfo
      const urls = reachableUrls(rest.host, address.port)
      const warning = exposureWarning(rest.host, urls)
      if (warning.length > 0) console.error(warning.join('\n'))
      if (quiet) {
        console.log(urls[0])
        return
      }
      console.log((await startBanner(server.app.state, urls)).join('\n'))
    })

  program
    .command('verify')
    .description('Provider conformance: exercise every Contacts operation against a target and check status, headers and body against the spec.')
    .option('-t, --target <url>', 'base URL to verify (a running ghl-mock, or https://services.leadconnectorhq.com)', `http://${DEFAULT_HOST}:${DEFAULT_PORT}`)
    .addOption(new Option('--token <token>', 'bearer token (not needed for a mock)').env('GHL_TOKEN'))
    .addOption(new Option('--location <id>', 'location id (not needed for a mock)').env('GHL_LOCATION_ID'))
    .option('--allow-writes', 'create, change and delete records (always on for a mock; deletes only what it created)')
    .option('--user <id>', 'a user id of the location, for the followers checks')
    .option('--campaign <id>', 'a campaign id, for the campaign checks')
    .option('--workflow <id>', 'a workflow id, for the workflow checks')
    .option('--business <id>', 'a business id, for the business checks')
    .option('-r, --report <path>', 'also write <path>.json and <path>.xml (JUnit) for CI')
    .addOption(adminTokenOption())
    .action(async (opts) => {
      const { verifyProvider } = await import('../contracts/verify.ts')
      const { publish } = await import('../contracts/report.ts')
      const report = await verifyProvider({
        target: opts.target,
        token: opts.token,
        locationId: opts.location,
        allowWrites: opts.allowWrites,
        ids: { userId: opts.user, campaignId: opts.campaign, workflowId: opts.workflow, businessId: opts.business },
        adminToken: opts.adminToken,
      })
      publish(report, opts.report)
    })

  program
    .command('report')
    .description('Report the consumer-contract violations a running mock recorded in strict mode; exit 1 if there are any.')
    .option('-t, --target <url>', 'base URL of the running mock', `http://${DEFAULT_HOST}:${DEFAULT_PORT}`)
    .option('-r, --report <path>', 'also write <path>.json and <path>.xml (JUnit) for CI')
    .addOption(adminTokenOption())
    .action(async (opts) => {
      const { fetchViolations, violationsReport } = await import('../contracts/strict.ts')
      const { publish } = await import('../contracts/report.ts')
      publish(violationsReport(await fetchViolations(opts.target, { adminToken: opts.adminToken })), opts.report)
    })

  program
    .command('drift')
    .description("Compare our Contacts spec with the vendor's published one; exit 1 on a difference not in the allow-list.")
    .option('-u, --upstream <file-or-url>', "the vendor's apps/contacts.json: a path, or an https:// URL (GoHighLevel/highlevel-api-docs on GitHub)")
    .option('--allow <file>', 'allow-list of intended differences (YAML: [{ id, reason }])')
    .option('--json', 'print the full report as JSON')
    .action(async (opts) => {
      const { checkDrift, formatDrift, readAllowList, upstreamSource } = await import('../contracts/drift.ts')
      const report = await checkDrift({ upstream: upstreamSource(opts.upstream), allowList: opts.allow ? readAllowList(opts.allow) : undefined })
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatDrift(report))
      if (report.unexpected.length > 0) process.exitCode = 1
    })

  // An error is one line and a pointer to the help, not the whole help.
  for (const command of [program, ...program.commands]) {
    command.showHelpAfterError(`see 'ghl-mock ${command === program ? '' : `${command.name()} `}--help'`)
  }
  return program
}

/** verify and report talk to the control API, so they need the token a mock was started with. */
function adminTokenOption(): Option {
  return new Option('--admin-token <token>', "the mock's --admin-token, for its control API").env('GHL_MOCK_ADMIN_TOKEN')
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version
}

/**
 * `start` is the default command, but commander would then read a mistyped command
 * (`ghl-mock verfy`) as an excess argument of `start`. So `start` is only implied when the
 * first argument is an option of start, and a stray word gets commander's "did you mean".
 */
export function withDefaultCommand(argv: string[]): string[] {
  const [node, script, first, ...rest] = argv
  const rootFlags = ['-h', '--help', '-V', '--version']
  if (first === undefined) return [node!, script!, 'start']
  if (first.startsWith('-') && !rootFlags.includes(first)) return [node!, script!, 'start', first, ...rest]
  return argv
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(withDefaultCommand(argv))
  } catch (err) {
    console.error(`ghl-mock: ${(err as Error).message}`)
    process.exitCode = 1
  }
}
