import { describe, expect, it } from 'vitest';
import { URN } from './constants';
import { project, showsAttribute } from './projection';
import { groupResourceType, userResourceType } from './schema/definitions';

const E = URN.enterpriseUser;
const doc = {
  schemas: [URN.user, E],
  id: 'u1',
  externalId: 'x1',
  userName: 'bjensen',
  name: { givenName: 'B', familyName: 'J' },
  password: 'never shown',
  emails: [{ value: 'b@x.org', type: 'work', primary: true }],
  groups: [{ value: 'g1', display: 'Admins', type: 'direct', $ref: 'http://x/Groups/g1' }],
  [E]: { department: 'D', manager: { value: 'u2', displayName: 'Boss' } },
  meta: { resourceType: 'User', version: 'W/"1"' },
};

describe('attributes / excludedAttributes (RFC 7644 §3.4.2.5)', () => {
  it('returns default attributes, never password', () => {
    const out = project(userResourceType, doc);
    expect(out.password).toBeUndefined();
    expect(out).toMatchObject({ schemas: [URN.user, E], id: 'u1', userName: 'bjensen', meta: { version: 'W/"1"' } });
  });

  it('attributes: the listed ones (and sub-attributes) plus always-returned id', () => {
    expect(project(userResourceType, doc, { attributes: ['userName', 'name.givenName', 'groups.display', 'password'] })).toEqual({ schemas: [URN.user], id: 'u1', userName: 'bjensen', name: { givenName: 'B' }, groups: [{ display: 'Admins' }] });
    expect(project(userResourceType, doc, { attributes: [`${E}:manager.displayName`] })).toEqual({ schemas: [URN.user, E], id: 'u1', [E]: { manager: { displayName: 'Boss' } } });
    expect(project(userResourceType, doc, { attributes: [E] })).toEqual({ schemas: [URN.user, E], id: 'u1', [E]: doc[E] });
    expect(project(userResourceType, doc, { attributes: ['USERNAME', 'nosuch'] })).toEqual({ schemas: [URN.user], id: 'u1', userName: 'bjensen' });
  });

  it('excludedAttributes: everything else; id cannot be excluded', () => {
    const out = project(userResourceType, doc, { excludedAttributes: ['emails', 'name.familyName', 'id', `${E}:department`, 'meta'] });
    expect(out).toMatchObject({ id: 'u1', name: { givenName: 'B' }, [E]: { manager: { value: 'u2' } } });
    expect(out.emails).toBeUndefined();
    expect(out.meta).toBeUndefined();
    expect((out[E] as Record<string, unknown>).department).toBeUndefined();
  });

  it('knows when members or groups need loading', () => {
    expect(showsAttribute(groupResourceType, { excludedAttributes: ['members'] }, 'members')).toBe(false);
    expect(showsAttribute(groupResourceType, { attributes: ['members.value'] }, 'members')).toBe(true);
    expect(showsAttribute(groupResourceType, { attributes: ['displayName'] }, 'members')).toBe(false);
    expect(showsAttribute(userResourceType, { attributes: ['groups.display'] }, 'groups')).toBe(true);
    expect(showsAttribute(userResourceType, {}, 'groups')).toBe(true);
  });
});
