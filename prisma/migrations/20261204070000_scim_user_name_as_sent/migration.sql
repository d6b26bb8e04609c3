-- RFC 7643 §4.1.1: userName is caseExact=false, which governs comparison, not storage: a SCIM
-- client reads back the userName it sent. "username" keeps the folded form (lower case, NFC)
-- that is unique per tenant and that sign-in and filters compare against; "scim_user_name"
-- holds the userName as sent. NULL for users never named over SCIM: SCIM returns "username".
ALTER TABLE "users" ADD COLUMN "scim_user_name" TEXT;

-- Two users may now share a primary email (RFC 7643 §4.1.2 gives emails no uniqueness); only
-- one of them has it as the sign-in "email". When the other later gets it (the first one let
-- go of it), "email" changes while "emails" does not: keep the value as the client wrote it
-- rather than overwrite it with the lower-cased sign-in email. Otherwise as in 20261204030000.
CREATE OR REPLACE FUNCTION "scim_mirror_sign_in_email"(emails JSONB, email TEXT) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
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
    IF lower(emails -> idx ->> 'value') = lower(email) THEN
        RETURN emails;
    END IF;
    RETURN jsonb_set(emails, ARRAY[idx::text, 'value'], to_jsonb(email));
END $$;

-- As in 20261204030100, with "scim_user_name" among the attributes whose change is a new
-- version: a rename that changes only the case is a change SCIM clients see.
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
        NEW."modified_at" := CURRENT_TIMESTAMP;
    END IF;
    RETURN NEW;
END $$;
