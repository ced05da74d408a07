CREATE TABLE "audience_packages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"audience" text NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	"generated_by" uuid,
	"title" text NOT NULL,
	"markdown" text NOT NULL,
	"html" text NOT NULL,
	"pdf" "bytea" NOT NULL,
	"hashes" jsonb NOT NULL,
	"snapshot_id" uuid
);
--> statement-breakpoint
CREATE TABLE "decision_versions" (
	"decision_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"state" jsonb NOT NULL,
	"changed" text[] DEFAULT '{}'::text[] NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"changed_by" uuid,
	CONSTRAINT "decision_versions_decision_id_version_pk" PRIMARY KEY("decision_id","version")
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"workstream" text NOT NULL,
	"title" text NOT NULL,
	"direction" text DEFAULT '' NOT NULL,
	"owner" text NOT NULL,
	"status" text NOT NULL,
	"depends_on" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"next_action" text DEFAULT '' NOT NULL,
	"due_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "program_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"mentions" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_phases" (
	"id" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner" text NOT NULL,
	"exit_gates" text[] DEFAULT '{}'::text[] NOT NULL,
	"target_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "readiness_attestations" (
	"gate_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"owner" text NOT NULL,
	"evidence_url" text NOT NULL,
	"note" text,
	"attested_by" uuid,
	"attested_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "readiness_attestations_expiry" CHECK ("readiness_attestations"."expires_at" > "readiness_attestations"."attested_at")
);
--> statement-breakpoint
CREATE TABLE "readiness_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"environment" text NOT NULL,
	"outcome" text NOT NULL,
	"performed_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	"source" text NOT NULL,
	"evidence_url" text,
	"notes" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "readiness_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"taken_by" uuid,
	"environment" text NOT NULL,
	"verdict" text NOT NULL,
	"report" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"level" text NOT NULL,
	"status" text NOT NULL,
	"mitigation" text DEFAULT '' NOT NULL,
	"owner" text NOT NULL,
	"workstream_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runtime_signals" (
	"key" text PRIMARY KEY NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workstreams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"owner" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"phase_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audience_packages" ADD CONSTRAINT "audience_packages_generated_by_people_id_fk" FOREIGN KEY ("generated_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audience_packages" ADD CONSTRAINT "audience_packages_snapshot_id_readiness_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."readiness_snapshots"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_versions" ADD CONSTRAINT "decision_versions_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_versions" ADD CONSTRAINT "decision_versions_changed_by_people_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_comments" ADD CONSTRAINT "program_comments_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readiness_attestations" ADD CONSTRAINT "readiness_attestations_attested_by_people_id_fk" FOREIGN KEY ("attested_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readiness_records" ADD CONSTRAINT "readiness_records_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readiness_snapshots" ADD CONSTRAINT "readiness_snapshots_taken_by_people_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risks" ADD CONSTRAINT "risks_workstream_id_workstreams_id_fk" FOREIGN KEY ("workstream_id") REFERENCES "public"."workstreams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risks" ADD CONSTRAINT "risks_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workstreams" ADD CONSTRAINT "workstreams_phase_id_program_phases_id_fk" FOREIGN KEY ("phase_id") REFERENCES "public"."program_phases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audience_packages_generated_idx" ON "audience_packages" USING btree ("audience","generated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_number_idx" ON "decisions" USING btree ("number");--> statement-breakpoint
CREATE INDEX "decisions_owner_idx" ON "decisions" USING btree ("owner");--> statement-breakpoint
CREATE INDEX "decisions_status_idx" ON "decisions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "program_comments_target_idx" ON "program_comments" USING btree ("target_type","target_id","created_at");--> statement-breakpoint
CREATE INDEX "program_comments_mentions_idx" ON "program_comments" USING gin ("mentions");--> statement-breakpoint
CREATE INDEX "readiness_records_kind_env_idx" ON "readiness_records" USING btree ("kind","environment","performed_at");--> statement-breakpoint
CREATE INDEX "readiness_snapshots_taken_idx" ON "readiness_snapshots" USING btree ("taken_at");--> statement-breakpoint
CREATE INDEX "risks_level_status_idx" ON "risks" USING btree ("level","status");--> statement-breakpoint
CREATE UNIQUE INDEX "workstreams_name_idx" ON "workstreams" USING btree (lower("name"));--> statement-breakpoint
-- Readiness snapshots and generated packages are evidence: the runtime role adds them and never rewrites them
-- (default privileges from 0007 granted UPDATE and DELETE on these new tables; take them back).
DO $$ BEGIN
  REVOKE UPDATE, DELETE, TRUNCATE ON "readiness_snapshots", "audience_packages" FROM bi_runtime;
EXCEPTION WHEN undefined_object THEN NULL;
END $$;
