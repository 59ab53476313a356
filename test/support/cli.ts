/** The `ghl-mock` command as the tests run it: the source through tsx, so no build is needed. */
export const cliCommand: string[] = ['--import', 'tsx', 'cli/run.ts']
