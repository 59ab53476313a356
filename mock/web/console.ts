/**
 * /__mock/ui: the QA console. The server renders the page's frame; assets/console.js
 * fills it from the control API and changes the mock only through it (same origin,
 * JSON bodies), so whatever guards the control API guards the console too.
 */
import { escapeHtml } from './html.ts'

export function consolePage(input: { seed: number | string }): string {
  const section = (id: string, title: string, body: string) => `<section id="${id}" data-testid="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ghl-mock · QA console</title>
<link rel="stylesheet" href="/__mock/ui/console.css">
</head>
<body>
<header>
  <h1>ghl-mock QA console</h1>
  <span>seed <b id="seed">${escapeHtml(String(input.seed))}</b></span>
  <a href="/docs">API reference</a>
  <span id="status" role="status" data-testid="status"></span>
</header>
<main>
${section('locations', 'Locations and ready tokens', '<table data-testid="locations-table"><thead><tr><th>Location</th><th>Name</th><th>Tokens</th></tr></thead><tbody></tbody></table>')}
${section(
  'clock',
  'Clock',
  `<p>Now <b id="clock-now" data-testid="clock-now"></b> <span id="clock-frozen"></span></p>
  <form id="clock-form"><label>Advance by <input name="advance" value="10s" size="6" data-testid="clock-advance-input"></label>
  <button type="submit" data-testid="clock-advance">Advance</button>
  <button type="button" id="clock-freeze" data-testid="clock-freeze">Freeze</button>
  <button type="button" id="clock-resume" data-testid="clock-resume">Resume</button></form>`,
)}
${section(
  'journal',
  'Live request journal',
  `<form id="journal-filters">
  <label>Status <input name="status" size="4" data-testid="filter-status"></label>
  <label>Operation <input name="operationId" size="16" data-testid="filter-operation"></label>
  <label>Fault <input name="fault" size="8" data-testid="filter-fault"></label>
  <label>App <input name="app" size="16" data-testid="filter-app"></label>
  <label><input type="checkbox" name="control"> show control API and pages</label>
  <button type="button" id="journal-clear">Clear</button> <span id="journal-live" data-testid="journal-live">connecting…</span></form>
  <table data-testid="journal-table"><thead><tr><th>#</th><th>Time</th><th>Method</th><th>Path</th><th>Operation</th><th>Status</th><th>App</th><th>Location</th><th>Fault</th><th>ms</th></tr></thead><tbody></tbody></table>`,
)}
${section('limits', 'Rate-limit budgets', '<p id="limits-defaults"></p><table data-testid="limits-table"><thead><tr><th>App</th><th>Resource</th><th>Burst left</th><th>Window resets</th><th>Daily left</th></tr></thead><tbody></tbody></table>')}
${section(
  'faults',
  'Fault rules',
  `<table data-testid="faults-table"><thead><tr><th>Id</th><th>Match</th><th>Action</th><th>When</th><th>Seen / fired</th><th></th></tr></thead><tbody></tbody></table>
  <form id="fault-form" data-testid="fault-form">
  <label>Method <input name="method" size="6" placeholder="any"></label>
  <label>Path <input name="path" size="18" placeholder="/contacts/*"></label>
  <label>Operation <input name="operationId" size="14" placeholder="any" data-testid="fault-operation"></label>
  <label>Status <input name="status" size="4" value="503" data-testid="fault-status"></label>
  <label>Latency ms <input name="latency" size="5"></label>
  <label>Times <input name="times" size="3" value="1" data-testid="fault-times"></label>
  <button type="submit" data-testid="fault-add">Add rule</button></form>
  <form id="scenario-form"><label>Scenario <select name="name" data-testid="scenario-select"></select></label> <button type="submit">Apply</button>
  <label>or upload <input type="file" name="file" accept=".json,application/json" data-testid="scenario-file"></label></form>`,
)}
${section('strict', 'Strict mode', '<p><label><input type="checkbox" id="strict-toggle" data-testid="strict-toggle"> record consumer-contract violations</label> <button type="button" id="violations-clear">Clear</button></p><ul id="violations" data-testid="violations"></ul>')}
${section(
  'webhooks',
  'Webhook deliveries',
  `<p id="webhook-subscriptions"></p>
  <p><button type="button" id="webhooks-flush" data-testid="webhooks-flush">Send what is due</button> (retries become due when the clock moves)</p>
  <p id="webhooks-none">No webhook deliveries yet.</p>
  <table hidden data-testid="webhooks-table"><thead><tr><th>Id</th><th>Event</th><th>URL</th><th>State</th><th>Attempts</th><th></th></tr></thead><tbody></tbody></table>`,
)}
${section(
  'state',
  'State',
  `<form id="reset-form"><label>Reset with seed <input name="seed" size="8" data-testid="reset-seed"></label> <button type="submit" data-testid="reset">Reset</button></form>
  <p><a href="/__mock/state" download data-testid="state-save">Save state (JSON)</a>
  <label>Load state <input type="file" id="state-file" accept=".json,application/json" data-testid="state-load"></label></p>`,
)}
</main>
<script src="/__mock/ui/console.js"></script>
</body>
</html>`
}
