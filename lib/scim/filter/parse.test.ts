import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors';
import { formatFilter, parseFilter, parsePatchPath } from './parse';

const f = (text: string) => formatFilter(parseFilter(text));

function rejects(text: string, fn: (text: string) => unknown = parseFilter, scimType = 'invalidFilter') {
  try {
    fn(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    expect((error as ScimError).scimType).toBe(scimType);
    return (error as ScimError).detail;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

describe('SCIM filter parser (RFC 7644 §3.4.2.2)', () => {
  it('parses every comparison operator and pr', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
      expect(parseFilter(`userName ${op} "bjensen"`)).toMatchObject({ op, path: { name: 'userName' }, value: 'bjensen' });
    }
    expect(parseFilter('title pr')).toMatchObject({ op: 'pr', path: { name: 'title' } });
  });

  it('reads operators, logical words and keywords case-insensitively', () => {
    expect(parseFilter('userName EQ "x" AND title Pr')).toMatchObject({ op: 'and', left: { op: 'eq' }, right: { op: 'pr' } });
    expect(parseFilter('active eq TRUE')).toMatchObject({ value: true });
    expect(parseFilter('title eq Null')).toMatchObject({ value: null });
  });

  it('gives not precedence over and, and and over or', () => {
    expect(f('a eq 1 or b eq 2 and c eq 3')).toBe('(a eq 1 or (b eq 2 and c eq 3))');
    expect(f('a eq 1 and b eq 2 or c eq 3')).toBe('((a eq 1 and b eq 2) or c eq 3)');
    expect(f('not (a eq 1) and b eq 2')).toBe('(not (a eq 1) and b eq 2)');
    expect(f('not (a eq 1 or b eq 2)')).toBe('not ((a eq 1 or b eq 2))');
    expect(f('(a eq 1 or b eq 2) and c eq 3')).toBe('((a eq 1 or b eq 2) and c eq 3)');
    expect(f('a eq 1 or b eq 2 or c eq 3')).toBe('((a eq 1 or b eq 2) or c eq 3)');
  });

  it('parses complex attribute filters and sub-attributes', () => {
    expect(parseFilter('emails[type eq "work" and value co "@example.com"]')).toEqual({
      op: 'valuePath',
      path: { name: 'emails', raw: 'emails', uri: undefined, sub: undefined },
      filter: { op: 'and', left: { op: 'eq', path: expect.objectContaining({ name: 'type' }), value: 'work' }, right: { op: 'co', path: expect.objectContaining({ name: 'value' }), value: '@example.com' } },
    });
    expect(parseFilter('name.familyName sw "J"')).toMatchObject({ path: { name: 'name', sub: 'familyName' } });
    expect(f('userType eq "Employee" and emails[type eq "work" and value co "@example.com"]')).toBe('(userType eq "Employee" and emails[(type eq "work" and value co "@example.com")])');
    expect(f('emails[not (type eq "work")]')).toBe('emails[not (type eq "work")]');
  });

  it('reads a sub-attribute after the brackets (Entra ID) as one more condition on the same value', () => {
    // Not in the RFC 7644 §3.4.2.2 ABNF (only in PATCH paths), but an Entra ID matching attribute.
    expect(parseFilter('emails[type eq "work"].value eq "x@example.com"')).toEqual(parseFilter('emails[type eq "work" and value eq "x@example.com"]'));
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
      expect(parseFilter(`emails[type eq "work"].value ${op} "x"`), op).toEqual(parseFilter(`emails[type eq "work" and value ${op} "x"]`));
    }
    expect(parseFilter('emails[type eq "work"].value pr')).toEqual(parseFilter('emails[type eq "work" and value pr]'));
    expect(parseFilter('emails[type eq "work"].primary eq TRUE')).toEqual(parseFilter('emails[type eq "work" and primary eq true]'));
    // The bracketed filter stays one operand, whatever its operators.
    expect(f('emails[type eq "work" or type eq "home"].value ew "@example.com"')).toBe('emails[((type eq "work" or type eq "home") and value ew "@example.com")]');
    expect(f('not (emails[type eq "work"].value eq "a") and userName sw "b"')).toBe('(not (emails[(type eq "work" and value eq "a")]) and userName sw "b")');
    expect(f('EMAILS[TYPE EQ "work"].VALUE EQ "a" or urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "home"].display co "b"')).toBe(
      '(EMAILS[(TYPE eq "work" and VALUE eq "a")] or urn:ietf:params:scim:schemas:core:2.0:User:emails[(type eq "home" and display co "b")])',
    );
    expect(parseFilter('members[type eq "User"].value eq "2819c223"')).toMatchObject({ op: 'valuePath', path: { name: 'members' }, filter: { op: 'and', right: { op: 'eq', path: { name: 'value', sub: undefined, uri: undefined }, value: '2819c223' } } });
  });

  it('parses schema-qualified attribute paths (URNs contain dots and colons)', () => {
    expect(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"')).toMatchObject({
      path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', name: 'manager', sub: 'value' },
    });
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"')).toMatchObject({ path: { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', name: 'userName' } });
    expect(parseFilter('URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:department eq "x"')).toMatchObject({ path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', name: 'department' } });
  });

  it('reads JSON values: escapes, unicode, numbers, booleans, null', () => {
    expect(parseFilter('userName eq "a\\"b\\\\c\\u00e9"')).toMatchObject({ value: 'a"b\\cé' });
    expect(parseFilter('x eq -1.5e3')).toMatchObject({ value: -1500 });
    expect(parseFilter('x eq 0')).toMatchObject({ value: 0 });
    expect(parseFilter('active eq false')).toMatchObject({ value: false });
    expect(parseFilter('meta.lastModified gt "2011-05-13T04:42:34Z"')).toMatchObject({ op: 'gt', path: { name: 'meta', sub: 'lastModified' } });
  });

  it('keeps SQL-looking text as a literal value', () => {
    expect(parseFilter(`userName eq "x' OR '1'='1"`)).toMatchObject({ value: "x' OR '1'='1" });
    expect(parseFilter('userName eq "\'; DROP TABLE users; --"')).toMatchObject({ value: "'; DROP TABLE users; --" });
  });

  it('rejects malformed filters with invalidFilter', () => {
    rejects('');
    rejects('userName');
    rejects('userName eq');
    rejects('userName regex "x"');
    rejects('userName eq "unterminated');
    rejects('userName eq bare');
    rejects('(userName eq "x"');
    rejects('userName eq "x")');
    rejects('userName eq "x" garbage');
    rejects('userName eq "x" and');
    rejects('emails[type eq "work"');
    rejects('emails[type eq "work"].value');
    rejects('emails[type eq "work"]. value eq "x"');
    rejects('emails[type eq "work"].value.display eq "x"');
    rejects('emails[type eq "work"] .value eq "x"');
    rejects('emails[type eq "work"].value[primary eq true]');
    rejects('emails[type eq "work"].1value eq "x"');
    rejects('(userName eq "x").value eq "y"');
    rejects('emails[type[value eq "x"] eq "y"]');
    rejects('userName eq "x" ; DROP TABLE users');
    rejects('1userName eq "x"');
    rejects('name.given.family eq "x"');
    rejects(`userName eq 'single quotes'`);
    expect(rejects('userName regex "x"')).toContain("'regex' is not supported");
  });

  it('bounds nesting and length', () => {
    rejects(`${'('.repeat(100)}a eq 1${')'.repeat(100)}`);
    rejects(`userName eq "${'x'.repeat(5000)}"`);
  });
});

describe('PATCH path parser (RFC 7644 §3.5.2)', () => {
  it('parses attribute paths, value filters and sub-attributes', () => {
    expect(parsePatchPath('name.givenName')).toMatchObject({ path: { name: 'name', sub: 'givenName' } });
    expect(parsePatchPath('members[value eq "2819c223"]')).toMatchObject({ path: { name: 'members' }, filter: { op: 'eq', value: '2819c223' } });
    expect(parsePatchPath('emails[type eq "work"].value')).toMatchObject({ path: { name: 'emails' }, filter: { op: 'eq' }, sub: 'value' });
    expect(parsePatchPath('emails[value eq "a]b"].display')).toMatchObject({ filter: { value: 'a]b' }, sub: 'display' });
    expect(parsePatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager')).toMatchObject({ path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', name: 'manager' } });
    expect(parsePatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User')).toMatchObject({ path: { name: '' } });
  });

  it('rejects malformed paths with invalidPath', () => {
    const bad = (p: string) => rejects(p, parsePatchPath, 'invalidPath');
    bad('emails[type eq "work"');
    bad('emails[type eq ]');
    bad('emails[type eq "work"]value');
    bad('emails[type eq "work"].');
    bad('name.givenName[x eq "y"]');
    bad('a.b.c');
    bad('emails[type eq "work"].value.x');
  });
});
