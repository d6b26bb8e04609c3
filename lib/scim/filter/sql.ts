import { invalidFilter, invalidValue } from '../errors';
import { findSubAttribute, refKey, resolvePath, type AttrPath, type AttrRef } from '../schema/resolve';
import type { AttributeDef, ResourceTypeDef } from '../schema/types';
import type { CompareOp, CompValue, Filter } from './parse';

/**
 * Filters to SQL. Every value from the client becomes a bind parameter ($n); the SQL text is
 * built only from this module's fixed column expressions, so no filter can inject SQL. Each
 * comparison yields true, false or NULL (no value); `not` uses IS NOT TRUE so that an absent
 * value negates to true, and plain comparisons stay index-friendly (`username = lower($1)`).
 */

/** Collects bind parameters; `add` returns the placeholder. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly offset = 0) {}
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.offset + this.values.length}`;
  }
}

/** A single value in SQL. `uuid`: a uuid column (compared as uuid when the value is one). */
export interface ColumnSql {
  sql: string;
  uuid?: boolean;
  /**
   * Stored folded by this function (lower case, NFC): the value is folded the same way in JS, so
   * no lower() on the column (its index serves) nor on the value (SQL lower() leaves non-ASCII
   * letters alone under the C locale, so "ZOË" would never find "zoë").
   */
  folded?: (value: string) => string;
}

/** A multi-valued attribute: rows of elements correlated to the resource. */
export interface MultiSql {
  /** `SELECT 1 FROM … WHERE <correlation>`; conditions are appended with AND. */
  exists: string;
  /** The SQL of a sub-attribute of an element (undefined: the element itself, for simple values). */
  element(sub: AttributeDef | undefined, params: SqlParams): ColumnSql | null;
  /** The value to sort by: the primary element's value, else the first one's. */
  sortValue?: string;
  /**
   * An indexed condition implied by "some element's value equals <placeholder>" (case-insensitive),
   * added beside the EXISTS so the database can use an index instead of scanning every row.
   */
  valueIndex?: (placeholder: string) => string;
}

export interface ResourceSql {
  /** The SQL for a resolved path: a value, a multi-valued source, or null when not stored. */
  column(ref: AttrRef, params: SqlParams): ColumnSql | MultiSql | null;
}

export const isMulti = (c: ColumnSql | MultiSql): c is MultiSql => 'exists' in c;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function typeName(value: CompValue) {
  return value === null ? 'null' : typeof value;
}

