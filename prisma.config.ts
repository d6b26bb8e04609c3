import { defineConfig } from 'prisma/config';

// Prisma's env() throws when a variable is unset; the embedded database needs no URL.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
