import { z } from 'zod';

// Slugs appear in issuer URLs (/t/{slug}): lower-case DNS-label style.
export const tenantSlugSchema = z
  .string()
  .trim()
  .min(2, 'at least 2 characters')
  .max(40, 'at most 40 characters')
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens only');

export const displayNameSchema = z.string().trim().min(1, 'required').max(100, 'at most 100 characters');

export const createTenantSchema = z.object({
  slug: tenantSlugSchema,
  displayName: displayNameSchema,
  isAdmin: z.boolean().optional().default(false),
});
export type CreateTenantInput = z.input<typeof createTenantSchema>;

export const grantTypes = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

/** Per-tenant policy; absent fields fall back to the global configuration. */
export const tenantSettingsSchema = z.object({
  accessTokenTtlSeconds: z.coerce.number().int().min(60).max(86_400).optional(),
  refreshTokenTtlDays: z.coerce.number().int().min(1).max(365).optional(),
  allowedGrantTypes: z.array(z.enum(grantTypes)).min(1, 'allow at least one grant type').optional(),
  passwordMinLength: z.coerce.number().int().min(8).max(128).optional(),
  // MFA policy: off, optional (users may enrol), or required (for all users, or for console admins only).
  mfaPolicy: z.enum(['off', 'optional', 'required']).optional(),
  mfaRequiredFor: z.enum(['all', 'admins']).optional(),
  // SCIM clients may set passwords (create/replace/PATCH "password"), hashed with Argon2id. Off by default.
  scimAcceptsPasswords: z.boolean().optional(),
});
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

export function parseSettings(raw: unknown): TenantSettings {
  const parsed = tenantSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

export const updateTenantSchema = z.object({
  displayName: displayNameSchema.optional(),
  settings: tenantSettingsSchema.optional(),
});
export type UpdateTenantInput = z.input<typeof updateTenantSchema>;
