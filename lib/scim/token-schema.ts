import { z } from 'zod';

/** Input of a new SCIM token; shared by the console form (browser) and the service. */
export const createScimTokenSchema = z.object({
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  // Days until the token stops working; empty: no expiry.
  expiresInDays: z.coerce.number().int().min(1, 'at least 1 day').max(3650, 'at most 3650 days').optional(),
});
export type CreateScimTokenInput = z.input<typeof createScimTokenSchema>;
