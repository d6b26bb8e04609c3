-- meta.lastModified ("modified_at") never precedes meta.created ("created_at") and never goes
-- back (RFC 7643 §3.1: a resource never modified has lastModified equal to created). The
-- triggers stamped CURRENT_TIMESTAMP, the start of the transaction, while the application stamps
-- "created_at" later in that transaction: a group created with members (whose insert bumps the
-- group) came back with lastModified earlier than created. Each stamp is now the latest of the
-- transaction start, "created_at" and the previous "modified_at". Bodies otherwise as in
-- 20261204070000 (users) and 20261204030000 (groups, memberships).

CREATE OR REPLACE FUNCTION "users_scim_before_write"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW."email" IS NOT NULL AND jsonb_array_length(NEW."emails") = 0 THEN
            NEW."emails" := jsonb_build_array(jsonb_build_object('value', NEW."email", 'primary', true));
        END IF;
        NEW."email_values" := ARRAY(SELECT lower(e ->> 'value') FROM jsonb_array_elements(NEW."emails") AS e WHERE e ->> 'value' IS NOT NULL);
        RETURN NEW;
    END IF;
    IF NEW."email" IS DISTINCT FROM OLD."email" AND NEW."emails" IS NOT DISTINCT FROM OLD."emails" THEN
        NEW."emails" := "scim_mirror_sign_in_email"(NEW."emails", NEW."email");
    END IF;
    IF NEW."emails" IS DISTINCT FROM OLD."emails" THEN
        NEW."email_values" := ARRAY(SELECT lower(e ->> 'value') FROM jsonb_array_elements(NEW."emails") AS e WHERE e ->> 'value' IS NOT NULL);
    END IF;
    -- A new version whenever something SCIM returns changed (not on sign-ins, lockouts, password changes).
    IF NEW."version" = OLD."version" AND (
        NEW."username", NEW."scim_user_name", NEW."email", NEW."name", NEW."disabled", NEW."external_id", NEW."formatted_name", NEW."family_name",
        NEW."given_name", NEW."middle_name", NEW."honorific_prefix", NEW."honorific_suffix", NEW."nick_name", NEW."profile_url",
        NEW."title", NEW."user_type", NEW."preferred_language", NEW."locale", NEW."timezone", NEW."emails", NEW."phone_numbers",
        NEW."ims", NEW."photos", NEW."addresses", NEW."entitlements", NEW."scim_roles", NEW."x509_certificates",
        NEW."employee_number", NEW."cost_center", NEW."organization", NEW."division", NEW."department", NEW."manager_id"
    ) IS DISTINCT FROM (
        OLD."username", OLD."scim_user_name", OLD."email", OLD."name", OLD."disabled", OLD."external_id", OLD."formatted_name", OLD."family_name",
        OLD."given_name", OLD."middle_name", OLD."honorific_prefix", OLD."honorific_suffix", OLD."nick_name", OLD."profile_url",
        OLD."title", OLD."user_type", OLD."preferred_language", OLD."locale", OLD."timezone", OLD."emails", OLD."phone_numbers",
        OLD."ims", OLD."photos", OLD."addresses", OLD."entitlements", OLD."scim_roles", OLD."x509_certificates",
        OLD."employee_number", OLD."cost_center", OLD."organization", OLD."division", OLD."department", OLD."manager_id"
    ) THEN
        NEW."version" := OLD."version" + 1;
        NEW."modified_at" := GREATEST(CURRENT_TIMESTAMP, NEW."created_at", OLD."modified_at");
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION "groups_scim_before_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."version" = OLD."version" AND (NEW."display_name", NEW."external_id") IS DISTINCT FROM (OLD."display_name", OLD."external_id") THEN
        NEW."version" := OLD."version" + 1;
        NEW."modified_at" := GREATEST(CURRENT_TIMESTAMP, NEW."created_at", OLD."modified_at");
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION "groups_scim_after_rename"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "users" SET "version" = "version" + 1, "modified_at" = GREATEST(CURRENT_TIMESTAMP, "created_at", "modified_at")
        WHERE "id" IN (SELECT "user_id" FROM "group_members" WHERE "group_id" = NEW."id" AND "user_id" IS NOT NULL);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "group_members_scim_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "groups" SET "version" = "version" + 1, "modified_at" = GREATEST(CURRENT_TIMESTAMP, "created_at", "modified_at") WHERE "id" IN (SELECT "group_id" FROM "added_members");
    UPDATE "users" SET "version" = "version" + 1, "modified_at" = GREATEST(CURRENT_TIMESTAMP, "created_at", "modified_at") WHERE "id" IN (SELECT "user_id" FROM "added_members" WHERE "user_id" IS NOT NULL);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "group_members_scim_after_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "groups" SET "version" = "version" + 1, "modified_at" = GREATEST(CURRENT_TIMESTAMP, "created_at", "modified_at") WHERE "id" IN (SELECT "group_id" FROM "removed_members");
    UPDATE "users" SET "version" = "version" + 1, "modified_at" = GREATEST(CURRENT_TIMESTAMP, "created_at", "modified_at") WHERE "id" IN (SELECT "user_id" FROM "removed_members" WHERE "user_id" IS NOT NULL);
    RETURN NULL;
END $$;

-- Rows stamped before this migration: no version change (the triggers above leave it alone).
UPDATE "groups" SET "modified_at" = "created_at" WHERE "modified_at" < "created_at";
UPDATE "users" SET "modified_at" = "created_at" WHERE "modified_at" < "created_at";
