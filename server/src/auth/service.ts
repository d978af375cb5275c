import type { Database } from '../db/types.ts'
import type { Account } from './accounts.ts'
import type { AuditEntry } from './audit.ts'
import type { Role } from './roles.ts'
import type { Session, SessionCheck, SessionPolicy } from './sessions.ts'
import { BlockList, isIPv6 } from 'node:net'
import { AccountStore } from './accounts.ts'
import { AuditLog } from './audit.ts'
import { generatePassword, hashPassword, passwordProblem, randomToken, verifyPassword } from './passwords.ts'
import { SessionStore } from './sessions.ts'

export interface AuthPolicy extends SessionPolicy {
  /** Failed sign-ins in a row that lock an account. */
  maxFailures: number
  /** The first lock's length; each further failure while over the limit doubles it (at most an hour). */
  lockMinutes: number
}

/** A refused sign-in, with what the person is told (never whether the account exists). */
export class SignInError extends Error {
  constructor(readonly code: 'unauthorized' | 'locked', message: string, readonly until?: Date) {
    super(message)
  }
}

/** A bad account operation (a weak password, a taken name), said for a person. */
export class AccountError extends Error {}

/** Where a request comes from, for the audit log. */
export interface Origin {
  ip: string | null
  userAgent: string | null
}

const FAILED = 'wrong account name or password'

/**
 * Accounts, sessions and the audit log together: signing in (with lockout), signing out (here or
 * everywhere), displays, the first administrator, and the audit of each.
 */
export class AuthService {
  readonly accounts: AccountStore
  readonly sessions: SessionStore
  readonly audit: AuditLog
  /** Called with the ids of sessions that just ended (revoked, disabled), to disconnect their sockets. */
  onRevoked: (sessionIds: string[]) => void = () => {}

  constructor(readonly db: Database, private readonly policy: AuthPolicy, private readonly now: () => number = Date.now) {
    this.accounts = new AccountStore(db)
    this.sessions = new SessionStore(db, policy, id => this.accounts.byId(id), now)
    this.audit = new AuditLog(db, now)
  }

  /** Signs a person in; every attempt is audited, and repeated failures lock the account with backoff. */
  async signIn(username: string, password: string, from: Origin): Promise<{ token: string, session: Session }> {
    const found = await this.accounts.withPassword(username)
    const entry = { actor: username, ip: from.ip, action: 'auth.sign_in' }
    if (!found || !found.passwordHash || found.account.disabled) {
      await this.audit.append({ ...entry, role: found?.account.role ?? null, outcome: 'failure', details: { reason: !found ? 'unknown account' : 'disabled' } })
      throw new SignInError('unauthorized', FAILED)
    }
    const { account } = found
    if (account.lockedUntil && account.lockedUntil.getTime() > this.now()) {
      await this.audit.append({ ...entry, role: account.role, outcome: 'denied', details: { reason: 'locked', until: account.lockedUntil.toISOString() } })
      throw new SignInError('locked', 'too many failed sign-ins: the account is locked for a while', account.lockedUntil)
    }
    if (!(await verifyPassword(password, found.passwordHash))) {
      await this.fail(account, from)
      throw new SignInError('unauthorized', FAILED)
    }
    await this.accounts.recordSuccess(account.id)
    const opened = await this.sessions.open(account, from.ip, from.userAgent)
    await this.audit.append({ ...entry, role: account.role, outcome: 'success' })
    return opened
  }

  private async fail(account: Account, from: Origin): Promise<void> {
    const failures = account.failedCount + 1
    const over = failures - this.policy.maxFailures
    const lockedUntil = over >= 0 ? new Date(this.now() + Math.min(60, this.policy.lockMinutes * 2 ** over) * 60_000) : null
    await this.accounts.recordFailure(account.id, lockedUntil)
    await this.audit.append({ actor: account.username, role: account.role, ip: from.ip, action: 'auth.sign_in', outcome: 'failure', details: { reason: 'wrong password', failures } })
    if (lockedUntil)
      await this.audit.append({ actor: account.username, role: account.role, ip: from.ip, action: 'auth.lockout', outcome: 'success', details: { failures, until: lockedUntil.toISOString() } })
  }

  /** Signs a wall display in with its token (and, when bound, only from its IP range). */
  async signInDisplay(token: string, from: Origin): Promise<{ token: string, session: Session }> {
    const account = await this.accounts.byDisplayToken(token)
    const entry = { actor: account?.username ?? null, role: 'display', ip: from.ip, action: 'auth.display_sign_in' }
    if (!account || account.disabled || !ipAllowed(from.ip, account.ipRange)) {
      await this.audit.append({ ...entry, outcome: 'failure', details: { reason: !account ? 'unknown token' : account.disabled ? 'disabled' : 'outside its IP range' } })
      throw new SignInError('unauthorized', 'this display token is not valid here')
    }
    const opened = await this.sessions.open(account, from.ip, from.userAgent)
    await this.audit.append({ ...entry, outcome: 'success' })
    return opened
  }

  async check(token: string, touch = true): Promise<SessionCheck> {
    return this.sessions.check(token, touch)
  }

