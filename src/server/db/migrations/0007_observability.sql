CREATE TABLE "audit_archives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"first_seq" bigint NOT NULL,
	"last_seq" bigint NOT NULL,
	"first_prev_hash" text NOT NULL,
	"last_hash" text NOT NULL,
	"event_count" integer NOT NULL,
	"location" text NOT NULL,
	"sha256" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	"pruned_at" timestamp with time zone,
	CONSTRAINT "audit_archives_range" CHECK ("audit_archives"."last_seq" >= "audit_archives"."first_seq")
);
--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"algorithm" text DEFAULT 'Ed25519' NOT NULL,
	"prev_signature" text,
	"signature" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"ok" boolean NOT NULL,
	"events_checked" integer NOT NULL,
	"checkpoints_checked" integer DEFAULT 0 NOT NULL,
	"head_seq" bigint,
	"head_hash" text,
	"problem_seq" bigint,
	"problem_kind" text,
	"message" text
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job" text NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"error" text,
	"result" jsonb
);
--> statement-breakpoint
CREATE TABLE "usage_days" (
	"day" date NOT NULL,
	"person_id" uuid NOT NULL,
	"role" text NOT NULL,
	"department" text,
	"team" text,
	"surfaces" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "usage_days_day_person_id_pk" PRIMARY KEY("day","person_id")
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"person_id" uuid,
	"role" text,
	"kind" text NOT NULL,
	"surface" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "usage_days" ADD CONSTRAINT "usage_days_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_archives_first_seq_uq" ON "audit_archives" USING btree ("first_seq");--> statement-breakpoint
CREATE INDEX "audit_checkpoints_created_idx" ON "audit_checkpoints" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_checkpoints_seq_idx" ON "audit_checkpoints" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_verifications_started_idx" ON "audit_verifications" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "job_runs_job_started_idx" ON "job_runs" USING btree ("job","started_at");--> statement-breakpoint
CREATE INDEX "usage_days_person_idx" ON "usage_days" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "usage_events_kind_idx" ON "usage_events" USING btree ("kind","occurred_at");--> statement-breakpoint
CREATE INDEX "usage_events_person_idx" ON "usage_events" USING btree ("person_id","occurred_at");--> statement-breakpoint
-- Checkpoints and archived-segment records are evidence too: no UPDATE, DELETE or TRUNCATE through the app.
-- (audit_archives.pruned_at is set by `bi audit prune`, which runs with the owner's credentials and switches
-- the trigger off for its own transaction only: see docs/operations/audit.md.)
CREATE TRIGGER audit_checkpoints_no_update_delete
  BEFORE UPDATE OR DELETE ON "audit_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate
  BEFORE TRUNCATE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();--> statement-breakpoint
-- The runtime role. The server's login role is a member of it (or the server sets DATABASE_RUNTIME_ROLE); the
-- migrations run as the owner. It may read and write the application's tables, but audit rows only grow:
-- no UPDATE, DELETE or TRUNCATE on audit_events, audit_checkpoints, audit_verifications or audit_archives.
-- CREATE ROLE is cluster-wide: two databases migrating at once may race, so both "already exists" errors pass.
-- A migration role without CREATEROLE works when an administrator created bi_runtime beforehand (runbook).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bi_runtime') THEN
    CREATE ROLE bi_runtime NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;--> statement-breakpoint
-- The login role that migrates is usually the one the server connects as: let it SET ROLE bi_runtime. Without the
-- right to grant that, an administrator does it once (runbook); the migration does not fail for it.
DO $$ BEGIN
  GRANT bi_runtime TO CURRENT_USER;
EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN NULL;
END $$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO bi_runtime;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bi_runtime;--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO bi_runtime;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bi_runtime;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO bi_runtime;--> statement-breakpoint
-- Audit rows only grow. A later migration that adds an audit table must revoke the same on it (default privileges
-- grant UPDATE and DELETE on every new table).
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events", "audit_checkpoints", "audit_verifications", "audit_archives" FROM bi_runtime;--> statement-breakpoint
-- Readiness reads which migrations are applied.
GRANT USAGE ON SCHEMA drizzle TO bi_runtime;--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO bi_runtime;
