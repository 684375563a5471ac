-- A version's history and a row's history across versions are read newest first, a page at a time,
-- from where the last page ended (its time and id): one index for each, always within one trust.
-- A third finds one person's changes to a version, and the people who made any without reading
-- every entry. The row index leaves out the entries that concern no row. The version index replaces
-- the one on (version_id, at), which no query reads without the trust.
DROP INDEX IF EXISTS "audit_log_version_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_log_version_history_idx" ON "audit_log" USING btree ("trust_id","version_id","at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_log_version_people_idx" ON "audit_log" USING btree ("trust_id","version_id","user_id","at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_log_row_history_idx" ON "audit_log" USING btree ("trust_id","responsibility_id","at","id") WHERE "audit_log"."responsibility_id" is not null;