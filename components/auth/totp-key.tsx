/**
 * The two ways to add a TOTP secret to an authenticator app, shown wherever one is enrolled (the
 * sign-in's enrolment step and the account page): the QR code, and the key in groups of four
 * for typing by hand (RFC 4648 base32, as authenticator apps accept it with or without spaces).
 */
export function TotpQrCode({ dataUrl, className }: { dataUrl: string; className?: string }) {
  return (
    // eslint-disable-next-line @next/next/no-img-element -- a data: URL rendered with the page
    <img src={dataUrl} alt="QR code to add this account to an authenticator app" width={220} height={220} data-testid="totp-qr" className={className} />
  );
}

export function TotpManualKey({ secret, className }: { secret: string; className?: string }) {
  return (
    <p className={className} aria-label="Secret key for manual entry">
      {secret.replace(/(.{4})/g, '$1 ').trim()}
    </p>
  );
}
