import { and, desc, eq, gt, gte, inArray, like } from 'drizzle-orm';
import type { RuleConditions } from '../../../contract/api/entitlements.ts';
import { AUDIT_CATALOG } from '../../../contract/audit-events.ts';
import { ROLE_LABEL, SCOPE_KIND_LABEL } from '../../../contract/roles.ts';
import type { Db } from '../../db/client.ts';
import {
  accessExceptions,
  accessRemovalRequests,
  accessReviewCampaigns,
  accessReviewItems,
  auditEvents,
  auditVerifications,
  claimsModels,
  people,
} from '../../db/schema.ts';
import { activeRuleSet } from '../access/entitlements.service.ts';
import { loadOrgAccess } from '../access-reviews/access-reviews.population.ts';
import { activeModel } from '../claims-model/claims-model.service.ts';
import { daysBefore, type GatherInput } from './packages.data.shared.ts';
import { day, facts, type Section, table, text, when } from './packages.doc.ts';

async function namesOf(db: Db, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: people.id, name: people.displayName })
    .from(people)
    .where(inArray(people.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

function conditions(when: RuleConditions): string {
  const parts: string[] = [];
  if (when.groupsAny) parts.push(`in group ${when.groupsAny.join(' or ')}`);
  if (when.builderRelations !== undefined)
    parts.push(when.builderRelations ? 'in Builder Relations' : 'not in Builder Relations');
  if (when.departments) parts.push(`department ${when.departments.join(' or ')}`);
  if (when.titles) parts.push(`title ${when.titles.join(' or ')}`);
  if (when.minDirectReports !== undefined)
    parts.push(`at least ${when.minDirectReports} direct reports in BR`);
  return parts.join('; ');
}

/**
 * Security Review: how people sign in (issuer, client id, flow facts; never a secret), the claims model and
 * its approval, the mapping rules, who is privileged and why, exceptions, the last access review, break-glass
 * history, audit coverage and the latest chain verification. People appear by name only (no e-mail).
 */
export async function securitySections(input: GatherInput): Promise<Section[]> {
  const { db, config, now } = input;
  const model = await activeModel(db);
  const [modelRow] = await db.select().from(claimsModels).where(eq(claimsModels.version, model.version));
  const rules = await activeRuleSet(db);
  const org = await loadOrgAccess(db, { all: true }, now);
  const privileged = [...org.byId.values()]
    .filter((e) => e.access && (e.access.role === 'admin' || e.access.role === 'manager'))
    .sort((a, b) =>
      a.access?.role === b.access?.role
        ? a.person.displayName.localeCompare(b.person.displayName)
        : a.access?.role === 'admin'
          ? -1
          : 1,
    );
  const exceptions = await db
    .select()
    .from(accessExceptions)
    .where(and(eq(accessExceptions.status, 'active'), gt(accessExceptions.expiresAt, now)))
    .orderBy(accessExceptions.expiresAt);
  const [campaign] = await db
    .select()
    .from(accessReviewCampaigns)
    .orderBy(desc(accessReviewCampaigns.createdAt))
    .limit(1);
  const items = campaign
    ? await db.select().from(accessReviewItems).where(eq(accessReviewItems.campaignId, campaign.id))
    : [];
  const removals = campaign
    ? await db
        .select({ status: accessRemovalRequests.status })
        .from(accessRemovalRequests)
        .where(
          inArray(
            accessRemovalRequests.itemId,
            items.map((i) => i.id),
          ),
        )
    : [];
  const breakGlass = await db
    .select()
    .from(auditEvents)
    .where(and(like(auditEvents.action, 'break\\_glass.%'), gte(auditEvents.occurredAt, daysBefore(now, 90))))
    .orderBy(desc(auditEvents.seq))
    .limit(200);
  const [verification] = await db
    .select()
    .from(auditVerifications)
    .orderBy(desc(auditVerifications.startedAt))
    .limit(1);
  const names = await namesOf(db, [
    modelRow?.approvedBy,
    modelRow?.createdBy,
    ...exceptions.flatMap((e) => [e.subjectId, e.decidedBy]),
    campaign?.createdBy,
    ...breakGlass.map((e) => e.actorId),
  ]);
  const nameOf = (id: string | null | undefined) => (id ? (names.get(id) ?? 'former person') : '—');

  const families = new Map<string, number>();
  for (const action of Object.keys(AUDIT_CATALOG)) {
    const family = action.split('.')[0] ?? action;
    families.set(family, (families.get(family) ?? 0) + 1);
  }
  const decided = items.filter((i) => i.decision !== null);
  const revoked = items.filter((i) => i.decision === 'revoke');

  return [
    {
      heading: 'Sign-in path',
      blocks: [
        facts([
          ['Identity provider issuer', model.spec.issuer],
          ['Client id', model.spec.audience],
          ['Flow', 'OpenID Connect authorization code with PKCE (S256), state and nonce'],
          ['Scopes requested', config.oidc.scopes],
          ['ID token algorithms', model.spec.algorithms.join(', ')],
          ['MFA required for', model.spec.mfa.requiredFor.map((r) => ROLE_LABEL[r]).join(', ') || 'nobody'],
          ['Step-up freshness', `${model.spec.mfa.stepUpMaxAgeMinutes} minutes`],
          [
            'Session limits',
            `idle ${config.session.idleMinutes} min (admins ${config.session.adminIdleMinutes} min), absolute ${config.session.absoluteHours} h`,
          ],
        ]),
      ],
    },
    {
      heading: 'Claims model',
      blocks: [
        facts([
          ['Version', `v${model.version}`],
          ['Reason', modelRow?.reason ?? null],
          [
            'Created',
            `${when(modelRow?.createdAt)} by ${modelRow?.createdBy ? nameOf(modelRow.createdBy) : 'start-up (from deployment configuration)'}`,
          ],
          [
            'Approval',
            modelRow?.approvedAt
              ? `approved ${when(modelRow.approvedAt)} by ${nameOf(modelRow.approvedBy)}`
              : 'not approved by a second admin',
          ],
          [
            'Claims read',
            `email: ${model.spec.claims.email}, name: ${model.spec.claims.name}, groups: ${model.spec.claims.groups}`,
          ],
          [
            'Group filter',
            [...model.spec.groupFilter.prefixes.map((p) => `${p}*`), ...model.spec.groupFilter.patterns].join(
              ', ',
            ) || 'none',
          ],
        ]),
      ],
    },
    {
      heading: 'Mapping rules',
      blocks: [
        text(
          `Entitlement rule set v${rules.version} (active). A person holds the highest role, and the union of the scopes, that the matching rules and their active exceptions grant.`,
        ),
        table(
          ['Rule', 'Description', 'When', 'Grants'],
          rules.spec.rules.map((r) => [
            r.id,
            r.description,
            conditions(r.when),
            `${ROLE_LABEL[r.grant.role]}, ${SCOPE_KIND_LABEL[r.grant.scope]}`,
          ]),
        ),
      ],
    },
    {
      heading: 'Privileged people',
      blocks: [
        table(
          ['Name', 'Role', 'Via'],
          privileged.map((e) => [
            e.person.displayName,
            ROLE_LABEL[e.access?.role ?? 'viewer'],
            (e.access?.entitlements ?? [])
              .filter((x) => x.role === e.access?.role)
              .map((x) =>
                x.source === 'exception'
                  ? `exception until ${day(x.expiresAt)}`
                  : `rule ${x.ruleId ?? '?'} (${x.source === 'idp_group' ? 'IdP group' : 'org source'})`,
              )
              .join('; '),
          ]),
          'Nobody holds a manager or admin role.',
        ),
      ],
    },
    {
      heading: 'Active exceptions',
      blocks: [
        table(
          ['Who', 'Grants', 'Justification', 'Approved by', 'Expires'],
          exceptions.map((e) => [
            nameOf(e.subjectId),
            `${ROLE_LABEL[e.role]}, ${SCOPE_KIND_LABEL[e.scopeKind]}${e.scopeTarget ? ` (${e.scopeTarget})` : ''}`,
            e.justification,
            nameOf(e.decidedBy),
            when(e.expiresAt),
          ]),
          'No active exceptions.',
        ),
      ],
    },
    {
      heading: 'Last access review',
      blocks: campaign
        ? [
            facts([
              ['Campaign', campaign.name],
              ['Kind', campaign.kind],
              ['Status', campaign.status],
              ['Started', `${when(campaign.createdAt)} by ${nameOf(campaign.createdBy)}`],
              ['Due', when(campaign.dueAt)],
              ['Closed', when(campaign.closedAt)],
              ['Items decided', `${decided.length} of ${items.length}`],
              ['Revoked', revoked.length],
              ['Exceptions revoked', revoked.filter((i) => i.remediation === 'exception_revoked').length],
              [
                'Removal requests',
                `${removals.length} (${removals.filter((r) => r.status === 'open').length} still open)`,
              ],
              ['Report SHA-256', campaign.reportSha256],
            ]),
          ]
        : [text('No access review campaign has been run yet.')],
    },
    {
      heading: 'Break-glass history (last 90 days)',
      blocks: [
        table(
          ['When', 'Action', 'Outcome', 'By'],
          breakGlass.map((e) => [when(e.occurredAt), e.action, e.outcome, nameOf(e.actorId)]),
          'No break-glass activity in the last 90 days.',
        ),
      ],
    },
    {
      heading: 'Audit coverage',
      blocks: [
        text(`${Object.keys(AUDIT_CATALOG).length} audited actions in the catalog, by family:`),
        table(
          ['Family', 'Actions'],
          [...families.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([f, n]) => [f, n]),
        ),
      ],
    },
    {
      heading: 'Latest audit chain verification',
      blocks: verification
        ? [
            facts([
              ['When', when(verification.finishedAt)],
              ['Trigger', verification.trigger],
              ['Result', verification.ok ? 'intact' : `problem: ${verification.problemKind ?? 'unknown'}`],
              ['Events checked', verification.eventsChecked],
              ['Checkpoints checked', verification.checkpointsChecked],
              ['Head', verification.headSeq === null ? null : `#${verification.headSeq}`],
            ]),
          ]
        : [text('The audit chain has not been verified yet.')],
    },
  ];
}
