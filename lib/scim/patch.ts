import { LIMITS, URN } from './constants';
import { invalidPath, invalidSyntax, invalidValue, mutability, noTarget } from './errors';
import { checkValueFilter, matchesElement } from './filter/evaluate';
import { parsePatchPath, type Filter } from './filter/parse';
import { clone, isObject, jsonEqual, normalizeComplex, normalizeValue, type Doc, type NormalizeOptions } from './normalize';
import { findSubAttribute, resolvePath } from './schema/resolve';
import type { AttributeDef, ResourceTypeDef } from './schema/types';

/**
 * RFC 7644 §3.5.2 PATCH, applied to one resource's document in memory: every operation in
 * order, each against the result of the previous one, then the whole result is validated. The
 * caller writes the result in one transaction, so a PATCH is all-or-nothing.
 *
 * Client behaviours handled deliberately (each compatible with the RFC's intent):
 * - Entra ID: op names capitalised ("Replace"), booleans as strings ("False"), a bare id for
 *   `manager`, path-less values keyed by attribute paths ("name.givenName"), and `remove` of
 *   `members` with a value listing which members to remove (not all of them).
 * - `add` through a value filter that matches nothing (`emails[type eq "work"].value`) creates
 *   the element when the filter is a conjunction of `eq`, as `add` creates missing targets.
 */

export type PatchOp = 'add' | 'remove' | 'replace';
export interface PatchOperation {
  op: PatchOp;
  path?: string;
  value?: unknown;
}

// readOnly sub-attributes inside a value (Okta sends members' display) are ignored, as in PUT;
// a path that names a readOnly attribute is refused (mutability).
const OPTIONS: NormalizeOptions = { dropReadOnly: true };
const MAX_VALUES = 100;

/** Validates a PatchOp request body (RFC 7644 §3.5.2). */
export function parsePatchBody(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object');
  const key = (name: string) => Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
  const schemas = body[key('schemas') ?? 'schemas'];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.patchOp.toLowerCase())) {
    throw invalidSyntax(`'schemas' must be ["${URN.patchOp}"]`);
  }
  const operations = body[key('Operations') ?? 'Operations'];
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax("'Operations' must be a non-empty array");
  if (operations.length > LIMITS.maxPatchOperations) throw invalidSyntax(`At most ${LIMITS.maxPatchOperations} operations per PATCH`);
  return operations.map((raw, i) => {
    if (!isObject(raw)) throw invalidSyntax(`Operations[${i}] must be an object`);
    const get = (name: string) => raw[Object.keys(raw).find((k) => k.toLowerCase() === name) ?? name];
    const op = get('op');
    if (typeof op !== 'string' || !['add', 'remove', 'replace'].includes(op.toLowerCase())) throw invalidSyntax(`Operations[${i}].op must be "add", "remove" or "replace"`);
    const path = get('path');
    if (path !== undefined && (typeof path !== 'string' || path.trim() === '')) throw invalidPath(`Operations[${i}].path must be a non-empty string`);
    const value = get('value');
    const kind = op.toLowerCase() as PatchOp;
    if (kind === 'remove' && path === undefined) throw noTarget(`Operations[${i}]: "remove" needs a path`);
    if (kind !== 'remove' && value === undefined) throw invalidValue(`Operations[${i}]: "${kind}" needs a value`);
    return { op: kind, path: path as string | undefined, value };
  });
}

/** `type eq "work" and primary eq true` → { type: 'work', primary: true }; null if not such a conjunction. */
function equalities(parent: AttributeDef, filter: Filter): Doc | null {
  if (filter.op === 'and') {
    const left = equalities(parent, filter.left);
    const right = equalities(parent, filter.right);
    return left && right ? { ...left, ...right } : null;
  }
  if (filter.op === 'eq' && filter.value !== null) {
    const sub = findSubAttribute(parent.subAttributes, filter.path.name);
    return sub && sub.mutability !== 'readOnly' ? { [sub.name]: filter.value } : null;
  }
  return null;
}

