import { z } from 'zod';
import { createUser, createUserSchema, deleteUser, getUserOrThrowDto, listUsers, listUsersSchema, passwordSchema, setTemporaryPassword, setUserDisabled, unlockUser, updateUser, updateUserSchema } from '@/lib/users';
import { pageOf, serializeUser, userSchema } from '../dto';
import { defineOperation } from '../operation';
import { apiSchemas } from '../schema-registry';

const userParams = z.object({ userId: z.string().min(1).max(64).describe('The user id (UUID)') });
const createUserBody = createUserSchema.register(apiSchemas, { id: 'CreateUser' });
const updateUserBody = updateUserSchema.register(apiSchemas, { id: 'UpdateUser' });
const setPasswordBody = z.object({ password: passwordSchema }).register(apiSchemas, { id: 'SetTemporaryPassword' });

export const listUsersOp = defineOperation({
  id: 'listUsers',
  method: 'GET',
  path: '/tenants/{slug}/users',
  tag: 'users',
  summary: "List a tenant's users by username, with search (prefix of username, email or name) and status filter",
  permission: 'user.read',
  scope: 'tenant',
  query: listUsersSchema,
  response: { status: 200, description: 'A page of users and the total matching', schema: pageOf(userSchema, 'User', { total: z.number().int() }) },
  async handler(ctx, { query }) {
    const page = await listUsers(ctx.tenant.id, query);
    return { data: page.users.map(serializeUser), nextCursor: page.nextCursor, total: page.total };
  },
});

export const createUserOp = defineOperation({
  id: 'createUser',
  method: 'POST',
  path: '/tenants/{slug}/users',
  tag: 'users',
  summary: 'Create a user (with an optional initial password)',
  permission: 'user.write',
  scope: 'tenant',
  body: createUserBody,
  response: { status: 201, description: 'The user', schema: userSchema },
  async handler(ctx, { body }) {
    const user = await createUser(ctx.tenant.id, body, ctx.actor);
    return serializeUser(await getUserOrThrowDto(ctx.tenant.id, user.id));
  },
});

export const getUserOp = defineOperation({
  id: 'getUser',
  method: 'GET',
  path: '/tenants/{slug}/users/{userId}',
  tag: 'users',
  summary: 'Get a user',
  permission: 'user.read',
  scope: 'tenant',
  params: userParams,
  response: { status: 200, description: 'The user', schema: userSchema },
  async handler(ctx, { params }) {
    return serializeUser(await getUserOrThrowDto(ctx.tenant.id, params.userId));
  },
});

export const updateUserOp = defineOperation({
  id: 'updateUser',
  method: 'PATCH',
  path: '/tenants/{slug}/users/{userId}',
  tag: 'users',
  summary: "Edit a user's profile claims",
  permission: 'user.write',
  scope: 'tenant',
  params: userParams,
  body: updateUserBody,
  response: { status: 200, description: 'The updated user', schema: userSchema },
  async handler(ctx, { params, body }) {
    await updateUser(ctx.tenant.id, params.userId, body, ctx.actor);
    return serializeUser(await getUserOrThrowDto(ctx.tenant.id, params.userId));
  },
});

/** Support actions (helpdesk may do them): disable, enable, unlock, temporary password. */
const supportAction = (id: string, action: string, summary: string, run: (tenantId: string, userId: string, actor: Parameters<typeof unlockUser>[2]) => Promise<void>) =>
  defineOperation({
    id,
    method: 'POST',
    path: `/tenants/{slug}/users/{userId}/${action}`,
    tag: 'users',
    summary,
    permission: 'user.support',
    scope: 'tenant',
    params: userParams,
    response: { status: 200, description: 'The user', schema: userSchema },
    async handler(ctx, { params }) {
      await run(ctx.tenant.id, params.userId, ctx.actor);
      return serializeUser(await getUserOrThrowDto(ctx.tenant.id, params.userId));
    },
  });

export const disableUserOp = supportAction('disableUser', 'disable', "Disable a user; ends the user's sessions and grants at once", (t, u, a) => setUserDisabled(t, u, true, a));
export const enableUserOp = supportAction('enableUser', 'enable', 'Enable a disabled user', (t, u, a) => setUserDisabled(t, u, false, a));
export const unlockUserOp = supportAction('unlockUser', 'unlock', 'Unlock a user locked out after failed sign-ins', unlockUser);

export const setUserPasswordOp = defineOperation({
  id: 'setUserPassword',
  method: 'POST',
  path: '/tenants/{slug}/users/{userId}/set-password',
  tag: 'users',
  summary: 'Set a temporary password: the user must choose a new one at next sign-in; ends their sessions',
  permission: 'user.support',
  scope: 'tenant',
  params: userParams,
  body: setPasswordBody,
  response: { status: 200, description: 'The user', schema: userSchema },
  async handler(ctx, { params, body }) {
    await setTemporaryPassword(ctx.tenant.id, params.userId, body.password, ctx.actor);
    return serializeUser(await getUserOrThrowDto(ctx.tenant.id, params.userId));
  },
});

export const deleteUserOp = defineOperation({
  id: 'deleteUser',
  method: 'DELETE',
  path: '/tenants/{slug}/users/{userId}',
  tag: 'users',
  summary: 'Delete a user and end their sessions',
  permission: 'user.write',
  scope: 'tenant',
  params: userParams,
  response: { status: 204, description: 'Deleted' },
  async handler(ctx, { params }) {
    await deleteUser(ctx.tenant.id, params.userId, ctx.actor);
    return undefined;
  },
});

export const userOperations = [listUsersOp, createUserOp, getUserOp, updateUserOp, disableUserOp, enableUserOp, unlockUserOp, setUserPasswordOp, deleteUserOp];
