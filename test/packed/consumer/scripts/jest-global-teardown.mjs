export default async function globalTeardown() {
  await globalThis.__GHL_MOCK__?.close()
}
