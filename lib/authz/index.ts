export { roles, permissions, ROLE_PERMISSIONS, ROLE_DESCRIPTIONS, type Role, type Permission } from './roles';
export { can, tenantScope, loadGrants, operatorPrincipal, isWritePermission, extraPermissionFor, type Principal, type RoleGrant } from './principal';
export { assertCan, actorOf, forbiddenMessage } from './assert-can';
export { grantRoleSchema, grantClientRoleSchema, type GrantRoleInput, type GrantClientRoleInput } from './role-schemas';
export { listRoleBindings, grantRole, grantClientRole, revokeRole, type RoleBindingDto } from './manage-roles';