/** One comparison on one value. Absent attributes (root queries) behave as "no value". */
function comparison(def: AttributeDef | null, col: ColumnSql | null, op: CompareOp | 'pr', value: CompValue, params: SqlParams, raw: string): string {
  if (!def || !col) {
    // RFC 7644 §3.4.2.1: an attribute the resource type lacks is treated as having no value.
    if (op === 'pr') return 'FALSE';
    if (value === null) return op === 'eq' ? 'TRUE' : op === 'ne' ? 'FALSE' : 'FALSE';
    return op === 'ne' ? 'TRUE' : 'FALSE';
  }
  if (def.returned === 'never') throw invalidFilter(`Filtering on '${raw}' is not allowed`);
  const type = def.type;
  if (type === 'complex') throw invalidFilter(`'${raw}' is complex: filter on one of its sub-attributes`);
  if (op === 'pr') return (type === 'string' || type === 'reference' || type === 'binary') && !col.uuid ? `(${col.sql} IS NOT NULL AND ${col.sql} <> '')` : `(${col.sql} IS NOT NULL)`;
  if (value === null) {
    if (op === 'eq') return `(${col.sql} IS NULL)`;
    if (op === 'ne') return `(${col.sql} IS NOT NULL)`;
    throw invalidFilter(`'${op}' cannot compare with null`);
  }
  const substring = op === 'co' || op === 'sw' || op === 'ew';
  const sqlOp = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' } as Record<string, string>;

  if (type === 'boolean') {
    if (typeof value !== 'boolean') throw invalidFilter(`'${raw}' is a boolean: compare it with true or false, not a ${typeName(value)}`);
    if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${op}' is not supported for boolean attribute '${raw}'`);
    const p = `${params.add(value)}::boolean`;
    return op === 'eq' ? `(${col.sql} = ${p})` : `(${col.sql} IS DISTINCT FROM ${p})`;
  }
  if (type === 'integer' || type === 'decimal') {
    if (typeof value !== 'number') throw invalidFilter(`'${raw}' is a number: compare it with a number, not a ${typeName(value)}`);
    if (substring) throw invalidFilter(`'${op}' is not supported for numeric attribute '${raw}'`);
    const p = `${params.add(value)}::numeric`;
    return op === 'ne' ? `(${col.sql} IS DISTINCT FROM ${p})` : `(${col.sql} ${sqlOp[op]} ${p})`;
  }
  if (type === 'dateTime') {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalidFilter(`'${raw}' is a dateTime: compare it with an xsd:dateTime string such as "2026-01-01T00:00:00Z"`);
    if (substring) throw invalidFilter(`'${op}' is not supported for dateTime attribute '${raw}'`);
    const p = `${params.add(new Date(value).toISOString())}::timestamptz`;
    return op === 'ne' ? `(${col.sql} IS DISTINCT FROM ${p})` : `(${col.sql} ${sqlOp[op]} ${p})`;
  }
  // string, reference, binary
  if (typeof value !== 'string') throw invalidFilter(`'${raw}' is a string: compare it with a string, not a ${typeName(value)}`);
  if (type === 'binary' && op !== 'eq' && op !== 'ne') throw invalidFilter(`'${op}' is not supported for binary attribute '${raw}'`);
  if (col.uuid) {
    // An id that is not a UUID matches nothing (and never reaches a uuid cast).
    if (op === 'eq') return UUID.test(value) ? `(${col.sql} = ${params.add(value.toLowerCase())}::uuid)` : 'FALSE';
    if (op === 'ne') return UUID.test(value) ? `(${col.sql} IS DISTINCT FROM ${params.add(value.toLowerCase())}::uuid)` : `(${col.sql} IS NOT NULL)`;
  }
  const text = col.uuid ? `${col.sql}::text` : col.sql;
  const folded = !def.caseExact && col.folded;
  if (folded) value = folded(value);
  const lhs = def.caseExact || folded ? text : `lower(${text})`;
  const rhs = (placeholder: string) => (def.caseExact || folded ? placeholder : `lower(${placeholder})`);
  if (substring) {
    const pattern = op === 'co' ? `%${escapeLike(value)}%` : op === 'sw' ? `${escapeLike(value)}%` : `%${escapeLike(value)}`;
    return `(${lhs} LIKE ${rhs(params.add(pattern))} ESCAPE '\\')`;
  }
  const p = rhs(params.add(value));
  if (op === 'ne') return `(${lhs} IS DISTINCT FROM ${p})`;
  return `(${lhs} ${sqlOp[op]} ${p})`;
}

interface Scope {
  rt: ResourceTypeDef;
  sql: ResourceSql;
  params: SqlParams;
  /** Unknown attributes have no value (root queries over several resource types) instead of being an error. */
  lenient: boolean;
}

type Target =
  | { kind: 'absent' }
  | { kind: 'value'; def: AttributeDef; col: ColumnSql }
  | { kind: 'multi'; def: AttributeDef; multi: MultiSql; sub?: AttributeDef }
  | { kind: 'complex'; ref: AttrRef };

function resolveTarget(scope: Scope, path: AttrPath): Target {
  const ref = resolvePath(scope.rt, path);
  if (!ref || !ref.attr) {
    if (scope.lenient && (!ref || ref.attr)) return { kind: 'absent' };
    throw invalidFilter(ref ? `'${path.raw}' names a schema, not an attribute` : `Unknown attribute '${path.raw}' for resource type ${scope.rt.name}`);
  }
  const attr = ref.attr;
  if (attr.multiValued) {
    const multi = scope.sql.column({ ...ref, sub: undefined }, scope.params);
    if (!multi || !isMulti(multi)) throw invalidFilter(`Filtering on '${path.raw}' is not supported`);
    return { kind: 'multi', def: attr, multi, sub: ref.sub };
  }
  if (attr.type === 'complex' && !ref.sub) return { kind: 'complex', ref };
  const col = scope.sql.column(ref, scope.params);
  if (!col || isMulti(col)) throw invalidFilter(`Filtering on '${path.raw}' is not supported`);
  return { kind: 'value', def: ref.sub ?? attr, col };
}

