-- Version numbers count up per trust and are never given twice, not even after a draft is discarded
-- (ADR 011). The trust keeps the highest number it has given; the next draft is that plus one.
ALTER TABLE "trusts" ADD COLUMN "last_version_number" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "trusts" ADD CONSTRAINT "trusts_last_version_number_valid" CHECK ("trusts"."last_version_number" >= 0);--> statement-breakpoint
-- Numbers given so far: the versions there are, and the drafts the history says were started or discarded.
UPDATE "trusts" SET "last_version_number" = given.highest
  FROM (
    SELECT trust_id, max(number) AS highest FROM (
      SELECT trust_id, number FROM scheme_versions
      UNION ALL
      SELECT trust_id, CASE WHEN (after ->> 'number') ~ '^[0-9]{1,9}$' THEN (after ->> 'number')::int END
        FROM audit_log WHERE entity = 'version' AND action = 'create'
      UNION ALL
      SELECT trust_id, CASE WHEN (before ->> 'number') ~ '^[0-9]{1,9}$' THEN (before ->> 'number')::int END
        FROM audit_log WHERE entity = 'version' AND action = 'delete'
    ) AS numbers
    WHERE trust_id IS NOT NULL
    GROUP BY trust_id
  ) AS given
 WHERE given.trust_id = "trusts"."id" AND given.highest IS NOT NULL;--> statement-breakpoint
-- Every version inserted (by startDraft, a restore, a seed or straight through SQL) moves the trust's
-- count on to its number if it was behind, at commit like the matrix stamp (migration 0003), so that the
-- trust's row stays the last thing a transaction locks.
CREATE OR REPLACE FUNCTION count_version_number() RETURNS trigger AS $$
BEGIN
  UPDATE trusts SET last_version_number = NEW.number WHERE id = NEW.trust_id AND last_version_number < NEW.number;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER scheme_versions_number_counted AFTER INSERT OR UPDATE OF number ON scheme_versions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION count_version_number();--> statement-breakpoint
-- The cells, tier variants, school variations and row revisions of a version follow their version
-- (migration 0001). Each write now first waits for an approval (or discard) of the version that has
-- changed it but not yet committed, and then reads the status it committed: a row first saved into the
-- draft in the instant between the approval's UPDATE and its COMMIT is refused, instead of landing in
-- the approved version. The approval locks every row of the draft (scheme_rows), then the version, so:
-- - an UPDATE or DELETE of a draft's row has locked that row itself, and waited already;
-- - a cell of a row this transaction has claimed (updated or inserted it) needs nothing more: an
--   approval cannot have locked that row first, and waits for this transaction to commit;
-- - anything else (a draft's new row, a cell of a row not claimed) holds the version FOR SHARE, which
--   waits for the approval's UPDATE, and which the approval's lock on the version waits for.
-- Saves claim their row, so the share lock, which every saver of a draft would take on the same row
-- of scheme_versions, stays off the path of ordinary saves.
CREATE OR REPLACE FUNCTION refuse_change_to_settled_cells() RETURNS trigger AS $$
DECLARE
  version_status text;
  this_transaction xid := (txid_current() % 4294967296)::text::xid;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF TG_TABLE_NAME <> 'scheme_rows' AND NOT EXISTS (
      SELECT FROM scheme_rows
       WHERE version_id = OLD.version_id AND responsibility_id = OLD.responsibility_id AND xmin = this_transaction
    ) THEN
      PERFORM FROM scheme_versions WHERE id = OLD.version_id FOR SHARE;
    END IF;
    SELECT status INTO version_status FROM scheme_versions WHERE id = OLD.version_id;
    IF version_status IS NOT NULL AND version_status <> 'draft' THEN
      RAISE EXCEPTION 'the cells of an % scheme version cannot be changed', version_status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'scheme_versions_settled';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF TG_OP = 'INSERT' OR NEW.version_id IS DISTINCT FROM OLD.version_id OR NEW.responsibility_id IS DISTINCT FROM OLD.responsibility_id THEN
      IF TG_TABLE_NAME = 'scheme_rows' OR NOT EXISTS (
        SELECT FROM scheme_rows
         WHERE version_id = NEW.version_id AND responsibility_id = NEW.responsibility_id AND xmin = this_transaction
      ) THEN
        PERFORM FROM scheme_versions WHERE id = NEW.version_id FOR SHARE;
      END IF;
      SELECT status INTO version_status FROM scheme_versions WHERE id = NEW.version_id;
      IF version_status IS NOT NULL AND version_status <> 'draft' THEN
        RAISE EXCEPTION 'the cells of an % scheme version cannot be changed', version_status
          USING ERRCODE = 'check_violation', CONSTRAINT = 'scheme_versions_settled';
      END IF;
    END IF;
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
