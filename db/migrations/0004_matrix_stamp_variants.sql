-- The matrix page also shows a tier's or a single school's scheme (the base with the tier's variants
-- and the school's own variations), the tiers' names, the trust's schools to choose from and each
-- school's decided tier. A change to any of them moves the trust's matrix stamp too, by the same
-- deferred trigger as migration 0003 (once per transaction, at commit), so a kept page never shows
-- them out of date.
CREATE CONSTRAINT TRIGGER tier_cells_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON tier_cells
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER school_cells_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON school_cells
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER schools_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON schools
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER autonomy_tiers_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON autonomy_tiers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER tier_decisions_matrix_stamp AFTER INSERT OR UPDATE OR DELETE ON tier_decisions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_matrix_stamp();
