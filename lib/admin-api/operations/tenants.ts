import { z } from 'zod';
import { tenantScope } from '@/lib/authz';
import { createTenantSchema, deleteTenant, getTenantOrThrow, listTenants, setTenantDisabled, updateTenantSchema, updateTenant, createTenant } from '@/lib/tenants';
import { AppError } from '@/lib/errors';
import { pageOf, serializeTenant, tenantSchema } from '../dto';
import { defineOperation } from '../operation';
import { apiSchemas } from '../schema-registry';
import { pageQuerySchema, paginate } from '../pagination';

// The admin tenant exists once, made at first start: the API never creates another.
const createTenantBody = createTenantSchema.omit({ isAdmin: true }).register(apiSchemas, { id: 'CreateTenant' });
const updateTenantBody = updateTenantSchema.register(apiSchemas, { id: 'UpdateTenant' });

export const listTenantsOp = defineOperation({
  id: 'listTenants',
  method: 'GET',
  path: '/tenants',
  tag: 'tenants',
  summary: 'List the tenants the caller may see, by slug',
  permission: 'tenant.read',
  scope: 'scoped',
  query: pageQuerySchema,
  response: { status: 200, description: 'A page of tenants', schema: pageOf(tenantSchema, 'Tenant') },
  async handler(ctx, { query }) {
    const tenants = await listTenants(tenantScope(ctx.principal, 'tenant.read'));
    const page = paginate(tenants, (t) => t.slug, query.after, query.limit);
    return { data: page.data.map(serializeTenant), nextCursor: page.nextCursor };
  },
});

export const createTenantOp = defineOperation({
  id: 'createTenant',
  method: 'POST',
  path: '/tenants',
  tag: 'tenants',
  summary: 'Create a tenant (with its current and next signing keys)',
  permission: 'tenant.create',
  scope: 'global',
  body: createTenantBody,
  response: { status: 201, description: 'The tenant', schema: tenantSchema },
  async handler(ctx, { body }) {
    const created = await createTenant(body, ctx.actor);
    return serializeTenant(await getTenantOrThrow(created.slug));
  },
});

export const getTenantOp = defineOperation({
  id: 'getTenant',
  method: 'GET',
  path: '/tenants/{slug}',
  tag: 'tenants',
  summary: 'Get a tenant',
  permission: 'tenant.read',
  scope: 'tenant',
  response: { status: 200, description: 'The tenant', schema: tenantSchema },
  async handler(ctx) {
    return serializeTenant(ctx.tenant);
  },
});

export const updateTenantOp = defineOperation({
  id: 'updateTenant',
  method: 'PATCH',
  path: '/tenants/{slug}',
  tag: 'tenants',
  summary: 'Rename a tenant or change its settings (merged into the current settings)',
  permission: 'tenant.update',
  scope: 'tenant',
  body: updateTenantBody,
  response: { status: 200, description: 'The updated tenant', schema: tenantSchema },
  async handler(ctx, { body }) {
    await updateTenant(ctx.tenant.slug, body, ctx.actor);
    return serializeTenant(await getTenantOrThrow(ctx.tenant.slug));
  },
});

const setDisabled = (disabled: boolean) =>
  defineOperation({
    id: disabled ? 'disableTenant' : 'enableTenant',
    method: 'POST',
    path: `/tenants/{slug}/${disabled ? 'disable' : 'enable'}`,
    tag: 'tenants',
    summary: disabled ? "Disable a tenant: its issuer refuses every request, sign-ins included" : 'Enable a disabled tenant',
    permission: 'tenant.update',
    scope: 'tenant',
    response: { status: 200, description: 'The tenant', schema: tenantSchema },
    async handler(ctx) {
      await setTenantDisabled(ctx.tenant.slug, disabled, ctx.actor);
      return serializeTenant(await getTenantOrThrow(ctx.tenant.slug));
    },
  });
export const disableTenantOp = setDisabled(true);
export const enableTenantOp = setDisabled(false);

export const deleteTenantOp = defineOperation({
  id: 'deleteTenant',
  method: 'DELETE',
  path: '/tenants/{slug}',
  tag: 'tenants',
  summary: 'Delete a tenant and everything in it',
  description: 'Irreversible. `confirm` must repeat the slug.',
  permission: 'tenant.delete',
  scope: 'tenant',
  query: z.object({ confirm: z.string().max(100).describe("The tenant's slug, typed again") }),
  response: { status: 204, description: 'Deleted' },
  async handler(ctx, { query }) {
    if (query.confirm !== ctx.tenant.slug) throw new AppError('invalid_input', `confirm must repeat the tenant's slug "${ctx.tenant.slug}"`, { field: 'query.confirm' });
    await deleteTenant(ctx.tenant.slug, query.confirm, ctx.actor);
    return undefined;
  },
});

export const tenantOperations = [listTenantsOp, createTenantOp, getTenantOp, updateTenantOp, disableTenantOp, enableTenantOp, deleteTenantOp];
