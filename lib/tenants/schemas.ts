import { z } from 'zod';

// Slugs appear in issuer URLs (/t/{slug}): lower-case DNS-label style, no reserved words.
export const tenantSlugSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'use lower-case letters, digits and inner hyphens');

export const createTenantSchema = z.object({
  slug: tenantSlugSchema,
  displayName: z.string().trim().min(1).max(100),
  isAdmin: z.boolean().optional().default(false),
});
export type CreateTenantInput = z.input<typeof createTenantSchema>;
