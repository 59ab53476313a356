#!/usr/bin/env node
// The `ghl-mock` command. The project is written in TypeScript and run through tsx,
// so there is no build step between editing the spec or the mock and running it.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../cli/main.ts')
await main(process.argv)
