import { URN } from '../constants';
import type { AttributeDef, ResourceTypeDef, SchemaDef } from './types';

/**
 * The schemas this server implements (RFC 7643 §4 and §8.7.1), with the characteristics it
 * enforces. Where a value is derived by the server rather than stored as sent ($ref,
 * display names of members and managers), it is published as readOnly: /Schemas describes
 * exactly what the server does.
 */

type Options = Partial<Omit<AttributeDef, 'name' | 'description'>>;

const attr = (name: string, description: string, options: Options = {}): AttributeDef => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...options,
});

const complex = (name: string, description: string, subAttributes: AttributeDef[], options: Options = {}) => attr(name, description, { type: 'complex', subAttributes, ...options });
const multi = (name: string, description: string, subAttributes: AttributeDef[], options: Options = {}) => complex(name, description, subAttributes, { multiValued: true, ...options });

const typeSub = (canonicalValues: string[], description = "A label indicating the attribute's function.") => attr('type', description, { canonicalValues });
const primarySub = () => attr('primary', "A Boolean value indicating the 'primary' or preferred attribute value for this attribute. The primary attribute value 'true' MUST appear no more than once.", { type: 'boolean' });
const displaySub = () => attr('display', 'A human-readable name, primarily used for display purposes.');

const STRING_MAX = 1024;

export const userSchema: SchemaDef = {
  id: URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'Unique identifier for the User, used to sign in. Returned as sent; compared and unique without regard to case. Letters, digits, punctuation and symbols of any script, spaces only between them; no control or invisible characters.', { required: true, uniqueness: 'server', maxLength: 128 }),
    complex('name', "The components of the user's real name.", [
      attr('formatted', 'The full name, including all middle names, titles, and suffixes as appropriate, formatted for display.', { maxLength: STRING_MAX }),
      attr('familyName', 'The family name of the User.', { maxLength: STRING_MAX }),
      attr('givenName', 'The given name of the User.', { maxLength: STRING_MAX }),
      attr('middleName', 'The middle name(s) of the User.', { maxLength: STRING_MAX }),
      attr('honorificPrefix', "The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.').", { maxLength: STRING_MAX }),
      attr('honorificSuffix', "The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III').", { maxLength: STRING_MAX }),
    ]),
    attr('displayName', 'The name of the User, suitable for display to end-users (the OpenID Connect "name" claim).', { maxLength: 200 }),
    attr('nickName', 'The casual way to address the user in real life.', { maxLength: STRING_MAX }),
    attr('profileUrl', "A fully qualified URL pointing to a page representing the User's online profile.", { type: 'reference', referenceTypes: ['external'], maxLength: 2048 }),
    attr('title', "The user's title, such as 'Vice President'.", { maxLength: STRING_MAX }),
    attr('userType', 'Used to identify the relationship between the organization and the user.', { maxLength: STRING_MAX }),
    attr('preferredLanguage', "Indicates the User's preferred written or spoken language (RFC 7231 Accept-Language format).", { maxLength: 256 }),
    attr('locale', "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations.", { maxLength: 256 }),
    attr('timezone', "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'.", { maxLength: 256 }),
    attr('active', "A Boolean value indicating the User's administrative status. false ends the user's sessions, revokes their grants and refresh tokens and blocks sign-in.", { type: 'boolean' }),
    attr('password', "The User's cleartext password, accepted only when the tenant allows passwords over SCIM (ServiceProviderConfig changePassword). Stored as an Argon2id hash; never returned.", { mutability: 'writeOnly', returned: 'never', maxLength: 256 }),
    multi('emails', 'Email addresses for the user. Not unique (RFC 7643 §4.1.2): users may share one. The primary one (else the first) is the sign-in email; when users share it, only the first of them signs in with it.', [
      attr('value', 'Email addresses for the user.', { maxLength: 254 }),
      displaySub(),
      typeSub(['work', 'home', 'other']),
      primarySub(),
    ]),
    multi('phoneNumbers', 'Phone numbers for the User.', [attr('value', 'Phone number of the User.', { maxLength: 256 }), displaySub(), typeSub(['work', 'home', 'mobile', 'fax', 'pager', 'other']), primarySub()]),
    multi('ims', 'Instant messaging addresses for the User.', [attr('value', 'Instant messaging address for the User.', { maxLength: STRING_MAX }), displaySub(), typeSub(['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']), primarySub()]),
    multi('photos', 'URLs of photos of the User.', [
      attr('value', 'URL of a photo of the User.', { type: 'reference', referenceTypes: ['external'], maxLength: 2048 }),
      displaySub(),
      typeSub(['photo', 'thumbnail']),
      primarySub(),
    ]),
    multi('addresses', 'A physical mailing address for this User.', [
      attr('formatted', 'The full mailing address, formatted for display or use with a mailing label.', { maxLength: STRING_MAX }),
      attr('streetAddress', 'The full street address component.', { maxLength: STRING_MAX }),
      attr('locality', 'The city or locality component.', { maxLength: STRING_MAX }),
      attr('region', 'The state or region component.', { maxLength: STRING_MAX }),
      attr('postalCode', 'The zip code or postal code component.', { maxLength: STRING_MAX }),
      attr('country', 'The country name component (ISO 3166-1 alpha-2).', { maxLength: STRING_MAX }),
      typeSub(['work', 'home', 'other']),
      primarySub(),
    ]),
    multi(
      'groups',
      "The groups the user is a direct member of (nested groups are not expanded). Read-only: membership changes through the Group resource's members.",
      [
        attr('value', "The identifier of the User's group.", { mutability: 'readOnly' }),
        attr('$ref', "The URI of the corresponding 'Group' resource to which the user belongs.", { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'readOnly' }),
        attr('display', "A human-readable name, primarily used for display purposes.", { mutability: 'readOnly' }),
        attr('type', "How the user is a member: always 'direct' here.", { canonicalValues: ['direct'], mutability: 'readOnly' }),
      ],
      { mutability: 'readOnly' },
    ),
    multi('entitlements', 'A list of entitlements for the User that represent a thing the User has.', [attr('value', 'The value of an entitlement.', { maxLength: STRING_MAX }), displaySub(), attr('type', "A label indicating the attribute's function."), primarySub()]),
    multi('roles', 'A list of roles for the User that collectively represent who the User is, e.g., \'Student\', \'Faculty\'. Not administrator roles of this product.', [
      attr('value', 'The value of a role.', { maxLength: STRING_MAX }),
      displaySub(),
      attr('type', "A label indicating the attribute's function."),
      primarySub(),
    ]),
    multi('x509Certificates', 'A list of certificates issued to the User.', [attr('value', 'The value of an X.509 certificate (base64 DER).', { type: 'binary', caseExact: true, maxLength: 65_536 }), displaySub(), attr('type', "A label indicating the attribute's function."), primarySub()]),
  ],
};

