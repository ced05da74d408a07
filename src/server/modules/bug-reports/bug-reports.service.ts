import type { z } from 'zod';
import type {
  BugReportCreate,
  BugReportListQuery,
  BugReportPage,
  BugReportReceipt,
} from '../../../contract/api/bug-reports.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { Db } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../db/cursor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { sniffImageType } from '../../http/sniff.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeBugReports } from './bug-reports.policy.ts';
import * as repo from './bug-reports.repo.ts';

export interface BugReportDeps {
  db: Db;
  now: () => Date;
}

type CreateInput = z.output<typeof BugReportCreate>;
type ListInput = z.output<typeof BugReportListQuery>;

type Receipt = z.infer<typeof BugReportReceipt>;

const SCREENSHOT_FIELD = 'body.screenshot.base64';

const screenshotProblem = (message: string) =>
  new ValidationError('The screenshot is not usable.', [{ field: SCREENSHOT_FIELD, message }]);

/**
 * The screenshot's bytes, checked before anything is written: canonical base64 (what the app's encoder makes;
 * anything else is a transport problem worth hearing about), within the size limit, and really the image type
 * it claims (magic bytes), so an HTML or SVG file can never be stored as a "screenshot".
 */
export function decodeScreenshot(screenshot: NonNullable<CreateInput['screenshot']>): Buffer {
  const bytes = Buffer.from(screenshot.base64, 'base64');
  if (screenshot.base64.length % 4 !== 0 || bytes.toString('base64') !== screenshot.base64)
    throw screenshotProblem('must be base64 with padding');
  if (bytes.length === 0) throw screenshotProblem('is empty');
  if (bytes.length > LIMITS.bugScreenshotBytes)
    throw screenshotProblem(`is larger than ${LIMITS.bugScreenshotBytes} bytes`);
  const sniffed = sniffImageType(bytes);
  if (sniffed !== screenshot.contentType)
    throw screenshotProblem(
      sniffed
        ? `is a ${sniffed} image, not ${screenshot.contentType}`
        : `is not a ${screenshot.contentType} image (JPEG, PNG or WebP)`,
    );
  return bytes;
}

const ID_IN_USE = 'This bug report id is already in use. Generate a new id.';

/**
 * POST /api/v1/bug-reports. The app queues reports offline like captures, so the client id makes a resend a
 * no-op: the first write stores the report and its audit event in one transaction (201); the same id from the
 * same reporter answers the stored receipt (200); the same id from someone else is a conflict revealing nothing.
 */
export async function submitBugReport(
  deps: BugReportDeps,
  ctx: RequestContext,
  input: CreateInput,
): Promise<{ receipt: Receipt; created: boolean }> {
  const actor = requireActor(ctx);
  authorizeBugReports(actor, 'submit');
  const screenshot = input.screenshot ? decodeScreenshot(input.screenshot) : null;
  const now = deps.now();
  const created = await deps.db.transaction(async (tx) => {
    const inserted = await repo.insertBugReportIfAbsent(tx, {
      id: input.id,
      reporterId: actor.personId,
      description: input.description,
      screen: input.screen,
      appVersion: input.appVersion,
      device: input.device,
      screenshot,
      screenshotType: screenshot ? (input.screenshot?.contentType ?? null) : null,
      reportedAt: new Date(input.reportedAt),
      createdAt: now,
    });
    if (!inserted) return false;
    await audit(tx, ctx, {
      action: 'bug_report.submitted',
      targetId: input.id,
      details: { screen: input.screen, appVersion: input.appVersion, hasScreenshot: screenshot !== null },
    });
    return true;
  });
  const stored = await repo.findReceipt(deps.db, input.id);
  if (!stored) throw new NotFoundError('bug report');
  if (!created && stored.reporterId !== actor.personId) throw new ConflictError(ID_IN_USE);
  return {
    receipt: { id: stored.id, status: stored.status, createdAt: stored.createdAt.toISOString() },
    created,
  };
}

/** GET /api/v1/bug-reports: newest first, filtered by status, priority, assignee; with the counts. */
export async function listBugReports(
  deps: BugReportDeps,
  ctx: RequestContext,
  query: ListInput,
): Promise<BugReportPage> {
  const actor = requireActor(ctx);
  authorizeBugReports(actor, 'list');
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const filter = {
    status: query.status,
    priority: query.priority,
    assignee: query.assignee === 'me' ? actor.personId : query.assignee,
  };
  const [{ items, hasMore }, counts, priorityCounts] = await Promise.all([
    repo.listBugReports(deps.db, filter, { limit: query.limit, after }),
    repo.countByStatus(deps.db),
    repo.countByPriority(deps.db),
  ]);
  const last = items.at(-1);
  return {
    items,
    nextCursor: hasMore && last ? encodeCursor(new Date(last.createdAt), last.id) : null,
    counts,
    priorityCounts,
  };
}

export async function getScreenshot(deps: BugReportDeps, ctx: RequestContext, id: string) {
  authorizeBugReports(requireActor(ctx), 'read');
  const screenshot = await repo.findScreenshot(deps.db, id);
  if (!screenshot) throw new NotFoundError('screenshot');
  return screenshot;
}
