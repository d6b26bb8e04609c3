import { z } from 'zod';
import { grantClientRole, grantRole, listRoleBindings, revokeRole, roles } from '@/lib/authz';
import { AppError } from '@/lib/errors';
import { pageOf, roleBindingSchema, serializeRoleBinding } from '../dto';
import { defineOperation } from '../operation';
import { pageQuerySchema, paginate } from '../pagination';
import { apiSchemas } from '../schema-registry';

const grantBody = z
  .object({
    role: z.enum(roles).describe('owner: everything incl. administrators; admin: manage tenants, clients, users, keys; auditor: read only; helpdesk: support users'),
    username: z.string().trim().min(1).max(128).optional().describe('An administrator: a user of the admin tenant'),
    clientId: z.string().trim().min(1).max(128).optional().describe('A machine client of the admin tenant (admin API caller)'),
    tenant: z.string().trim().min(1).max(40).nullable().optional().describe('Limit the role to this tenant (slug); omit or null for every tenant'),
  })
  .refine((v) => (v.username === undefined) !== (v.clientId === undefined), { message: 'give exactly one of username or clientId', path: ['username'] })
  .register(apiSchemas, { id: 'GrantRole' });

export const listRoleBindingsOp = defineOperation({
  id: 'listRoleBindings',
  method: 'GET',
  path: '/role-bindings',
  tag: 'roles',
  summary: 'Who holds which administrator role, for which tenants (owners only)',
  permission: 'admin.manage',
  scope: 'global',
  query: pageQuerySchema,
  response: { status: 200, description: 'A page of role bindings, oldest first', schema: pageOf(roleBindingSchema, 'RoleBinding') },
  async handler(_ctx, { query }) {
    const bindings = await listRoleBindings();
    const page = paginate(bindings, (b) => `${b.createdAt.toISOString()} ${b.id}`, query.after, query.limit);
    return { data: page.data.map(serializeRoleBinding), nextCursor: page.nextCursor };
  },
});

export const grantRoleOp = defineOperation({
  id: 'grantRole',
  method: 'POST',
  path: '/role-bindings',
  tag: 'roles',
  summary: 'Grant a role to an administrator or a machine client of the admin tenant (owners only)',
  permission: 'admin.manage',
  scope: 'global',
  body: grantBody,
  response: { status: 201, description: 'The new binding', schema: roleBindingSchema },
  async handler(ctx, { body }) {
    const tenantSlug = body.tenant ?? null;
    const granted = body.username !== undefined
      ? await grantRole({ username: body.username, role: body.role, tenantSlug }, ctx.actor)
      : await grantClientRole({ clientId: body.clientId!, role: body.role, tenantSlug }, ctx.actor);
    const binding = (await listRoleBindings()).find((b) => b.id === granted.id);
    if (!binding) throw new AppError('not_found', 'the binding was removed meanwhile');
    return serializeRoleBinding(binding);
  },
});

export const revokeRoleOp = defineOperation({
  id: 'revokeRole',
  method: 'DELETE',
  path: '/role-bindings/{id}',
  tag: 'roles',
  summary: 'Revoke a role binding (owners only; the last owner cannot be removed)',
  permission: 'admin.manage',
  scope: 'global',
  params: z.object({ id: z.string().min(1).max(64).describe('The binding id') }),
  response: { status: 204, description: 'Revoked' },
  async handler(ctx, { params }) {
    await revokeRole(params.id, ctx.actor);
    return undefined;
  },
});

export const roleOperations = [listRoleBindingsOp, grantRoleOp, revokeRoleOp];
