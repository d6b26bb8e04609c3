/**
 * FormData → service input, shared by the client forms (to validate with the same zod schema
 * before submitting) and the server actions (which always validate again). Pure functions.
 */
const text = (fd: FormData, name: string) => {
  const value = fd.get(name);
  return typeof value === 'string' ? value : '';
};
/** Blank → undefined (the schema's "not given"). */
const optional = (fd: FormData, name: string) => text(fd, name).trim() || undefined;
/** Blank → null (clears the value). */
const nullable = (fd: FormData, name: string) => text(fd, name).trim() || null;
const lines = (fd: FormData, name: string) =>
  text(fd, name)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const checked = (fd: FormData, name: string) => fd.get(name) === 'on';

export const tenantCreateInput = (fd: FormData) => ({ slug: text(fd, 'slug').trim(), displayName: text(fd, 'displayName') });

export const tenantSettingsInput = (fd: FormData) => ({
  displayName: text(fd, 'displayName'),
  settings: {
    // A blank number falls back to the product-wide default.
    accessTokenTtlSeconds: optional(fd, 'accessTokenTtlSeconds'),
    refreshTokenTtlDays: optional(fd, 'refreshTokenTtlDays'),
    allowedGrantTypes: fd.getAll('allowedGrantTypes').map(String) as ('authorization_code' | 'refresh_token' | 'client_credentials')[],
    passwordMinLength: optional(fd, 'passwordMinLength'),
    // "Default" (blank) falls back to the product default for the tenant.
    mfaPolicy: optional(fd, 'mfaPolicy') as 'off' | 'optional' | 'required' | undefined,
    mfaRequiredFor: optional(fd, 'mfaRequiredFor') as 'all' | 'admins' | undefined,
  },
});

export const clientCreateInput = (fd: FormData) => {
  const kind = text(fd, 'kind');
  return {
    name: text(fd, 'name'),
    kind: kind as 'web' | 'spa' | 'native' | 'machine',
    // Machine clients have no browser redirects; ignore whatever a hidden textarea still holds.
    redirectUris: kind === 'machine' ? [] : lines(fd, 'redirectUris'),
    postLogoutRedirectUris: kind === 'machine' ? [] : lines(fd, 'postLogoutRedirectUris'),
    // Public clients have no secret: the field is not shown for them, and ignored if sent.
    ...(kind === 'web' || kind === 'machine' ? { tokenEndpointAuthMethod: optional(fd, 'tokenEndpointAuthMethod') as 'client_secret_basic' | 'client_secret_post' | undefined } : {}),
  };
};

export const clientUpdateInput = (fd: FormData, kind: string) => ({
  name: text(fd, 'name'),
  ...(kind === 'machine' ? {} : { redirectUris: lines(fd, 'redirectUris'), postLogoutRedirectUris: lines(fd, 'postLogoutRedirectUris') }),
});

export const userCreateInput = (fd: FormData) => ({
  username: text(fd, 'username'),
  email: optional(fd, 'email'),
  emailVerified: checked(fd, 'emailVerified'),
  name: optional(fd, 'name'),
  password: text(fd, 'password') || undefined,
});

export const userUpdateInput = (fd: FormData) => ({
  email: nullable(fd, 'email'),
  emailVerified: checked(fd, 'emailVerified'),
  name: nullable(fd, 'name'),
});

export const grantRoleInput = (fd: FormData) => {
  const scope = text(fd, 'tenantSlug');
  return { username: text(fd, 'username'), role: text(fd, 'role') as never, tenantSlug: scope && scope !== '*' ? scope : null };
};
