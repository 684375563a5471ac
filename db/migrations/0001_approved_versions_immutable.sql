-- Approved and superseded scheme versions are governance records: the database refuses to change them.
-- A version may only move from approved to superseded. Deleting one is allowed only when the whole
-- trust is being deleted (restoring a backup over it), which the cascade from "trusts" does.
CREATE OR REPLACE FUNCTION refuse_change_to_settled_version() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' AND EXISTS (SELECT 1 FROM trusts WHERE id = OLD.trust_id) THEN
      RAISE EXCEPTION 'scheme version % is %, and cannot be deleted', OLD.number, OLD.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'scheme_versions_settled';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'approved' AND NEW.status IN ('approved', 'superseded')
     AND (to_jsonb(NEW) - 'status' - 'version' - 'updated_at') = (to_jsonb(OLD) - 'status' - 'version' - 'updated_at') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'scheme version % is %, and cannot be changed', OLD.number, OLD.status
    USING ERRCODE = 'check_violation', CONSTRAINT = 'scheme_versions_settled';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER scheme_versions_settled
  BEFORE UPDATE OR DELETE ON scheme_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_settled_version();
--> statement-breakpoint
-- The cells of a version follow their version: writable while it is a draft, frozen afterwards.
-- When the version row itself is gone (a cascade from deleting a draft or a whole trust), the cells go with it.
CREATE OR REPLACE FUNCTION refuse_change_to_settled_cells() RETURNS trigger AS $$
DECLARE
  version_status text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT status INTO version_status FROM scheme_versions WHERE id = OLD.version_id;
    IF version_status IS NOT NULL AND version_status <> 'draft' THEN
      RAISE EXCEPTION 'the cells of an % scheme version cannot be changed', version_status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'scheme_versions_settled';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT status INTO version_status FROM scheme_versions WHERE id = NEW.version_id;
    IF version_status IS NOT NULL AND version_status <> 'draft' THEN
      RAISE EXCEPTION 'the cells of an % scheme version cannot be changed', version_status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'scheme_versions_settled';
    END IF;
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER cells_settled BEFORE INSERT OR UPDATE OR DELETE ON cells
  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_settled_cells();
--> statement-breakpoint
CREATE TRIGGER tier_cells_settled BEFORE INSERT OR UPDATE OR DELETE ON tier_cells
  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_settled_cells();
--> statement-breakpoint
CREATE TRIGGER school_cells_settled BEFORE INSERT OR UPDATE OR DELETE ON school_cells
  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_settled_cells();
--> statement-breakpoint
CREATE TRIGGER scheme_rows_settled BEFORE INSERT OR UPDATE OR DELETE ON scheme_rows
  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_settled_cells();
