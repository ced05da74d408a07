import { type GatherInput, trendSections, verdictSection, workstreamRows } from './packages.data.shared.ts';
import type { Section } from './packages.doc.ts';
import { table, text } from './packages.doc.ts';

/**
 * Leadership: where each area stands (the four workstreams: status, owner, highest open risk), the readiness
 * verdict with its reasons, adoption and capture trends over the last 8 ISO weeks.
 */
export async function leadershipSections(input: GatherInput): Promise<Section[]> {
  const areas = await workstreamRows(input.db);
  return [
    {
      heading: 'Status by area',
      blocks: [
        text(
          'Each workstream of the program, its status, its owner and its highest open (or mitigating) risk.',
        ),
        table(['Area', 'Status', 'Owner', 'Highest open risk'], areas, 'No workstreams recorded.'),
      ],
    },
    verdictSection(input.report, true),
    ...(await trendSections(input)),
  ];
}
