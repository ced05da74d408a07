-- Trigram similarity for near-duplicate detection (a trusted extension since PostgreSQL 13: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- array_to_string is only STABLE; tags are text, so this wrapper is truly immutable and may feed a generated column.
CREATE OR REPLACE FUNCTION bi_tags_text(tags text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(array_to_string(tags, ' '), '') $$;--> statement-breakpoint
CREATE TABLE "duplicate_dismissals" (
	"insight_a" uuid NOT NULL,
	"insight_b" uuid NOT NULL,
	"dismissed_by" uuid NOT NULL,
	"dismissed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "duplicate_dismissals_insight_a_insight_b_pk" PRIMARY KEY("insight_a","insight_b")
);
--> statement-breakpoint
CREATE TABLE "insight_merges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"primary_id" uuid NOT NULL,
	"duplicate_id" uuid NOT NULL,
	"similarity" real,
	"merged_by" uuid NOT NULL,
	"merged_at" timestamp with time zone NOT NULL,
	"unmerged_by" uuid,
	"unmerged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "insights_event_idx";--> statement-breakpoint
ALTER TABLE "insights" ADD COLUMN "follow_up_status" text;--> statement-breakpoint
ALTER TABLE "insights" ADD COLUMN "follow_up_owner_id" uuid;--> statement-breakpoint
ALTER TABLE "insights" ADD COLUMN "follow_up_issue_url" text;--> statement-breakpoint
ALTER TABLE "insights" ADD COLUMN "follow_up_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "insights" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "insights" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, text), 'B') || setweight(to_tsvector('english'::regconfig, bi_tags_text(tags)), 'C')) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "insight_notes" ADD COLUMN "mentions" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_insight_a_insights_id_fk" FOREIGN KEY ("insight_a") REFERENCES "public"."insights"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_insight_b_insights_id_fk" FOREIGN KEY ("insight_b") REFERENCES "public"."insights"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_dismissed_by_people_id_fk" FOREIGN KEY ("dismissed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_merges" ADD CONSTRAINT "insight_merges_primary_id_insights_id_fk" FOREIGN KEY ("primary_id") REFERENCES "public"."insights"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_merges" ADD CONSTRAINT "insight_merges_duplicate_id_insights_id_fk" FOREIGN KEY ("duplicate_id") REFERENCES "public"."insights"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_merges" ADD CONSTRAINT "insight_merges_merged_by_people_id_fk" FOREIGN KEY ("merged_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_merges" ADD CONSTRAINT "insight_merges_unmerged_by_people_id_fk" FOREIGN KEY ("unmerged_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duplicate_dismissals_b_idx" ON "duplicate_dismissals" USING btree ("insight_b");--> statement-breakpoint
CREATE INDEX "insight_merges_primary_idx" ON "insight_merges" USING btree ("primary_id","merged_at");--> statement-breakpoint
CREATE INDEX "insight_merges_duplicate_idx" ON "insight_merges" USING btree ("duplicate_id","merged_at");--> statement-breakpoint
CREATE UNIQUE INDEX "insight_merges_live_duplicate_idx" ON "insight_merges" USING btree ("duplicate_id") WHERE "insight_merges"."unmerged_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_owner_name_idx" ON "saved_views" USING btree ("owner_id",lower("name"));--> statement-breakpoint
CREATE INDEX "saved_views_shared_idx" ON "saved_views" USING btree ("shared") WHERE "saved_views"."shared";--> statement-breakpoint
ALTER TABLE "insights" ADD CONSTRAINT "insights_follow_up_owner_id_people_id_fk" FOREIGN KEY ("follow_up_owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights" ADD CONSTRAINT "insights_merged_into_id_insights_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."insights"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "insights_session_idx" ON "insights" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "insights_type_captured_idx" ON "insights" USING btree ("type","captured_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "insights_sentiment_captured_idx" ON "insights" USING btree ("sentiment","captured_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "insights_priority_captured_idx" ON "insights" USING btree ("priority","captured_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "insights_source_captured_idx" ON "insights" USING btree ("source","captured_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "insights_follow_up_idx" ON "insights" USING btree ("follow_up_status","captured_at" DESC NULLS LAST) WHERE "insights"."follow_up_status" is not null;--> statement-breakpoint
CREATE INDEX "insights_follow_up_owner_idx" ON "insights" USING btree ("follow_up_owner_id") WHERE "insights"."follow_up_owner_id" is not null;--> statement-breakpoint
CREATE INDEX "insights_merged_into_idx" ON "insights" USING btree ("merged_into_id") WHERE "insights"."merged_into_id" is not null;--> statement-breakpoint
CREATE INDEX "insights_tags_gin" ON "insights" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "insights_search_gin" ON "insights" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "insights_text_trgm" ON "insights" USING gin ("text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "insight_notes_mentions_gin" ON "insight_notes" USING gin ("mentions");--> statement-breakpoint
CREATE INDEX "insights_event_idx" ON "insights" USING btree ("event_id","captured_at" DESC NULLS LAST);--> statement-breakpoint
-- Flagged insights enter the follow-up workflow as open.
UPDATE "insights" SET "follow_up_status" = 'open', "follow_up_updated_at" = "updated_at" WHERE "follow_up" AND "follow_up_status" IS NULL;
