/**
 * Roles and what each may do (least privilege). A permission is checked on every REST route and every
 * Socket.IO topic; personal fields are revealed only to a role holding `personal:reveal`.
 */

export const ROLES = ['admin', 'leader', 'dispatcher', 'inspector', 'display'] as const
export type Role = typeof ROLES[number]

export const PERMISSIONS = [
  /** The wall: its views, live topics, boundaries, cameras, case points (never personal data). */
  'wall:view',
  /** The dispatch console: case search and detail with masked personal fields, console topics. */
  'console:view',
  /** Reveal one personal field of one record (audited). */
  'personal:reveal',
  /** Send a case to the wall (audited). */
  'wall:push',
  /** Move a case through its lifecycle where the deployment allows writing back (audited). */
  'case:act',
  /** Manage accounts and display devices. */
  'accounts:manage',
  /** Read and export the audit log. */
  'audit:read',
  /** The printable briefing of a period (`/briefing`): figures, no personal data; for leaders and inspectors. */
  'briefing:read',
] as const
export type Permission = typeof PERMISSIONS[number]

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  leader: ['wall:view', 'console:view', 'briefing:read'],
  dispatcher: ['wall:view', 'console:view', 'personal:reveal', 'wall:push', 'case:act'],
  inspector: ['wall:view', 'briefing:read'],
  display: ['wall:view'],
}

/** Whether `role` holds `permission`. */
export function allows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission)
}

/** The permissions a role holds. */
export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role]
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}
