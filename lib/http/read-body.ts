import type { IncomingMessage } from 'node:http';

/**
 * A request body as UTF-8 text, or null when it is over `maxBytes` (declared in Content-Length,
 * or found while streaming). Stops reading at the limit without destroying the request, so the
 * caller can still answer (413) on the same connection.
 */
export async function readBodyWithin(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
