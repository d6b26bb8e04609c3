import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import { recordEvent, type ActorType } from '@/lib/audit';
import { AppError } from '@/lib/errors';

/** Endpoints a policy can cover (EndpointClass values of lib/server/guards.ts). */
export const limitedEndpoints = ['authorization', 'token', 'introspection', 'revocation', 'userinfo', 'login', 'mfa', 'scim', 'admin_api', 'account'] as const;
export const keyTypes = ['ip', 'client', 'user', 'ip_user'] as const;
export const policyActions = ['reject', 'step_up'] as const;

export const policySchema = z
  .object({
    endpoint: z.enum(limitedEndpoints),
    keyType: z.enum(keyTypes),
    limit: z.coerce.number().int().min(1).max(1_000_000),
    windowSeconds: z.coerce.number().int().min(1).max(86_400),
    action: z.enum(policyActions).default('reject'),
    enabled: z.boolean().default(true),
  })
  // Step-up is decided where the password has just been checked: the login form.
  .refine((p) => p.action !== 'step_up' || p.endpoint === 'login', { path: ['action'], message: 'step-up only applies to the login form' })
  .refine((p) => !['user', 'ip_user'].includes(p.keyType) || ['login', 'mfa'].includes(p.endpoint), { path: ['keyType'], message: 'per-user keys only apply to the login and MFA forms' })
  .refine((p) => p.keyType !== 'client' || ['token', 'authorization', 'introspection', 'revocation'].includes(p.endpoint), { path: ['keyType'], message: 'per-client keys only apply to OAuth endpoints' });
export type PolicyInput = z.input<typeof policySchema>;

export interface Policy {
  id: string;
  tenantId: string | null;
  endpoint: (typeof limitedEndpoints)[number];
  keyType: (typeof keyTypes)[number];
  limit: number;
  windowSeconds: number;
  action: (typeof policyActions)[number];
  enabled: boolean;
  builtIn?: boolean;
}

/**
 * With no policy of its own for an endpoint, a tenant gets RATE_LIMIT_PER_MINUTE requests per
 * minute per client IP on every limited endpoint; the sign-in forms also get a per-account limit.
 */
export function defaultPolicies(): Policy[] {
  const perMinute = getConfig().rateLimit.perMinute;
  return [
    ...limitedEndpoints.map((endpoint): Policy => ({ id: `default-${endpoint}`, tenantId: null, endpoint, keyType: 'ip', limit: perMinute, windowSeconds: 60, action: 'reject', enabled: true, builtIn: true })),
    { id: 'default-login-user', tenantId: null, endpoint: 'login', keyType: 'user', limit: Math.max(10, Math.ceil(perMinute / 6)), windowSeconds: 60, action: 'reject', enabled: true, builtIn: true },
  ];
}

const CACHE_MS = 5_000;
const KEY = Symbol.for('iam.ratelimit.policies');
type Cache = { at: number; rows: Promise<Policy[]> };
type WithCache = typeof globalThis & { [KEY]?: Cache };

async function loadAll(): Promise<Policy[]> {
  const prisma = await getPrisma();
  return (await prisma.rateLimitPolicy.findMany({ where: { enabled: true } })) as Policy[];
}

/** Stored policies (all tenants), cached briefly: the hot path reads no database. */
function stored(): Promise<Policy[]> {
  const g = globalThis as WithCache;
  if (!g[KEY] || Date.now() - g[KEY].at > CACHE_MS) {
    const rows = loadAll();
    g[KEY] = { at: Date.now(), rows };
    rows.catch(() => delete g[KEY]);
  }
  return g[KEY].rows;
}

export function invalidatePolicyCache() {
  delete (globalThis as WithCache)[KEY];
}

/**
 * Policies in force for one endpoint of one tenant: the tenant's own, else global stored ones,
 * else the defaults — per (endpoint, key type), the most specific wins.
 */
export async function policiesFor(tenantId: string | null, endpoint: string): Promise<Policy[]> {
  const all = await stored();
  const pick = (rows: Policy[]) => rows.filter((p) => p.endpoint === endpoint);
  const tenantOwn = tenantId ? pick(all.filter((p) => p.tenantId === tenantId)) : [];
  const global = pick(all.filter((p) => p.tenantId === null));
  const defaults = pick(defaultPolicies());
  const chosen = new Map<string, Policy>();
  for (const layer of [defaults, global, tenantOwn]) for (const p of layer) chosen.set(p.keyType, p);
  return [...chosen.values()];
}

type Actor = { type: ActorType; id?: string | null };

export async function listPolicies(tenantId: string | null) {
  const prisma = await getPrisma();
  const rows = (await prisma.rateLimitPolicy.findMany({ where: { tenantId }, orderBy: [{ endpoint: 'asc' }, { keyType: 'asc' }] })) as Policy[];
  return { stored: rows, defaults: defaultPolicies() };
}

export async function createPolicy(tenantId: string | null, input: PolicyInput, actor: Actor) {
  const data = policySchema.parse(input);
  const prisma = await getPrisma();
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.rateLimitPolicy.create({ data: { ...data, tenantId } });
    await recordEvent(tx, { type: 'ratelimit.policy.created', outcome: 'success', tenantId, actor, details: { ...data } });
    return created;
  });
  invalidatePolicyCache();
  return row;
}

export async function updatePolicy(tenantId: string | null, id: string, input: PolicyInput, actor: Actor) {
  const data = policySchema.parse(input);
  const prisma = await getPrisma();
  const row = await prisma.$transaction(async (tx) => {
    const existing = await tx.rateLimitPolicy.findFirst({ where: { id, tenantId } });
    if (!existing) throw new AppError('not_found', 'no such policy');
    const updated = await tx.rateLimitPolicy.update({ where: { id }, data });
    await recordEvent(tx, { type: 'ratelimit.policy.updated', outcome: 'success', tenantId, actor, details: { id, ...data } });
    return updated;
  });
  invalidatePolicyCache();
  return row;
}

export async function deletePolicy(tenantId: string | null, id: string, actor: Actor) {
  // Policy ids are UUIDs: anything else names no policy (and must not reach the uuid column).
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new AppError('not_found', 'no such policy');
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const removed = await tx.rateLimitPolicy.deleteMany({ where: { id, tenantId } });
    if (removed.count === 0) throw new AppError('not_found', 'no such policy');
    await recordEvent(tx, { type: 'ratelimit.policy.deleted', outcome: 'success', tenantId, actor, details: { id } });
  });
  invalidatePolicyCache();
}
