-- The matrix page keeps what it worked out from a trust's matrix while nothing in it has changed
-- (ADR 006). "Nothing has changed" is this stamp: every change to the trust's versions, row
-- revisions, cells, catalogue or structure gives it a new value, in the same transaction as the
-- change. Stamps come from one sequence, so none is ever given twice, not even to a trust deleted
-- and restored with the same id. The triggers are deferred to commit, so the trust's row is the last
-- thing a transaction locks (never held while it waits for another row), and each transaction
-- moves the stamp once.
CREATE SEQUENCE "public"."matrix_stamps" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;
--> statement-breakpoint
ALTER TABLE "trusts" ADD COLUMN "matrix_stamp" bigint DEFAULT nextval('matrix_stamps') NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION move_matrix_stamp() RETURNS trigger AS $$
DECLARE
  changed uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.trust_id ELSE NEW.trust_id END;
  -- Set for the rest of the transaction once the stamp has moved.
  moved text := 'sod.matrix_stamp_' || replace(changed::text, '-', '_');
BEGIN
  IF coalesce(current_setting(moved, true), '') <> 'moved' THEN
    UPDATE trusts SET matrix_stamp = nextval('matrix_stamps') WHERE id = changed;
    PERFORM set_config(moved, 'moved', true);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER scheme_versions_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON scheme_versions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER scheme_rows_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON scheme_rows
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cells_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON cells
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER responsibilities_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON responsibilities
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER governance_bodies_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON governance_bodies
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
