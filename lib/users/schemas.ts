import { z } from 'zod';

// NIST SP 800-63B §5.1.1: at least 8 characters, allow long passphrases; cap length so a
// multi-megabyte "password" cannot tie up Argon2.
export const passwordSchema = z.string().min(8, 'at least 8 characters').max(256, 'at most 256 characters');

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9._@+-]+$/, 'letters, digits and . _ @ + - only');

export const createUserSchema = z.object({
  username: usernameSchema,
  email: z.email().max(254).toLowerCase().optional(),
  emailVerified: z.boolean().optional().default(false),
  name: z.string().trim().min(1).max(200).optional(),
  password: passwordSchema.optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const loginSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(256),
});

export const updateUserSchema = z.object({
  email: z.email().max(254).toLowerCase().nullable().optional(),
  emailVerified: z.boolean().optional(),
  name: z.string().trim().max(200).nullable().optional(),
});
export type UpdateUserInput = z.input<typeof updateUserSchema>;

export const userStatuses = ['active', 'disabled', 'locked', 'must_change_password', 'mfa_enrolled', 'mfa_missing'] as const;

export const listUsersSchema = z.object({
  search: z.string().trim().toLowerCase().max(254).optional(),
  status: z.enum(userStatuses).optional(),
  // Keyset pagination on username: stays fast at any depth (no OFFSET scan).
  after: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListUsersInput = z.input<typeof listUsersSchema>;
