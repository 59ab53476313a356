/** Strict OpenAPI validation of our three documents (swagger-parser). Exit 1 on any error. */
import SwaggerParser from '@apidevtools/swagger-parser'
import { specFiles } from '../openapi/load.ts'

let failed = false
for (const [name, file] of Object.entries(specFiles)) {
  try {
    await SwaggerParser.validate(file)
    console.log(`ok   ${name} (${file})`)
  } catch (err) {
    failed = true
    console.error(`FAIL ${name}: ${(err as Error).message}`)
  }
}
process.exit(failed ? 1 : 0)
