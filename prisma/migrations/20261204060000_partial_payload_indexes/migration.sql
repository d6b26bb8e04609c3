-- The secondary indexes of oidc_payloads start with the primary key's leading columns
-- (tenant_id, model). With young statistics the planner costed them the same as the primary key
-- and answered `id = $3` lookups by walking every row of the model through the uid index
-- (measured: 2,360 rows filtered, ~500 buffers, per refresh-token lookup). Made partial, they
-- only hold rows that carry the column and can only serve queries that filter on it, so id
-- lookups always take the primary key. They also shrink: tokens have no uid, codes no account.
DROP INDEX "oidc_payloads_tenant_id_model_uid_idx";
CREATE INDEX "oidc_payloads_tenant_id_model_uid_idx" ON "oidc_payloads"("tenant_id", "model", "uid") WHERE "uid" IS NOT NULL;

DROP INDEX "oidc_payloads_tenant_id_grant_id_idx";
CREATE INDEX "oidc_payloads_tenant_id_grant_id_idx" ON "oidc_payloads"("tenant_id", "grant_id") WHERE "grant_id" IS NOT NULL;

DROP INDEX "oidc_payloads_tenant_id_account_id_model_idx";
CREATE INDEX "oidc_payloads_tenant_id_account_id_model_idx" ON "oidc_payloads"("tenant_id", "account_id", "model") WHERE "account_id" IS NOT NULL;
