-- The history pages keep what they read while no audit entry of the trust has been written since
-- (ADR 014). "None written since" is this stamp: every audit entry of the trust gives it a new value
-- at commit, once per transaction, as the matrix stamp is moved (migration 0003), and from a sequence
-- of its own, so no stamp is ever given twice.
CREATE SEQUENCE "public"."history_stamps" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "trusts" ADD COLUMN "history_stamp" bigint DEFAULT nextval('history_stamps') NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION move_history_stamp() RETURNS trigger AS $$
DECLARE
  changed uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.trust_id ELSE NEW.trust_id END;
  -- Set for the rest of the transaction once the stamp has moved.
  moved text := 'sod.history_stamp_' || replace(coalesce(changed::text, 'none'), '-', '_');
BEGIN
  IF changed IS NOT NULL AND coalesce(current_setting(moved, true), '') <> 'moved' THEN
    UPDATE trusts SET history_stamp = nextval('history_stamps') WHERE id = changed;
    PERFORM set_config(moved, 'moved', true);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_log_history_stamp AFTER INSERT OR UPDATE OR DELETE ON audit_log
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_history_stamp();
