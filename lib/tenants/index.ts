export { createTenant, type Actor } from './create-tenant';
export { findTenantBySlug, findAdminTenant, listTenants, type TenantRecord } from './repo';
export { tenantSlugSchema, createTenantSchema } from './schemas';
