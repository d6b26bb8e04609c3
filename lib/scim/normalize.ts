import { IGNORED_SCHEMA_URIS } from './constants';
import { invalidSyntax, invalidValue } from './errors';
import { findSubAttribute, parseAttrPath, resolvePath, schemaOf } from './schema/resolve';
import type { AttributeDef, ResourceTypeDef } from './schema/types';

/**
 * Incoming attribute values, checked against the schema and put in canonical form: attribute
 * names in their schema spelling (names are case-insensitive, RFC 7643 §2.1), values of the
 * declared type. null, [] and {} mean "no value" (RFC 7643 §2.5). Unknown attributes are an
 * error (invalidValue), never silently dropped.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Doc = Record<string, unknown>;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Multi-valued attributes of a user hold at most this many values (members are not limited). */
const MAX_VALUES = 100;
const BASE64 = /^[A-Za-z0-9+/=\r\n]*$/;

export interface NormalizeOptions {
  /** Resource bodies (POST/PUT) ignore readOnly attributes (RFC 7644 §3.5.1); PATCH refuses them earlier. */
  dropReadOnly: boolean;
}

function scalar(def: AttributeDef, value: unknown, path: string): unknown {
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      // Entra ID sends booleans as the strings "True"/"False" in PATCH values.
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalidValue(`'${path}' must be a boolean`);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw invalidValue(`'${path}' must be an integer`);
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalidValue(`'${path}' must be a number`);
    case 'dateTime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
      throw invalidValue(`'${path}' must be an xsd:dateTime string`);
    case 'binary':
      if (typeof value === 'string' && BASE64.test(value) && value.length <= (def.maxLength ?? Infinity)) return value;
      throw invalidValue(`'${path}' must be base64-encoded binary${def.maxLength ? ` of at most ${def.maxLength} characters` : ''}`);
    default:
      if (typeof value !== 'string') throw invalidValue(`'${path}' must be a string`);
      if (def.maxLength !== undefined && value.length > def.maxLength) throw invalidValue(`'${path}' is longer than ${def.maxLength} characters`);
      if (/[\u0000]/.test(value)) throw invalidValue(`'${path}' contains a NUL character`);
      return value;
  }
}

/** One complex value (a singular complex attribute, or one element of a multi-valued one). */
export function normalizeComplex(def: AttributeDef, value: unknown, path: string, options: NormalizeOptions): Doc | undefined {
  if (value === null || value === undefined) return undefined;
  // A bare value for a complex attribute with a `value` sub-attribute (Entra ID sends the
  // manager's id as a string): the `value` sub-attribute.
  if (!isObject(value)) {
    if (typeof value === 'string' && findSubAttribute(def.subAttributes, 'value')) value = { value };
    else throw invalidValue(`'${path}' must be an object with sub-attributes`);
  }
  const out: Doc = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const sub = findSubAttribute(def.subAttributes, key);
    if (!sub) throw invalidValue(`'${path}' has no sub-attribute '${key}'`);
    if (sub.mutability === 'readOnly' && options.dropReadOnly) continue;
    if (v === null || v === undefined) continue;
    out[sub.name] = scalar(sub, v, `${path}.${sub.name}`);
  }
  return Object.keys(out).length ? out : undefined;
}

/** An attribute's whole value; undefined when it has none. */
export function normalizeValue(def: AttributeDef, value: unknown, path: string, options: NormalizeOptions): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    if (!Array.isArray(value)) throw invalidValue(`'${path}' is multi-valued: give an array`);
    const single = { ...def, multiValued: false };
    const values = value.map((v, i) => normalizeValue(single, v, `${path}[${i}]`, options)).filter((v) => v !== undefined);
    if (def.name !== 'members' && values.length > MAX_VALUES) throw invalidValue(`'${path}' has more than ${MAX_VALUES} values`);
    checkPrimary(def, values, path);
    return values.length ? values : undefined;
  }
  if (def.type === 'complex') return normalizeComplex(def, value, path, options);
  return scalar(def, value, path);
}

/** RFC 7643 §2.4: the primary value "true" appears at most once. */
export function checkPrimary(def: AttributeDef, values: unknown[], path: string) {
  if (!findSubAttribute(def.subAttributes, 'primary')) return;
  if (values.filter((v) => isObject(v) && v.primary === true).length > 1) throw invalidValue(`'${path}': at most one value may be primary`);
}

/**
 * A POST or PUT body as a document of the resource type's writable attributes. `schemas` is
 * required and must name the core schema (RFC 7643 §3); besides it, only the resource type's
 * extensions and the attribute-less URIs of IGNORED_SCHEMA_URIS (Entra ID's Group one).
 * Extension attributes live under the extension URN (or as fully qualified names). readOnly
 * attributes (id, meta, groups …) are ignored.
 */
export function normalizeResourceBody(rt: ResourceTypeDef, body: unknown): Doc {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object');
  const schemasKey = Object.keys(body).find((k) => k.toLowerCase() === 'schemas');
  const schemas = schemasKey ? body[schemasKey] : undefined;
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) throw invalidSyntax(`'schemas' is required: an array of schema URIs including "${rt.schema.id}"`);
  const ignored = IGNORED_SCHEMA_URIS[rt.name].map((u) => u.toLowerCase());
  for (const uri of schemas as string[]) {
    if (!schemaOf(rt, uri) && !ignored.includes(uri.toLowerCase())) throw invalidSyntax(`'schemas' names "${uri}", which resource type ${rt.name} does not support`);
  }
  if (!(schemas as string[]).some((s) => s.toLowerCase() === rt.schema.id.toLowerCase())) throw invalidSyntax(`'schemas' must include "${rt.schema.id}"`);
  const options: NormalizeOptions = { dropReadOnly: true };
  const doc: Doc = {};
  const set = (ext: string | null, def: AttributeDef, value: unknown, path: string) => {
    if (def.mutability === 'readOnly') return;
    const normalized = normalizeValue(def, value, path, options);
    const target = ext ? ((doc[ext] as Doc | undefined) ?? (doc[ext] = {})) : doc;
    if (normalized === undefined) delete target[def.name];
    else target[def.name] = normalized;
  };
  for (const [key, value] of Object.entries(body)) {
    if (key === schemasKey) continue;
    const ext = schemaOf(rt, key);
    if (ext) {
      if (!ext.extension) throw invalidValue(`'${key}' is the core schema, not an attribute`);
      if (value === null) continue;
      if (!isObject(value)) throw invalidValue(`'${key}' must be an object of extension attributes`);
      for (const [name, v] of Object.entries(value)) {
        const def = ext.schema.attributes.find((a) => a.name.toLowerCase() === name.toLowerCase());
        if (!def) throw invalidValue(`Unknown attribute '${name}' in extension ${ext.schema.id}`);
        set(ext.schema.id, def, v, `${ext.schema.id}:${def.name}`);
      }
      continue;
    }
    const path = parseAttrPath(key);
    const ref = path && !path.sub ? resolvePath(rt, path) : null;
    if (!ref?.attr) throw invalidValue(`Unknown attribute '${key}' for resource type ${rt.name}`);
    set(ref.extension ? ref.schema.id : null, ref.attr, value, key);
  }
  for (const ext of rt.extensions) {
    const value = doc[ext.schema.id];
    if (isObject(value) && Object.keys(value).length === 0) delete doc[ext.schema.id];
  }
  return doc;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
