import { z } from 'zod';
import { Cursor, IsoDateTime, PageLimit, refuseControlCharacters, Uuid } from './common.ts';
import { VERDICTS } from './readiness.ts';

/**
 * Audience packages (docs/readiness.md, "Audience packages"): a point-in-time snapshot of live state for one
 * audience, rendered as Markdown (for pasting), HTML and PDF, stored with the SHA-256 of each rendering and the
 * same hashes recorded in the audit log (`package.generated`), so a stored package can be checked against it.
 */
export const AUDIENCES = ['leadership', 'product', 'security', 'platform'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const AudienceSchema = z.enum(AUDIENCES, { error: `must be one of ${AUDIENCES.join(', ')}` });
export const AUDIENCE_LABEL: Record<Audience, string> = {
  leadership: 'Leadership',
  product: 'Product & Program',
  security: 'Security Review',
  platform: 'Platform Engineering',
};
export const AUDIENCE_DESCRIPTION: Record<Audience, string> = {
  leadership: 'Status by area, the readiness verdict and its reasons, adoption and capture trends.',
  product: 'Decisions, phases, risks, adoption and capture coverage.',
  security:
    'Sign-in path, claims model, mapping rules, privileged people, exceptions, access reviews, break-glass and audit.',
  platform:
    'Runtime per environment, probes, SLOs and alerts, dashboards, deployments, rollback and dependencies.',
};

export const PACKAGE_FORMATS = ['markdown', 'html', 'pdf'] as const;
export type PackageFormat = (typeof PACKAGE_FORMATS)[number];
export const PACKAGE_FORMAT_LABEL: Record<PackageFormat, string> = {
  markdown: 'Markdown',
  html: 'HTML',
  pdf: 'PDF',
};

export const PackageHashes = z.object({
  markdown: z.string().describe('SHA-256 (hex) of the Markdown rendering (UTF-8)'),
  html: z.string().describe('SHA-256 (hex) of the HTML rendering (UTF-8)'),
  pdf: z.string().describe('SHA-256 (hex) of the PDF bytes'),
  package: z.string().describe('SHA-256 (hex) of "<markdown hash>\\n<html hash>\\n<pdf hash>"'),
});
export type PackageHashes = z.infer<typeof PackageHashes>;

export const PackageCreate = refuseControlCharacters(z.strictObject({ audience: AudienceSchema }));
export type PackageCreate = z.infer<typeof PackageCreate>;

export const PackageSummary = z.object({
  id: Uuid,
  audience: z.enum(AUDIENCES),
  title: z.string(),
  generatedAt: IsoDateTime,
  generatedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  hashes: PackageHashes,
  snapshotId: Uuid.nullable().describe(
    'The readiness snapshot taken for the package (null if since deleted)',
  ),
  verdict: z.enum(VERDICTS).nullable().describe('The readiness verdict the package states'),
  sizes: z.object({ markdown: z.number().int(), html: z.number().int(), pdf: z.number().int() }),
});
export type PackageSummary = z.infer<typeof PackageSummary>;

export const PackageListQuery = refuseControlCharacters(
  z.strictObject({
    audience: AudienceSchema.optional(),
    cursor: Cursor.optional(),
    limit: PageLimit,
  }),
);
export type PackageListQuery = z.output<typeof PackageListQuery>;
export type PackageListQueryInput = z.input<typeof PackageListQuery>;

export const PackageList = z.object({ items: z.array(PackageSummary), nextCursor: z.string().nullable() });
export type PackageList = z.infer<typeof PackageList>;

export const PackageDownloadQuery = refuseControlCharacters(
  z.strictObject({ format: z.enum(PACKAGE_FORMATS) }),
);

export const PackageCheck = z.object({
  format: z.enum([...PACKAGE_FORMATS, 'package']),
  stored: z.string().describe('The hash stored with the package'),
  recomputed: z.string().describe('The hash of the stored rendering, computed now'),
  audited: z.string().nullable().describe('The hash in the package.generated audit event (null: none found)'),
  ok: z.boolean(),
});
export type PackageCheck = z.infer<typeof PackageCheck>;

export const PackageVerification = z.object({
  ok: z.boolean().describe('Every rendering hashes to the stored and the audited value'),
  packageId: Uuid,
  checks: z.array(PackageCheck),
  auditEventSeq: z.number().int().nullable().describe('The package.generated event compared with'),
  problem: z.string().optional().describe('What did not match, in words'),
});
export type PackageVerification = z.infer<typeof PackageVerification>;