export const enterpriseUserSchema: SchemaDef = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.', { maxLength: STRING_MAX }),
    attr('costCenter', 'Identifies the name of a cost center.', { maxLength: STRING_MAX }),
    attr('organization', 'Identifies the name of an organization.', { maxLength: STRING_MAX }),
    attr('division', 'Identifies the name of a division.', { maxLength: STRING_MAX }),
    attr('department', 'Identifies the name of a department.', { maxLength: STRING_MAX }),
    complex('manager', "The User's manager: another User of this tenant.", [
      attr('value', 'The id of the SCIM resource representing the User\'s manager.', { caseExact: true }),
      attr('$ref', "The URI of the SCIM resource representing the User's manager.", { type: 'reference', referenceTypes: ['User'], mutability: 'readOnly' }),
      attr('displayName', "The displayName of the User's manager.", { mutability: 'readOnly' }),
    ]),
  ],
};

export const groupSchema: SchemaDef = {
  id: URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'A human-readable name for the Group.', { required: true, maxLength: 256 }),
    multi('members', 'A list of members of the Group: Users or Groups of this tenant.', [
      attr('value', 'Identifier of the member of this Group.', { caseExact: true, mutability: 'immutable' }),
      attr('$ref', 'The URI corresponding to a SCIM resource that is a member of this Group.', { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'readOnly' }),
      attr('display', "The member's displayName (a User's displayName, else userName).", { mutability: 'readOnly' }),
      attr('type', 'A label indicating the type of resource, e.g., \'User\' or \'Group\'.', { canonicalValues: ['User', 'Group'], mutability: 'immutable' }),
    ]),
  ],
};

/** RFC 7643 §3.1: attributes of every resource, not part of any schema's attribute list. */
export const commonAttributes: AttributeDef[] = [
  attr('schemas', 'The schema URIs of the resource: its core schema and each extension it carries.', { multiValued: true, type: 'reference', caseExact: false, mutability: 'readOnly', returned: 'always' }),
  attr('id', 'A unique identifier for a SCIM resource as defined by the service provider.', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }),
  attr('externalId', 'A String that is an identifier for the resource as defined by the provisioning client.', { caseExact: true, maxLength: STRING_MAX }),
  complex(
    'meta',
    'A complex attribute containing resource metadata.',
    [
      attr('resourceType', 'The name of the resource type of the resource.', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'The "DateTime" that the resource was added to the service provider.', { type: 'dateTime', mutability: 'readOnly' }),
      attr('lastModified', 'The most recent DateTime that the details of this resource were updated at the service provider.', { type: 'dateTime', mutability: 'readOnly' }),
      attr('location', 'The URI of the resource being returned.', { type: 'reference', caseExact: true, mutability: 'readOnly' }),
      attr('version', 'The version of the resource being returned (a weak entity tag).', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly' },
  ),
];

export const userResourceType: ResourceTypeDef = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: userSchema,
  extensions: [{ schema: enterpriseUserSchema, required: false }],
};

export const groupResourceType: ResourceTypeDef = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: groupSchema,
  extensions: [],
};

export const resourceTypes = [userResourceType, groupResourceType] as const;
export const schemas = [userSchema, groupSchema, enterpriseUserSchema] as const;
