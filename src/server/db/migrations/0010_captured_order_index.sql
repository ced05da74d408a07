-- Lists and exports page newest first with ORDER BY captured_at DESC, id DESC, which in PostgreSQL means NULLS
-- FIRST. insights_captured_idx was built DESC NULLS LAST, so no query could walk it: an unfiltered page over
-- 1 M insights was a sequential scan and sort (365–505 ms) instead of an index walk (0.13 ms; docs/performance.md,
-- Profiles). The replacement has the queries' own order (and, walked backwards, oldest first). Built before the
-- old one is dropped, so no moment is without an index; the build blocks writes to insights while it runs
-- (docs/operations/migrations.md).
CREATE INDEX IF NOT EXISTS "insights_captured_order_idx" ON "insights" USING btree ("captured_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
DROP INDEX IF EXISTS "insights_captured_idx";
