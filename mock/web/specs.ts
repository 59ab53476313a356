/**
 * GET /openapi/{contacts,oauth,control}.{yaml,json}: our three specs as files, for
 * tools, for people, and for the API reference at /docs. Read once: the files do not
 * change while the mock runs.
 */
import { readFileSync } from 'node:fs'
import { loadSpec, specFiles, type ApiName } from '../../openapi/load.ts'

export const SPEC_NAMES = Object.keys(specFiles) as ApiName[]

export interface SpecFile {
  yaml: string
  json: string
  title: string
}

let cache: Record<ApiName, SpecFile> | undefined

export function loadSpecFiles(): Record<ApiName, SpecFile> {
  return (cache ??= Object.fromEntries(
    SPEC_NAMES.map((name) => {
      const yaml = readFileSync(specFiles[name], 'utf8')
      // The documents the mock already loaded (from their JSON copies): parsing the YAML
      // again would cost about a second of every start.
      const doc = loadSpec().documents.find((d) => d.name === name)!.doc
      return [name, { yaml, json: JSON.stringify(doc), title: String(doc.info?.title ?? name) }]
    }),
  ) as Record<ApiName, SpecFile>)
}
