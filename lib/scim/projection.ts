import { LIMITS } from './constants';
import { invalidValue } from './errors';
import { isObject, type Doc } from './normalize';
import { commonAttributes } from './schema/definitions';
import { findSubAttribute, parseAttrPath, resolvePath } from './schema/resolve';
import type { AttributeDef, ResourceTypeDef } from './schema/types';

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) and each attribute's
 * `returned` characteristic: "always" attributes are always there, "never" ones never,
 * "default" ones unless excluded (or unless `attributes` lists others), "request" ones only when
 * listed. Names unknown to a resource type are ignored (a root query spans several types).
 */

export interface ProjectionRequest {
  attributes?: string[];
  excludedAttributes?: string[];
}

export function parseAttributeList(text: string | null | undefined, name: string): string[] | undefined {
  if (text === null || text === undefined || text.trim() === '') return undefined;
  if (text.length > LIMITS.maxFilterLength) throw invalidValue(`'${name}' is too long`);
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of list) if (!parseAttrPath(item)) throw invalidValue(`'${name}': '${item}' is not an attribute path`);
  return list;
}

type Selection = Map<string, Set<string> | 'all'>;

/** Keys: "name" for core and common attributes, "urn:…:name" inside an extension, the URN for a whole extension. */
function select(rt: ResourceTypeDef, list: string[] | undefined): Selection | undefined {
  if (!list) return undefined;
  const selection: Selection = new Map();
  for (const item of list) {
    const path = parseAttrPath(item);
    const ref = path ? resolvePath(rt, path) : null;
    if (!ref) continue;
    if (!ref.attr) {
      selection.set(ref.schema.id, 'all');
      continue;
    }
    const key = ref.extension ? `${ref.schema.id}:${ref.attr.name}` : ref.attr.name;
    const current = selection.get(key);
    if (!ref.sub) selection.set(key, 'all');
    else if (current !== 'all') selection.set(key, (current ?? new Set()).add(ref.sub.name));
  }
  return selection;
}

function pick(def: AttributeDef, value: unknown, include: (sub: AttributeDef) => boolean): unknown {
  const one = (v: unknown) => {
    if (!isObject(v)) return v;
    const out: Doc = {};
    for (const [k, x] of Object.entries(v)) {
      const sub = findSubAttribute(def.subAttributes, k);
      if (sub && include(sub)) out[k] = x;
    }
    return Object.keys(out).length ? out : undefined;
  };
  if (Array.isArray(value)) {
    const items = value.map(one).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  return one(value);
}

function projectAttributes(attrs: AttributeDef[], source: Doc, keyOf: (def: AttributeDef) => string, wholeSelected: boolean, wholeExcluded: boolean, sel: Selection | undefined, excl: Selection | undefined): Doc {
  const out: Doc = {};
  for (const def of attrs) {
    const value = source[def.name];
    if (value === undefined || def.name === 'schemas') continue;
    if (def.returned === 'never') continue;
    if (def.returned === 'always') {
      out[def.name] = value;
      continue;
    }
    const key = keyOf(def);
    const chosen = sel ? (wholeSelected ? 'all' : sel.get(key)) : def.returned === 'default' ? 'all' : undefined;
    if (!chosen) continue;
    const excluded = wholeExcluded ? 'all' : excl?.get(key);
    if (excluded === 'all') continue;
    if (chosen === 'all' && !excluded) {
      out[def.name] = value;
      continue;
    }
    if (def.type !== 'complex') {
      out[def.name] = value;
      continue;
    }
    const picked = pick(def, value, (sub) => {
      if (sub.returned === 'never') return false;
      if (sub.returned === 'always') return true;
      const inChosen = chosen === 'all' ? sub.returned === 'default' : chosen.has(sub.name);
      return inChosen && !(excluded instanceof Set && excluded.has(sub.name));
    });
    if (picked !== undefined) out[def.name] = picked;
  }
  return out;
}

/**
 * Whether a projection shows any part of a multi-valued attribute of the core schema (so
 * users' groups and groups' members are loaded only when they will be returned).
 */
export function showsAttribute(rt: ResourceTypeDef, request: ProjectionRequest, name: string): boolean {
  const def = rt.schema.attributes.find((a) => a.name === name);
  if (!def) return false;
  const element = Object.fromEntries((def.subAttributes ?? []).map((s) => [s.name, 'x']));
  return project(rt, { schemas: [rt.schema.id], id: 'x', [name]: [element] }, request)[name] !== undefined;
}

/** The representation returned to the client. */
export function project(rt: ResourceTypeDef, doc: Doc, request: ProjectionRequest = {}): Doc {
  const sel = select(rt, request.attributes);
  const excl = select(rt, request.excludedAttributes);
  const core = projectAttributes([...commonAttributes.filter((a) => a.name === 'id'), ...commonAttributes.filter((a) => a.name === 'externalId'), ...rt.schema.attributes], doc, (d) => d.name, false, false, sel, excl);
  const out: Doc = { schemas: [rt.schema.id], ...core };
  for (const { schema } of rt.extensions) {
    const value = doc[schema.id];
    if (!isObject(value)) continue;
    const projected = projectAttributes(schema.attributes, value, (d) => `${schema.id}:${d.name}`, sel?.get(schema.id) === 'all', excl?.get(schema.id) === 'all', sel, excl);
    if (Object.keys(projected).length) {
      out[schema.id] = projected;
      (out.schemas as string[]).push(schema.id);
    }
  }
  const meta = projectAttributes(commonAttributes.filter((a) => a.name === 'meta'), doc, (d) => d.name, false, false, sel, excl);
  if (meta.meta) out.meta = meta.meta;
  return out;
}
