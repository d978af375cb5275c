import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * Passwords hashed with scrypt (memory-hard, node:crypto): N = 2^15, r = 8, p = 1 — 32 MiB and
 * ≈ 0.1 s a hash on this class of machine, the OWASP-recommended floor. Stored as
 * `scrypt$N$r$p$salt$hash` (base64), so the parameters can be raised later without breaking old hashes.
 */
const N = 2 ** 15
const R = 8
const P = 1
const KEY_LENGTH = 32
const MAX_MEMORY = 128 * N * R * 2

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: Math.max(MAX_MEMORY, 128 * n * r * 2) }, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/** A salted scrypt hash of a password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, N, R, P)
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** Whether `password` matches a stored hash (constant-time comparison). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$')
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash)
    return false
  const expected = Buffer.from(hash, 'base64')
  const key = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p))
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/**
 * The password policy (等保 2.0 level 3 practice): at least 10 characters, at least three of lower
 * case, upper case, digits and symbols, and not containing the account name. Returns what is wrong,
 * or null when the password is acceptable.
 */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 10)
    return 'a password needs at least 10 characters'
  if (password.length > 200)
    return 'a password may have at most 200 characters'
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-z\d]/i].filter(re => re.test(password)).length
  if (classes < 3)
    return 'a password needs at least three of: lower case, upper case, digits, symbols'
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()))
    return 'a password may not contain the account name'
  return null
}

/** A random password that meets the policy (for the first admin and resets): 20 characters. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
  const bytes = randomBytes(17)
  const body = [...bytes].map(b => alphabet[b % alphabet.length]).join('')
  // One of each class the policy asks for, so a random draw can never fall short of it.
  return `${body.slice(0, 6)}-${body.slice(6, 12)}-${body.slice(12)}A7`
}

/** A random opaque token (sessions, display devices): 32 bytes, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url')
}
