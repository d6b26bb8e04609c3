import { z } from 'zod';
import { listSigningKeys, rotateSigningKeys } from '@/lib/keys';
import { keyRotationSchema, serializeKey, signingKeySchema } from '../dto';
import { defineOperation } from '../operation';
import { apiSchemas } from '../schema-registry';

const keyListSchema = z.object({ data: z.array(signingKeySchema), nextCursor: z.null() }).register(apiSchemas, { id: 'SigningKeyList' });
const rotateBody = z.object({ reason: z.string().trim().max(200).optional().describe('Recorded in the audit event') }).register(apiSchemas, { id: 'RotateKeys' });

export const listKeysOp = defineOperation({
  id: 'listKeys',
  method: 'GET',
  path: '/tenants/{slug}/keys',
  tag: 'keys',
  summary: "A tenant's signing keys (metadata only, never key material): next, current, previous, and retired with includeRetired",
  permission: 'key.read',
  scope: 'tenant',
  query: z.object({ includeRetired: z.enum(['true', 'false']).optional().describe('Include retired keys') }),
  response: { status: 200, description: 'The keys, next first (one page: a tenant has a handful)', schema: keyListSchema },
  async handler(ctx, { query }) {
    const keys = await listSigningKeys(ctx.tenant.id, { includeRetired: query.includeRetired === 'true' });
    return { data: keys.map(serializeKey), nextCursor: null };
  },
});

export const rotateKeysOp = defineOperation({
  id: 'rotateKeys',
  method: 'POST',
  path: '/tenants/{slug}/keys/rotate',
  tag: 'keys',
  summary: 'Rotate now: next becomes current, current stays published as previous until its tokens expire, a fresh next key is made',
  description: 'Tokens signed before the rotation keep verifying; running instances pick the new key up within seconds.',
  permission: 'key.rotate',
  scope: 'tenant',
  body: rotateBody,
  response: { status: 200, description: 'The rotation and the resulting keys', schema: keyRotationSchema },
  async handler(ctx, { body }) {
    const rotation = await rotateSigningKeys({ tenantId: ctx.tenant.id, actor: ctx.actor, reason: body.reason ?? 'manual rotation', ip: ctx.meta.ip, userAgent: ctx.meta.userAgent });
    const keys = await listSigningKeys(ctx.tenant.id);
    return { previousKid: rotation!.previousKid, currentKid: rotation!.currentKid, nextKid: rotation!.nextKid, keys: keys.map(serializeKey) };
  },
});

export const keyOperations = [listKeysOp, rotateKeysOp];
