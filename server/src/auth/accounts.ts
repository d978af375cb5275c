import type { Database } from '../db/types.ts'
import type { Role } from './roles.ts'
import { createHash } from 'node:crypto'

/** An account as the server uses it (no hashes). */
export interface Account {
  id: number
  username: string
  role: Role
  kind: 'user' | 'display'
  ipRange: string | null
  disabled: boolean
  failedCount: number
  lockedUntil: Date | null
  createdAt: Date
}

interface AccountRow {
  id: number
  username: string
  role: Role
  kind: 'user' | 'display'
  ip_range: string | null
  disabled_at: Date | null
  failed_count: number
  locked_until: Date | null
  created_at: Date
  password_hash: string | null
}

const COLUMNS = 'id, username, role, kind, ip_range, disabled_at, failed_count, locked_until, created_at, password_hash'

function toAccount(row: AccountRow): Account {
  return { id: row.id, username: row.username, role: row.role, kind: row.kind, ipRange: row.ip_range, disabled: row.disabled_at !== null, failedCount: row.failed_count, lockedUntil: row.locked_until === null ? null : new Date(row.locked_until), createdAt: new Date(row.created_at) }
}

/** The SHA-256 of a secret token, as stored (a stolen table holds no usable token). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Accounts in the product's schema: people (with a password) and wall displays (with a token). */
export class AccountStore {
  constructor(private readonly db: Database) {}

  async count(): Promise<number> {
    const result = await this.db.query<{ n: number | string }>('select count(*) as n from ccapp.accounts')
    return Number(result.rows[0]?.n ?? 0)
  }

  async list(): Promise<Account[]> {
    const result = await this.db.query<AccountRow>(`select ${COLUMNS} from ccapp.accounts order by id`)
    return result.rows.map(toAccount)
  }

  async byId(id: number): Promise<Account | null> {
    const result = await this.db.query<AccountRow>(`select ${COLUMNS} from ccapp.accounts where id = $1`, [id])
    return result.rows[0] ? toAccount(result.rows[0]) : null
  }

  /** The account and its password hash, for signing in. */
  async withPassword(username: string): Promise<{ account: Account, passwordHash: string | null } | null> {
    const result = await this.db.query<AccountRow>(`select ${COLUMNS} from ccapp.accounts where username = $1 and kind = 'user'`, [username])
    const row = result.rows[0]
    return row ? { account: toAccount(row), passwordHash: row.password_hash } : null
  }

  async byDisplayToken(token: string): Promise<Account | null> {
    const result = await this.db.query<AccountRow>(`select ${COLUMNS} from ccapp.accounts where kind = 'display' and display_token_hash = $1`, [tokenHash(token)])
    return result.rows[0] ? toAccount(result.rows[0]) : null
  }

  async addUser(username: string, role: Role, passwordHash: string): Promise<Account> {
    const result = await this.db.query<AccountRow>(`insert into ccapp.accounts (username, role, kind, password_hash) values ($1, $2, 'user', $3) returning ${COLUMNS}`, [username, role, passwordHash])
    return toAccount(result.rows[0]!)
  }

  /**
   * Creates `admin` only while there is no account at all; null when there is one — also when another
   * instance starting at the same moment inserted its own `admin` first (the unique name decides).
   */
  async addFirstAdmin(passwordHash: string): Promise<Account | null> {
    const result = await this.db.query<AccountRow>(
      `insert into ccapp.accounts (username, role, kind, password_hash) select 'admin', 'admin', 'user', $1
        where not exists (select 1 from ccapp.accounts) on conflict (username) do nothing returning ${COLUMNS}`,
      [passwordHash],
    )
    return result.rows[0] ? toAccount(result.rows[0]) : null
  }

  async addDisplay(name: string, token: string, ipRange: string | null): Promise<Account> {
    const result = await this.db.query<AccountRow>(`insert into ccapp.accounts (username, role, kind, display_token_hash, ip_range) values ($1, 'display', 'display', $2, $3) returning ${COLUMNS}`, [name, tokenHash(token), ipRange])
    return toAccount(result.rows[0]!)
  }

  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.db.query('update ccapp.accounts set password_hash = $2, failed_count = 0, locked_until = null, updated_at = now() where id = $1', [id, passwordHash])
  }

  async setDisabled(id: number, disabled: boolean): Promise<void> {
    await this.db.query('update ccapp.accounts set disabled_at = case when $2 then now() else null end, updated_at = now() where id = $1', [id, disabled])
  }

  /** Records a failed sign-in; locks the account until `lockedUntil` when given. */
  async recordFailure(id: number, lockedUntil: Date | null): Promise<number> {
    const result = await this.db.query<{ failed_count: number }>('update ccapp.accounts set failed_count = failed_count + 1, locked_until = coalesce($2, locked_until), updated_at = now() where id = $1 returning failed_count', [id, lockedUntil])
    return result.rows[0]?.failed_count ?? 0
  }

  async recordSuccess(id: number): Promise<void> {
    await this.db.query('update ccapp.accounts set failed_count = 0, locked_until = null where id = $1 and (failed_count <> 0 or locked_until is not null)', [id])
  }
}
