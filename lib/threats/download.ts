/**
 * Downloads a feed with Node's fetch: TLS certificate verification as Node does it by default
 * (never turned off here), a total time limit, a size limit enforced while streaming (a
 * Content-Length over the limit is refused before reading), conditional requests (ETag /
 * Last-Modified → 304 keeps the stored entries).
 */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;

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
  /** Called as bytes arrive (at most every 64 KiB). */
  onProgress?: (bytes: number) => void;
}

export type DownloadResult =
  | { status: 'not_modified'; httpStatus: 304; bytes: 0 }
  | { status: 'ok'; httpStatus: number; text: string; bytes: number; etag: string | null; lastModified: string | null };

function describe(error: unknown): string {
  if (error instanceof DownloadError) return error.message;
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'the download timed out';
  const code = err?.cause?.code;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return `TLS certificate verification failed (${code})`;
  if (code) return `${code}: ${err.cause?.message ?? 'network error'}`;
  return err?.message ?? 'download failed';
}

export async function downloadFeed(url: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const headers: Record<string, string> = { 'user-agent': 'iam-threat-intel/1.0 (+feed fetcher)', accept: '*/*' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  try {
    const response = await fetch(url, { headers, signal, redirect: 'follow' });
    if (response.status === 304) return { status: 'not_modified', httpStatus: 304, bytes: 0 };
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadError(`the server answered HTTP ${response.status}`, response.status);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadError(`the feed is larger than the ${Math.round(maxBytes / 1048576)} MB limit`, response.status);
    }
    const decoder = new TextDecoder('utf-8');
    const parts: string[] = [];
    let bytes = 0;
    let reported = 0;
    const reader = response.body?.getReader();
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if (bytes > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new DownloadError(`the feed is larger than the ${Math.round(maxBytes / 1048576)} MB limit`, response.status);
        }
        parts.push(decoder.decode(value, { stream: true }));
        if (options.onProgress && bytes - reported >= 65_536) {
          reported = bytes;
          options.onProgress(bytes);
        }
      }
    }
    parts.push(decoder.decode());
    options.onProgress?.(bytes);
    return { status: 'ok', httpStatus: response.status, text: parts.join(''), bytes, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError(describe(error));
  }
}