/** Two elements of a multi-valued attribute are the same value (for `add`): same `value` (and `type`, when both have one). */
function sameElement(def: AttributeDef, a: unknown, b: unknown): boolean {
  if (!isObject(a) || !isObject(b)) return jsonEqual(a, b);
  const valueDef = findSubAttribute(def.subAttributes, 'value');
  if (!valueDef || a.value === undefined || b.value === undefined) return jsonEqual(a, b);
  const same = valueDef.caseExact || typeof a.value !== 'string' || typeof b.value !== 'string' ? a.value === b.value : a.value.toLowerCase() === b.value.toLowerCase();
  if (!same) return false;
  return a.type === undefined || b.type === undefined || a.type === b.type;
}

class PatchEngine {
  readonly doc: Doc;
  constructor(
    private readonly rt: ResourceTypeDef,
    original: Doc,
  ) {
    this.doc = clone(original);
  }

  apply(op: PatchOperation) {
    if (op.path === undefined) {
      // RFC 7644 §3.5.2.1/§3.5.2.3: without a path the value holds attributes of the resource.
      if (!isObject(op.value)) throw invalidValue(`"${op.op}" without a path needs an object of attributes as its value`);
      for (const [key, value] of Object.entries(op.value)) {
        if (key.toLowerCase() === 'schemas') continue;
        this.applyPath(op.op, key, value);
      }
      return;
    }
    this.applyPath(op.op, op.path, op.value);
  }

  private container(ext: string | null, create: boolean): Doc | undefined {
    if (!ext) return this.doc;
    if (!isObject(this.doc[ext])) {
      if (!create) return undefined;
      this.doc[ext] = {};
    }
    return this.doc[ext] as Doc;
  }

  private applyPath(op: PatchOp, text: string, value: unknown) {
    const pp = parsePatchPath(text);
    const ref = resolvePath(this.rt, pp.path);
    if (!ref) throw invalidPath(`'${text}' is not an attribute of resource type ${this.rt.name}`);
    if (!ref.attr) {
      // The whole extension, e.g. path "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".
      if (pp.filter || pp.sub) throw invalidPath(`Invalid path '${text}'`);
      if (op === 'remove') {
        delete this.doc[ref.schema.id];
        return;
      }
      if (value === null) {
        if (op === 'replace') delete this.doc[ref.schema.id];
        return;
      }
      if (!isObject(value)) throw invalidValue(`'${text}' takes an object of extension attributes`);
      for (const [key, v] of Object.entries(value)) this.applyPath(op, `${ref.schema.id}:${key}`, v);
      return;
    }
    const attr = ref.attr;
    let sub = ref.sub;
    if (pp.sub) {
      sub = findSubAttribute(attr.subAttributes, pp.sub);
      if (!sub) throw invalidPath(`'${attr.name}' has no sub-attribute '${pp.sub}'`);
    }
    if (pp.filter && !attr.multiValued) throw invalidPath(`'${attr.name}' is not multi-valued: a value filter does not apply`);
    if (attr.mutability === 'readOnly') {
      // Okta renames a group with {"op":"replace","value":{"id":"<its id>","displayName":"…"}}:
      // restating a readOnly value unchanged is not an attempt to modify it.
      const current = ref.extension ? (this.doc[ref.schema.id] as Doc | undefined)?.[attr.name] : this.doc[attr.name];
      if (op !== 'remove' && !pp.filter && !sub && current !== undefined && jsonEqual(value, current)) return;
      throw mutability(`'${attr.name}' is readOnly`);
    }
    if (sub?.mutability === 'readOnly') throw mutability(`'${attr.name}.${sub.name}' is readOnly`);
    const ext = ref.extension ? ref.schema.id : null;
    const container = this.container(ext, op !== 'remove');
    if (container) {
      if (attr.multiValued) this.multi(op, container, attr, pp.filter, sub, value, text);
      else this.singular(op, container, attr, sub, value, text);
    }
    if (ext && isObject(this.doc[ext]) && Object.keys(this.doc[ext] as Doc).length === 0) delete this.doc[ext];
  }

