import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { emitEvent, flushEvents } from './record-event';

describe('batched audit events', () => {
  beforeAll(() => openMemoryDatabase(), 120_000);
  afterAll(closeDatabase);

  it('writes every queued event in one batch with its fields, details and emit time intact', async () => {
    const before = Date.now();
    const awkward = { note: 'quote " backslash \\ comma , brace { } ünïcode ✓', nested: { list: [1, null, 'x'] }, clientSecret: 'must not be stored' };
    emitEvent({ type: 'test.batch.one', outcome: 'success', tenantId: null, actor: { type: 'system' }, details: awkward });
    emitEvent({ type: 'test.batch.two', outcome: 'failure', tenantId: '6f1c6c1e-6c43-4d5e-9f5a-0c1b2a3d4e5f', actor: { type: 'user', id: 'u-1' }, subject: 'u-1', clientId: 'c-1', ip: '192.0.2.1', userAgent: 'x'.repeat(600), reason: 'because' });
    await flushEvents();

    const rows = await (await getPrisma()).auditEvent.findMany({ where: { type: { startsWith: 'test.batch.' } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.type)).toEqual(['test.batch.one', 'test.batch.two']);
    expect(rows[0]).toMatchObject({ tenantId: null, actorType: 'system', actorId: null, outcome: 'success', details: { ...awkward, clientSecret: '[redacted]' } });
    expect(rows[1]).toMatchObject({ tenantId: '6f1c6c1e-6c43-4d5e-9f5a-0c1b2a3d4e5f', actorType: 'user', actorId: 'u-1', subject: 'u-1', clientId: 'c-1', ip: '192.0.2.1', outcome: 'failure', reason: 'because', details: null });
    expect(rows[1].userAgent).toHaveLength(512);
    for (const row of rows) expect(row.time.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('keeps nothing queued after a flush, so a second flush writes nothing twice', async () => {
    emitEvent({ type: 'test.batch.three', outcome: 'success', actor: { type: 'system' } });
    await Promise.all([flushEvents(), flushEvents()]);
    await flushEvents();
    expect(await (await getPrisma()).auditEvent.count({ where: { type: 'test.batch.three' } })).toBe(1);
  });
});
