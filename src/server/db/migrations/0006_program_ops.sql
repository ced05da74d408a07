CREATE TABLE "bug_report_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bug_report_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"actor_id" uuid,
	"status" text NOT NULL,
	"http_status" integer,
	"error" text,
	"payload_sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "event_assignments" (
	"event_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_assignments_event_id_person_id_pk" PRIMARY KEY("event_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "event_imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"content" text,
	"status" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"total_rows" integer NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"counts" jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "feedback_forms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"consent_text" text NOT NULL,
	"template" text NOT NULL,
	"questions" jsonb NOT NULL,
	"owner_id" uuid NOT NULL,
	"event_id" uuid,
	"session_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"closes_at" timestamp with time zone,
	"response_cap" integer,
	"response_count" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_forms_cap_ck" CHECK ("feedback_forms"."response_cap" is null or ("feedback_forms"."response_cap" > 0 and "feedback_forms"."response_count" <= "feedback_forms"."response_cap"))
);
--> statement-breakpoint
CREATE TABLE "form_responses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"form_id" uuid NOT NULL,
	"insight_id" uuid NOT NULL,
	"answers" jsonb NOT NULL,
	"ip_hash" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_column_aliases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"header_key" text NOT NULL,
	"header" text NOT NULL,
	"field" text NOT NULL,
	"learned_by" uuid,
	"learned_from_import" uuid,
	"uses" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "rate_limit_per_minute" integer;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD COLUMN "audience_size" integer;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD COLUMN "common_questions" text;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD COLUMN "resonant_demos" text;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD COLUMN "engagement_notes" text;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "quarter" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "status" text DEFAULT 'planning' NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "engagement_type" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "attendance" text DEFAULT 'on_site' NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "timezone" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "account_name" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "account_segment" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "champion" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "marketer" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "event_url" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "tracker_url" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "salesforce_url" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "slack_channel" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "tech_stack" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "travel_status" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "updated_by" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "bug_reports" ADD COLUMN "priority" text;--> statement-breakpoint
ALTER TABLE "bug_reports" ADD COLUMN "assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "bug_reports" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "bug_report_notes" ADD CONSTRAINT "bug_report_notes_bug_report_id_bug_reports_id_fk" FOREIGN KEY ("bug_report_id") REFERENCES "public"."bug_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bug_report_notes" ADD CONSTRAINT "bug_report_notes_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_runs" ADD CONSTRAINT "digest_runs_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_assignments" ADD CONSTRAINT "event_assignments_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_assignments" ADD CONSTRAINT "event_assignments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_imports" ADD CONSTRAINT "event_imports_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_forms" ADD CONSTRAINT "feedback_forms_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_forms" ADD CONSTRAINT "feedback_forms_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_forms" ADD CONSTRAINT "feedback_forms_session_id_event_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."event_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_responses" ADD CONSTRAINT "form_responses_form_id_feedback_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."feedback_forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_responses" ADD CONSTRAINT "form_responses_insight_id_insights_id_fk" FOREIGN KEY ("insight_id") REFERENCES "public"."insights"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_column_aliases" ADD CONSTRAINT "import_column_aliases_learned_by_people_id_fk" FOREIGN KEY ("learned_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_column_aliases" ADD CONSTRAINT "import_column_aliases_learned_from_import_event_imports_id_fk" FOREIGN KEY ("learned_from_import") REFERENCES "public"."event_imports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bug_report_notes_report_idx" ON "bug_report_notes" USING btree ("bug_report_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "digest_runs_scheduled_week_uq" ON "digest_runs" USING btree ("period_start") WHERE "digest_runs"."trigger" = 'schedule';--> statement-breakpoint
CREATE INDEX "digest_runs_created_idx" ON "digest_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "event_assignments_person_idx" ON "event_assignments" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "event_imports_actor_idx" ON "event_imports" USING btree ("actor_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_forms_slug_uq" ON "feedback_forms" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "feedback_forms_owner_idx" ON "feedback_forms" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "form_responses_form_idx" ON "form_responses" USING btree ("form_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "form_responses_insight_uq" ON "form_responses" USING btree ("insight_id");--> statement-breakpoint
CREATE UNIQUE INDEX "import_column_aliases_key_uq" ON "import_column_aliases" USING btree ("header_key");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bug_reports" ADD CONSTRAINT "bug_reports_assignee_id_people_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "events_name_start_uq" ON "events" USING btree (lower("name"),"starts_on");--> statement-breakpoint
CREATE INDEX "events_starts_idx" ON "events" USING btree ("starts_on");--> statement-breakpoint
CREATE INDEX "events_owner_idx" ON "events" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "bug_reports_assignee_idx" ON "bug_reports" USING btree ("assignee_id") WHERE "bug_reports"."assignee_id" is not null;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD CONSTRAINT "event_sessions_audience_ck" CHECK ("event_sessions"."audience_size" is null or "event_sessions"."audience_size" >= 0);--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_dates_ck" CHECK ("events"."ends_on" >= "events"."starts_on");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_geo_ck" CHECK (("events"."latitude" is null or "events"."latitude" between -90 and 90) and ("events"."longitude" is null or "events"."longitude" between -180 and 180));--> statement-breakpoint
-- The single triage note of a bug report becomes the first note of its triage thread.
INSERT INTO "bug_report_notes" ("id", "bug_report_id", "author_id", "body", "created_at")
SELECT gen_random_uuid(), "id", "triaged_by", "triage_note", coalesce("triaged_at", "created_at")
FROM "bug_reports" WHERE "triage_note" IS NOT NULL AND "triaged_by" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "bug_reports" DROP COLUMN "triage_note";
