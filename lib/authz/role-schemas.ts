import { z } from 'zod';
import { usernameKey } from '@/lib/users/schemas';
import { roles } from './roles';

/** Granting a console role: an administrator (user of the admin tenant) by username, a role, a scope. */
export const grantRoleSchema = z.object({
  // Folded the way usernames are stored (lower case, NFC), so any case or normal form finds the user.
  username: z.string().trim().min(1, 'required').max(128).overwrite(usernameKey),
  role: z.enum(roles, 'choose a role'),
  // null: every tenant; otherwise one tenant's slug.
  tenantSlug: z.string().trim().min(1).max(40).nullable().default(null),
});
export type GrantRoleInput = z.input<typeof grantRoleSchema>;

/** Granting a role to a machine client of the admin tenant (for the admin API), by client id. */
export const grantClientRoleSchema = z.object({
  clientId: z.string().trim().min(1, 'required').max(128),
  role: z.enum(roles, 'choose a role'),
  tenantSlug: z.string().trim().min(1).max(40).nullable().default(null),
});
export type GrantClientRoleInput = z.input<typeof grantClientRoleSchema>;
