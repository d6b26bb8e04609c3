import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Downloads a feed: TLS certificate verification as Node does it by default (never turned off
 * here), a total time limit, a size limit enforced while streaming (a Content-Length over the
 * limit is refused before reading), conditional requests (ETag / Last-Modified → 304 keeps the
 * stored entries), and no requests into internal networks.
 *
 * Feed URLs are set by administrators, but a feed fetcher is still a server-side request
 * forgery vector (cloud metadata at 169.254.169.254, admin ports on localhost, the database).
 * The check happens where it cannot be raced: on the addresses the connection actually uses
 * (a lookup hook on every request, so DNS rebinding does not help), on literal IP hosts, and
 * again on every redirect hop.
 */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 5;

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadOptions {
  maxBytes?: number;
  timeoutMs?: number;
  etag?: string | null;
  lastModified?: string | null;
  /** Allow hosts on loopback, private and other non-public addresses (a feed mirror inside the network). */
  allowPrivateNetworks?: boolean;
  /** Called as bytes arrive (at most every 64 KiB). */
  onProgress?: (bytes: number) => void;
}

export type DownloadResult =
  | { status: 'not_modified'; httpStatus: 304; bytes: 0 }
  | { status: 'ok'; httpStatus: number; text: string; bytes: number; etag: string | null; lastModified: string | null };

/** Only globally routable unicast addresses are public (ipaddr.js ranges; IPv4-mapped IPv6 unwrapped). */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

const tooLarge = (maxBytes: number, httpStatus: number | null) => new DownloadError(`the feed is larger than the ${Math.round(maxBytes / 1048576)} MB limit`, httpStatus);

const internalAddress = (host: string, address: string) =>
  new DownloadError(`refused: ${host} is an internal address (${address}); feeds are fetched from public addresses only (THREAT_FEEDS_ALLOW_PRIVATE_NETWORKS=true allows a mirror inside your network)`);

/** A DNS lookup that fails when any address of the host is internal. */
function publicOnlyLookup(hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error);
    const internal = addresses.find((a) => !isPublicAddress(a.address));
    if (internal) return callback(internalAddress(hostname, internal.address));
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

function describe(error: unknown): string {
  if (error instanceof DownloadError) return error.message;
  const err = error as { name?: string; message?: string; code?: string };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.code === 'ABORT_ERR') return 'the download timed out';
  const code = err?.code;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return `TLS certificate verification failed (${code})`;
  if (code) return `${code}: ${err.message ?? 'network error'}`;
  return err?.message ?? 'download failed';
}

type Target = { url: URL; headers: Record<string, string>; options: DownloadOptions; signal: AbortSignal };

/** One request; resolves with the response once its headers are in. */
function request({ url, headers, options, signal }: Target): Promise<http.IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateNetworks && net.isIP(host) && !isPublicAddress(host)) return Promise.reject(internalAddress(host, host));
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: 'GET', headers, signal, lookup: options.allowPrivateNetworks ? undefined : (publicOnlyLookup as never) }, resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readBody(response: http.IncomingMessage, maxBytes: number, onProgress?: (bytes: number) => void): Promise<{ text: string; bytes: number }> {
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let bytes = 0;
  let reported = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      response.destroy();
      throw tooLarge(maxBytes, response.statusCode ?? null);
    }
    parts.push(decoder.decode(chunk, { stream: true }));
    if (onProgress && bytes - reported >= 65_536) {
      reported = bytes;
      onProgress(bytes);
    }
  }
  parts.push(decoder.decode());
  onProgress?.(bytes);
  return { text: parts.join(''), bytes };
}

export async function downloadFeed(url: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  // No Accept-Encoding: the size limit applies to what is stored, and nothing to inflate.
  const headers: Record<string, string> = { 'user-agent': 'iam-threat-intel/1.0 (+feed fetcher)', accept: '*/*' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  try {
    let target = new URL(url);
    for (let hop = 0; ; hop++) {
      if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new DownloadError(`refused: a redirect to ${target.protocol} URLs`);
      const response = await request({ url: target, headers, options, signal });
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && status !== 304 && response.headers.location) {
        response.resume();
        if (hop >= MAX_REDIRECTS) throw new DownloadError(`more than ${MAX_REDIRECTS} redirects`, status);
        target = new URL(response.headers.location, target);
        continue;
      }
      if (status === 304) {
        response.resume();
        return { status: 'not_modified', httpStatus: 304, bytes: 0 };
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw new DownloadError(`the server answered HTTP ${status}`, status);
      }
      const declared = Number(response.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        response.destroy();
        throw tooLarge(maxBytes, status);
      }
      const { text, bytes } = await readBody(response, maxBytes, options.onProgress);
      const header = (name: string) => {
        const value = response.headers[name];
        return typeof value === 'string' ? value : null;
      };
      return { status: 'ok', httpStatus: status, text, bytes, etag: header('etag'), lastModified: header('last-modified') };
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    // An abort mid-body surfaces as a reset socket; the signal says what really happened.
    if (signal.aborted) throw new DownloadError('the download timed out');
    throw new DownloadError(describe(error));
  }
}
