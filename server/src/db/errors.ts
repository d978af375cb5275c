/** A database error carried across the worker boundary or from pg, with its SQLSTATE when known. */
export class DatabaseError extends Error {
  readonly code: string | undefined
  readonly detail: string | undefined

  constructor(message: string, code?: string, detail?: string) {
    super(message)
    this.name = 'DatabaseError'
    this.code = code
    this.detail = detail
  }
}

/** A connection URL fit to print: its password replaced by `***` (or a placeholder when it does not parse). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password)
      u.password = '***'
    return u.toString()
  }
  catch {
    return '(unparsable URL)'
  }
}