  /** Refuses a change of an immutable value that is already set (RFC 7643 §7 "immutable"). */
  private immutable(def: AttributeDef, current: unknown, next: unknown, label: string) {
    if (def.mutability === 'immutable' && current !== undefined && current !== null && !jsonEqual(current, next)) {
      throw mutability(`'${label}' is immutable: it cannot be changed once set`);
    }
  }

  private merge(def: AttributeDef, target: Doc, patch: Doc, label: string) {
    for (const [k, v] of Object.entries(patch)) {
      const sub = findSubAttribute(def.subAttributes, k)!;
      this.immutable(sub, target[k], v, `${label}.${sub.name}`);
      target[k] = v;
    }
  }

  private singular(op: PatchOp, container: Doc, attr: AttributeDef, sub: AttributeDef | undefined, value: unknown, label: string) {
    if (!sub) {
      if (op === 'remove') {
        this.immutable(attr, container[attr.name], undefined, label);
        // A removed password is cleared (null), not just absent from the document.
        if (attr.name === 'password') container.password = null;
        else delete container[attr.name];
        return;
      }
      if (attr.type === 'complex') {
        const patch = normalizeComplex(attr, value, attr.name, OPTIONS);
        if (!patch) {
          if (op === 'replace') delete container[attr.name];
          return;
        }
        const target = isObject(container[attr.name]) ? (container[attr.name] as Doc) : {};
        this.merge(attr, target, patch, attr.name);
        container[attr.name] = target;
        return;
      }
      const next = normalizeValue(attr, value, attr.name, OPTIONS);
      this.immutable(attr, container[attr.name], next, attr.name);
      if (next === undefined) {
        if (op === 'replace') delete container[attr.name];
      } else container[attr.name] = next;
      return;
    }
    const current = isObject(container[attr.name]) ? (container[attr.name] as Doc) : undefined;
    const path = `${attr.name}.${sub.name}`;
    if (op === 'remove') {
      if (!current) return;
      this.immutable(sub, current[sub.name], undefined, path);
      delete current[sub.name];
      if (Object.keys(current).length === 0) delete container[attr.name];
      return;
    }
    const next = normalizeValue(sub, value, path, OPTIONS);
    this.immutable(sub, current?.[sub.name], next, path);
    if (next === undefined) {
      if (current) {
        delete current[sub.name];
        if (Object.keys(current).length === 0) delete container[attr.name];
      }
      return;
    }
    container[attr.name] = { ...(current ?? {}), [sub.name]: next };
  }

