import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { URN } from '../constants';
import type { ScimContext } from '../context';
import { ScimError } from '../errors';
import { groupResourceType, userResourceType } from '../schema/definitions';
import { createGroup } from '../services/groups';
import { compileList, listResources, listRoot, queryFromSearchParams } from '../services/list';
import { createUser, patchUser } from '../services/users';
import { groupBody, patchBody, scimTestContext, userBody } from '../test-support';

const E = URN.enterpriseUser;

describe('SCIM filters, sorting and paging as SQL (on PGlite)', () => {
  let ctx: ScimContext;
  const ids: Record<string, string> = {};
  const groups: Record<string, string> = {};

  beforeAll(async () => {
    await openMemoryDatabase();
    ctx = await scimTestContext('filters');
    const create = async (name: string, extra: Record<string, unknown>) => (ids[name] = String((await createUser(ctx, userBody(name, extra))).doc.id));
    await create('bjensen', {
      externalId: 'Ext-1',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      displayName: 'Babs Jensen',
      title: 'Tour Guide',
      userType: 'Employee',
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      [E]: { employeeNumber: '701984', department: 'Tour Operations' },
    });
    await create('jsmith', {
      name: { givenName: 'John', familyName: 'Smith' },
      userType: 'Contractor',
      emails: [{ value: 'JSmith@Example.ORG', type: 'work' }],
      [E]: { department: 'Sales', manager: { value: ids.bjensen } },
    });
    await patchUser(ctx, ids.jsmith, patchBody({ op: 'replace', path: 'active', value: false }), {});
    await create('alice', { displayName: "alice o'hara", title: 'Engineer', userType: 'Employee', nickName: 'Al_100%', name: { familyName: 'Adams' } });
    await create('zed', {});
    groups.admins = String((await createGroup(ctx, groupBody('Admins', [ids.bjensen]))).doc.id);
    groups.sales = String((await createGroup(ctx, groupBody('Sales', [ids.jsmith, groups.admins]))).doc.id);
  }, 120_000);
  afterAll(closeDatabase);

  async function users(filter: string, extra = ''): Promise<string[]> {
    const list = await listResources(ctx, userResourceType, queryFromSearchParams(new URLSearchParams(`filter=${encodeURIComponent(filter)}${extra}`)));
    return list.Resources.map((r) => String(r.userName));
  }
  const sorted = async (filter: string) => (await users(filter)).sort();

  async function rejected(filter: string, scimType = 'invalidFilter') {
    const error = await users(filter).catch((e) => e);
    expect(error, filter).toBeInstanceOf(ScimError);
    expect((error as ScimError).scimType, filter).toBe(scimType);
  }

  it('eq: case-insensitive for userName, case-exact for externalId', async () => {
    expect(await users('userName eq "BJENSEN"')).toEqual(['bjensen']);
    expect(await users('externalId eq "ext-1"')).toEqual([]);
    expect(await users('externalId eq "Ext-1"')).toEqual(['bjensen']);
    expect(await users('displayName eq "BABS JENSEN"')).toEqual(['bjensen']);
  });

  it('ne: absent values are not equal', async () => {
    expect(await sorted('title ne "Tour Guide"')).toEqual(['alice', 'jsmith', 'zed']);
  });

  it('co, sw, ew (case per caseExact)', async () => {
    expect(await sorted('name.familyName co "EN"')).toEqual(['bjensen']);
    expect(await sorted('userName sw "J"')).toEqual(['jsmith']);
    expect(await sorted('emails.value ew "@example.org"')).toEqual(['jsmith']);
    expect(await sorted('emails co "example"')).toEqual(['bjensen', 'jsmith']);
    expect(await sorted('externalId sw "ext"')).toEqual([]);
  });

  it('gt, ge, lt, le on strings and dateTimes', async () => {
    expect(await sorted('userName gt "bjensen"')).toEqual(['jsmith', 'zed']);
    expect(await sorted('userName ge "bjensen"')).toEqual(['bjensen', 'jsmith', 'zed']);
    expect(await sorted('userName lt "bjensen"')).toEqual(['alice']);
    expect(await sorted('userName le "bjensen"')).toEqual(['alice', 'bjensen']);
    expect(await sorted('meta.created gt "2000-01-01T00:00:00Z"')).toEqual(['alice', 'bjensen', 'jsmith', 'zed']);
    expect(await sorted('meta.created lt "2000-01-01T00:00:00Z"')).toEqual([]);
    expect(await sorted('meta.lastModified le "2999-01-01T00:00:00.000Z"')).toHaveLength(4);
  });

  it('booleans: eq/ne only, with boolean values', async () => {
    expect(await users('active eq false')).toEqual(['jsmith']);
    expect(await sorted('active ne false')).toEqual(['alice', 'bjensen', 'zed']);
    await rejected('active eq "false"');
    await rejected('active gt true');
  });

  it('pr and eq null', async () => {
    expect(await sorted('title pr')).toEqual(['alice', 'bjensen']);
    expect(await sorted('emails pr')).toEqual(['bjensen', 'jsmith']);
    expect(await sorted('name pr')).toEqual(['alice', 'bjensen', 'jsmith']);
    expect(await sorted(`${E}:manager pr`)).toEqual(['jsmith']);
    expect(await sorted('title eq null')).toEqual(['jsmith', 'zed']);
    expect(await sorted('title ne null')).toEqual(['alice', 'bjensen']);
  });

  it('not, and, or with RFC precedence', async () => {
    expect(await sorted('not (title pr)')).toEqual(['jsmith', 'zed']);
    expect(await sorted('not (emails[type eq "home"])')).toEqual(['alice', 'jsmith', 'zed']);
    expect(await sorted('not (title eq "Engineer")')).toEqual(['bjensen', 'jsmith', 'zed']);
    expect(await sorted('userName eq "alice" or userName eq "bjensen" and title eq "Engineer"')).toEqual(['alice']);
    expect(await sorted('(userName eq "alice" or userName eq "bjensen") and title eq "Tour Guide"')).toEqual(['bjensen']);
    expect(await sorted('not (userName eq "alice" or userName eq "zed") and not (active eq false)')).toEqual(['bjensen']);
  });

  it('complex attribute filters match within one value', async () => {
    expect(await users('emails[type eq "work" and value co "@example.com"]')).toEqual(['bjensen']);
    expect(await users('emails[type eq "home" and value co "@example.com"]')).toEqual([]);
    expect(await sorted('emails[type eq "work"] and userType eq "Employee"')).toEqual(['bjensen']);
    expect(await sorted('emails[primary eq true]')).toEqual(['bjensen']);
    expect(await sorted('emails[not (type eq "work")]')).toEqual(['bjensen']);
  });

  it('a sub-attribute after the brackets (Entra ID) is one more condition on the same value, for every operator', async () => {
    expect(await users('emails[type eq "work"].value eq "BJENSEN@example.com"')).toEqual(['bjensen']);
    // bjensen's home address is not a work address.
    expect(await users('emails[type eq "work"].value eq "babs@jensen.org"')).toEqual([]);
    expect(await users('emails[type eq "home"].value eq "babs@jensen.org"')).toEqual(['bjensen']);
    expect(await sorted('emails[type eq "work"].value ne "bjensen@example.com"')).toEqual(['jsmith']);
    expect(await sorted('emails[type eq "work"].value co "EXAMPLE"')).toEqual(['bjensen', 'jsmith']);
    expect(await sorted('emails[type eq "work"].value sw "js"')).toEqual(['jsmith']);
    expect(await sorted('emails[type eq "work"].value ew ".org"')).toEqual(['jsmith']);
    expect(await sorted('emails[type eq "work"].value gt "c"')).toEqual(['jsmith']);
    expect(await sorted('emails[type eq "work"].value ge "jsmith@example.org"')).toEqual(['jsmith']);
    expect(await sorted('emails[type eq "work"].value lt "c"')).toEqual(['bjensen']);
    expect(await sorted('emails[type eq "work"].value le "bjensen@example.com"')).toEqual(['bjensen']);
    expect(await sorted('emails[type eq "work"].value pr')).toEqual(['bjensen', 'jsmith']);
    expect(await sorted('emails[type eq "work"].primary eq true')).toEqual(['bjensen']);
    expect(await sorted('emails[type eq "work" or type eq "home"].value ew "jensen.org" and userType eq "Employee"')).toEqual(['bjensen']);
    expect(await sorted('not (emails[type eq "work"].value pr)')).toEqual(['alice', 'zed']);
    await rejected('emails[type eq "work"].nosuch eq "x"');
    await rejected('emails[type eq "work"].primary eq "yes"');
    await rejected('emails[type eq "work"].value');
  });

  it('groups, enterprise extension and schemas', async () => {
    expect(await users('groups[display eq "admins"]')).toEqual(['bjensen']);
    expect(await users(`groups.value eq "${groups.sales}"`)).toEqual(['jsmith']);
    expect(await users(`${E}:department eq "sales"`)).toEqual(['jsmith']);
    expect(await users('department eq "Sales"')).toEqual(['jsmith']);
    expect(await users(`${E}:manager.value eq "${ids.bjensen}"`)).toEqual(['jsmith']);
    expect(await users(`${E}:manager.displayName eq "Babs Jensen"`)).toEqual(['jsmith']);
    expect(await sorted(`schemas eq "${E}"`)).toEqual(['bjensen', 'jsmith']);
    expect(await users(`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "zed"`)).toEqual(['zed']);
  });

  it('id: a UUID compares as one, anything else matches nothing', async () => {
    expect(await users(`id eq "${ids.alice.toUpperCase()}"`)).toEqual(['alice']);
    expect(await users('id eq "not-a-uuid"')).toEqual([]);
    expect(await sorted('id ne "not-a-uuid"')).toHaveLength(4);
  });

  it('LIKE wildcards and quotes in values are literals; SQL in values is just text', async () => {
    expect(await users('nickName co "_100%"')).toEqual(['alice']);
    expect(await users('nickName co "%"')).toEqual(['alice']);
    expect(await users('userName co "_"')).toEqual([]);
    expect(await users(`displayName eq "alice o'hara"`)).toEqual(['alice']);
    expect(await users(`userName eq "x' OR '1'='1"`)).toEqual([]);
    expect(await users(`userName eq "x\\" OR 1=1 --"`)).toEqual([]);
    expect(await users(`userName eq "'; DROP TABLE users; --"`)).toEqual([]);
    expect(await users(`displayName co "') OR TRUE OR ('"`)).toEqual([]);
    const prisma = await getPrisma();
    expect(await prisma.user.count({ where: { tenantId: ctx.tenant.id } })).toBe(4);
  });

  it('compiles every client value into a bind parameter, never into the SQL text', () => {
    const evil = `x'); DROP TABLE users; --`;
    const q = queryFromSearchParams(new URLSearchParams({ filter: `userName eq "${evil}" or emails[value co "${evil}"] or title sw "${evil}" or meta.created gt "2020-01-01T00:00:00Z"`, sortBy: 'name.familyName' }));
    const compiled = compileList(ctx, userResourceType, q);
    expect(compiled.rows.sql).not.toContain('DROP');
    expect(compiled.count.sql).not.toContain('DROP');
    // userName is compared folded (lower case, NFC) as it is stored: folded in JS, still a parameter.
    expect(compiled.rows.params).toContain(evil.toLowerCase());
    expect(compiled.rows.params).toContain(`%${evil}%`);
    expect(compiled.rows.params).toContain(`${evil}%`);
    expect(compiled.rows.sql).toMatch(/u\.username = \$2\)/);
    // An email equality also gets the GIN-indexed condition on users.email_values.
    const email = compileList(ctx, userResourceType, queryFromSearchParams(new URLSearchParams({ filter: 'emails[type eq "work" and value eq "A@B.example"]' })));
    expect(email.rows.sql).toMatch(/u\.email_values @> ARRAY\[lower\(\$\d+\)\]::text\[\] AND EXISTS/);
    // The same filter written Entra ID's way compiles to the same SQL, index included.
    const entra = compileList(ctx, userResourceType, queryFromSearchParams(new URLSearchParams({ filter: 'emails[type eq "work"].value eq "A@B.example"' })));
    expect(entra.rows).toEqual(email.rows);
  });

  it('refuses unknown attributes, complex attributes without sub-attribute, password and type mismatches', async () => {
    await rejected('nosuch eq "x"');
    await rejected('name eq "x"');
    await rejected('password eq "secret"');
    await rejected('emails[foo eq "x"]');
    await rejected('userName eq 5');
    await rejected('meta.created gt "not a date"');
    await rejected('addresses co "x"');
    await rejected('userName gt null');
    await rejected('urn:example:unknown:1.0:User:foo eq "x"');
  });

  it('sorts by sortBy/sortOrder, absent values last ascending and first descending', async () => {
    const list = async (extra: string) => (await listResources(ctx, userResourceType, queryFromSearchParams(new URLSearchParams(extra)))).Resources.map((r) => r.userName);
    expect(await list('sortBy=name.familyName')).toEqual(['alice', 'bjensen', 'jsmith', 'zed']);
    expect(await list('sortBy=name.familyName&sortOrder=descending')).toEqual(['zed', 'jsmith', 'bjensen', 'alice']);
    // Users without emails sort last (their order among themselves is by id).
    expect((await list('sortBy=emails')).slice(0, 2)).toEqual(['bjensen', 'jsmith']);
    expect(await list('sortBy=meta.created&sortOrder=descending')).toEqual(['zed', 'alice', 'jsmith', 'bjensen']);
    expect(await list('')).toEqual(['alice', 'bjensen', 'jsmith', 'zed']);
    await expect(list('sortBy=nosuch')).rejects.toMatchObject({ status: 400, scimType: 'invalidValue' });
    await expect(list('sortOrder=sideways')).rejects.toMatchObject({ status: 400, scimType: 'invalidValue' });
  });

  it('pages with startIndex and count and reports totalResults', async () => {
    const page = await listResources(ctx, userResourceType, queryFromSearchParams(new URLSearchParams('startIndex=2&count=2')));
    expect(page).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
    expect(page.Resources.map((r) => r.userName)).toEqual(['bjensen', 'jsmith']);
    const empty = await listResources(ctx, userResourceType, queryFromSearchParams(new URLSearchParams('count=0')));
    expect(empty).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
    const clamped = await listResources(ctx, userResourceType, queryFromSearchParams(new URLSearchParams('startIndex=-5&count=-1')));
    expect(clamped).toMatchObject({ startIndex: 1, itemsPerPage: 0 });
    expect(() => queryFromSearchParams(new URLSearchParams('count=abc'))).toThrow(/'count' must be an integer/);
    expect(() => queryFromSearchParams(new URLSearchParams('startIndex=1.5'))).toThrow(/'startIndex' must be an integer/);
  });

  it('filters groups by displayName and members', async () => {
    const names = async (filter: string) => (await listResources(ctx, groupResourceType, queryFromSearchParams(new URLSearchParams({ filter })))).Resources.map((r) => r.displayName);
    expect(await names('displayName eq "admins"')).toEqual(['Admins']);
    expect(await names(`members[value eq "${ids.jsmith}"]`)).toEqual(['Sales']);
    expect(await names(`members[type eq "Group" and value eq "${groups.admins}"]`)).toEqual(['Sales']);
    expect(await names('members.display co "jensen"')).toEqual(['Admins']);
    expect(await names('not (members pr)')).toEqual([]);
    await expect(names('userName eq "x"')).rejects.toMatchObject({ scimType: 'invalidFilter' });
  });

  it('queries the root across Users and Groups, treating attributes a type lacks as absent', async () => {
    const root = async (params: Record<string, string>) => (await listRoot(ctx, queryFromSearchParams(new URLSearchParams(params)))).Resources.map((r) => String(r.userName ?? r.displayName));
    expect(await root({ filter: 'userName eq "bjensen"' })).toEqual(['bjensen']);
    expect(await root({ filter: 'displayName eq "admins"' })).toEqual(['Admins']);
    expect((await root({ filter: 'not (userName pr)' })).sort()).toEqual(['Admins', 'Sales']);
    // displayName is case-insensitive: sorted as "admins" < "alice o'hara".
    expect(await root({ filter: 'displayName sw "a"', sortBy: 'displayName' })).toEqual(['Admins', 'alice']);
    expect(await root({ filter: 'displayName sw "a"', sortBy: 'displayName', sortOrder: 'descending' })).toEqual(['alice', 'Admins']);
    const all = await listRoot(ctx, queryFromSearchParams(new URLSearchParams({ count: '3' })));
    expect(all.totalResults).toBe(6);
    expect(all.itemsPerPage).toBe(3);
    await expect(root({ filter: 'nosuch eq "x"' })).resolves.toEqual([]);
  });
});
