import { z } from 'zod';
import { createScimToken, createScimTokenSchema, listScimTokens, revokeScimToken, scimBaseUrl, type ScimTokenDto } from '@/lib/scim';
import { defineOperation } from '../operation';
import { pageQuerySchema, paginate } from '../pagination';
import { apiSchemas } from '../schema-registry';

/** SCIM bearer tokens of a tenant (lib/scim): created (shown once), listed, revoked. */

const timestamp = z.iso.datetime({ offset: true }).describe('RFC 3339 date-time');
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export const scimTokenSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string().describe('Recorded as the actor of every change made with the token'),
    prefix: z.string().describe('The first characters of the token, to recognise it'),
    status: z.enum(['active', 'expired', 'revoked']),
    createdBy: z.string().nullable(),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .register(apiSchemas, { id: 'ScimToken' });

const scimTokenWithSecretSchema = scimTokenSchema
  .extend({
    token: z.string().describe('The bearer token: in this response only, never retrievable again'),
    scimBaseUrl: z.string().describe("The tenant's SCIM base URL"),
  })
  .register(apiSchemas, { id: 'ScimTokenWithSecret' });

const scimTokenPageSchema = z.object({ data: z.array(scimTokenSchema), nextCursor: z.string().nullable() }).register(apiSchemas, { id: 'ScimTokenPage' });
const createBody = createScimTokenSchema.register(apiSchemas, { id: 'CreateScimToken' });
const tokenParams = z.object({ tokenId: z.string().uuid() });

export function serializeScimToken(t: ScimTokenDto): z.infer<typeof scimTokenSchema> {
  return { id: t.id, name: t.name, prefix: t.prefix, status: t.status, createdBy: t.createdBy, createdAt: t.createdAt.toISOString(), expiresAt: isoOrNull(t.expiresAt), lastUsedAt: isoOrNull(t.lastUsedAt), revokedAt: isoOrNull(t.revokedAt) };
}

export const listScimTokensOp = defineOperation({
  id: 'listScimTokens',
  method: 'GET',
  path: '/tenants/{slug}/scim-tokens',
  tag: 'scim',
  summary: "List a tenant's SCIM tokens (never the tokens themselves), oldest first",
  permission: 'client.read',
  scope: 'tenant',
  query: pageQuerySchema,
  response: { status: 200, description: 'A page of SCIM tokens', schema: scimTokenPageSchema },
  async handler(ctx, { query }) {
    const tokens = await listScimTokens(ctx.tenant.id);
    const page = paginate(tokens, (t) => `${t.createdAt.toISOString()} ${t.id}`, query.after, query.limit);
    return { data: page.data.map(serializeScimToken), nextCursor: page.nextCursor };
  },
});

export const createScimTokenOp = defineOperation({
  id: 'createScimToken',
  method: 'POST',
  path: '/tenants/{slug}/scim-tokens',
  tag: 'scim',
  summary: 'Create a SCIM bearer token for a tenant; the token is in this response only',
  description: 'The token authenticates SCIM 2.0 requests to this tenant only (`Authorization: Bearer …` at the scimBaseUrl). Only a keyed hash is stored.',
  permission: 'client.write',
  scope: 'tenant',
  body: createBody,
  response: { status: 201, description: 'The token record and the token (once)', schema: scimTokenWithSecretSchema },
  async handler(ctx, { body }) {
    const { token, record } = await createScimToken(ctx.tenant, body, { ...ctx.actor, name: ctx.principal.name }, ctx.meta);
    return { ...serializeScimToken(record), token, scimBaseUrl: scimBaseUrl(ctx.tenant.slug) };
  },
});

export const revokeScimTokenOp = defineOperation({
  id: 'revokeScimToken',
  method: 'POST',
  path: '/tenants/{slug}/scim-tokens/{tokenId}/revoke',
  tag: 'scim',
  summary: 'Revoke a SCIM token: its next request is refused (401)',
  permission: 'client.write',
  scope: 'tenant',
  params: tokenParams,
  response: { status: 200, description: 'The revoked token', schema: scimTokenSchema },
  async handler(ctx, { params }) {
    return serializeScimToken(await revokeScimToken(ctx.tenant, params.tokenId, ctx.actor, ctx.meta));
  },
});

export const scimTokenOperations = [listScimTokensOp, createScimTokenOp, revokeScimTokenOp];
