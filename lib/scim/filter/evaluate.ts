import { invalidPath } from '../errors';
import { findSubAttribute } from '../schema/resolve';
import type { AttributeDef } from '../schema/types';
import type { Filter } from './parse';

/**
 * Value filters of PATCH paths (`emails[type eq "work"]`, `members[value eq "…"]`) select
 * elements of ONE resource's multi-valued attribute, already loaded for the update. (Filters
 * that select resources are always SQL: ./sql.ts.)
 */

/** Checks a value filter against the attribute's sub-attributes and value types; throws invalidPath. */
export function checkValueFilter(parent: AttributeDef, filter: Filter): void {
  switch (filter.op) {
    case 'and':
    case 'or':
      checkValueFilter(parent, filter.left);
      checkValueFilter(parent, filter.right);
      return;
    case 'not':
      checkValueFilter(parent, filter.filter);
      return;
    case 'valuePath':
      throw invalidPath('Value filters cannot be nested');
    default: {
      const { path } = filter;
      const sub = path.uri === undefined && path.sub === undefined ? findSubAttribute(parent.subAttributes, path.name) : undefined;
      if (!sub) throw invalidPath(`'${parent.name}' has no sub-attribute '${path.raw}'`);
      if (filter.op === 'pr') return;
      const v = filter.value;
      if (v === null) {
        if (filter.op !== 'eq' && filter.op !== 'ne') throw invalidPath(`'${filter.op}' cannot compare with null`);
        return;
      }
      const ok = sub.type === 'boolean' ? typeof v === 'boolean' : sub.type === 'integer' || sub.type === 'decimal' ? typeof v === 'number' : typeof v === 'string';
      if (!ok) throw invalidPath(`'${parent.name}.${sub.name}' cannot be compared with ${JSON.stringify(v)}`);
      if (sub.type === 'boolean' && filter.op !== 'eq' && filter.op !== 'ne') throw invalidPath(`'${filter.op}' is not supported for boolean '${parent.name}.${sub.name}'`);
    }
  }
}

function compareStrings(a: string, b: string, op: string, caseExact: boolean) {
  const x = caseExact ? a : a.toLowerCase();
  const y = caseExact ? b : b.toLowerCase();
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    case 'co':
      return x.includes(y);
    case 'sw':
      return x.startsWith(y);
    case 'ew':
      return x.endsWith(y);
    case 'gt':
      return x > y;
    case 'ge':
      return x >= y;
    case 'lt':
      return x < y;
    case 'le':
      return x <= y;
  }
  return false;
}

/** Whether one element (with canonical sub-attribute names) matches a checked value filter. */
export function matchesElement(parent: AttributeDef, filter: Filter, element: Record<string, unknown>): boolean {
  switch (filter.op) {
    case 'and':
      return matchesElement(parent, filter.left, element) && matchesElement(parent, filter.right, element);
    case 'or':
      return matchesElement(parent, filter.left, element) || matchesElement(parent, filter.right, element);
    case 'not':
      return !matchesElement(parent, filter.filter, element);
    case 'valuePath':
      return false;
    default: {
      const sub = findSubAttribute(parent.subAttributes, filter.path.name)!;
      const actual = element[sub.name];
      if (filter.op === 'pr') return actual !== undefined && actual !== null && actual !== '';
      const expected = filter.value;
      if (expected === null) return filter.op === 'eq' ? actual === undefined || actual === null : actual !== undefined && actual !== null;
      if (actual === undefined || actual === null) return filter.op === 'ne';
      if (sub.type === 'boolean' || typeof actual === 'boolean') return filter.op === 'eq' ? actual === expected : actual !== expected;
      if (typeof actual === 'number' && typeof expected === 'number') {
        return { eq: actual === expected, ne: actual !== expected, gt: actual > expected, ge: actual >= expected, lt: actual < expected, le: actual <= expected }[filter.op as 'eq'] ?? false;
      }
      if (sub.type === 'dateTime' && typeof actual === 'string' && typeof expected === 'string') {
        const a = Date.parse(actual);
        const b = Date.parse(expected);
        return { eq: a === b, ne: a !== b, gt: a > b, ge: a >= b, lt: a < b, le: a <= b }[filter.op as 'eq'] ?? false;
      }
      return compareStrings(String(actual), String(expected), filter.op, sub.caseExact);
    }
  }
}
