// Runs the `ghl-mock` command: bin/ghl-mock.js loads the compiled copy (dist/cli/run.js);
// `npm start` and the tests load this source through tsx.
import { main } from './main.ts'

await main(process.argv)
