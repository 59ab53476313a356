import { writeFileSync } from 'node:fs'
import { generateJson, generateTypes, generatedFile, generatedJsonFile } from '../openapi/generate.ts'
import { specFiles, type ApiName } from '../openapi/load.ts'

for (const name of Object.keys(specFiles) as ApiName[]) {
  writeFileSync(generatedFile(name), await generateTypes(name))
  console.log(`wrote ${generatedFile(name)}`)
  writeFileSync(generatedJsonFile(name), generateJson(name))
  console.log(`wrote ${generatedJsonFile(name)}`)
}
