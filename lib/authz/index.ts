export { roles, permissions, ROLE_PERMISSIONS, ROLE_DESCRIPTIONS, type Role, type Permission } from './roles';
export { can, tenantScope, loadGrants, operatorPrincipal, type Principal, type RoleGrant } from './principal';
export { assertCan, actorOf } from './assert-can';
export { grantRoleSchema, type GrantRoleInput } from './role-schemas';
export { listRoleBindings, grantRole, revokeRole, type RoleBindingDto } from './manage-roles';
