import { z } from 'zod';

// NIST SP 800-63B §5.1.1: at least 8 characters, allow long passphrases; cap length so a
// multi-megabyte "password" cannot tie up Argon2.
export const passwordSchema = z.string().min(8, 'at least 8 characters').max(256, 'at most 256 characters');

/**
 * The comparison form of a username: lower case, Unicode NFC. The `username` column holds it
 * (unique per tenant); sign-in and SCIM filters compare against it, so "Zoë", "ZOË" and a
 * decomposed "Zoe\u0308" are one name. Folded here, not with SQL lower(), whose result for
 * non-ASCII letters depends on the database's locale.
 */
export const usernameKey = (value: string) => value.toLowerCase().normalize('NFC');

export const USERNAME_MAX_LENGTH = 128;

// Letters, marks, digits, punctuation and symbols of any script, with ASCII spaces between
// them: Entra ID guests are `jane_contoso.com#EXT#@tenant.onmicrosoft.com`, people are
// "O'Brien" and "Zoë". Refused: control and format characters (invisible, or bidi overrides
// that make one name look like another), other kinds of whitespace (tabs, no-break spaces,
// line separators), and whitespace at either end.
const USERNAME_SHAPE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}](?:[\p{L}\p{M}\p{N}\p{P}\p{S} ]*[\p{L}\p{M}\p{N}\p{P}\p{S}])?$/u;
const USERNAME_RULE = 'letters, digits, punctuation and symbols, with spaces only between them; no control or invisible characters';

const usernameRules = (s: z.ZodString) => s.min(1).max(USERNAME_MAX_LENGTH).regex(USERNAME_SHAPE, USERNAME_RULE);

/** A username as its owner or their provisioning client wrote it (SCIM returns it as sent). */
export const usernameAsWrittenSchema = usernameRules(z.string());

/**
 * A username typed into the console or the admin API: trimmed, validated, then folded
 * (usernameKey). overwrite(), not transform(): it stays a string schema for the OpenAPI document.
 */
export const usernameSchema = usernameRules(z.string().trim()).overwrite(usernameKey);

export const createUserSchema = z.object({
  username: usernameSchema,
  email: z.email().max(254).toLowerCase().optional(),
  emailVerified: z.boolean().optional().default(false),
  name: z.string().trim().min(1).max(200).optional(),
  password: passwordSchema.optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const loginSchema = z.object({
  // Folded as stored (usernameKey), so any case or normal form of the name signs in.
  // No stored name holds U+0000 (usernames refuse control characters), and Postgres refuses a
  // query carrying one: such a name is simply a wrong one.
  username: z.string().trim().min(1).max(254).refine((name) => !name.includes('\u0000')).overwrite(usernameKey),
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
  // (a folded username can be longer than the name as written: "İ" lower-cases to two code units)
  after: z.string().max(USERNAME_MAX_LENGTH * 3).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListUsersInput = z.input<typeof listUsersSchema>;
