import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { LIMITS, URN } from '../constants';
import type { ScimContext, Tx } from '../context';
import { ScimError } from '../errors';
import { scimTestContext } from '../test-support';
import { executeBulk } from './bulk';
import { getGroup } from './groups';
import { getUser } from './users';

const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [URN.bulkRequest], Operations, ...extra });
const newUser = (bulkId: string, userName: string, extra: Record<string, unknown> = {}) => ({ method: 'POST', path: '/Users', bulkId, data: { schemas: [URN.user], userName, ...extra } });

describe('SCIM Bulk (RFC 7644 §3.7)', () => {
  let ctx: ScimContext;
  beforeAll(async () => {
    await openMemoryDatabase();
    ctx = await scimTestContext('bulk');
  }, 120_000);
  afterAll(closeDatabase);
  const tx = async () => (await getPrisma()) as unknown as Tx;

  it('runs POST, PUT, PATCH and DELETE, resolving bulkId references (also forward ones)', async () => {
    const result = await executeBulk(
      ctx,
      bulk([
        { method: 'POST', path: '/Groups', bulkId: 'g1', data: { schemas: [URN.group], displayName: 'Bulk group', members: [{ type: 'User', value: 'bulkId:u1' }, { value: 'bulkId:u2' }] } },
        newUser('u1', 'bulk-one'),
        newUser('u2', 'bulk-two', { [URN.enterpriseUser]: { manager: { value: 'bulkId:u1' } } }),
        { method: 'PATCH', path: '/Users/bulkId:u1', data: { schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'title', value: 'Lead' }] } },
      ]),
    );
    expect(result.schemas).toEqual([URN.bulkResponse]);
    const byId = Object.fromEntries(result.Operations.map((o) => [o.bulkId ?? o.method, o]));
    expect(byId.u1).toMatchObject({ method: 'POST', status: '201', location: expect.stringMatching(/\/Users\/[0-9a-f-]{36}$/), version: 'W/"1"' });
    expect(byId.g1).toMatchObject({ status: '201' });
    expect(byId.PATCH).toMatchObject({ status: '200' });
    const u1 = byId.u1.location!.split('/').pop()!;
    const u2 = byId.u2.location!.split('/').pop()!;
    const g1 = byId.g1.location!.split('/').pop()!;
    expect((await getUser(ctx, await tx(), u2)).doc[URN.enterpriseUser]).toMatchObject({ manager: { value: u1 } });
    expect((await getUser(ctx, await tx(), u1)).doc.title).toBe('Lead');
    expect(((await getGroup(ctx, await tx(), g1)).doc.members as { value: string }[]).map((m) => m.value).sort()).toEqual([u1, u2].sort());

    const second = await executeBulk(
      ctx,
      bulk([
        { method: 'PUT', path: `/Users/${u2}`, version: 'W/"999"', data: { schemas: [URN.user], userName: 'bulk-two' } },
        { method: 'DELETE', path: `/Users/${u1}` },
      ]),
    );
    expect(second.Operations[0]).toMatchObject({ method: 'PUT', status: '412', response: { schemas: [URN.error], status: '412' } });
    expect(second.Operations[1]).toMatchObject({ method: 'DELETE', status: '204' });
  });

  it('every result but a failed POST has a location, also failures, with bulkIds substituted (RFC 7644 §3.7)', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const result = await executeBulk(
      ctx,
      bulk([
        newUser('loc', 'bulk-location'),
        { method: 'PATCH', path: '/Users/bulkId:loc', data: { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'id', value: missing }] } },
        { method: 'PUT', path: '/Users/bulkId:loc', version: 'W/"999"', data: { schemas: [URN.user], userName: 'bulk-location' } },
        { method: 'DELETE', path: `/Users/${missing}` },
        { method: 'DELETE', path: '/Users/bulkId:loc' },
        newUser('bad', ' not a userName'),
      ]),
    );
    const location = `${ctx.baseUrl}/Users/${result.Operations[0].location?.split('/').pop()}`;
    expect(result.Operations.map((o) => [o.method, o.status, o.location])).toEqual([
      ['POST', '201', location],
      ['PATCH', '400', location],
      ['PUT', '412', location],
      ['DELETE', '404', `${ctx.baseUrl}/Users/${missing}`],
      ['DELETE', '204', location],
      ['POST', '400', undefined],
    ]);
  });

  it('resolves circular references between new resources (RFC 7644 §3.7.1)', async () => {
    const result = await executeBulk(
      ctx,
      bulk([
        { method: 'POST', path: '/Groups', bulkId: 'A', data: { schemas: [URN.group], displayName: 'Group A', members: [{ type: 'Group', value: 'bulkId:B' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'B', data: { schemas: [URN.group], displayName: 'Group B', members: [{ type: 'Group', value: 'bulkId:A' }] } },
      ]),
    );
    expect(result.Operations.map((o) => o.status)).toEqual(['201', '201']);
    const [a, b] = ['A', 'B'].map((id) => result.Operations.find((o) => o.bulkId === id)!.location!.split('/').pop()!);
    expect(((await getGroup(ctx, await tx(), a)).doc.members as { value: string }[]).map((m) => m.value)).toEqual([b]);
    expect(((await getGroup(ctx, await tx(), b)).doc.members as { value: string }[]).map((m) => m.value)).toEqual([a]);
  });

  it('reports per-operation errors, and stops after failOnErrors', async () => {
    const result = await executeBulk(
      ctx,
      bulk(
        [
          newUser('ok1', 'fail-ok-1'),
          newUser('bad1', 'fail\u0000ok'),
          { method: 'POST', path: '/Users', data: { schemas: [URN.user], userName: 'no-bulk-id' } },
          newUser('dup', 'fail-ok-1'),
          newUser('never', 'never-runs'),
        ],
        { failOnErrors: 2 },
      ),
    );
    expect(result.Operations.map((o) => [o.bulkId, o.status])).toEqual([
      ['ok1', '201'],
      ['bad1', '400'],
      [undefined, '400'],
    ]);
    expect(result.Operations[1].response).toMatchObject({ scimType: 'invalidValue', status: '400' });
    expect(result.Operations[2].response).toMatchObject({ scimType: 'invalidSyntax' });
    const prisma = await getPrisma();
    expect(await prisma.user.count({ where: { tenantId: ctx.tenant.id, username: 'never-runs' } })).toBe(0);

    const refs = await executeBulk(ctx, bulk([{ method: 'PATCH', path: '/Users/bulkId:nothing', data: {} }, newUser('x', 'bad name '), { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [URN.group], displayName: 'G', members: [{ value: 'bulkId:x' }] } }]));
    expect(refs.Operations.map((o) => o.status)).toEqual(['409', '400', '409']);
  });

  it('enforces maxOperations (413) and the request shape', async () => {
    const tooMany = Array.from({ length: LIMITS.maxBulkOperations + 1 }, (_, i) => newUser(`u${i}`, `u${i}`));
    await expect(executeBulk(ctx, bulk(tooMany))).rejects.toMatchObject({ status: 413 });
    await expect(executeBulk(ctx, { Operations: [] })).rejects.toBeInstanceOf(ScimError);
    await expect(executeBulk(ctx, bulk([], { failOnErrors: 0 }))).rejects.toMatchObject({ scimType: 'invalidValue' });
    const odd = await executeBulk(ctx, bulk([{ method: 'GET', path: '/Users' }, { method: 'POST', path: '/Things', bulkId: 't', data: {} }, { method: 'DELETE', path: '/Users' }]));
    expect(odd.Operations.map((o) => o.status)).toEqual(['400', '400', '400']);
  });
});
