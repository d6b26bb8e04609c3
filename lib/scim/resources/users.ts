import { usernameKey } from '@/lib/users';
import { URN } from '../constants';
import type { ColumnSql, MultiSql, ResourceSql, SqlParams } from '../filter/sql';
import { isObject, type Doc } from '../normalize';
import { refKey, type AttrRef } from '../schema/resolve';

/**
 * The columns read for a User (alias u; m is the manager). userName is the one the client sent
 * (RFC 7643 §4.1.1), else the folded username of a user never named over SCIM.
 */
export const USER_SELECT = `
  u.id, COALESCE(u.scim_user_name, u.username) AS "userName", u.email, u.name AS "displayName", u.disabled, u.external_id AS "externalId",
  u.formatted_name AS "formattedName", u.family_name AS "familyName", u.given_name AS "givenName", u.middle_name AS "middleName",
  u.honorific_prefix AS "honorificPrefix", u.honorific_suffix AS "honorificSuffix", u.nick_name AS "nickName", u.profile_url AS "profileUrl",
  u.title, u.user_type AS "userType", u.preferred_language AS "preferredLanguage", u.locale, u.timezone,
  u.emails, u.phone_numbers AS "phoneNumbers", u.ims, u.photos, u.addresses, u.entitlements, u.scim_roles AS "roles", u.x509_certificates AS "x509Certificates",
  u.employee_number AS "employeeNumber", u.cost_center AS "costCenter", u.organization, u.division, u.department,
  u.manager_id AS "managerId", m.name AS "managerDisplayName", u.version, u.created_at AS "createdAt", u.modified_at AS "modifiedAt"`;
export const USER_FROM = `users u LEFT JOIN users m ON m.id = u.manager_id`;

export interface UserRow {
  id: string;
  userName: string;
  email: string | null;
  displayName: string | null;
  disabled: boolean;
  externalId: string | null;
  formattedName: string | null;
  familyName: string | null;
  givenName: string | null;
  middleName: string | null;
  honorificPrefix: string | null;
  honorificSuffix: string | null;
  nickName: string | null;
  profileUrl: string | null;
  title: string | null;
  userType: string | null;
  preferredLanguage: string | null;
  locale: string | null;
  timezone: string | null;
  emails: unknown[];
  phoneNumbers: unknown[];
  ims: unknown[];
  photos: unknown[];
  addresses: unknown[];
  entitlements: unknown[];
  roles: unknown[];
  x509Certificates: unknown[];
  employeeNumber: string | null;
  costCenter: string | null;
  organization: string | null;
  division: string | null;
  department: string | null;
  managerId: string | null;
  managerDisplayName: string | null;
  version: number;
  createdAt: Date;
  modifiedAt: Date;
}

export interface GroupRef {
  id: string;
  displayName: string;
}

