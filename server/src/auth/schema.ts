import type { Database } from '../db/types.ts'

/**
 * The product's own state (accounts, sessions, the audit log; later tours and wall pushes) lives in
 * its own schema, `ccapp`, never in the contract tables — which may be a read-only replica. Versioned
 * migrations run at start, in one transaction each, under an advisory lock so that two instances
 * starting together apply each once.
 */
export const APP_SCHEMA = 'ccapp'

interface Migration {
  version: number
  name: string
  sql: string
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'accounts, sessions, audit log',
    sql: `
      create table ccapp.accounts (
        id serial primary key,
        username text not null unique,
        role text not null,
        kind text not null default 'user' check (kind in ('user', 'display')),
        password_hash text,
        display_token_hash text unique,
        ip_range text,
        disabled_at timestamptz,
        failed_count int not null default 0,
        locked_until timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create table ccapp.sessions (
        id text primary key,
        account_id int not null references ccapp.accounts (id),
        created_at timestamptz not null,
        last_seen_at timestamptz not null,
        absolute_expires_at timestamptz,
        revoked_at timestamptz,
        ip text,
        user_agent text
      );
      create index sessions_account on ccapp.sessions (account_id) where revoked_at is null;
      create table ccapp.audit_log (
        id bigserial primary key,
        at timestamptz not null,
        actor text,
        role text,
        ip text,
        action text not null,
        target text,
        outcome text not null,
        details jsonb,
        prev_hash text not null,
        hash text not null
      );
      create index audit_log_at on ccapp.audit_log (at);
      create table ccapp.audit_anchor (id int primary key check (id = 1), prev_hash text not null);
      insert into ccapp.audit_anchor (id, prev_hash) values (1, 'genesis');
      create function ccapp.audit_append_only() returns trigger language plpgsql as $fn$
      begin
        if tg_op = 'DELETE' and current_setting('ccapp.audit_prune', true) = 'on' then
          return old;
        end if;
        raise exception 'the audit log is append-only';
      end
      $fn$;
      create trigger audit_append_only before update or delete on ccapp.audit_log
        for each row execute function ccapp.audit_append_only();
    `,
  },
  {
    version: 2,
    name: 'cases pushed to the wall',
    sql: `
      create table ccapp.wall_pushes (
        id serial primary key,
        case_id bigint not null,
        wall text,
        pushed_by text not null,
        pushed_at timestamptz not null,
        released_at timestamptz,
        released_by text
      );
    `,
  },
]

/** 0x63636170 = 'ccap': one advisory lock for this product's migrations. */
const MIGRATION_LOCK = 1667457392

/** Applies the migrations not yet applied; returns the versions it applied. */
export async function migrateAppSchema(db: Database): Promise<number[]> {
  // Under the lock too: two instances creating the schema at once collide even with `if not exists`.
  await db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`)
    await tx.exec(`create schema if not exists ${APP_SCHEMA}; create table if not exists ${APP_SCHEMA}.migrations (version int primary key, name text not null, applied_at timestamptz not null default now())`)
  })
  const applied: number[] = []
  for (const migration of MIGRATIONS) {
    const done = await db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`)
      const found = await tx.query(`select 1 from ${APP_SCHEMA}.migrations where version = $1`, [migration.version])
      if (found.rows.length > 0)
        return false
      await tx.exec(migration.sql)
      await tx.query(`insert into ${APP_SCHEMA}.migrations (version, name) values ($1, $2)`, [migration.version, migration.name])
      return true
    })
    if (done)
      applied.push(migration.version)
  }
  return applied
}
