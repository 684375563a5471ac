CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"trust_id" uuid,
	"user_id" uuid,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"version_id" uuid,
	"responsibility_id" uuid,
	"summary" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "autonomy_tiers" (
	"trust_id" uuid NOT NULL,
	"tier" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"reviews_per_year" smallint NOT NULL,
	"criteria" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "autonomy_tiers_pkey" PRIMARY KEY("trust_id","tier"),
	CONSTRAINT "autonomy_tiers_tier_valid" CHECK ("autonomy_tiers"."tier" in ('T0', 'T1', 'T2', 'T3', 'T4')),
	CONSTRAINT "autonomy_tiers_reviews_valid" CHECK ("autonomy_tiers"."reviews_per_year" between 1 and 12)
);
--> statement-breakpoint
CREATE TABLE "cells" (
	"trust_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"responsibility_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"code" text NOT NULL,
	"note" text,
	CONSTRAINT "cells_pkey" PRIMARY KEY("version_id","responsibility_id","body_id"),
	CONSTRAINT "cells_code_valid" CHECK ("cells"."code" is null or "cells"."code" in ('D', 'R', 'C', 'A', 'E', 'M', 'I', '—'))
);
--> statement-breakpoint
CREATE TABLE "finding_acknowledgements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trust_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"finding_key" text NOT NULL,
	"rule_id" text NOT NULL,
	"reason" text NOT NULL,
	"acknowledged_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finding_acknowledgements_reason_present" CHECK (length(trim("finding_acknowledgements"."reason")) > 0)
);
--> statement-breakpoint
CREATE TABLE "governance_bodies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trust_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"mode" text DEFAULT 'decision-making' NOT NULL,
	"purpose" text DEFAULT 'standing' NOT NULL,
	"parent_id" uuid,
	"column_id" uuid,
	"position" integer DEFAULT 0 NOT NULL,
	"chair_name" text,
	"remit" text,
	"retired_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governance_bodies_trust_id_key" UNIQUE("trust_id","id"),
	CONSTRAINT "governance_bodies_kind_valid" CHECK ("governance_bodies"."kind" in ('members', 'board', 'committee', 'executive', 'cluster', 'local', 'school', 'external')),
	CONSTRAINT "governance_bodies_mode_valid" CHECK ("governance_bodies"."mode" in ('decision-making', 'advisory')),
	CONSTRAINT "governance_bodies_purpose_valid" CHECK ("governance_bodies"."purpose" in ('standing', 'transition', 'intervention')),
	CONSTRAINT "governance_bodies_advisory_kinds" CHECK ("governance_bodies"."mode" = 'decision-making' or "governance_bodies"."kind" in ('cluster', 'local')),
	CONSTRAINT "governance_bodies_name_present" CHECK (length(trim("governance_bodies"."name")) between 1 and 200),
	CONSTRAINT "governance_bodies_not_own_parent" CHECK ("governance_bodies"."parent_id" is null or "governance_bodies"."parent_id" <> "governance_bodies"."id"),
	CONSTRAINT "governance_bodies_not_own_column" CHECK ("governance_bodies"."column_id" is null or "governance_bodies"."column_id" <> "governance_bodies"."id")
);
--> statement-breakpoint
CREATE TABLE "instance_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trust_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"message" text,
	"result" jsonb,
	"created_by" uuid,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_status_valid" CHECK ("jobs"."status" in ('queued', 'running', 'done', 'failed')),
	CONSTRAINT "jobs_progress_valid" CHECK ("jobs"."progress" >= 0 and "jobs"."progress" <= greatest("jobs"."total", "jobs"."progress"))
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"user_id" uuid NOT NULL,
	"trust_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_pkey" PRIMARY KEY("user_id","trust_id"),
	CONSTRAINT "memberships_role_valid" CHECK ("memberships"."role" in ('ceo', 'clerk', 'trustee', 'viewer'))
);
--> statement-breakpoint
CREATE TABLE "performance_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trust_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"inspection_framework" text,
	"legacy_grade" smallint,
	"report_card" jsonb,
	"safeguarding_met" boolean,
	"outcomes_band" text,
	"trend" text,
	"in_year_balance" numeric(14, 2),
	"reserves" numeric(14, 2),
	"deficit" boolean,
	"safeguarding_audit" text,
	"leadership_stability" text,
	"termination_warning" boolean DEFAULT false NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "performance_records_inspection_shape" CHECK (("performance_records"."inspection_framework" is null and "performance_records"."legacy_grade" is null and "performance_records"."report_card" is null)
        or ("performance_records"."inspection_framework" = 'legacy' and "performance_records"."legacy_grade" between 1 and 4 and "performance_records"."report_card" is null)
        or ("performance_records"."inspection_framework" = 'report-card' and "performance_records"."legacy_grade" is null and "performance_records"."report_card" is not null)),
	CONSTRAINT "performance_records_trend_valid" CHECK ("performance_records"."trend" is null or "performance_records"."trend" in ('improving', 'stable', 'declining')),
	CONSTRAINT "performance_records_audit_valid" CHECK ("performance_records"."safeguarding_audit" is null or "performance_records"."safeguarding_audit" in ('green', 'amber', 'red')),
	CONSTRAINT "performance_records_leadership_valid" CHECK ("performance_records"."leadership_stability" is null or "performance_records"."leadership_stability" in ('stable', 'some-change', 'unstable')),
	CONSTRAINT "performance_records_source_valid" CHECK ("performance_records"."source" in ('manual', 'csv', 'gias', 'seed'))
);
--> statement-breakpoint
CREATE TABLE "publications" (
	"trust_id" uuid PRIMARY KEY NOT NULL,
	"version_id" uuid NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsibilities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trust_id" uuid NOT NULL,
	"catalogue_key" text,
	"area" smallint NOT NULL,
	"section" text,
	"ref" text NOT NULL,
	"title" text NOT NULL,
	"guidance" text,
	"decision_kinds" text[],
	"excluded_kinds" text[],
	"statutory_rule" text,
	"locked" boolean DEFAULT false NOT NULL,
	"external_approval" boolean DEFAULT false NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"retired_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "responsibilities_trust_id_key" UNIQUE("trust_id","id"),
	CONSTRAINT "responsibilities_area_valid" CHECK ("responsibilities"."area" in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)),
	CONSTRAINT "responsibilities_title_present" CHECK (length(trim("responsibilities"."title")) between 1 and 500),
	CONSTRAINT "responsibilities_ref_present" CHECK (length(trim("responsibilities"."ref")) between 1 and 20),
	CONSTRAINT "responsibilities_kinds_valid" CHECK (("responsibilities"."decision_kinds" is null or "responsibilities"."decision_kinds" <@ array['members','board','committee','executive','cluster','local','school','external']::text[])
        and ("responsibilities"."excluded_kinds" is null or "responsibilities"."excluded_kinds" <@ array['members','board','committee','executive','cluster','local','school','external']::text[]))
);
--> statement-breakpoint
CREATE TABLE "scheme_rows" (
	"trust_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"responsibility_id" uuid NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scheme_rows_pkey" PRIMARY KEY("version_id","responsibility_id")
);
--> statement-breakpoint
CREATE TABLE "scheme_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trust_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"based_on_id" uuid,
	"approved_by_body_id" uuid,
	"approved_on" date,
	"minute_ref" text,
	"review_due_on" date,
	"break_point_reason" text,
	"snapshot" jsonb,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scheme_versions_trust_id_key" UNIQUE("trust_id","id"),
	CONSTRAINT "scheme_versions_number_key" UNIQUE("trust_id","number"),
	CONSTRAINT "scheme_versions_status_valid" CHECK ("scheme_versions"."status" in ('draft', 'approved', 'superseded')),
	CONSTRAINT "scheme_versions_number_positive" CHECK ("scheme_versions"."number" > 0),
	CONSTRAINT "scheme_versions_approval_recorded" CHECK ("scheme_versions"."status" = 'draft' or ("scheme_versions"."approved_on" is not null and "scheme_versions"."approved_by_body_id" is not null and "scheme_versions"."snapshot" is not null))
);
--> statement-breakpoint
CREATE TABLE "school_cells" (
	"trust_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"responsibility_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"code" text,
	"note" text,
	CONSTRAINT "school_cells_pkey" PRIMARY KEY("version_id","school_id","responsibility_id","body_id"),
	CONSTRAINT "school_cells_code_valid" CHECK ("school_cells"."code" is null or "school_cells"."code" in ('D', 'R', 'C', 'A', 'E', 'M', 'I', '—'))
);
--> statement-breakpoint
CREATE TABLE "school_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trust_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"reviewed_on" date NOT NULL,
	"travel" text NOT NULL,
	"summary" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "school_reviews_travel_valid" CHECK ("school_reviews"."travel" in ('improving', 'steady', 'declining'))
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trust_id" uuid NOT NULL,
	"urn" integer NOT NULL,
	"name" text NOT NULL,
	"phase" text NOT NULL,
	"easting" integer,
	"northing" integer,
	"postcode" text,
	"local_authority" text,
	"cluster_body_id" uuid,
	"local_body_id" uuid,
	"joined_on" date,
	"headteacher_name" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schools_trust_id_key" UNIQUE("trust_id","id"),
	CONSTRAINT "schools_urn_range" CHECK ("schools"."urn" between 100000 and 999999),
	CONSTRAINT "schools_phase_valid" CHECK ("schools"."phase" in ('nursery', 'primary', 'middle-primary', 'middle-secondary', 'secondary', 'all-through', '16-plus', 'special', 'alternative-provision', 'not-applicable')),
	CONSTRAINT "schools_name_present" CHECK (length(trim("schools"."name")) between 1 and 200),
	CONSTRAINT "schools_grid_reference" CHECK (("schools"."easting" is null or "schools"."easting" between 0 and 700000) and ("schools"."northing" is null or "schools"."northing" between 0 and 1300000))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sign_in_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "strategy_profiles" (
	"trust_id" uuid PRIMARY KEY NOT NULL,
	"ratings" smallint[] DEFAULT array[null,null,null,null,null,null,null,null,null,null]::smallint[] NOT NULL,
	"alignment" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"improvement_model" text,
	"vision" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "strategy_profiles_ratings_valid" CHECK (array_length("strategy_profiles"."ratings", 1) = 10 and 1 <= all("strategy_profiles"."ratings") and 10 >= all("strategy_profiles"."ratings")),
	CONSTRAINT "strategy_profiles_model_valid" CHECK ("strategy_profiles"."improvement_model" is null or "strategy_profiles"."improvement_model" in ('hub', 'centralised-consultants', 'in-house-central-expertise', 'cluster-based', 'self-improving-network'))
);
--> statement-breakpoint
CREATE TABLE "tier_cells" (
	"trust_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"tier" text NOT NULL,
	"responsibility_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"code" text,
	"note" text,
	CONSTRAINT "tier_cells_pkey" PRIMARY KEY("version_id","tier","responsibility_id","body_id"),
	CONSTRAINT "tier_cells_tier_valid" CHECK ("tier_cells"."tier" in ('T0', 'T1', 'T2', 'T3', 'T4')),
	CONSTRAINT "tier_cells_code_valid" CHECK ("tier_cells"."code" is null or "tier_cells"."code" in ('D', 'R', 'C', 'A', 'E', 'M', 'I', '—'))
);
--> statement-breakpoint
CREATE TABLE "tier_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trust_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"tier" text NOT NULL,
	"decided_by_body_id" uuid NOT NULL,
	"decided_on" date NOT NULL,
	"effective_from" date NOT NULL,
	"evidence" text NOT NULL,
	"next_review_on" date NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tier_decisions_tier_valid" CHECK ("tier_decisions"."tier" in ('T0', 'T1', 'T2', 'T3', 'T4')),
	CONSTRAINT "tier_decisions_evidence_present" CHECK (length(trim("tier_decisions"."evidence")) > 0),
	CONSTRAINT "tier_decisions_review_after" CHECK ("tier_decisions"."next_review_on" >= "tier_decisions"."decided_on")
);
--> statement-breakpoint
CREATE TABLE "trusts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"company_number" text,
	"website_url" text,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"decision_key" jsonb,
	"is_demo" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trusts_slug_format" CHECK ("trusts"."slug" ~ '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$'),
	CONSTRAINT "trusts_name_present" CHECK (length(trim("trusts"."name")) between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"is_site_admin" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_lowercase" CHECK ("users"."email" = lower("users"."email") and "users"."email" like '%_@_%')
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "autonomy_tiers" ADD CONSTRAINT "autonomy_tiers_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cells" ADD CONSTRAINT "cells_version_fk" FOREIGN KEY ("trust_id","version_id") REFERENCES "public"."scheme_versions"("trust_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cells" ADD CONSTRAINT "cells_responsibility_fk" FOREIGN KEY ("trust_id","responsibility_id") REFERENCES "public"."responsibilities"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cells" ADD CONSTRAINT "cells_body_fk" FOREIGN KEY ("trust_id","body_id") REFERENCES "public"."governance_bodies"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_acknowledgements" ADD CONSTRAINT "finding_acknowledgements_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_acknowledgements" ADD CONSTRAINT "finding_acknowledgements_version_fk" FOREIGN KEY ("trust_id","version_id") REFERENCES "public"."scheme_versions"("trust_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_bodies" ADD CONSTRAINT "governance_bodies_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_bodies" ADD CONSTRAINT "governance_bodies_parent_fk" FOREIGN KEY ("trust_id","parent_id") REFERENCES "public"."governance_bodies"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_bodies" ADD CONSTRAINT "governance_bodies_column_fk" FOREIGN KEY ("trust_id","column_id") REFERENCES "public"."governance_bodies"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_records" ADD CONSTRAINT "performance_records_school_fk" FOREIGN KEY ("trust_id","school_id") REFERENCES "public"."schools"("trust_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_version_fk" FOREIGN KEY ("trust_id","version_id") REFERENCES "public"."scheme_versions"("trust_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibilities" ADD CONSTRAINT "responsibilities_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheme_rows" ADD CONSTRAINT "scheme_rows_version_fk" FOREIGN KEY ("trust_id","version_id") REFERENCES "public"."scheme_versions"("trust_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheme_rows" ADD CONSTRAINT "scheme_rows_responsibility_fk" FOREIGN KEY ("trust_id","responsibility_id") REFERENCES "public"."responsibilities"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheme_versions" ADD CONSTRAINT "scheme_versions_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheme_versions" ADD CONSTRAINT "scheme_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheme_versions" ADD CONSTRAINT "scheme_versions_based_on_fk" FOREIGN KEY ("trust_id","based_on_id") REFERENCES "public"."scheme_versions"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheme_versions" ADD CONSTRAINT "scheme_versions_approved_by_fk" FOREIGN KEY ("trust_id","approved_by_body_id") REFERENCES "public"."governance_bodies"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_cells" ADD CONSTRAINT "school_cells_version_fk" FOREIGN KEY ("trust_id","version_id") REFERENCES "public"."scheme_versions"("trust_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_cells" ADD CONSTRAINT "school_cells_school_fk" FOREIGN KEY ("trust_id","school_id") REFERENCES "public"."schools"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_cells" ADD CONSTRAINT "school_cells_responsibility_fk" FOREIGN KEY ("trust_id","responsibility_id") REFERENCES "public"."responsibilities"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_cells" ADD CONSTRAINT "school_cells_body_fk" FOREIGN KEY ("trust_id","body_id") REFERENCES "public"."governance_bodies"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_reviews" ADD CONSTRAINT "school_reviews_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_reviews" ADD CONSTRAINT "school_reviews_school_fk" FOREIGN KEY ("trust_id","school_id") REFERENCES "public"."schools"("trust_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_cluster_fk" FOREIGN KEY ("trust_id","cluster_body_id") REFERENCES "public"."governance_bodies"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_local_body_fk" FOREIGN KEY ("trust_id","local_body_id") REFERENCES "public"."governance_bodies"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "strategy_profiles" ADD CONSTRAINT "strategy_profiles_trust_id_trusts_id_fk" FOREIGN KEY ("trust_id") REFERENCES "public"."trusts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_cells" ADD CONSTRAINT "tier_cells_version_fk" FOREIGN KEY ("trust_id","version_id") REFERENCES "public"."scheme_versions"("trust_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_cells" ADD CONSTRAINT "tier_cells_responsibility_fk" FOREIGN KEY ("trust_id","responsibility_id") REFERENCES "public"."responsibilities"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_cells" ADD CONSTRAINT "tier_cells_body_fk" FOREIGN KEY ("trust_id","body_id") REFERENCES "public"."governance_bodies"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_decisions" ADD CONSTRAINT "tier_decisions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_decisions" ADD CONSTRAINT "tier_decisions_school_fk" FOREIGN KEY ("trust_id","school_id") REFERENCES "public"."schools"("trust_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_decisions" ADD CONSTRAINT "tier_decisions_body_fk" FOREIGN KEY ("trust_id","decided_by_body_id") REFERENCES "public"."governance_bodies"("trust_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_trust_idx" ON "audit_log" USING btree ("trust_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_version_idx" ON "audit_log" USING btree ("version_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_row_idx" ON "audit_log" USING btree ("version_id","responsibility_id");--> statement-breakpoint
CREATE INDEX "cells_body_idx" ON "cells" USING btree ("body_id");--> statement-breakpoint
CREATE UNIQUE INDEX "finding_acknowledgements_key" ON "finding_acknowledgements" USING btree ("version_id","finding_key");--> statement-breakpoint
CREATE UNIQUE INDEX "governance_bodies_name_key" ON "governance_bodies" USING btree ("trust_id","name") WHERE "governance_bodies"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "jobs_trust_idx" ON "jobs" USING btree ("trust_id","created_at");--> statement-breakpoint
CREATE INDEX "memberships_trust_idx" ON "memberships" USING btree ("trust_id");--> statement-breakpoint
CREATE INDEX "performance_records_school_idx" ON "performance_records" USING btree ("school_id","as_of");--> statement-breakpoint
CREATE UNIQUE INDEX "responsibilities_ref_key" ON "responsibilities" USING btree ("trust_id","ref") WHERE "responsibilities"."retired_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "responsibilities_catalogue_key" ON "responsibilities" USING btree ("trust_id","catalogue_key");--> statement-breakpoint
CREATE UNIQUE INDEX "scheme_versions_one_draft" ON "scheme_versions" USING btree ("trust_id") WHERE "scheme_versions"."status" = 'draft';--> statement-breakpoint
CREATE INDEX "school_reviews_school_idx" ON "school_reviews" USING btree ("school_id","reviewed_on");--> statement-breakpoint
CREATE UNIQUE INDEX "schools_urn_key" ON "schools" USING btree ("trust_id","urn");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_email_idx" ON "sign_in_attempts" USING btree ("email","at");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_ip_idx" ON "sign_in_attempts" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "tier_decisions_school_idx" ON "tier_decisions" USING btree ("school_id","effective_from");--> statement-breakpoint
CREATE UNIQUE INDEX "trusts_slug_key" ON "trusts" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");