const NAME_PARTS = ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'] as const;
const NAME_COLUMNS: Record<(typeof NAME_PARTS)[number], keyof UserRow> = {
  formatted: 'formattedName',
  familyName: 'familyName',
  givenName: 'givenName',
  middleName: 'middleName',
  honorificPrefix: 'honorificPrefix',
  honorificSuffix: 'honorificSuffix',
};
const SIMPLE = ['displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone'] as const;
const MULTI = ['emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'entitlements', 'roles', 'x509Certificates'] as const;
const ENTERPRISE = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const;

export const weakEtag = (version: number) => `W/"${version}"`;

/** The full SCIM representation of a user (before attribute projection). */
export function userDocument(row: UserRow, groups: GroupRef[] | undefined, baseUrl: string): Doc {
  const doc: Doc = { schemas: [URN.user], id: row.id };
  if (row.externalId !== null) doc.externalId = row.externalId;
  doc.userName = row.userName;
  const name: Doc = {};
  for (const part of NAME_PARTS) if (row[NAME_COLUMNS[part]] !== null) name[part] = row[NAME_COLUMNS[part]];
  if (Object.keys(name).length) doc.name = name;
  for (const key of SIMPLE) if (row[key] !== null) doc[key] = row[key];
  doc.active = !row.disabled;
  for (const key of MULTI) if (Array.isArray(row[key]) && row[key].length) doc[key] = row[key];
  if (groups?.length) doc.groups = groups.map((g) => ({ value: g.id, $ref: `${baseUrl}/Groups/${g.id}`, display: g.displayName, type: 'direct' }));
  const ent: Doc = {};
  for (const key of ENTERPRISE) if (row[key] !== null) ent[key] = row[key];
  if (row.managerId) ent.manager = { value: row.managerId, $ref: `${baseUrl}/Users/${row.managerId}`, ...(row.managerDisplayName ? { displayName: row.managerDisplayName } : {}) };
  if (Object.keys(ent).length) {
    doc[URN.enterpriseUser] = ent;
    (doc.schemas as string[]).push(URN.enterpriseUser);
  }
  doc.meta = { resourceType: 'User', created: row.createdAt.toISOString(), lastModified: row.modifiedAt.toISOString(), location: `${baseUrl}/Users/${row.id}`, version: weakEtag(row.version) };
  return doc;
}

/** The sign-in email: the primary email, else the first (the database trigger mirrors the same rule). */
export function signInEmail(emails: unknown): string | null {
  if (!Array.isArray(emails) || emails.length === 0) return null;
  const chosen = emails.find((e) => isObject(e) && e.primary === true) ?? emails[0];
  return isObject(chosen) && typeof chosen.value === 'string' ? chosen.value.toLowerCase() : null;
}

/**
 * The columns a (validated) user document writes. `active` absent keeps `keepDisabled`. `email`
 * is the candidate sign-in email: the service leaves it null when another user has it.
 */
export function userColumns(doc: Doc, keepDisabled: boolean) {
  const name = isObject(doc.name) ? doc.name : {};
  const ent = isObject(doc[URN.enterpriseUser]) ? (doc[URN.enterpriseUser] as Doc) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const arr = (v: unknown) => (Array.isArray(v) ? v : []);
  const manager = isObject(ent.manager) ? ent.manager : null;
  return {
    // userName is caseExact=false: the folded form is unique and compared; the form sent is returned.
    username: usernameKey(String(doc.userName)),
    scimUserName: String(doc.userName),
    email: signInEmail(doc.emails),
    name: str(doc.displayName),
    disabled: typeof doc.active === 'boolean' ? !doc.active : keepDisabled,
    externalId: str(doc.externalId),
    formattedName: str(name.formatted),
    familyName: str(name.familyName),
    givenName: str(name.givenName),
    middleName: str(name.middleName),
    honorificPrefix: str(name.honorificPrefix),
    honorificSuffix: str(name.honorificSuffix),
    nickName: str(doc.nickName),
    profileUrl: str(doc.profileUrl),
    title: str(doc.title),
    userType: str(doc.userType),
    preferredLanguage: str(doc.preferredLanguage),
    locale: str(doc.locale),
    timezone: str(doc.timezone),
    emails: arr(doc.emails),
    phoneNumbers: arr(doc.phoneNumbers),
    ims: arr(doc.ims),
    photos: arr(doc.photos),
    addresses: arr(doc.addresses),
    entitlements: arr(doc.entitlements),
    scimRoles: arr(doc.roles),
    x509Certificates: arr(doc.x509Certificates),
    employeeNumber: str(ent.employeeNumber),
    costCenter: str(ent.costCenter),
    organization: str(ent.organization),
    division: str(ent.division),
    department: str(ent.department),
    managerId: manager && typeof manager.value === 'string' ? manager.value : null,
  };
}
export type UserColumns = ReturnType<typeof userColumns>;

const jsonMulti = (column: string, valueIndex?: MultiSql['valueIndex']): MultiSql => ({
  valueIndex,
  exists: `SELECT 1 FROM jsonb_array_elements(${column}) AS e(v) WHERE TRUE`,
  element(sub) {
    if (!sub) return null;
    // Sub-attribute names come from the schema definitions, never from the request.
    if (sub.type === 'boolean') return { sql: `(CASE WHEN jsonb_typeof(e.v -> '${sub.name}') = 'boolean' THEN (e.v ->> '${sub.name}')::boolean END)` };
    return { sql: `(e.v ->> '${sub.name}')` };
  },
  sortValue: `(SELECT x.v ->> 'value' FROM jsonb_array_elements(${column}) WITH ORDINALITY AS x(v, ord) ORDER BY COALESCE((x.v -> 'primary') = 'true'::jsonb, false) DESC, x.ord LIMIT 1)`,
});

const ENTERPRISE_PRESENT = `(u.employee_number IS NOT NULL OR u.cost_center IS NOT NULL OR u.organization IS NOT NULL OR u.division IS NOT NULL OR u.department IS NOT NULL OR u.manager_id IS NOT NULL)`;
const E = URN.enterpriseUser;

const COLUMNS: Record<string, string> = {
  externalId: 'u.external_id',
  userName: 'u.username',
  'name.formatted': 'u.formatted_name',
  'name.familyName': 'u.family_name',
  'name.givenName': 'u.given_name',
  'name.middleName': 'u.middle_name',
  'name.honorificPrefix': 'u.honorific_prefix',
  'name.honorificSuffix': 'u.honorific_suffix',
  displayName: 'u.name',
  nickName: 'u.nick_name',
  profileUrl: 'u.profile_url',
  title: 'u.title',
  userType: 'u.user_type',
  preferredLanguage: 'u.preferred_language',
  locale: 'u.locale',
  timezone: 'u.timezone',
  active: '(NOT u.disabled)',
  'meta.created': 'u.created_at',
  'meta.lastModified': 'u.modified_at',
  'meta.version': `('W/"' || u.version || '"')`,
  'meta.resourceType': `'User'`,
  [`${E}:employeeNumber`]: 'u.employee_number',
  [`${E}:costCenter`]: 'u.cost_center',
  [`${E}:organization`]: 'u.organization',
  [`${E}:division`]: 'u.division',
  [`${E}:department`]: 'u.department',
  [`${E}:manager.displayName`]: 'm.name',
};
const JSON_COLUMNS: Record<string, string> = {
  emails: 'u.emails',
  phoneNumbers: 'u.phone_numbers',
  ims: 'u.ims',
  photos: 'u.photos',
  addresses: 'u.addresses',
  entitlements: 'u.entitlements',
  roles: 'u.scim_roles',
  x509Certificates: 'u.x509_certificates',
};

/** Where each User attribute lives in SQL, for filters and sorting. */
export function userSql(baseUrl: string): ResourceSql {
  return {
    column(ref: AttrRef, params: SqlParams): ColumnSql | MultiSql | null {
      const key = refKey(ref);
      if (key === 'id') return { sql: 'u.id', uuid: true };
      if (key === 'userName') return { sql: 'u.username', folded: usernameKey };
      if (key === 'meta.location') return { sql: `(${params.add(`${baseUrl}/Users/`)} || u.id::text)` };
      if (key === `${E}:manager.value`) return { sql: 'u.manager_id', uuid: true };
      if (key === `${E}:manager.$ref`) return { sql: `(${params.add(`${baseUrl}/Users/`)} || u.manager_id::text)` };
      if (COLUMNS[key]) return { sql: COLUMNS[key] };
      // users.email_values: the lower-cased email values, GIN-indexed (migration 20261204030100).
      if (key === 'emails') return jsonMulti('u.emails', (p) => `u.email_values @> ARRAY[${p}]::text[]`);
      if (JSON_COLUMNS[key]) return jsonMulti(JSON_COLUMNS[key]);
      if (key === 'schemas') {
        return {
          exists: `SELECT 1 FROM unnest(ARRAY[${params.add(URN.user)}::text, CASE WHEN ${ENTERPRISE_PRESENT} THEN ${params.add(E)}::text END]) AS e(v) WHERE e.v IS NOT NULL`,
          element: () => ({ sql: 'e.v' }),
        };
      }
      if (key === 'groups') {
        return {
          exists: 'SELECT 1 FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = u.id',
          element(sub, p) {
            switch (sub?.name) {
              case 'value':
                return { sql: 'gm.group_id', uuid: true };
              case 'display':
                return { sql: 'g.display_name' };
              case 'type':
                return { sql: `'direct'` };
              case '$ref':
                return { sql: `(${p.add(`${baseUrl}/Groups/`)} || gm.group_id::text)` };
            }
            return null;
          },
          sortValue: '(SELECT g.display_name FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = u.id ORDER BY g.display_name LIMIT 1)',
        };
      }
      return null;
    },
  };
}
