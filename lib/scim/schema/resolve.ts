import { commonAttributes, schemas } from './definitions';
import type { AttributeDef, ResourceTypeDef, SchemaDef } from './types';

/**
 * An attribute path as written (RFC 7644 §3.10): `[URI ":"] ATTRNAME [ "." subAttr ]`.
 * Attribute names and schema URIs are case-insensitive (RFC 7643 §2.1).
 */
export interface AttrPath {
  /** The schema URI prefix, canonical when it names a known schema. */
  uri?: string;
  /** The attribute; '' when the path is only a schema URI (a whole extension). */
  name: string;
  sub?: string;
  raw: string;
}

/** A path resolved against a resource type's schemas. */
export interface AttrRef {
  schema: SchemaDef;
  /** Lives under the extension's URN key in the JSON representation. */
  extension: boolean;
  /** Absent: the path names a whole extension. */
  attr?: AttributeDef;
  sub?: AttributeDef;
}

const NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;
const KNOWN_URNS = schemas.map((s) => s.id);

/** Splits a path into URI, attribute and sub-attribute; null when it is not a path at all. */
export function parseAttrPath(raw: string): AttrPath | null {
  let rest = raw;
  let uri: string | undefined;
  if (/^urn:/i.test(raw)) {
    const lower = raw.toLowerCase();
    const known = KNOWN_URNS.filter((u) => lower === u.toLowerCase() || lower.startsWith(`${u.toLowerCase()}:`)).sort((a, b) => b.length - a.length)[0];
    if (known) {
      uri = known;
      rest = raw.slice(known.length + 1);
      if (raw.length === known.length) return { uri, name: '', raw };
    } else {
      // An unknown schema: the attribute is what follows the last colon.
      const colon = raw.lastIndexOf(':');
      uri = raw.slice(0, colon);
      rest = raw.slice(colon + 1);
    }
  }
  const parts = rest.split('.');
  if (parts.length > 2 || !parts.every((p) => NAME.test(p))) return null;
  return { uri, name: parts[0], sub: parts[1], raw };
}

const byName = (list: AttributeDef[] | undefined, name: string) => list?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** The schema (core or extension) a URI names in this resource type, case-insensitively. */
export function schemaOf(rt: ResourceTypeDef, uri: string): { schema: SchemaDef; extension: boolean } | null {
  const lower = uri.toLowerCase();
  if (rt.schema.id.toLowerCase() === lower) return { schema: rt.schema, extension: false };
  const ext = rt.extensions.find((e) => e.schema.id.toLowerCase() === lower);
  return ext ? { schema: ext.schema, extension: true } : null;
}

/** Resolves a path against a resource type; null when the resource type has no such attribute. */
export function resolvePath(rt: ResourceTypeDef, path: AttrPath): AttrRef | null {
  let schema: SchemaDef;
  let extension: boolean;
  let attr: AttributeDef | undefined;
  if (path.uri !== undefined) {
    const found = schemaOf(rt, path.uri);
    if (!found) return null;
    ({ schema, extension } = found);
    if (path.name === '') return extension ? { schema, extension } : null;
    attr = byName(schema.attributes, path.name) ?? (extension ? undefined : byName(commonAttributes, path.name));
  } else {
    schema = rt.schema;
    extension = false;
    attr = byName(rt.schema.attributes, path.name) ?? byName(commonAttributes, path.name);
    if (!attr) {
      // An extension attribute without its URI prefix, when the name is unambiguous.
      const matches = rt.extensions.filter((e) => byName(e.schema.attributes, path.name));
      if (matches.length === 1) {
        schema = matches[0].schema;
        extension = true;
        attr = byName(schema.attributes, path.name);
      }
    }
  }
  if (!attr) return null;
  if (path.sub === undefined) return { schema, extension, attr };
  if (attr.type !== 'complex') return null;
  const sub = byName(attr.subAttributes, path.sub);
  return sub ? { schema, extension, attr, sub } : null;
}

/** The canonical key of a resolved path: `name`, `name.sub`, `urn:…:name.sub`, or the URN. */
export function refKey(ref: AttrRef): string {
  if (!ref.attr) return ref.schema.id;
  const base = ref.extension ? `${ref.schema.id}:${ref.attr.name}` : ref.attr.name;
  return ref.sub ? `${base}.${ref.sub.name}` : base;
}

export const findSubAttribute = byName;
