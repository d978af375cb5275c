import type { Queryable } from '../db/types.ts'
import type { SourceTable } from '../contract/rows.ts'
import { quoteIdent } from '../db/csv.ts'

/** The channel the server's triggers notify on. */
export const CHANGE_CHANNEL = 'cc_change'

/** Above this many deleted rows in one statement, the trigger asks for a reload of the table instead of listing ids. */
const MAX_DELETED_IDS = 400

/**
 * The server's own triggers, for databases that allow them (`CHANGE_CAPTURE=notify`), installed
 * idempotently. Per contract table:
 * - a BEFORE UPDATE row trigger that moves `updated_at` forward when the statement left it unchanged
 *   (a hand-written `update … set status = …` in psql still reaches the screens);
 * - an AFTER INSERT OR UPDATE statement trigger that notifies the table's name — PostgreSQL folds
 *   identical notifications of one transaction into one, so a bulk load costs one notification;
 * - an AFTER DELETE statement trigger that notifies the deleted ids (or asks for a reload when many).
 * The notification is only a doorbell: the server then reads the rows past its watermark.
 */
export function triggerSql(tables: readonly SourceTable[]): string {
  const functions = `
create or replace function cc_touch_updated_at() returns trigger language plpgsql as $$
begin
  if new.updated_at is not distinct from old.updated_at then
    new.updated_at := clock_timestamp();
  end if;
  return new;
end $$;

create or replace function cc_notify_written() returns trigger language plpgsql as $$
begin
  perform pg_notify('${CHANGE_CHANNEL}', json_build_object('t', tg_table_name)::text);
  return null;
end $$;

create or replace function cc_notify_deleted() returns trigger language plpgsql as $$
declare
  ids json;
  n integer;
begin
  select count(*), json_agg(id) into n, ids from (select id from old_rows limit ${MAX_DELETED_IDS + 1}) d;
  if n > ${MAX_DELETED_IDS} then
    perform pg_notify('${CHANGE_CHANNEL}', json_build_object('t', tg_table_name, 'reload', true)::text);
  elsif n > 0 then
    perform pg_notify('${CHANGE_CHANNEL}', json_build_object('t', tg_table_name, 'deleted', ids)::text);
  end if;
  return null;
end $$;
`
  const perTable = tables.map((table) => {
    const t = quoteIdent(table)
    return `
create or replace trigger cc_touch before update on ${t} for each row execute function cc_touch_updated_at();
create or replace trigger cc_written after insert or update on ${t} for each statement execute function cc_notify_written();
create or replace trigger cc_deleted after delete on ${t} referencing old table as old_rows for each statement execute function cc_notify_deleted();`
  }).join('\n')
  return functions + perTable
}

/** Installs (or refreshes) the triggers; safe to run at every start. */
export async function installTriggers(db: Queryable, tables: readonly SourceTable[]): Promise<void> {
  await db.exec(triggerSql(tables))
}

/** A notification's meaning: rows written to a table, rows deleted, or a table to reload whole. */
export type ChangeSignal
  = | { table: SourceTable, kind: 'written' }
    | { table: SourceTable, kind: 'deleted', ids: number[] }
    | { table: SourceTable, kind: 'reload' }

/** Parses a notification payload; null for anything that is not ours or names an unknown table. */
export function parseSignal(payload: string, tables: ReadonlySet<string>): ChangeSignal | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  }
  catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null)
    return null
  const { t, deleted, reload } = parsed as { t?: unknown, deleted?: unknown, reload?: unknown }
  if (typeof t !== 'string' || !tables.has(t))
    return null
  const table = t as SourceTable
  if (reload === true)
    return { table, kind: 'reload' }
  if (Array.isArray(deleted))
    return { table, kind: 'deleted', ids: deleted.filter((id): id is number => Number.isSafeInteger(id)) }
  return { table, kind: 'written' }
}
