import { getPrisma } from '@/lib/db';
import { recordEvent, type ActorType } from '@/lib/audit';
import { hashSecret, randomSecret } from '@/lib/crypto';
import { AppError } from '@/lib/errors';
import { clientSecretKey } from './create-client';
import { invalidateClientMetadata } from './metadata-cache';
import { isConfidential } from './client-metadata';
import { updateClientSchema, type ClientKind, type UpdateClientInput } from './schemas';

type Actor = { type: ActorType; id?: string | null };

export interface ClientSummary {
  id: string;
  clientId: string;
  name: string;
  kind: ClientKind;
  disabled: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  tokenEndpointAuthMethod: string;
  hasSecret: boolean;
  createdAt: Date;
  updatedAt: Date;
}

type Row = { id: string; clientId: string; name: string; kind: string; disabled: boolean; metadata: unknown; secretHash: string | null; createdAt: Date; updatedAt: Date };

/** The DTO the console and API see: never the secret or its hash. */
function toSummary(row: Row): ClientSummary {
  const m = row.metadata as { redirect_uris?: string[]; post_logout_redirect_uris?: string[]; grant_types?: string[]; token_endpoint_auth_method?: string };
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    kind: row.kind as ClientKind,
    disabled: row.disabled,
    redirectUris: m.redirect_uris ?? [],
    postLogoutRedirectUris: m.post_logout_redirect_uris ?? [],
    grantTypes: m.grant_types ?? [],
    tokenEndpointAuthMethod: m.token_endpoint_auth_method ?? 'client_secret_basic',
    hasSecret: row.secretHash !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listClients(tenantId: string): Promise<ClientSummary[]> {
  const prisma = await getPrisma();
  return (await prisma.oidcClient.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } })).map(toSummary);
}

async function findRow(tenantId: string, clientId: string) {
  const prisma = await getPrisma();
  const row = await prisma.oidcClient.findUnique({ where: { tenantId_clientId: { tenantId, clientId } } });
  if (!row) throw new AppError('not_found', `no client "${clientId}" in this tenant`);
  return row;
}

export async function getClientOrThrow(tenantId: string, clientId: string): Promise<ClientSummary> {
  return toSummary(await findRow(tenantId, clientId));
}

export async function updateClient(tenantId: string, clientId: string, input: UpdateClientInput, actor: Actor) {
  const row = await findRow(tenantId, clientId);
  const data = updateClientSchema(row.kind as ClientKind).parse(input);
  (await import('@/lib/threats')).screenRedirectHosts([...(data.redirectUris ?? []), ...(data.postLogoutRedirectUris ?? [])], tenantId, 'redirectUris', { actor });
  const metadata = { ...(row.metadata as Record<string, unknown>) };
  if (data.redirectUris) metadata.redirect_uris = data.redirectUris;
  if (data.postLogoutRedirectUris) metadata.post_logout_redirect_uris = data.postLogoutRedirectUris;
  if (data.tokenEndpointAuthMethod) metadata.token_endpoint_auth_method = data.tokenEndpointAuthMethod;
  const prisma = await getPrisma();
  return prisma.$transaction(async (tx) => {
    const updated = await tx.oidcClient.update({ where: { id: row.id }, data: { ...(data.name ? { name: data.name } : {}), metadata: metadata as never } });
    await recordEvent(tx, { type: 'client.updated', outcome: 'success', tenantId, actor, clientId, details: { name: data.name, redirectUris: data.redirectUris, tokenEndpointAuthMethod: data.tokenEndpointAuthMethod } });
    return toSummary(updated);
  }).finally(() => invalidateClientMetadata(tenantId, clientId));
}

/** A new secret, returned once; the old one stops working immediately. */
export async function rotateClientSecret(tenantId: string, clientId: string, actor: Actor) {
  const row = await findRow(tenantId, clientId);
  if (!isConfidential(row.kind as ClientKind)) throw new AppError('invalid_input', 'public clients have no secret');
  const secret = randomSecret();
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.oidcClient.update({ where: { id: row.id }, data: { secretHash: hashSecret(secret, clientSecretKey()) } });
    await recordEvent(tx, { type: 'client.secret.rotated', outcome: 'success', tenantId, actor, clientId });
  });
  invalidateClientMetadata(tenantId, clientId);
  return { clientId, clientSecret: secret };
}

export async function setClientDisabled(tenantId: string, clientId: string, disabled: boolean, actor: Actor) {
  const row = await findRow(tenantId, clientId);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.oidcClient.update({ where: { id: row.id }, data: { disabled } });
    await recordEvent(tx, { type: disabled ? 'client.disabled' : 'client.enabled', outcome: 'success', tenantId, actor, clientId });
  });
  invalidateClientMetadata(tenantId, clientId);
}

/** Deletes the client and every grant, code and token issued to it. */
export async function deleteClient(tenantId: string, clientId: string, actor: Actor) {
  const row = await findRow(tenantId, clientId);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${tenantId}::uuid AND payload->>'clientId' = ${clientId}`;
    // Role bindings name admin-tenant clients only: never touch them for another tenant's client.
    const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { isAdmin: true } });
    if (tenant?.isAdmin) await tx.adminRoleBinding.deleteMany({ where: { clientId } });
    await tx.oidcClient.delete({ where: { id: row.id } });
    await recordEvent(tx, { type: 'client.deleted', outcome: 'success', tenantId, actor, clientId });
  });
  invalidateClientMetadata(tenantId, clientId);
}
