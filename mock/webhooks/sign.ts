/**
 * The keys webhooks are signed with. Ed25519 (header X-GHL-Signature) is derived from the
 * seed: same seed, same key pair, so a team writes the public key into its .env once.
 * The legacy RSA key (x-wh-signature, --legacy-signature) cannot be derived cheaply from
 * a seed, so it is generated on first use and kept for the life of this signer (it
 * changes between runs unless --webhook-key supplies one).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
// SubjectPublicKeyInfo DER prefix of an Ed25519 public key; the raw 32-byte key follows it.
const ED25519_SPKI_PREFIX_LENGTH = 12

export interface PublicKeys {
  ed25519: string
  ed25519Raw: string
  rsa: string
}

export interface Signer {
  /** base64 Ed25519 signature of the exact body bytes. */
  sign(body: string | Uint8Array): string
  /** base64 RSA-SHA256 signature (legacy x-wh-signature). */
  signLegacy(body: string | Uint8Array): string
  /** The raw 32-byte Ed25519 public key, base64: what `npm start` prints. */
  readonly publicKeyRaw: string
  publicKeys(): PublicKeys
}

export function ed25519FromSeed(seed: number | string): KeyObject {
  const bytes = createHash('sha256').update(`ghl-mock:webhooks:ed25519:${seed}`).digest()
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes]), format: 'der', type: 'pkcs8' })
}

/** `keyPem`: an Ed25519 and/or RSA private key (PEM; several keys may be concatenated). */
export function createSigner(options: { seed: number | string; keyPem?: string }): Signer {
  let ed: KeyObject | undefined
  let rsa: KeyObject | undefined
  for (const block of options.keyPem?.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g) ?? []) {
    const key = createPrivateKey(block)
    if (key.asymmetricKeyType === 'ed25519') ed = key
    else if (key.asymmetricKeyType === 'rsa') rsa = key
    else throw new Error(`webhook key: ${key.asymmetricKeyType} keys are not supported (use Ed25519, or RSA for the legacy signature)`)
  }
  if (options.keyPem !== undefined && !ed && !rsa) throw new Error('webhook key: no PEM private key found')
  const edKey = ed ?? ed25519FromSeed(options.seed)
  const edPublic = createPublicKey(edKey)
  const rsaKey = () => (rsa ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)
  return {
    sign: (body) => sign(null, typeof body === 'string' ? Buffer.from(body) : body, edKey).toString('base64'),
    signLegacy: (body) => sign('sha256', typeof body === 'string' ? Buffer.from(body) : body, rsaKey()).toString('base64'),
    publicKeyRaw: edPublic.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX_LENGTH).toString('base64'),
    publicKeys() {
      return {
        ed25519: edPublic.export({ format: 'pem', type: 'spki' }).toString(),
        ed25519Raw: this.publicKeyRaw,
        rsa: createPublicKey(rsaKey()).export({ format: 'pem', type: 'spki' }).toString(),
      }
    },
  }
}
