/** Encodes one value as a CSV field for `COPY … WITH (FORMAT csv)`; null becomes an unquoted empty field. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined)
    return ''
  let text: string
  if (value instanceof Date)
    text = value.toISOString()
  else if (typeof value === 'object')
    text = JSON.stringify(value)
  else
    text = String(value)
  // Quote always for strings, so that an empty string stays distinct from NULL.
  return `"${text.replaceAll('"', '""')}"`
}

/** Encodes rows as CSV lines for COPY, in chunks of at most `chunkRows` rows. */
export function* csvChunks(rows: Iterable<readonly unknown[]>, chunkRows = 20_000): Generator<{ csv: string, count: number }> {
  let lines: string[] = []
  for (const row of rows) {
    lines.push(row.map(csvField).join(','))
    if (lines.length >= chunkRows) {
      yield { csv: `${lines.join('\n')}\n`, count: lines.length }
      lines = []
    }
  }
  if (lines.length > 0)
    yield { csv: `${lines.join('\n')}\n`, count: lines.length }
}

/** Quotes an SQL identifier (table or column name), rejecting anything that is not a plain name. */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][\w.]*$/i.test(name))
    throw new Error(`not an SQL identifier: ${name}`)
  return name.split('.').map(part => `"${part}"`).join('.')
}

/** The COPY statement for a table and its columns. */
export function copySql(table: string, columns: readonly string[], source: 'STDIN' | '\'/dev/blob\''): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${source} WITH (FORMAT csv)`
}
