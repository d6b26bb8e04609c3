import { describe, expect, it } from 'vitest';
import { URN } from './constants';
import { ScimError } from './errors';
import type { Doc } from './normalize';
import { applyPatch, parsePatchBody, type PatchOperation } from './patch';
import { groupResourceType, userResourceType } from './schema/definitions';

const E = URN.enterpriseUser;
const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const U3 = '33333333-3333-4333-8333-333333333333';

const user = (): Doc => ({
  schemas: [URN.user, E],
  id: U1,
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  displayName: 'Babs',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  groups: [{ value: U3, display: 'Admins', type: 'direct' }],
  [E]: { employeeNumber: '701984', manager: { value: U2, displayName: 'Boss' } },
  meta: { resourceType: 'User', created: '2026-01-01T00:00:00.000Z', version: 'W/"1"' },
});

const group = (): Doc => ({
  schemas: [URN.group],
  id: U3,
  displayName: 'Admins',
  members: [
    { value: U1, type: 'User', display: 'Babs' },
    { value: U2, type: 'User', display: 'Boss' },
  ],
});

const patch = (doc: Doc, ...ops: PatchOperation[]) => applyPatch(userResourceType, doc, ops);
const patchGroup = (doc: Doc, ...ops: PatchOperation[]) => applyPatch(groupResourceType, doc, ops);

function fails(fn: () => unknown, scimType: string, status = 400) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect({ status: (error as ScimError).status, scimType: (error as ScimError).scimType }).toEqual({ status, scimType });
    return (error as ScimError).detail;
  }
  throw new Error('expected a ScimError');
}

describe('PATCH request body (RFC 7644 §3.5.2)', () => {
  it('accepts op names in any case and requires the PatchOp schema and operations', () => {
    expect(parsePatchBody({ schemas: [URN.patchOp], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })).toEqual([{ op: 'replace', path: 'active', value: 'False' }]);
    fails(() => parsePatchBody({ Operations: [{ op: 'add', value: {} }] }), 'invalidSyntax');
    fails(() => parsePatchBody({ schemas: [URN.patchOp], Operations: [] }), 'invalidSyntax');
    fails(() => parsePatchBody({ schemas: [URN.patchOp], Operations: [{ op: 'move', path: 'x' }] }), 'invalidSyntax');
    fails(() => parsePatchBody({ schemas: [URN.patchOp], Operations: [{ op: 'remove' }] }), 'noTarget');
    fails(() => parsePatchBody({ schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'title' }] }), 'invalidValue');
    fails(() => parsePatchBody({ schemas: [URN.patchOp], Operations: [{ op: 'add', path: '', value: 1 }] }), 'invalidPath');
    fails(() => parsePatchBody([]), 'invalidSyntax');
  });
});

