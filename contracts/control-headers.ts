/** The header a mock started with `--admin-token` wants on every control API call. */
export function controlHeaders(adminToken: string | undefined): Record<string, string> {
  return adminToken === undefined ? {} : { 'x-mock-admin-token': adminToken }
}
