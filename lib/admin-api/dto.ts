import { z } from 'zod';
import { clientKinds, type ClientSummary } from '@/lib/clients';
import { roles } from '@/lib/authz';
import type { SigningKeyDto } from '@/lib/keys';
import type { AuditEventDto } from '@/lib/audit';
import { grantTypes, tenantSettingsSchema, type TenantRecord } from '@/lib/tenants';
import { issuerFor } from '@/lib/oidc';
import { apiSchemas } from './schema-registry';

/**
 * What the admin API returns, as zod schemas: they document the responses in the OpenAPI
 * document and the tests check real responses against them. The serializers below pick fields
 * explicitly, so a field added to a service's return value never leaks out by accident; no
 * response carries a secret, a hash or key material (except the one-time clientSecret).
 */
const timestamp = z.iso.datetime({ offset: true }).describe('RFC 3339 date-time');
const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export const errorSchema = z
  .object({
    error: z.object({
      // rate_limited (429), too_large (413) and unavailable (503) come from the server's guards, before the operation;
      // method_not_allowed (405, with Allow) from a path's route for a method it does not serve.
      code: z.enum(['unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'conflict', 'invalid_input', 'disabled', 'rate_limited', 'too_large', 'unavailable', 'internal_error']),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional().describe('For invalid_input: the offending fields (dotted paths) and what is wrong with each'),
    }),
  })
  .register(apiSchemas, { id: 'Error' });

export const pageOf = <T extends z.ZodType>(item: T, name: string, extra: z.ZodRawShape = {}) =>
  z
    .object({
      data: z.array(item),
      nextCursor: z.string().nullable().describe('Pass as `after` to get the next page; null on the last page'),
      ...extra,
    })
    .register(apiSchemas, { id: `${name}Page` });

export const tenantSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    displayName: z.string(),
    isAdmin: z.boolean().describe('The admin tenant: the console and API sign in through it'),
    disabled: z.boolean(),
    issuer: z.url().describe('OpenID Provider issuer of the tenant'),
    settings: tenantSettingsSchema.extend({ allowedGrantTypes: z.array(z.enum(grantTypes)).optional() }),
    userCount: z.number().int().optional(),
    clientCount: z.number().int().optional(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .register(apiSchemas, { id: 'Tenant' });

export function serializeTenant(tenant: TenantRecord & { userCount?: number; clientCount?: number }): z.infer<typeof tenantSchema> {
  return {
    id: tenant.id,
    slug: tenant.slug,
    displayName: tenant.displayName,
    isAdmin: tenant.isAdmin,
    disabled: tenant.disabled,
    issuer: issuerFor(tenant.slug),
    settings: tenant.settings,
    ...(tenant.userCount !== undefined ? { userCount: tenant.userCount } : {}),
    ...(tenant.clientCount !== undefined ? { clientCount: tenant.clientCount } : {}),
    createdAt: iso(tenant.createdAt),
    updatedAt: iso(tenant.updatedAt),
  };
}

export const clientSchema = z
  .object({
    clientId: z.string(),
    name: z.string(),
    kind: z.enum(clientKinds),
    disabled: z.boolean(),
    redirectUris: z.array(z.string()),
    postLogoutRedirectUris: z.array(z.string()),
    grantTypes: z.array(z.string()),
    tokenEndpointAuthMethod: z.string(),
    hasSecret: z.boolean().describe('Confidential client; the secret itself is never returned after creation or rotation'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .register(apiSchemas, { id: 'Client' });

export const clientWithSecretSchema = clientSchema
  .extend({
    clientSecret: z.string().nullable().describe('Shown once, here; only a keyed hash is stored. null for public clients'),
  })
  .register(apiSchemas, { id: 'ClientWithSecret' });

export function serializeClient(client: ClientSummary): z.infer<typeof clientSchema> {
  return {
    clientId: client.clientId,
    name: client.name,
    kind: client.kind,
    disabled: client.disabled,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    grantTypes: client.grantTypes,
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    hasSecret: client.hasSecret,
    createdAt: iso(client.createdAt),
    updatedAt: iso(client.updatedAt),
  };
}

export const userSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    email: z.string().nullable(),
    emailVerified: z.boolean().optional(),
    name: z.string().nullable(),
    disabled: z.boolean(),
    locked: z.boolean(),
    lockedUntil: timestamp.nullable().optional(),
    failedLoginCount: z.number().int().optional(),
    mustChangePassword: z.boolean(),
    mfaEnrolled: z.boolean().optional().describe('Has a confirmed second factor (in lists)'),
    lastLoginAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp.optional(),
  })
  .register(apiSchemas, { id: 'User' });

type UserLike = {
  id: string;
  username: string;
  email: string | null;
  emailVerified?: boolean;
  name: string | null;
  disabled: boolean;
  locked: boolean;
  lockedUntil?: Date | null;
  failedLoginCount?: number;
  mustChangePassword: boolean;
  mfaEnrolled?: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt?: Date;
};

export function serializeUser(user: UserLike): z.infer<typeof userSchema> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    ...(user.emailVerified !== undefined ? { emailVerified: user.emailVerified } : {}),
    name: user.name,
    disabled: user.disabled,
    locked: user.locked,
    ...(user.lockedUntil !== undefined ? { lockedUntil: isoOrNull(user.lockedUntil) } : {}),
    ...(user.failedLoginCount !== undefined ? { failedLoginCount: user.failedLoginCount } : {}),
    mustChangePassword: user.mustChangePassword,
    ...(user.mfaEnrolled !== undefined ? { mfaEnrolled: user.mfaEnrolled } : {}),
    lastLoginAt: isoOrNull(user.lastLoginAt),
    createdAt: iso(user.createdAt),
    ...(user.updatedAt ? { updatedAt: iso(user.updatedAt) } : {}),
  };
}

export const signingKeySchema = z
  .object({
    kid: z.string(),
    alg: z.string(),
    bits: z.number().int(),
    status: z.enum(['next', 'current', 'previous', 'retired']).describe('next: published, not yet signing; current: signs; previous: published until its tokens expire'),
    createdAt: timestamp,
    activatedAt: timestamp.nullable(),
    deactivatedAt: timestamp.nullable(),
    retireAfter: timestamp.nullable(),
    retiredAt: timestamp.nullable(),
  })
  .register(apiSchemas, { id: 'SigningKey' });

export function serializeKey(key: SigningKeyDto): z.infer<typeof signingKeySchema> {
  return {
    kid: key.kid,
    alg: key.alg,
    bits: key.bits,
    status: key.status,
    createdAt: iso(key.createdAt),
    activatedAt: isoOrNull(key.activatedAt),
    deactivatedAt: isoOrNull(key.deactivatedAt),
    retireAfter: isoOrNull(key.retireAfter),
    retiredAt: isoOrNull(key.retiredAt),
  };
}

export const keyRotationSchema = z
  .object({
    previousKid: z.string().nullable(),
    currentKid: z.string(),
    nextKid: z.string(),
    keys: z.array(signingKeySchema),
  })
  .register(apiSchemas, { id: 'KeyRotation' });

export const auditEventSchema = z
  .object({
    id: z.string().describe('Increasing event id'),
    time: timestamp,
    type: z.string(),
    tenantId: z.uuid().nullable(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    subject: z.string().nullable(),
    clientId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    outcome: z.enum(['success', 'failure', 'denied']),
    reason: z.string().nullable(),
    details: z.unknown(),
  })
  .register(apiSchemas, { id: 'AuditEvent' });

export function serializeAuditEvent(event: AuditEventDto): z.infer<typeof auditEventSchema> {
  return {
    id: event.id,
    time: iso(event.time),
    type: event.type,
    tenantId: event.tenantId,
    actorType: event.actorType,
    actorId: event.actorId,
    subject: event.subject,
    clientId: event.clientId,
    ip: event.ip,
    userAgent: event.userAgent,
    outcome: event.outcome as 'success' | 'failure' | 'denied',
    reason: event.reason,
    details: event.details ?? null,
  };
}

export const roleBindingSchema = z
  .object({
    id: z.uuid(),
    role: z.enum(roles),
    user: z.object({ id: z.uuid(), username: z.string(), name: z.string().nullable() }).nullable().describe('The administrator (a user of the admin tenant), or null'),
    clientId: z.string().nullable().describe('The machine client of the admin tenant, or null'),
    tenant: z.object({ id: z.uuid(), slug: z.string(), displayName: z.string() }).nullable().describe('The one tenant the role is limited to; null: every tenant'),
    createdAt: timestamp,
  })
  .register(apiSchemas, { id: 'RoleBinding' });

export function serializeRoleBinding(binding: {
  id: string;
  role: (typeof roles)[number];
  user: { id: string; username: string; name: string | null } | null;
  clientId: string | null;
  tenant: { id: string; slug: string; displayName: string } | null;
  createdAt: Date;
}): z.infer<typeof roleBindingSchema> {
  return {
    id: binding.id,
    role: binding.role,
    user: binding.user ? { id: binding.user.id, username: binding.user.username, name: binding.user.name } : null,
    clientId: binding.clientId,
    tenant: binding.tenant ? { id: binding.tenant.id, slug: binding.tenant.slug, displayName: binding.tenant.displayName } : null,
    createdAt: iso(binding.createdAt),
  };
}
