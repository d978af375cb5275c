import type { Database } from '../db/types.ts'
import type { Account } from './accounts.ts'
import { tokenHash } from './accounts.ts'
import { randomToken } from './passwords.ts'

/** A signed-in session: who, and until when. */
export interface Session {
  /** The stored id (the token's hash); the token itself lives only in the client's cookie. */
  id: string
  account: Account
  createdAt: number
  lastSeenAt: number
  /** When the session ends whatever happens (null: a wall display, which does not time out). */
  absoluteExpiresAt: number | null
}

export interface SessionPolicy {
  /** Minutes without a request after which a person's session ends. */
  idleMinutes: number
  /** Hours after signing in after which a person's session ends. */
  absoluteHours: number
}

interface SessionRow {
  id: string
  account_id: number
  created_at: Date
  last_seen_at: Date
  absolute_expires_at: Date | null
  revoked_at: Date | null
}

/** Why a session no longer lets its bearer in. */
export type EndReason = 'unknown' | 'revoked' | 'idle' | 'expired' | 'disabled'

/** Why a session token does not let its bearer in, or the session when it does. */
export type SessionCheck = { ok: true, session: Session } | { ok: false, reason: EndReason }

/**
 * Sessions in the product's schema, by the hash of their token. `touch` keeps a person's session alive
 * (idle timeout); `check` is the one place that decides whether a token is still good.
 */
export class SessionStore {
  constructor(
    private readonly db: Database,
    private readonly policy: SessionPolicy,
    private readonly accountById: (id: number) => Promise<Account | null>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a session for an account; returns the token for the cookie. */
  async open(account: Account, ip: string | null, userAgent: string | null): Promise<{ token: string, session: Session }> {
    const token = randomToken()
    const now = this.now()
    const absolute = account.kind === 'display' ? null : now + this.policy.absoluteHours * 3_600_000
    await this.db.query(
      'insert into ccapp.sessions (id, account_id, created_at, last_seen_at, absolute_expires_at, ip, user_agent) values ($1, $2, $3, $3, $4, $5, $6)',
      [tokenHash(token), account.id, new Date(now), absolute === null ? null : new Date(absolute), ip, userAgent?.slice(0, 300) ?? null],
    )
    return { token, session: { id: tokenHash(token), account, createdAt: now, lastSeenAt: now, absoluteExpiresAt: absolute } }
  }

  /** Whether a token is good now; `touch` also moves its idle clock. */
  async check(token: string, touch: boolean): Promise<SessionCheck> {
    return this.checkId(tokenHash(token), touch)
  }

  async checkId(id: string, touch: boolean): Promise<SessionCheck> {
    const result = await this.db.query<SessionRow>('select id, account_id, created_at, last_seen_at, absolute_expires_at, revoked_at from ccapp.sessions where id = $1', [id])
    const row = result.rows[0]
    if (!row)
      return { ok: false, reason: 'unknown' }
    const account = row.revoked_at === null ? await this.accountById(row.account_id) : null
    const now = this.now()
    const ended = this.endReason(row, account ? { kind: account.kind, disabled: account.disabled } : null, now)
    if (ended || !account)
      return { ok: false, reason: ended ?? 'disabled' }
    const session: Session = { id: row.id, account, createdAt: new Date(row.created_at).getTime(), lastSeenAt: new Date(row.last_seen_at).getTime(), absoluteExpiresAt: row.absolute_expires_at === null ? null : new Date(row.absolute_expires_at).getTime() }
    // Written at most every 30 s: a busy console must not turn every request into a write.
    if (touch && now - session.lastSeenAt > 30_000) {
      await this.db.query('update ccapp.sessions set last_seen_at = $2 where id = $1', [id, new Date(now)])
      session.lastSeenAt = now
    }
    return { ok: true, session }
  }

  /**
   * Why a session no longer lets its bearer in, or null while it does: revoked; its account gone or
   * disabled; past its absolute end; or (a person's) idle for too long. The one rule of `checkId` and
   * `endedAmong`.
   */
  private endReason(row: Pick<SessionRow, 'revoked_at' | 'last_seen_at' | 'absolute_expires_at'>, account: { kind: Account['kind'], disabled: boolean } | null, now: number): EndReason | null {
    if (row.revoked_at !== null)
      return 'revoked'
    if (!account || account.disabled)
      return 'disabled'
    if (row.absolute_expires_at !== null && now >= new Date(row.absolute_expires_at).getTime())
      return 'expired'
    if (account.kind === 'user' && now - new Date(row.last_seen_at).getTime() >= this.policy.idleMinutes * 60_000)
      return 'idle'
    return null
  }

  /**
   * Of these session ids, the ones that no longer let their bearer in, and why — by the same rules as
   * `checkId`, in one query (the live connections' sweep asks about every connected session often).
   */
  async endedAmong(ids: string[]): Promise<Map<string, EndReason>> {
    const ended = new Map<string, EndReason>()
    if (ids.length === 0)
      return ended
    const result = await this.db.query<{ id: string, last_seen_at: Date, absolute_expires_at: Date | null, revoked_at: Date | null, disabled_at: Date | null, kind: Account['kind'] | null }>(
      'select s.id, s.last_seen_at, s.absolute_expires_at, s.revoked_at, a.disabled_at, a.kind from ccapp.sessions s left join ccapp.accounts a on a.id = s.account_id where s.id = any($1::text[])',
      [ids],
    )
    const rows = new Map(result.rows.map(row => [row.id, row]))
    const now = this.now()
    for (const id of ids) {
      const row = rows.get(id)
      const reason = row ? this.endReason(row, row.kind === null ? null : { kind: row.kind, disabled: row.disabled_at !== null }, now) : 'unknown'
      if (reason)
        ended.set(id, reason)
    }
    return ended
  }

  async revoke(id: string): Promise<void> {
    await this.db.query('update ccapp.sessions set revoked_at = $2 where id = $1 and revoked_at is null', [id, new Date(this.now())])
  }

  /** Ends every session of an account ("sign out everywhere", a disabled account, a reset password). */
  async revokeAll(accountId: number): Promise<string[]> {
    const result = await this.db.query<{ id: string }>('update ccapp.sessions set revoked_at = $2 where account_id = $1 and revoked_at is null returning id', [accountId, new Date(this.now())])
    return result.rows.map(r => r.id)
  }
}
