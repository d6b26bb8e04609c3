import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { authenticateUser, createUser, listUsers, loginSchema, usernameSchema } from '.';

const actor = { type: 'system' as const, id: 'test' };
const password = 'correct horse battery';

/** Usernames beyond ASCII (Entra ID guests, names with apostrophes and accents): created in the console or admin API, signed in with. */
describe('usernames (on PGlite)', () => {
  let tenantId: string;
  beforeAll(async () => {
    await openMemoryDatabase();
    const prisma = await getPrisma();
    const slug = `names-${crypto.randomBytes(4).toString('hex')}`;
    tenantId = (await prisma.tenant.create({ data: { slug, displayName: slug, settings: {} } })).id;
  }, 120_000);
  afterAll(closeDatabase);

  const signIn = (typed: string, pw = password) => {
    // As the sign-in form does: its schema first, then the lookup.
    const login = loginSchema.parse({ username: typed, password: pw });
    return authenticateUser(tenantId, login.username, login.password);
  };

  it("accepts '#', apostrophes and non-ASCII letters; stores them in lower case; signs in whatever the case typed", async () => {
    const guest = await createUser(tenantId, { username: 'Jane_Contoso.com#EXT#@tenant.onmicrosoft.com', password }, actor);
    expect(guest.username).toBe('jane_contoso.com#ext#@tenant.onmicrosoft.com');
    expect(await signIn('JANE_CONTOSO.COM#EXT#@Tenant.OnMicrosoft.com')).toMatchObject({ ok: true, user: { id: guest.id } });

    const irish = await createUser(tenantId, { username: "  Zoë O'Brien ", password }, actor);
    expect(irish.username).toBe("zoë o'brien");
    expect(await signIn("ZOË O'BRIEN")).toMatchObject({ ok: true, user: { id: irish.id } });
    // The same name typed in decomposed form (NFD: e + combining diaeresis) is the same user.
    expect(await signIn("Zoe\u0308 O'Brien")).toMatchObject({ ok: true, user: { id: irish.id } });
    await expect(createUser(tenantId, { username: "ZOE\u0308 O'BRIEN" }, actor)).rejects.toMatchObject({ code: 'conflict' });

    expect((await listUsers(tenantId, { search: 'ZOË' })).users.map((u) => u.id)).toEqual([irish.id]);
  });

  it('refuses control and invisible characters, inner whitespace other than a space, and names over 128 characters', () => {
    for (const bad of ['', '   ', 'tab\there', 'new\nline', 'bell\u0007', 'bidi\u202Eevil', 'zero\u200Bwidth', 'no\u00A0break', 'x'.repeat(129)]) {
      expect(usernameSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(usernameSchema.parse('x'.repeat(128))).toHaveLength(128);
    expect(usernameSchema.parse('山田太郎')).toBe('山田太郎');
  });
});
