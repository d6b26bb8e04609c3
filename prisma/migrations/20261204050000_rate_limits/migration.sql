-- Rate-limit policies per tenant (tenant_id NULL: global defaults)
CREATE TABLE "rate_limit_policies" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "endpoint" TEXT NOT NULL,
    "key_type" TEXT NOT NULL,
    "limit" INTEGER NOT NULL,
    "window_seconds" INTEGER NOT NULL,
    "action" TEXT NOT NULL DEFAULT 'reject',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rate_limit_policies_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "rate_limit_policies_tenant_id_idx" ON "rate_limit_policies"("tenant_id");
ALTER TABLE "rate_limit_policies" ADD CONSTRAINT "rate_limit_policies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Shared counters for rate-limiter-flexible's Postgres store (its own schema), so every
-- instance on this database enforces one limit together.
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- Addresses a user signed in from successfully: a lockout does not apply to them, so an
-- attacker cannot lock the owner out from a known place.
ALTER TABLE "users" ADD COLUMN "known_login_ips" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