  async signOut(session: Session, from: Origin, everywhere: boolean): Promise<void> {
    const ended = everywhere ? await this.sessions.revokeAll(session.account.id) : [session.id]
    if (!everywhere)
      await this.sessions.revoke(session.id)
    await this.audit.append({ actor: session.account.username, role: session.account.role, ip: from.ip, action: everywhere ? 'auth.sign_out_everywhere' : 'auth.sign_out', outcome: 'success', details: { sessions: ended.length } })
    this.onRevoked(ended)
  }

  /** Creates a person's account; the password must meet the policy. */
  async addUser(username: string, role: Exclude<Role, 'display'>, password: string, by: string): Promise<Account> {
    checkUsername(username)
    const problem = passwordProblem(password, username)
    if (problem)
      throw new AccountError(problem)
    const account = await this.accounts.addUser(username, role, await hashPassword(password)).catch((error: Error) => {
      throw /unique|duplicate/i.test(error.message) ? new AccountError(`an account named ${username} exists already`) : error
    })
    await this.audit.append({ actor: by, role: null, ip: null, action: 'account.add', target: username, outcome: 'success', details: { role } })
    return account
  }

  /** Creates a display device; returns its token (shown once). */
  async addDisplay(name: string, ipRange: string | null, by: string): Promise<{ account: Account, token: string }> {
    checkUsername(name)
    if (ipRange !== null)
      parseRange(ipRange)
    const token = randomToken()
    const account = await this.accounts.addDisplay(name, token, ipRange).catch((error: Error) => {
      throw /unique|duplicate/i.test(error.message) ? new AccountError(`an account named ${name} exists already`) : error
    })
    await this.audit.append({ actor: by, role: null, ip: null, action: 'account.add_display', target: name, outcome: 'success', details: { ipRange } })
    return { account, token }
  }

  async setDisabled(account: Account, disabled: boolean, by: string): Promise<void> {
    await this.accounts.setDisabled(account.id, disabled)
    const ended = disabled ? await this.sessions.revokeAll(account.id) : []
    await this.audit.append({ actor: by, role: null, ip: null, action: disabled ? 'account.disable' : 'account.enable', target: account.username, outcome: 'success', details: { sessionsEnded: ended.length } })
    this.onRevoked(ended)
  }

  /** Sets a new password (generated when none is given) and ends the account's sessions. */
  async resetPassword(account: Account, password: string | null, by: string): Promise<string> {
    const next = password ?? generatePassword()
    const problem = passwordProblem(next, account.username)
    if (problem)
      throw new AccountError(problem)
    await this.accounts.setPassword(account.id, await hashPassword(next))
    const ended = await this.sessions.revokeAll(account.id)
    await this.audit.append({ actor: by, role: null, ip: null, action: 'account.reset_password', target: account.username, outcome: 'success', details: { sessionsEnded: ended.length } })
    this.onRevoked(ended)
    return next
  }

  /**
   * On the first start (no account yet): creates `admin` with the configured password or a generated
   * one, which is returned so that it can be printed once. Null when accounts exist — also for the
   * second of two instances starting together on an empty database, which finds the first's `admin`
   * (its own password, never stored, is not printed). Throws an AccountError only for a configured
   * password that does not meet the policy.
   */
  async ensureFirstAdmin(configured: string | undefined): Promise<{ username: string, password: string, generated: boolean } | null> {
    if (await this.accounts.count() > 0)
      return null
    const password = configured ?? generatePassword()
    const problem = passwordProblem(password, 'admin')
    if (problem)
      throw new AccountError(problem)
    const account = await this.accounts.addFirstAdmin(await hashPassword(password))
    if (!account)
      return null
    await this.audit.append({ actor: 'system', role: null, ip: null, action: 'account.add', target: account.username, outcome: 'success', details: { role: account.role } })
    return { username: account.username, password, generated: configured === undefined }
  }

  /** Appends an audit record (reveals, pushes, dispatch actions, configuration at start). */
  record(entry: AuditEntry): Promise<void> {
    return this.audit.append(entry)
  }
}

function checkUsername(name: string): void {
  // Letters of any script (a wall may be named 大厅左屏), digits, _, . and -.
  if (!/^[\p{L}\p{N}_.-]{2,40}$/u.test(name))
    throw new AccountError('an account name has 2–40 letters, digits, _, . or -')
}

/** A CIDR range (`10.1.2.0/24`, `fd00::/8`) or a single address, as a BlockList. */
export function parseRange(range: string): BlockList {
  const list = new BlockList()
  const [address, bits] = range.split('/')
  const family = isIPv6(address ?? '') ? 'ipv6' : 'ipv4'
  try {
    if (bits === undefined)
      list.addAddress(address!, family)
    else
      list.addSubnet(address!, Number(bits), family)
  }
  catch {
    throw new AccountError(`not an IP range: ${range} (expected e.g. 10.1.2.0/24)`)
  }
  return list
}

/** Whether an address lies in a display's range (any address when it has none). */
export function ipAllowed(ip: string | null, range: string | null): boolean {
  if (range === null)
    return true
  if (ip === null)
    return false
  const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip
  return parseRange(range).check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4')
}
