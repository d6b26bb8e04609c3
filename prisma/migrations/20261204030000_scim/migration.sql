-- SCIM 2.0 (RFC 7643, RFC 7644): the User attributes the product did not have yet, the
-- Enterprise User extension, groups with members, per-tenant bearer tokens, and a version
-- counter per resource for ETags (RFC 7644 §3.14).

-- User: core attributes (RFC 7643 §4.1). userName is "username", displayName is "name",
-- active is NOT "disabled". Multi-valued attributes are JSON arrays of their complex values.
ALTER TABLE "users"
    ADD COLUMN "external_id" TEXT,
    ADD COLUMN "formatted_name" TEXT,
    ADD COLUMN "family_name" TEXT,
    ADD COLUMN "given_name" TEXT,
    ADD COLUMN "middle_name" TEXT,
    ADD COLUMN "honorific_prefix" TEXT,
    ADD COLUMN "honorific_suffix" TEXT,
    ADD COLUMN "nick_name" TEXT,
    ADD COLUMN "profile_url" TEXT,
    ADD COLUMN "title" TEXT,
    ADD COLUMN "user_type" TEXT,
    ADD COLUMN "preferred_language" TEXT,
    ADD COLUMN "locale" TEXT,
    ADD COLUMN "timezone" TEXT,
    ADD COLUMN "emails" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "phone_numbers" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "ims" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "photos" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "addresses" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "entitlements" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "scim_roles" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "x509_certificates" JSONB NOT NULL DEFAULT '[]',
    -- Enterprise User extension (RFC 7643 §4.3)
    ADD COLUMN "employee_number" TEXT,
    ADD COLUMN "cost_center" TEXT,
    ADD COLUMN "organization" TEXT,
    ADD COLUMN "division" TEXT,
    ADD COLUMN "department" TEXT,
    ADD COLUMN "manager_id" UUID,
    -- Created through SCIM (for the console); SCIM manages every user of the tenant either way.
    ADD COLUMN "scim_provisioned" BOOLEAN NOT NULL DEFAULT false,
    -- meta.version (weak ETag) and meta.lastModified: changed by the trigger below whenever an
    -- attribute SCIM returns changes, whoever changed it (SCIM, console, admin API).
    ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN "modified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

UPDATE "users" SET "modified_at" = "updated_at";
UPDATE "users" SET "emails" = jsonb_build_array(jsonb_build_object('value', "email", 'primary', true)) WHERE "email" IS NOT NULL;

