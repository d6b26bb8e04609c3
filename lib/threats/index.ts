/**
 * Threat intelligence: IOC feeds and manual allow/deny lists, matched against every request's
 * client address (lib/server/guards.ts) and against domains where they appear.
 *
 * Wiring for other modules:
 * - server.ts: `await startThreatIntel()` once, after the database is ready.
 * - sign-in interaction: `threatVerdictFor(ip, tenantSlug) === 'challenge'` → require MFA.
 * - user creation / SCIM: `checkEmailDomain(email, tenantId)`; client registration:
 *   `checkDomain(new URL(redirectUri).hostname, tenantId)`; refuse on verdict 'block'.
 */
export { startThreatIntel } from './start';
export { threatVerdictFor, checkDomain, checkEmailDomain, evaluateIp, type ThreatVerdict, type DomainCheck, type DomainContext } from './verdict';
export { rebuildMatcher, rebuildIfStale, currentSnapshot } from './engine';
export { runDueFeeds, claimDueFeed, runClaimedFeed } from './refresh-feed';
export { flushHits } from './hits';
export {
  createFeed,
  updateFeed,
  deleteFeed,
  setFeedEnabled,
  requestFeedFetch,
  addManualIoc,
  removeManualIoc,
  findManualIoc,
  setPolicy,
  ensureBuiltinFeeds,
  classifyIocValue,
  type ThreatActor,
} from './manage';
export { listFeeds, getFeed, feedFetchHistory, listManualIocs, listPolicies, topBlockedIps, hitsPerSource, matcherStatus, type FeedDto, type FetchHistoryPoint, type ManualIocDto, type PolicyDto, type TopIp, type HitSeries, type MatcherStatus } from './queries';
export { feedInputSchema, manualIocInputSchema, policyInputSchema, feedFormats, feedKinds, ipActions, domainActions, csvOptionsSchema, type FeedInput, type ManualIocInput, type PolicyInput, type IpAction, type DomainAction } from './schemas';
export { BUILTIN_FEEDS } from './builtin-feeds';
export { screenEmailDomain, screenRedirectHosts } from './screen';
