import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors';
import { findSubAttribute } from '../schema/resolve';
import { userResourceType } from '../schema/definitions';
import { checkValueFilter, matchesElement } from './evaluate';
import { parseFilter, type Filter } from './parse';

const emails = userResourceType.schema.attributes.find((a) => a.name === 'emails')!;
const values = [
  { value: 'Babs@Example.com', type: 'work', primary: true },
  { value: 'babs@jensen.org', type: 'home' },
  { value: 'other@example.com', type: 'other' },
];

/** The values of `emails` a resource filter `emails[…]…` selects, evaluated in memory. */
function selected(text: string): string[] {
  const filter = parseFilter(text);
  if (filter.op !== 'valuePath') throw new Error(`not a value path: ${text}`);
  checkValueFilter(emails, filter.filter);
  return values.filter((v) => matchesElement(emails, filter.filter as Filter, v)).map((v) => v.value);
}

describe('value filters in memory', () => {
  it('a sub-attribute after the brackets is one more condition on the same value, for every operator', () => {
    expect(findSubAttribute(emails.subAttributes, 'value')?.caseExact).toBe(false);
    expect(selected('emails[type eq "work"].value eq "babs@example.com"')).toEqual(['Babs@Example.com']);
    // Same element: the home address matches the value, not the type.
    expect(selected('emails[type eq "work"].value eq "babs@jensen.org"')).toEqual([]);
    expect(selected('emails[type eq "work"].value ne "x@example.com"')).toEqual(['Babs@Example.com']);
    expect(selected('emails[type ne "work"].value co "EXAMPLE"')).toEqual(['other@example.com']);
    expect(selected('emails[type eq "home"].value sw "babs"')).toEqual(['babs@jensen.org']);
    expect(selected('emails[type eq "work" or type eq "other"].value ew "@example.com"')).toEqual(['Babs@Example.com', 'other@example.com']);
    expect(selected('emails[type pr].value gt "b"')).toEqual(['Babs@Example.com', 'babs@jensen.org', 'other@example.com']);
    expect(selected('emails[type pr].value ge "other@example.com"')).toEqual(['other@example.com']);
    expect(selected('emails[type pr].value lt "babs@f"')).toEqual(['Babs@Example.com']);
    expect(selected('emails[type pr].value le "babs@example.com"')).toEqual(['Babs@Example.com']);
    expect(selected('emails[type eq "work"].primary eq true')).toEqual(['Babs@Example.com']);
    expect(selected('emails[type eq "home"].primary pr')).toEqual([]);
    expect(selected('emails[not (type eq "work")].display pr')).toEqual([]);
  });

  it('checks the sub-attribute after the brackets like one inside them', () => {
    for (const text of ['emails[type eq "work"].nosuch eq "x"', 'emails[type eq "work"].primary eq "yes"', 'emails[type eq "work"].primary gt true']) {
      const filter = parseFilter(text);
      expect(() => checkValueFilter(emails, (filter as { filter: Filter }).filter), text).toThrow(ScimError);
    }
  });
});
