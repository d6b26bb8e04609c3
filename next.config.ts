import type { NextConfig } from 'next';

// Packages that must stay real Node modules rather than be bundled: PGlite ships WASM and data
// files, oidc-provider is ESM with dynamic requires, the Prisma adapters and pg load native-ish
// code paths, argon2 is a prebuilt addon.
const nextConfig: NextConfig = {
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pglite-prisma-adapter',
    'pg',
    '@prisma/adapter-pg',
    '@prisma/client',
    'oidc-provider',
    '@node-rs/argon2',
    'pino',
    'prom-client',
  ],
  // A separate build directory lets parallel checkouts/CI jobs build without clobbering each other.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // No HTTP compression in the app server. Sign-in and console pages carry CSRF tokens next to
  // text an attacker can choose (login_hint, search boxes), the BREACH pattern for compressed
  // TLS responses. Compress the immutable /_next/static assets in the reverse proxy instead
  // (README, "Operations").
  compress: false,
  // Every page is dynamic and sent with Cache-Control: no-store; an ETag would only cost a hash.
  generateEtags: false,
  reactStrictMode: true,
  // The build type-checks the product; tests, scripts and benchmarks are checked by `npm run typecheck`.
  typescript: { tsconfigPath: './tsconfig.build.json' },
};

export default nextConfig;
