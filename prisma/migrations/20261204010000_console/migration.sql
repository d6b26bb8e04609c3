-- Per-tenant settings (token lifetimes, grant types, password policy)
ALTER TABLE "tenants" ADD COLUMN "settings" JSONB NOT NULL DEFAULT '{}';

-- Account state the console manages
ALTER TABLE "users" ADD COLUMN "must_change_password" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "users" ADD COLUMN "failed_login_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "users" ADD COLUMN "locked_until" TIMESTAMPTZ(3);

-- Prefix search over 100k+ users per tenant uses these (LIKE 'abc%' needs pattern ops)
CREATE INDEX "users_tenant_id_username_pattern_idx" ON "users"("tenant_id", "username" text_pattern_ops);
CREATE INDEX "users_tenant_id_email_pattern_idx" ON "users"("tenant_id", "email" text_pattern_ops);

-- Sessions and grants of one user, for the console
ALTER TABLE "oidc_payloads" ADD COLUMN "account_id" TEXT;
CREATE INDEX "oidc_payloads_tenant_id_account_id_model_idx" ON "oidc_payloads"("tenant_id", "account_id", "model");

-- Role bindings may name a machine client (admin API) instead of a user
ALTER TABLE "admin_role_bindings" ALTER COLUMN "user_id" DROP NOT NULL;
ALTER TABLE "admin_role_bindings" ADD COLUMN "client_id" TEXT;
CREATE INDEX "admin_role_bindings_client_id_idx" ON "admin_role_bindings"("client_id");

-- Console sessions (server-side: revocable, idle and absolute timeouts)
CREATE TABLE "console_sessions" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "id_token_enc" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "console_sessions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "console_sessions_user_id_idx" ON "console_sessions"("user_id");
ALTER TABLE "console_sessions" ADD CONSTRAINT "console_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Audit log filters
CREATE INDEX "audit_events_time_idx" ON "audit_events"("time");
CREATE INDEX "audit_events_tenant_id_subject_time_idx" ON "audit_events"("tenant_id", "subject", "time");
