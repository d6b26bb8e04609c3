-- SCIM filters on emails (`emails.value eq "…"`, `emails[type eq "work" and value eq "…"]`) use
-- an index: the lower-cased email values of each user, kept by the users trigger.
ALTER TABLE "users" ADD COLUMN "email_values" TEXT[] NOT NULL DEFAULT '{}';
UPDATE "users" SET "email_values" = ARRAY(SELECT lower(e ->> 'value') FROM jsonb_array_elements("emails") AS e WHERE e ->> 'value' IS NOT NULL);
CREATE INDEX "users_email_values_idx" ON "users" USING GIN ("email_values");

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
