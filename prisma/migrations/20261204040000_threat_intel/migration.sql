-- Threat intelligence: IOC feeds, their stored entries and fetch history, manual allow/deny
-- lists, the blocking policy, and hourly hit counters for the console.

CREATE TABLE "threat_feeds" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "url" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "builtin_key" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "interval_minutes" INTEGER NOT NULL DEFAULT 60,
    "action" TEXT,
    -- Scheduling: the instance that claims a due feed (FOR UPDATE SKIP LOCKED) takes a lease.
    "next_fetch_at" TIMESTAMPTZ(3),
    "lease_token" UUID,
    "lease_until" TIMESTAMPTZ(3),
    -- Progress of the fetch under way: idle | queued | downloading | parsing | saving
    "fetch_state" TEXT NOT NULL DEFAULT 'idle',
    "fetch_bytes" BIGINT NOT NULL DEFAULT 0,
    "last_fetch_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    -- ok | not_modified | error
    "last_status" TEXT,
    "last_error" TEXT,
    "entry_count" INTEGER NOT NULL DEFAULT 0,
    "bad_lines" INTEGER NOT NULL DEFAULT 0,
    "ignored_lines" INTEGER NOT NULL DEFAULT 0,
    "bad_samples" JSONB NOT NULL DEFAULT '[]',
    "etag" TEXT,
    "last_modified" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "threat_feeds_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "threat_feeds_name_key" ON "threat_feeds"("name");
CREATE UNIQUE INDEX "threat_feeds_builtin_key_key" ON "threat_feeds"("builtin_key");
CREATE INDEX "threat_feeds_enabled_next_fetch_at_idx" ON "threat_feeds"("enabled", "next_fetch_at");

-- The last good entries of a feed: canonical lines, gzip-compressed, one row per feed
-- (a million entries save and load as one value on Postgres and PGlite alike).
CREATE TABLE "threat_feed_data" (
    "feed_id" UUID NOT NULL,
    "entries" BYTEA NOT NULL,
    "entry_count" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "threat_feed_data_pkey" PRIMARY KEY ("feed_id")
);
ALTER TABLE "threat_feed_data" ADD CONSTRAINT "threat_feed_data_feed_id_fkey" FOREIGN KEY ("feed_id") REFERENCES "threat_feeds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "threat_feed_fetches" (
    "id" BIGSERIAL NOT NULL,
    "feed_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "http_status" INTEGER,
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "entries" INTEGER NOT NULL DEFAULT 0,
    "bad_lines" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "threat_feed_fetches_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "threat_feed_fetches_feed_id_started_at_idx" ON "threat_feed_fetches"("feed_id", "started_at");
ALTER TABLE "threat_feed_fetches" ADD CONSTRAINT "threat_feed_fetches_feed_id_fkey" FOREIGN KEY ("feed_id") REFERENCES "threat_feeds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Manual IOCs: global (tenant_id NULL) or one tenant's; the allow list wins over every deny.
CREATE TABLE "threat_manual_iocs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "list" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "threat_manual_iocs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "threat_manual_iocs_tenant_id_idx" ON "threat_manual_iocs"("tenant_id");
ALTER TABLE "threat_manual_iocs" ADD CONSTRAINT "threat_manual_iocs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What a hit does: scope 'global' (the default) or a tenant id (its override; NULL = inherit).
CREATE TABLE "threat_policies" (
    "scope" TEXT NOT NULL,
    "ip_action" TEXT,
    "domain_action" TEXT,
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "threat_policies_pkey" PRIMARY KEY ("scope")
);
INSERT INTO "threat_policies" ("scope", "ip_action", "domain_action") VALUES ('global', 'block', 'block');

-- Bumped in the transaction of every change to feeds' entries, manual lists or policies:
-- every instance polls it and rebuilds its matcher when it moves.
CREATE TABLE "threat_state" (
    "id" INTEGER NOT NULL,
    "generation" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "threat_state_pkey" PRIMARY KEY ("id")
);
INSERT INTO "threat_state" ("id", "generation") VALUES (1, 0);

-- Hourly hit counters, aggregated in memory and added in batches (a flood from one listed
-- address costs one row update per flush, not one audit row per request).
CREATE TABLE "threat_hit_counts" (
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "hits" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "threat_hit_counts_pkey" PRIMARY KEY ("bucket", "source", "action")
);

CREATE TABLE "threat_hit_ips" (
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    -- The nil UUID for requests outside any tenant (console, admin API).
    "tenant_id" UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    "hits" BIGINT NOT NULL DEFAULT 0,
    "last_source" TEXT,

    CONSTRAINT "threat_hit_ips_pkey" PRIMARY KEY ("bucket", "ip", "action", "tenant_id")
);
CREATE INDEX "threat_hit_ips_bucket_idx" ON "threat_hit_ips"("bucket");
