/**
 * Console roles and what each may do. Rights are checked on the server for every page, action
 * and API call; the UI only hides what the server would refuse anyway.
 */
export const roles = ['owner', 'admin', 'auditor', 'helpdesk'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'tenant.read', 'tenant.create', 'tenant.update', 'tenant.delete',
  'client.read', 'client.write',
  'user.read', 'user.write', 'user.support',
  'key.read', 'key.rotate',
  'audit.read', 'audit.export',
  'admin.manage',
] as const;
export type Permission = (typeof permissions)[number];

const READ: Permission[] = ['tenant.read', 'client.read', 'user.read', 'key.read', 'audit.read', 'audit.export'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(permissions),
  admin: new Set<Permission>([...READ, 'tenant.create', 'tenant.update', 'tenant.delete', 'client.write', 'user.write', 'user.support', 'key.rotate']),
  auditor: new Set<Permission>(READ),
  // Helpdesk sees and supports users of its tenants, nothing else.
  helpdesk: new Set<Permission>(['tenant.read', 'user.read', 'user.support']),
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Everything, including managing other administrators',
  admin: "Manage tenants' clients, users, keys and policies",
  auditor: 'Read everything and export reports; change nothing',
  helpdesk: 'Support users of assigned tenants: reset MFA, unlock, disable',
};