/** Inside brackets (or on a multi-valued attribute): a comparison on each element. */
function elementCondition(scope: Scope, parent: AttributeDef, multi: MultiSql, filter: Filter): string {
  switch (filter.op) {
    case 'and':
    case 'or':
      return `(${elementCondition(scope, parent, multi, filter.left)} ${filter.op.toUpperCase()} ${elementCondition(scope, parent, multi, filter.right)})`;
    case 'not':
      return `((${elementCondition(scope, parent, multi, filter.filter)}) IS NOT TRUE)`;
    case 'valuePath':
      throw invalidFilter('Filters in brackets cannot be nested');
    default: {
      const { path } = filter;
      if (path.uri !== undefined || path.sub !== undefined) throw invalidFilter(`Inside '${parent.name}[…]' use the names of its sub-attributes, not '${path.raw}'`);
      const sub = parent.subAttributes ? findSubAttribute(parent.subAttributes, path.name) : path.name.toLowerCase() === 'value' ? undefined : null;
      if (sub === null || (parent.subAttributes && !sub)) throw invalidFilter(`'${parent.name}' has no sub-attribute '${path.name}'`);
      const col = multi.element(sub, scope.params);
      if (!col) throw invalidFilter(`Filtering on '${parent.name}.${path.name}' is not supported`);
      const def = sub ?? { ...parent, multiValued: false, subAttributes: undefined };
      return comparison(def, col, filter.op, filter.op === 'pr' ? null : filter.value, scope.params, `${parent.name}.${path.name}`);
    }
  }
}

/** `value eq "x"` conjuncts at the top of a bracketed filter: each implies an element with that value. */
function valueEqualities(filter: Filter): string[] {
  if (filter.op === 'and') return [...valueEqualities(filter.left), ...valueEqualities(filter.right)];
  if (filter.op === 'eq' && typeof filter.value === 'string' && filter.path.uri === undefined && filter.path.sub === undefined && filter.path.name.toLowerCase() === 'value') return [filter.value];
  return [];
}

function withIndex(scope: Scope, def: AttributeDef, multi: MultiSql, values: string[], condition: string): string {
  const valueDef = findSubAttribute(def.subAttributes, 'value');
  if (!multi.valueIndex || !valueDef || valueDef.caseExact || values.length === 0) return condition;
  return `(${values.map((v) => multi.valueIndex!(`lower(${scope.params.add(v)})`)).join(' AND ')} AND ${condition})`;
}

