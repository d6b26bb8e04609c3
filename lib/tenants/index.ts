export { createTenant, type Actor } from './create-tenant';
export { updateTenant, setTenantDisabled, deleteTenant } from './update-tenant';
export { findTenantBySlug, findTenantById, getTenantOrThrow, findAdminTenant, listTenants, type TenantRecord } from './repo';
export { tenantSlugSchema, createTenantSchema, updateTenantSchema, tenantSettingsSchema, grantTypes, parseSettings, type TenantSettings } from './schemas';
