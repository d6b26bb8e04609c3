import { z } from 'zod';
import { tenantScope } from '@/lib/authz';
import { auditFilterSchema, listAuditEvents } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { findTenantBySlug } from '@/lib/tenants';
import { auditEventSchema, pageOf, serializeAuditEvent } from '../dto';
import { check, defineOperation } from '../operation';

const auditQuery = auditFilterSchema.omit({ tenantId: true, before: true }).extend({
  tenant: z.string().max(100).optional().describe('Tenant slug'),
  after: z.string().regex(/^\d{1,19}$/, 'a cursor from nextCursor').optional().describe('Cursor: the nextCursor of the previous page'),
});

export const listAuditEventsOp = defineOperation({
  id: 'listAuditEvents',
  method: 'GET',
  path: '/audit-events',
  tag: 'audit',
  summary: 'Audit events, newest first, filtered by tenant, actor (exact id, e.g. operator:alice), type (prefix), outcome, subject and time',
  permission: 'audit.read',
  scope: 'scoped',
  query: auditQuery,
  response: { status: 200, description: 'A page of events', schema: pageOf(auditEventSchema, 'AuditEvent') },
  async handler(ctx, { query }) {
    const { tenant: slug, after, ...filter } = query;
    let tenantId: string | undefined;
    if (slug) {
      const tenant = await findTenantBySlug(slug);
      if (!tenant) {
        check(ctx.principal, 'audit.read', null, ctx.meta);
        throw new AppError('not_found', `no tenant "${slug}"`);
      }
      check(ctx.principal, 'audit.read', tenant.id, ctx.meta);
      tenantId = tenant.id;
    }
    const page = await listAuditEvents({ ...filter, tenantId, ...(after ? { before: after } : {}) }, tenantScope(ctx.principal, 'audit.read'));
    return { data: page.events.map(serializeAuditEvent), nextCursor: page.nextBefore };
  },
});

export const auditOperations = [listAuditEventsOp];
