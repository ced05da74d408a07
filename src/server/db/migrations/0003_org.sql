CREATE TABLE "access_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_id" uuid NOT NULL,
	"role" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_target" text,
	"justification" text NOT NULL,
	"status" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"revoked_by" uuid,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text
);
--> statement-breakpoint
CREATE TABLE "access_removal_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"source" text NOT NULL,
	"detail" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "access_review_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"selection" jsonb,
	"status" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"report_sha256" text
);
--> statement-breakpoint
CREATE TABLE "access_review_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"entitlement" jsonb NOT NULL,
	"source" text NOT NULL,
	"decision" text,
	"comment" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"remediation" text,
	"last_reminded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "entitlement_rule_sets" (
	"version" integer PRIMARY KEY NOT NULL,
	"spec" jsonb NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"activated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "org_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"format" text NOT NULL,
	"status" text NOT NULL,
	"rows" jsonb NOT NULL,
	"diff" jsonb NOT NULL,
	"base_fingerprint" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "org_sources" (
	"id" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"max_staleness_minutes" integer NOT NULL,
	"last_success_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"last_counts" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scim_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scim_group_members" (
	"group_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "scim_group_members_group_id_person_id_pk" PRIMARY KEY("group_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "scim_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "issuer" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "subject" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "user_name" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "department" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "manager_id" uuid;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "manager_ref" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "builder_relations" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "org_source" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "source_records" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "scim_resource" jsonb;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "access_exceptions" ADD CONSTRAINT "access_exceptions_subject_id_people_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_removal_requests" ADD CONSTRAINT "access_removal_requests_item_id_access_review_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."access_review_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_removal_requests" ADD CONSTRAINT "access_removal_requests_subject_id_people_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_campaign_id_access_review_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."access_review_campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_subject_id_people_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_reviewer_id_people_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_group_members" ADD CONSTRAINT "scim_group_members_group_id_scim_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."scim_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scim_group_members" ADD CONSTRAINT "scim_group_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_exceptions_subject_idx" ON "access_exceptions" USING btree ("subject_id","status");--> statement-breakpoint
CREATE INDEX "access_exceptions_status_idx" ON "access_exceptions" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "access_removal_requests_status_idx" ON "access_removal_requests" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "access_review_campaigns_status_idx" ON "access_review_campaigns" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "access_review_items_campaign_idx" ON "access_review_items" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "access_review_items_reviewer_idx" ON "access_review_items" USING btree ("reviewer_id","decision");--> statement-breakpoint
CREATE UNIQUE INDEX "entitlement_rule_sets_one_active_uq" ON "entitlement_rule_sets" USING btree ("status") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "org_imports_created_idx" ON "org_imports" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_credentials_token_hash_uq" ON "scim_credentials" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "scim_group_members_person_idx" ON "scim_group_members" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scim_groups_display_name_uq" ON "scim_groups" USING btree (lower("display_name"));--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_manager_id_people_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "people_user_name_uq" ON "people" USING btree (lower("user_name"));--> statement-breakpoint
CREATE UNIQUE INDEX "people_employee_number_uq" ON "people" USING btree ("employee_number");--> statement-breakpoint
CREATE INDEX "people_email_idx" ON "people" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "people_manager_idx" ON "people" USING btree ("manager_id");--> statement-breakpoint
CREATE INDEX "people_department_idx" ON "people" USING btree ("department");--> statement-breakpoint
-- Role mapping moved from the trusted-claims model to the entitlement rule set (bootstrapped at start-up).
UPDATE "claims_models" SET "model" = "model" - 'roleGroups' - 'teamGroupPrefix' - 'orgWideGroups';