  private multi(op: PatchOp, container: Doc, attr: AttributeDef, filter: Filter | undefined, sub: AttributeDef | undefined, value: unknown, label: string) {
    let values: unknown[] = Array.isArray(container[attr.name]) ? [...(container[attr.name] as unknown[])] : [];
    const wasPrimary = new Set(values.filter((v) => isObject(v) && v.primary === true));
    const single: AttributeDef = { ...attr, multiValued: false };
    const elements = () => values.filter(isObject) as Doc[];

    if (filter) {
      checkValueFilter(attr, filter);
      const matched = elements().filter((e) => matchesElement(attr, filter, e));
      if (!sub) {
        if (op === 'remove') {
          values = values.filter((v) => !matched.includes(v as Doc));
        } else {
          const patch = normalizeComplex(single, value, label, OPTIONS);
          if (!patch) throw invalidValue(`'${label}' needs an object value`);
          if (matched.length === 0) {
            const seed = op === 'add' ? equalities(attr, filter) : null;
            if (!seed) throw noTarget(`No value of '${attr.name}' matches the filter in '${label}'`);
            values.push({ ...seed, ...patch });
          } else for (const element of matched) this.merge(attr, element, patch, attr.name);
        }
      } else if (op === 'remove') {
        for (const element of matched) {
          this.immutable(sub, element[sub.name], undefined, `${attr.name}.${sub.name}`);
          delete element[sub.name];
        }
        values = values.filter((v) => !isObject(v) || Object.keys(v).length > 0);
      } else {
        const next = normalizeValue(sub, value, label, OPTIONS);
        if (next === undefined) throw invalidValue(`'${label}' needs a value`);
        if (matched.length === 0) {
          const seed = op === 'add' ? equalities(attr, filter) : null;
          if (!seed) throw noTarget(`No value of '${attr.name}' matches the filter in '${label}'`);
          values.push({ ...seed, [sub.name]: next });
        } else
          for (const element of matched) {
            this.immutable(sub, element[sub.name], next, `${attr.name}.${sub.name}`);
            element[sub.name] = next;
          }
      }
    } else if (!sub) {
      if (op === 'remove') {
        if (value === undefined || value === null) values = [];
        else {
          // Entra ID: remove "members" with value [{ value: id }] removes those members only.
          const listed = (normalizeValue(attr, Array.isArray(value) ? value : [value], label, OPTIONS) as unknown[] | undefined) ?? [];
          values = values.filter((v) => !listed.some((l) => sameElement(attr, v, l)));
        }
      } else {
        const incoming = (normalizeValue(attr, Array.isArray(value) ? value : [value], label, OPTIONS) as unknown[] | undefined) ?? [];
        if (op === 'replace') values = incoming;
        else
          for (const v of incoming) {
            const existing = values.find((e) => sameElement(attr, e, v));
            if (!existing) values.push(v);
            else if (isObject(existing) && isObject(v)) this.merge(attr, existing, v, attr.name);
          }
      }
    } else {
      // A sub-attribute of every value, e.g. "emails.value".
      if (op === 'remove') {
        for (const element of elements()) {
          this.immutable(sub, element[sub.name], undefined, `${attr.name}.${sub.name}`);
          delete element[sub.name];
        }
        values = values.filter((v) => !isObject(v) || Object.keys(v).length > 0);
      } else {
        const next = normalizeValue(sub, value, label, OPTIONS);
        if (next === undefined) throw invalidValue(`'${label}' needs a value`);
        // RFC 7644 §3.5.2.3: a replace whose target does not exist "SHALL [be treated] as an
        // add". (A value filter that matches nothing stays noTarget, above: it names elements.)
        if (elements().length === 0) values.push({ [sub.name]: next });
        else
          for (const element of elements()) {
            this.immutable(sub, element[sub.name], next, `${attr.name}.${sub.name}`);
            element[sub.name] = next;
          }
      }
    }

    // RFC 7644 §3.5.2: a value made primary makes every other value non-primary.
    const primaries = elements().filter((e) => e.primary === true);
    if (primaries.length > 1) {
      const keep = [...primaries].reverse().find((e) => !wasPrimary.has(e)) ?? primaries[primaries.length - 1];
      for (const e of primaries) if (e !== keep) e.primary = false;
    }
    if (attr.name !== 'members' && values.length > MAX_VALUES) throw invalidValue(`'${attr.name}' would have more than ${MAX_VALUES} values`);
    if (values.length) container[attr.name] = values;
    else delete container[attr.name];
  }

  finish(): Doc {
    for (const def of this.rt.schema.attributes) {
      if (def.required && (this.doc[def.name] === undefined || this.doc[def.name] === null)) throw invalidValue(`'${def.name}' is required and cannot be removed`);
    }
    return this.doc;
  }
}

/** Applies the operations to a copy of `doc`; throws a ScimError (and changes nothing) on the first failure. */
export function applyPatch(rt: ResourceTypeDef, doc: Doc, operations: PatchOperation[]): Doc {
  const engine = new PatchEngine(rt, doc);
  for (const op of operations) engine.apply(op);
  return engine.finish();
}
