import { z } from 'zod';
import { createClient, registerClientSchema, deleteClient, getClientOrThrow, listClients, rotateClientSecret, setClientDisabled, updateClient, updateClientSchema } from '@/lib/clients';
import { clientSchema, clientWithSecretSchema, pageOf, serializeClient } from '../dto';
import { defineOperation } from '../operation';
import { pageQuerySchema, paginate } from '../pagination';
import { apiSchemas } from '../schema-registry';

const clientParams = z.object({ clientId: z.string().min(1).max(128) });
// Not createClientSchema: first-party status (no consent screen) and fixed ids are the product's own.
const createClientBody = registerClientSchema.register(apiSchemas, { id: 'CreateClient' });
// The fields of an update; the rules that depend on the client's kind (a machine client has no
// redirect URIs) are applied by updateClient, which knows the kind.
const updateClientBody = z.object(updateClientSchema('web').shape).register(apiSchemas, { id: 'UpdateClient' });

export const listClientsOp = defineOperation({
  id: 'listClients',
  method: 'GET',
  path: '/tenants/{slug}/clients',
  tag: 'clients',
  summary: "List a tenant's OIDC clients, oldest first",
  permission: 'client.read',
  scope: 'tenant',
  query: pageQuerySchema,
  response: { status: 200, description: 'A page of clients', schema: pageOf(clientSchema, 'Client') },
  async handler(ctx, { query }) {
    const clients = await listClients(ctx.tenant.id);
    // createdAt first (ISO strings sort by time), the unique client id breaks ties.
    const page = paginate(clients, (c) => `${c.createdAt.toISOString()} ${c.clientId}`, query.after, query.limit);
    return { data: page.data.map(serializeClient), nextCursor: page.nextCursor };
  },
});

export const createClientOp = defineOperation({
  id: 'createClient',
  method: 'POST',
  path: '/tenants/{slug}/clients',
  tag: 'clients',
  summary: 'Register a web, single-page, native or machine client',
  description: 'Redirect URIs must be https (http only on loopback; reverse-domain schemes for native clients), without wildcards or fragments. A confidential client\'s secret is in this response only.',
  permission: 'client.write',
  scope: 'tenant',
  body: createClientBody,
  response: { status: 201, description: 'The client, with its secret (once)', schema: clientWithSecretSchema },
  async handler(ctx, { body }) {
    const created = await createClient(ctx.tenant.id, body, ctx.actor);
    return { ...serializeClient(await getClientOrThrow(ctx.tenant.id, created.clientId)), clientSecret: created.clientSecret ?? null };
  },
});

export const getClientOp = defineOperation({
  id: 'getClient',
  method: 'GET',
  path: '/tenants/{slug}/clients/{clientId}',
  tag: 'clients',
  summary: 'Get a client',
  permission: 'client.read',
  scope: 'tenant',
  params: clientParams,
  response: { status: 200, description: 'The client', schema: clientSchema },
  async handler(ctx, { params }) {
    return serializeClient(await getClientOrThrow(ctx.tenant.id, params.clientId));
  },
});

export const updateClientOp = defineOperation({
  id: 'updateClient',
  method: 'PATCH',
  path: '/tenants/{slug}/clients/{clientId}',
  tag: 'clients',
  summary: "Rename a client or replace its redirect URIs",
  permission: 'client.write',
  scope: 'tenant',
  params: clientParams,
  body: updateClientBody,
  response: { status: 200, description: 'The updated client', schema: clientSchema },
  async handler(ctx, { params, body }) {
    return serializeClient(await updateClient(ctx.tenant.id, params.clientId, body, ctx.actor));
  },
});

export const rotateClientSecretOp = defineOperation({
  id: 'rotateClientSecret',
  method: 'POST',
  path: '/tenants/{slug}/clients/{clientId}/rotate-secret',
  tag: 'clients',
  summary: 'Replace a confidential client\'s secret; the old one stops working at once',
  permission: 'client.write',
  scope: 'tenant',
  params: clientParams,
  response: { status: 200, description: 'The client, with its new secret (once)', schema: clientWithSecretSchema },
  async handler(ctx, { params }) {
    const rotated = await rotateClientSecret(ctx.tenant.id, params.clientId, ctx.actor);
    return { ...serializeClient(await getClientOrThrow(ctx.tenant.id, params.clientId)), clientSecret: rotated.clientSecret };
  },
});

const setDisabled = (disabled: boolean) =>
  defineOperation({
    id: disabled ? 'disableClient' : 'enableClient',
    method: 'POST',
    path: `/tenants/{slug}/clients/{clientId}/${disabled ? 'disable' : 'enable'}`,
    tag: 'clients',
    summary: disabled ? 'Disable a client: the provider no longer knows it' : 'Enable a disabled client',
    permission: 'client.write',
    scope: 'tenant',
    params: clientParams,
    response: { status: 200, description: 'The client', schema: clientSchema },
    async handler(ctx, { params }) {
      await setClientDisabled(ctx.tenant.id, params.clientId, disabled, ctx.actor);
      return serializeClient(await getClientOrThrow(ctx.tenant.id, params.clientId));
    },
  });
export const disableClientOp = setDisabled(true);
export const enableClientOp = setDisabled(false);

export const deleteClientOp = defineOperation({
  id: 'deleteClient',
  method: 'DELETE',
  path: '/tenants/{slug}/clients/{clientId}',
  tag: 'clients',
  summary: 'Delete a client with every grant, code and token issued to it',
  permission: 'client.write',
  scope: 'tenant',
  params: clientParams,
  response: { status: 204, description: 'Deleted' },
  async handler(ctx, { params }) {
    await deleteClient(ctx.tenant.id, params.clientId, ctx.actor);
    return undefined;
  },
});

export const clientOperations = [listClientsOp, createClientOp, getClientOp, updateClientOp, rotateClientSecretOp, disableClientOp, enableClientOp, deleteClientOp];
