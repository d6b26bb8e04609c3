import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Reads a QR code from a PNG data: URL the way a phone camera would: from the pixels. */
export function decodeQrDataUrl(dataUrl: string): string {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  const result = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!result) throw new Error('no QR code found in the image');
  return result.data;
}

export function secretFromOtpauthUri(uri: string): string {
  const url = new URL(uri);
  if (url.protocol !== 'otpauth:' || url.host !== 'totp') throw new Error(`not a TOTP URI: ${uri}`);
  return url.searchParams.get('secret')!;
}
