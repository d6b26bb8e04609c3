import { URN } from '../constants';
import type { ColumnSql, MultiSql, ResourceSql, SqlParams } from '../filter/sql';
import type { Doc } from '../normalize';
import { refKey, type AttrRef } from '../schema/resolve';
import { weakEtag } from './users';

export const GROUP_SELECT = `g.id, g.display_name AS "displayName", g.external_id AS "externalId", g.version, g.created_at AS "createdAt", g.modified_at AS "modifiedAt"`;
export const GROUP_FROM = 'groups g';

export interface GroupRow {
  id: string;
  displayName: string;
  externalId: string | null;
  version: number;
  createdAt: Date;
  modifiedAt: Date;
}

export interface MemberRow {
  groupId: string;
  value: string;
  type: 'User' | 'Group';
  display: string | null;
}

/** Members of the given groups, users first then groups, each in a stable order. */
export const MEMBERS_SQL = `
  SELECT gm.group_id AS "groupId", COALESCE(gm.user_id, gm.member_group_id)::text AS value,
         CASE WHEN gm.user_id IS NOT NULL THEN 'User' ELSE 'Group' END AS type,
         COALESCE(mu.name, mu.scim_user_name, mu.username, mg.display_name) AS display
  FROM group_members gm
  LEFT JOIN users mu ON mu.id = gm.user_id
  LEFT JOIN groups mg ON mg.id = gm.member_group_id
  WHERE gm.group_id = ANY($1::uuid[])
  ORDER BY gm.group_id, gm.id`;

export function groupDocument(row: GroupRow, members: MemberRow[] | undefined, baseUrl: string): Doc {
  const doc: Doc = { schemas: [URN.group], id: row.id };
  if (row.externalId !== null) doc.externalId = row.externalId;
  doc.displayName = row.displayName;
  if (members?.length) {
    doc.members = members.map((m) => ({ value: m.value, $ref: `${baseUrl}/${m.type === 'User' ? 'Users' : 'Groups'}/${m.value}`, type: m.type, ...(m.display !== null ? { display: m.display } : {}) }));
  }
  doc.meta = { resourceType: 'Group', created: row.createdAt.toISOString(), lastModified: row.modifiedAt.toISOString(), location: `${baseUrl}/Groups/${row.id}`, version: weakEtag(row.version) };
  return doc;
}

const MEMBERS_EXISTS = 'SELECT 1 FROM group_members gm LEFT JOIN users mu ON mu.id = gm.user_id LEFT JOIN groups mg ON mg.id = gm.member_group_id WHERE gm.group_id = g.id';

export function groupSql(baseUrl: string): ResourceSql {
  return {
    column(ref: AttrRef, params: SqlParams): ColumnSql | MultiSql | null {
      switch (refKey(ref)) {
        case 'id':
          return { sql: 'g.id', uuid: true };
        case 'externalId':
          return { sql: 'g.external_id' };
        case 'displayName':
          return { sql: 'g.display_name' };
        case 'meta.created':
          return { sql: 'g.created_at' };
        case 'meta.lastModified':
          return { sql: 'g.modified_at' };
        case 'meta.version':
          return { sql: `('W/"' || g.version || '"')` };
        case 'meta.resourceType':
          return { sql: `'Group'` };
        case 'meta.location':
          return { sql: `(${params.add(`${baseUrl}/Groups/`)} || g.id::text)` };
        case 'schemas':
          return { exists: `SELECT 1 FROM unnest(ARRAY[${params.add(URN.group)}::text]) AS e(v) WHERE TRUE`, element: () => ({ sql: 'e.v' }) };
        case 'members':
          return {
            exists: MEMBERS_EXISTS,
            element(sub, p) {
              switch (sub?.name) {
                case 'value':
                  return { sql: 'COALESCE(gm.user_id, gm.member_group_id)', uuid: true };
                case 'display':
                  return { sql: 'COALESCE(mu.name, mu.scim_user_name, mu.username, mg.display_name)' };
                case 'type':
                  return { sql: `(CASE WHEN gm.user_id IS NOT NULL THEN 'User' ELSE 'Group' END)` };
                case '$ref':
                  return { sql: `(CASE WHEN gm.user_id IS NOT NULL THEN ${p.add(`${baseUrl}/Users/`)} ELSE ${p.add(`${baseUrl}/Groups/`)} END || COALESCE(gm.user_id, gm.member_group_id)::text)` };
              }
              return null;
            },
          };
      }
      return null;
    },
  };
}