function compile(scope: Scope, filter: Filter): string {
  switch (filter.op) {
    case 'and':
    case 'or':
      return `(${compile(scope, filter.left)} ${filter.op.toUpperCase()} ${compile(scope, filter.right)})`;
    case 'not':
      return `((${compile(scope, filter.filter)}) IS NOT TRUE)`;
    case 'valuePath': {
      const target = resolveTarget(scope, filter.path);
      if (target.kind === 'absent') return 'FALSE';
      if (target.kind === 'multi') {
        if (!target.def.subAttributes) throw invalidFilter(`'${filter.path.raw}' has no sub-attributes to filter on`);
        return withIndex(scope, target.def, target.multi, valueEqualities(filter.filter), `EXISTS (${target.multi.exists} AND ${elementCondition(scope, target.def, target.multi, filter.filter)})`);
      }
      if (target.kind === 'complex') {
        // A singular complex attribute: the bracketed filter is over its sub-attributes.
        const ref = target.ref;
        const single: MultiSql = {
          exists: 'SELECT 1',
          element: (sub, params) => {
            const col = sub ? scope.sql.column({ ...ref, sub }, params) : null;
            return col && !isMulti(col) ? col : null;
          },
        };
        return `EXISTS (${single.exists} WHERE ${elementCondition(scope, ref.attr!, single, filter.filter)})`;
      }
      throw invalidFilter(`'${filter.path.raw}' is not a complex attribute: brackets do not apply`);
    }
    default: {
      const target = resolveTarget(scope, filter.path);
      const value = filter.op === 'pr' ? null : filter.value;
      if (target.kind === 'absent') return comparison(null, null, filter.op, value, scope.params, filter.path.raw);
      if (target.kind === 'value') return comparison(target.def, target.col, filter.op, value, scope.params, filter.path.raw);
      if (target.kind === 'complex') {
        const subs = target.ref.attr!.subAttributes ?? [];
        if (filter.op !== 'pr') throw invalidFilter(`'${filter.path.raw}' is complex: filter on one of its sub-attributes (e.g. ${filter.path.raw}.${subs[0]?.name})`);
        const present = subs
          .map((sub) => ({ sub, col: scope.sql.column({ ...target.ref, sub }, scope.params) }))
          .filter((x): x is { sub: AttributeDef; col: ColumnSql } => x.col !== null && !isMulti(x.col))
          .map(({ sub, col }) => comparison(sub, col, 'pr', null, scope.params, `${filter.path.raw}.${sub.name}`));
        return present.length ? `(${present.join(' OR ')})` : 'FALSE';
      }
      // Multi-valued: any element matching (RFC 7644 §3.4.2.2); without a sub-attribute, `value`.
      const { def, multi } = target;
      if (filter.op === 'pr' && !target.sub) return `EXISTS (${multi.exists})`;
      let sub = target.sub;
      if (!sub && def.subAttributes) {
        sub = findSubAttribute(def.subAttributes, 'value');
        if (!sub) throw invalidFilter(`'${filter.path.raw}' has no 'value' sub-attribute: name one of its sub-attributes`);
      }
      const col = multi.element(sub, scope.params);
      if (!col) throw invalidFilter(`Filtering on '${filter.path.raw}' is not supported`);
      const elementDef = sub ?? { ...def, multiValued: false, subAttributes: undefined };
      const exists = `EXISTS (${multi.exists} AND ${comparison(elementDef, col, filter.op, value, scope.params, filter.path.raw)})`;
      return filter.op === 'eq' && typeof value === 'string' && sub?.name === 'value' ? withIndex(scope, def, multi, [value], exists) : exists;
    }
  }
}

export function compileFilter(filter: Filter, rt: ResourceTypeDef, sql: ResourceSql, params: SqlParams, options: { lenient?: boolean } = {}): string {
  return compile({ rt, sql, params, lenient: options.lenient ?? false }, filter);
}

/** ORDER BY for sortBy (RFC 7644 §3.4.2.3); null when the attribute is unknown and lenient. */
export function compileSort(raw: string, path: AttrPath | null, rt: ResourceTypeDef, sql: ResourceSql, params: SqlParams, options: { lenient?: boolean } = {}): { sql: string; type: AttributeDef['type'] } | null {
  const ref = path ? resolvePath(rt, path) : null;
  if (!ref || !ref.attr) {
    if (options.lenient && path) return null;
    throw invalidValue(`sortBy: unknown attribute '${raw}' for resource type ${rt.name}`);
  }
  const def = ref.sub ?? ref.attr;
  if (def.returned === 'never') throw invalidValue(`sortBy: '${raw}' cannot be sorted on`);
  if (ref.attr.multiValued) {
    const multi = sql.column({ ...ref, sub: undefined }, params);
    if (!multi || !isMulti(multi) || !multi.sortValue || (ref.sub && ref.sub.name !== 'value')) throw invalidValue(`sortBy: '${raw}' cannot be sorted on`);
    return { sql: `lower(${multi.sortValue})`, type: 'string' };
  }
  if (def.type === 'complex') throw invalidValue(`sortBy: '${raw}' is complex: sort by one of its sub-attributes`);
  const col = sql.column(ref, params);
  if (!col || isMulti(col)) throw invalidValue(`sortBy: '${raw}' cannot be sorted on`);
  const text = (def.type === 'string' || def.type === 'reference') && !def.caseExact && !col.folded ? `lower(${col.sql})` : col.sql;
  return { sql: text, type: def.type };
}

export { refKey };
