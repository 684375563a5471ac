-- Deleting a whole trust (restoring a backup over it) removes its bodies, rows and schools in the same
-- statement as the versions and cells that name them. These references between a trust's own records
-- stay checked at once in ordinary work; the deletion defers them to the end of its transaction
-- (SET CONSTRAINTS ALL DEFERRED), when everything they named has gone too.
ALTER TABLE "cells" ALTER CONSTRAINT "cells_body_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "cells" ALTER CONSTRAINT "cells_responsibility_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "tier_cells" ALTER CONSTRAINT "tier_cells_body_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "tier_cells" ALTER CONSTRAINT "tier_cells_responsibility_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "school_cells" ALTER CONSTRAINT "school_cells_body_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "school_cells" ALTER CONSTRAINT "school_cells_responsibility_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "school_cells" ALTER CONSTRAINT "school_cells_school_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "scheme_rows" ALTER CONSTRAINT "scheme_rows_responsibility_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "tier_decisions" ALTER CONSTRAINT "tier_decisions_body_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "scheme_versions" ALTER CONSTRAINT "scheme_versions_approved_by_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "scheme_versions" ALTER CONSTRAINT "scheme_versions_based_on_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "governance_bodies" ALTER CONSTRAINT "governance_bodies_parent_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "governance_bodies" ALTER CONSTRAINT "governance_bodies_column_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "schools" ALTER CONSTRAINT "schools_cluster_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "schools" ALTER CONSTRAINT "schools_local_body_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
ALTER TABLE "publications" ALTER CONSTRAINT "publications_version_fk" DEFERRABLE INITIALLY IMMEDIATE;
--> statement-breakpoint
-- Who created a version is not part of the approved record: removing that person's account may clear it.
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
     AND (to_jsonb(NEW) - 'status' - 'version' - 'updated_at' - 'created_by') = (to_jsonb(OLD) - 'status' - 'version' - 'updated_at' - 'created_by') THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'superseded' AND NEW.status = 'superseded'
     AND (to_jsonb(NEW) - 'version' - 'updated_at' - 'created_by') = (to_jsonb(OLD) - 'version' - 'updated_at' - 'created_by') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'scheme version % is %, and cannot be changed', OLD.number, OLD.status
    USING ERRCODE = 'check_violation', CONSTRAINT = 'scheme_versions_settled';
END;
$$ LANGUAGE plpgsql;
