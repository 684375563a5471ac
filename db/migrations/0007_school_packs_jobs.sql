-- Background jobs (ADR 012): what a job works on, one queued or running job per trust, kind and
-- subject (so a second export of one version's school packs is refused by the database itself),
-- the claim of the worker running it, and how often it has been claimed.
ALTER TABLE "jobs" ADD COLUMN "subject" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_attempts_valid" CHECK ("jobs"."attempts" >= 0);--> statement-breakpoint
-- The job's files name their job within the trust, like every reference between a trust's records.
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_trust_id_key" UNIQUE("trust_id","id");--> statement-breakpoint
CREATE INDEX "jobs_subject_idx" ON "jobs" USING btree ("trust_id","kind","subject","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_one_active_idx" ON "jobs" USING btree ("trust_id","kind","subject") WHERE "jobs"."status" in ('queued', 'running');--> statement-breakpoint
-- What every app server asks every few seconds: is there a job queued, or one whose claim has run out?
CREATE INDEX "jobs_claimable_idx" ON "jobs" USING btree ("locked_until") WHERE "jobs"."status" in ('queued', 'running');--> statement-breakpoint
-- The files a job makes (its finished parts and its result), in the database so any server can resume it or serve them.
CREATE TABLE "job_files" (
	"trust_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"name" text NOT NULL,
	"content" bytea NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_files_pkey" PRIMARY KEY("job_id","name")
);
--> statement-breakpoint
ALTER TABLE "job_files" ADD CONSTRAINT "job_files_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_files" ADD CONSTRAINT "job_files_job_fk" FOREIGN KEY ("trust_id","job_id") REFERENCES "public"."jobs"("trust_id","id") ON DELETE cascade ON UPDATE no action;