describe('PATCH engine', () => {
  it('add/replace/remove a simple attribute, with and without path', () => {
    expect(patch(user(), { op: 'add', path: 'title', value: 'Tour Guide' }).title).toBe('Tour Guide');
    expect(patch(user(), { op: 'replace', path: 'displayName', value: 'Barbara' }).displayName).toBe('Barbara');
    expect(patch(user(), { op: 'remove', path: 'displayName' }).displayName).toBeUndefined();
    expect(patch(user(), { op: 'replace', value: { displayName: 'X', nickName: 'Y' } })).toMatchObject({ displayName: 'X', nickName: 'Y' });
    expect(patch(user(), { op: 'replace', path: 'displayName', value: null }).displayName).toBeUndefined();
  });

  it('reads attribute names case-insensitively and coerces Entra ID\'s string booleans', () => {
    expect(patch(user(), { op: 'replace', path: 'ACTIVE', value: 'False' }).active).toBe(false);
    expect(patch(user(), { op: 'replace', value: { active: 'True' } }).active).toBe(true);
    expect(patch(user(), { op: 'replace', path: 'EMAILS[TYPE eq "work"].VALUE', value: 'new@example.com' }).emails).toEqual([
      { value: 'new@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
    fails(() => patch(user(), { op: 'replace', path: 'active', value: 'maybe' }), 'invalidValue');
  });

  it('merges complex attributes; sub-attribute paths set one part', () => {
    expect(patch(user(), { op: 'add', path: 'name', value: { middleName: 'J' } }).name).toEqual({ givenName: 'Barbara', familyName: 'Jensen', middleName: 'J' });
    expect(patch(user(), { op: 'replace', path: 'name.givenName', value: 'Babs' }).name).toEqual({ givenName: 'Babs', familyName: 'Jensen' });
    expect(patch(user(), { op: 'remove', path: 'name.givenName' }).name).toEqual({ familyName: 'Jensen' });
    expect(patch(user(), { op: 'remove', path: 'name.givenName' }, { op: 'remove', path: 'name.familyName' }).name).toBeUndefined();
    // Entra ID: path-less values keyed by attribute paths.
    expect(patch(user(), { op: 'replace', value: { 'name.givenName': 'B', 'name.familyName': 'J', 'emails[type eq "work"].value': 'w@x.org' } })).toMatchObject({ name: { givenName: 'B', familyName: 'J' }, emails: [{ value: 'w@x.org', type: 'work' }, { type: 'home' }] });
  });

  it('multi-valued: add appends (no duplicates), replace swaps all, remove clears', () => {
    const added = patch(user(), { op: 'add', path: 'emails', value: [{ value: 'other@example.com', type: 'other' }] });
    expect(added.emails).toHaveLength(3);
    expect(patch(user(), { op: 'add', path: 'emails', value: [{ value: 'BJENSEN@example.com', type: 'work' }] }).emails).toHaveLength(2);
    expect(patch(user(), { op: 'add', path: 'emails', value: { value: 'single@example.com' } }).emails).toHaveLength(3);
    expect(patch(user(), { op: 'replace', path: 'emails', value: [{ value: 'only@example.com' }] }).emails).toEqual([{ value: 'only@example.com' }]);
    expect(patch(user(), { op: 'remove', path: 'emails' }).emails).toBeUndefined();
    expect(patch(user(), { op: 'add', path: 'phoneNumbers', value: [{ value: '+1 555', type: 'work' }] }).phoneNumbers).toEqual([{ value: '+1 555', type: 'work' }]);
  });

  it('a new primary value makes the others non-primary (RFC 7644 §3.5.2)', () => {
    const doc = patch(user(), { op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'other', primary: true }] });
    expect((doc.emails as Doc[]).filter((e) => e.primary === true).map((e) => e.value)).toEqual(['new@example.com']);
    const doc2 = patch(user(), { op: 'replace', path: 'emails[type eq "home"].primary', value: true });
    expect((doc2.emails as Doc[]).map((e) => e.primary)).toEqual([false, true]);
    fails(() => patch(user(), { op: 'replace', path: 'emails', value: [{ value: 'a@x.org', primary: true }, { value: 'b@x.org', primary: true }] }), 'invalidValue');
  });

  it('value filters select elements for replace, remove and sub-attribute updates', () => {
    expect(patch(user(), { op: 'remove', path: 'emails[type eq "home"]' }).emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
    expect(patch(user(), { op: 'remove', path: 'emails[type eq "nothing"]' }).emails).toHaveLength(2);
    expect(patch(user(), { op: 'replace', path: 'emails[type eq "home"]', value: { display: 'Home' } }).emails).toContainEqual({ value: 'babs@jensen.org', type: 'home', display: 'Home' });
    expect(patch(user(), { op: 'remove', path: 'emails[type eq "home"].type' }).emails).toContainEqual({ value: 'babs@jensen.org' });
    expect(patch(user(), { op: 'replace', path: 'emails[value ew "jensen.org" or primary eq true].display', value: 'd' }).emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true, display: 'd' },
      { value: 'babs@jensen.org', type: 'home', display: 'd' },
    ]);
    expect(patch(user(), { op: 'remove', path: 'emails[not (type eq "work")]' }).emails).toHaveLength(1);
  });

  it('replace through a filter that matches nothing is noTarget; add creates the value (Entra ID)', () => {
    fails(() => patch(user(), { op: 'replace', path: 'emails[type eq "other"].value', value: 'x@y.org' }), 'noTarget');
    fails(() => patch(user(), { op: 'replace', path: 'emails[type eq "other"]', value: { value: 'x@y.org' } }), 'noTarget');
    expect(patch(user(), { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' }).phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);
    fails(() => patch(user(), { op: 'add', path: 'phoneNumbers[type co "mob"].value', value: '+1' }), 'noTarget');
  });

  it('replace of a sub-attribute when the multi-valued attribute has no values adds one (RFC 7644 §3.5.2.3)', () => {
    const bare = user();
    delete bare.emails;
    // "If the target location path specifies an attribute that does not exist, the service provider SHALL treat the operation as an add."
    expect(patch(bare, { op: 'replace', path: 'emails.value', value: 'new@example.com' }).emails).toEqual([{ value: 'new@example.com' }]);
    expect(patch(bare, { op: 'replace', path: 'phoneNumbers.value', value: '+1 555 0100' }).phoneNumbers).toEqual([{ value: '+1 555 0100' }]);
    // A value filter that matches nothing still names a target that is not there.
    fails(() => patch(bare, { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@example.com' }), 'noTarget');
  });

  it('enterprise extension URN paths', () => {
    expect(patch(user(), { op: 'replace', path: `${E}:employeeNumber`, value: '42' })[E]).toMatchObject({ employeeNumber: '42' });
    expect(patch(user(), { op: 'add', path: `${E}:department`, value: 'Sales' })[E]).toMatchObject({ department: 'Sales', employeeNumber: '701984' });
    expect(patch(user(), { op: 'replace', path: `${E}:manager`, value: U3 })[E]).toMatchObject({ manager: { value: U3 } });
    expect(patch(user(), { op: 'replace', path: `${E}:manager.value`, value: U3 })[E]).toMatchObject({ manager: { value: U3 } });
    expect(patch(user(), { op: 'remove', path: `${E}:manager` })[E]).toEqual({ employeeNumber: '701984' });
    expect(patch(user(), { op: 'remove', path: E })[E]).toBeUndefined();
    expect(patch(user(), { op: 'add', path: E, value: { costCenter: 'C1' } })[E]).toMatchObject({ costCenter: 'C1', employeeNumber: '701984' });
    expect(patch(user(), { op: 'add', value: { [E]: { division: 'D' }, [`${E}:organization`]: 'O' } })[E]).toMatchObject({ division: 'D', organization: 'O' });
    expect(patch(user(), { op: 'replace', path: `urn:ietf:params:scim:schemas:core:2.0:User:userName`, value: 'babs' }).userName).toBe('babs');
    const removedAll = patch(user(), { op: 'remove', path: `${E}:employeeNumber` }, { op: 'remove', path: `${E}:manager` });
    expect(removedAll[E]).toBeUndefined();
  });

  it('refuses readOnly attributes (mutability) and unknown ones (invalidPath)', () => {
    fails(() => patch(user(), { op: 'replace', path: 'id', value: U2 }), 'mutability');
    fails(() => patch(user(), { op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }), 'mutability');
    fails(() => patch(user(), { op: 'add', path: 'groups', value: [{ value: U3 }] }), 'mutability');
    fails(() => patch(user(), { op: 'replace', path: `${E}:manager.displayName`, value: 'x' }), 'mutability');
    fails(() => patch(user(), { op: 'replace', value: { id: U2 } }), 'mutability');
    // Okta restates the id in path-less replaces: unchanged, so not a modification.
    expect(patchGroup(group(), { op: 'replace', value: { id: U3, displayName: 'Renamed' } }).displayName).toBe('Renamed');
    fails(() => patch(user(), { op: 'replace', path: 'schemas', value: [URN.user] }), 'mutability');
    fails(() => patch(user(), { op: 'replace', path: 'nosuch', value: 1 }), 'invalidPath');
    fails(() => patch(user(), { op: 'replace', path: 'name.nosuch', value: 1 }), 'invalidPath');
    fails(() => patch(user(), { op: 'replace', path: 'emails[nosuch eq "x"].value', value: 1 }), 'invalidPath');
    fails(() => patch(user(), { op: 'replace', path: 'emails[type eq "work"].nosuch', value: 1 }), 'invalidPath');
    fails(() => patch(user(), { op: 'replace', path: 'title[value eq "x"]', value: 1 }), 'invalidPath');
    fails(() => patch(user(), { op: 'replace', path: 'emails[primary eq "yes"]', value: {} }), 'invalidPath');
    fails(() => patch(user(), { op: 'replace', value: { nosuch: 1 } }), 'invalidPath');
    fails(() => patch(user(), { op: 'replace', path: 'name', value: { nosuch: 1 } }), 'invalidValue');
    fails(() => patch(user(), { op: 'replace', path: 'title', value: 42 }), 'invalidValue');
  });

  it('ignores readOnly sub-attributes inside values (Okta sends members with display)', () => {
    const doc = patchGroup(group(), { op: 'add', path: 'members', value: [{ value: U3, display: 'Someone', $ref: 'http://x' }] });
    expect((doc.members as Doc[]).at(-1)).toEqual({ value: U3 });
  });

  it('group members: add, remove by filter, remove by value list (Entra ID), replace all', () => {
    expect(patchGroup(group(), { op: 'add', path: 'members', value: [{ value: U3 }] }).members).toHaveLength(3);
    expect(patchGroup(group(), { op: 'add', path: 'members', value: [{ value: U1 }] }).members).toHaveLength(2);
    expect((patchGroup(group(), { op: 'remove', path: `members[value eq "${U1}"]` }).members as Doc[]).map((m) => m.value)).toEqual([U2]);
    expect((patchGroup(group(), { op: 'remove', path: 'members', value: [{ value: U2 }] }).members as Doc[]).map((m) => m.value)).toEqual([U1]);
    expect(patchGroup(group(), { op: 'remove', path: 'members' }).members).toBeUndefined();
    expect(patchGroup(group(), { op: 'replace', path: 'members', value: [{ value: U3 }] }).members).toEqual([{ value: U3 }]);
    expect(patchGroup(group(), { op: 'replace', value: { displayName: 'Ops' } }).displayName).toBe('Ops');
  });

  it('refuses changes to immutable values (members.value, members.type)', () => {
    fails(() => patchGroup(group(), { op: 'replace', path: `members[value eq "${U1}"].value`, value: U3 }), 'mutability');
    fails(() => patchGroup(group(), { op: 'replace', path: `members[value eq "${U1}"]`, value: { type: 'Group' } }), 'mutability');
    // Setting the same value again is not a change.
    expect(patchGroup(group(), { op: 'replace', path: `members[value eq "${U1}"].type`, value: 'User' }).members).toHaveLength(2);
  });

  it('applies operations in order, all or nothing, leaving the input untouched', () => {
    const doc = user();
    const before = structuredClone(doc);
    expect(patch(doc, { op: 'add', path: 'emails', value: [{ value: 'x@x.org', type: 'other' }] }, { op: 'replace', path: 'emails[type eq "other"].display', value: 'X' }).emails).toContainEqual({ value: 'x@x.org', type: 'other', display: 'X' });
    fails(() => patch(doc, { op: 'replace', path: 'displayName', value: 'Changed' }, { op: 'replace', path: 'id', value: U2 }), 'mutability');
    expect(doc).toEqual(before);
  });

  it('keeps required attributes', () => {
    fails(() => patch(user(), { op: 'remove', path: 'userName' }), 'invalidValue');
    fails(() => patchGroup(group(), { op: 'remove', path: 'displayName' }), 'invalidValue');
  });

  it('records a removed password as cleared', () => {
    expect(patch(user(), { op: 'remove', path: 'password' }).password).toBeNull();
    expect(patch(user(), { op: 'replace', path: 'password', value: 'correct horse battery' }).password).toBe('correct horse battery');
  });
});