CREATE INDEX "users_tenant_id_external_id_idx" ON "users"("tenant_id", "external_id");
CREATE INDEX "users_manager_id_idx" ON "users"("manager_id");
ALTER TABLE "users" ADD CONSTRAINT "users_manager_id_fkey" FOREIGN KEY ("manager_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Groups (RFC 7643 §4.2)
CREATE TABLE "groups" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "external_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "groups_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "groups_tenant_id_display_name_idx" ON "groups"("tenant_id", "display_name");
CREATE INDEX "groups_tenant_id_external_id_idx" ON "groups"("tenant_id", "external_id");
ALTER TABLE "groups" ADD CONSTRAINT "groups_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A member is a user or a group (RFC 7643 §4.2 "members": value, type User | Group).
CREATE TABLE "group_members" (
    "id" BIGSERIAL NOT NULL,
    "group_id" UUID NOT NULL,
    "user_id" UUID,
    "member_group_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "group_members_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "group_members_one_member_check" CHECK (("user_id" IS NULL) <> ("member_group_id" IS NULL))
);
CREATE UNIQUE INDEX "group_members_group_id_user_id_key" ON "group_members"("group_id", "user_id");
CREATE UNIQUE INDEX "group_members_group_id_member_group_id_key" ON "group_members"("group_id", "member_group_id");
CREATE INDEX "group_members_user_id_idx" ON "group_members"("user_id");
CREATE INDEX "group_members_member_group_id_idx" ON "group_members"("member_group_id");
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_member_group_id_fkey" FOREIGN KEY ("member_group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- SCIM bearer tokens: only a keyed hash is stored; the token is shown once at creation.
CREATE TABLE "scim_tokens" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "token_prefix" TEXT NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "scim_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "scim_tokens_token_hash_key" ON "scim_tokens"("token_hash");
CREATE INDEX "scim_tokens_tenant_id_idx" ON "scim_tokens"("tenant_id");
ALTER TABLE "scim_tokens" ADD CONSTRAINT "scim_tokens_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The sign-in email ("email") is the SCIM primary email (else the first one). SCIM writes set
-- both; a write that changes only "email" (console, admin API) is mirrored into "emails" here,
-- so filters over emails and the sign-in email never disagree.
CREATE FUNCTION "scim_mirror_sign_in_email"(emails JSONB, email TEXT) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    idx INTEGER;
BEGIN
    SELECT e.ord - 1 INTO idx FROM jsonb_array_elements(emails) WITH ORDINALITY AS e(v, ord)
        WHERE jsonb_typeof(e.v -> 'primary') = 'boolean' AND (e.v ->> 'primary')::boolean ORDER BY e.ord LIMIT 1;
    IF idx IS NULL AND jsonb_array_length(emails) > 0 THEN
        idx := 0;
    END IF;
    IF email IS NULL THEN
        IF idx IS NULL THEN
            RETURN emails;
        END IF;
        RETURN emails - idx;
    END IF;
    IF idx IS NULL THEN
        RETURN jsonb_build_array(jsonb_build_object('value', email, 'primary', true));
    END IF;
    RETURN jsonb_set(emails, ARRAY[idx::text, 'value'], to_jsonb(email));
END $$;

CREATE FUNCTION "users_scim_before_write"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW."email" IS NOT NULL AND jsonb_array_length(NEW."emails") = 0 THEN
            NEW."emails" := jsonb_build_array(jsonb_build_object('value', NEW."email", 'primary', true));
        END IF;
        RETURN NEW;
    END IF;
    IF NEW."email" IS DISTINCT FROM OLD."email" AND NEW."emails" IS NOT DISTINCT FROM OLD."emails" THEN
        NEW."emails" := "scim_mirror_sign_in_email"(NEW."emails", NEW."email");
    END IF;
    -- A new version whenever something SCIM returns changed (not on sign-ins, lockouts, password changes).
    IF NEW."version" = OLD."version" AND (
        NEW."username", NEW."email", NEW."name", NEW."disabled", NEW."external_id", NEW."formatted_name", NEW."family_name",
        NEW."given_name", NEW."middle_name", NEW."honorific_prefix", NEW."honorific_suffix", NEW."nick_name", NEW."profile_url",
        NEW."title", NEW."user_type", NEW."preferred_language", NEW."locale", NEW."timezone", NEW."emails", NEW."phone_numbers",
        NEW."ims", NEW."photos", NEW."addresses", NEW."entitlements", NEW."scim_roles", NEW."x509_certificates",
        NEW."employee_number", NEW."cost_center", NEW."organization", NEW."division", NEW."department", NEW."manager_id"
    ) IS DISTINCT FROM (
        OLD."username", OLD."email", OLD."name", OLD."disabled", OLD."external_id", OLD."formatted_name", OLD."family_name",
        OLD."given_name", OLD."middle_name", OLD."honorific_prefix", OLD."honorific_suffix", OLD."nick_name", OLD."profile_url",
        OLD."title", OLD."user_type", OLD."preferred_language", OLD."locale", OLD."timezone", OLD."emails", OLD."phone_numbers",
        OLD."ims", OLD."photos", OLD."addresses", OLD."entitlements", OLD."scim_roles", OLD."x509_certificates",
        OLD."employee_number", OLD."cost_center", OLD."organization", OLD."division", OLD."department", OLD."manager_id"
    ) THEN
        NEW."version" := OLD."version" + 1;
        NEW."modified_at" := CURRENT_TIMESTAMP;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER "users_scim_before_insert" BEFORE INSERT ON "users" FOR EACH ROW EXECUTE FUNCTION "users_scim_before_write"();
CREATE TRIGGER "users_scim_before_update" BEFORE UPDATE ON "users" FOR EACH ROW EXECUTE FUNCTION "users_scim_before_write"();

CREATE FUNCTION "groups_scim_before_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."version" = OLD."version" AND (NEW."display_name", NEW."external_id") IS DISTINCT FROM (OLD."display_name", OLD."external_id") THEN
        NEW."version" := OLD."version" + 1;
        NEW."modified_at" := CURRENT_TIMESTAMP;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER "groups_scim_before_update" BEFORE UPDATE ON "groups" FOR EACH ROW EXECUTE FUNCTION "groups_scim_before_update"();

-- A user's "groups" shows each group's displayName: renaming a group changes its members too.
CREATE FUNCTION "groups_scim_after_rename"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "users" SET "version" = "version" + 1, "modified_at" = CURRENT_TIMESTAMP
        WHERE "id" IN (SELECT "user_id" FROM "group_members" WHERE "group_id" = NEW."id" AND "user_id" IS NOT NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER "groups_scim_after_rename" AFTER UPDATE OF "display_name" ON "groups" FOR EACH ROW
    WHEN (OLD."display_name" IS DISTINCT FROM NEW."display_name") EXECUTE FUNCTION "groups_scim_after_rename"();

-- Membership changes are changes of the group ("members") and of the user ("groups"), however
-- they happen (SCIM, a deleted user or group cascading): one statement-level bump per write.
CREATE FUNCTION "group_members_scim_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "groups" SET "version" = "version" + 1, "modified_at" = CURRENT_TIMESTAMP WHERE "id" IN (SELECT "group_id" FROM "added_members");
    UPDATE "users" SET "version" = "version" + 1, "modified_at" = CURRENT_TIMESTAMP WHERE "id" IN (SELECT "user_id" FROM "added_members" WHERE "user_id" IS NOT NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER "group_members_scim_after_insert" AFTER INSERT ON "group_members" REFERENCING NEW TABLE AS "added_members"
    FOR EACH STATEMENT EXECUTE FUNCTION "group_members_scim_after_insert"();

CREATE FUNCTION "group_members_scim_after_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "groups" SET "version" = "version" + 1, "modified_at" = CURRENT_TIMESTAMP WHERE "id" IN (SELECT "group_id" FROM "removed_members");
    UPDATE "users" SET "version" = "version" + 1, "modified_at" = CURRENT_TIMESTAMP WHERE "id" IN (SELECT "user_id" FROM "removed_members" WHERE "user_id" IS NOT NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER "group_members_scim_after_delete" AFTER DELETE ON "group_members" REFERENCING OLD TABLE AS "removed_members"
    FOR EACH STATEMENT EXECUTE FUNCTION "group_members_scim_after_delete"();
