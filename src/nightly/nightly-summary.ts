import type { AppliedKind } from '../sync/apply-reconcile';
import type { NightlyReport } from './nightly-job';

/** The human summary `npm run reconcile` prints: what was looked at and what was fixed. */
export function formatNightlySummary(report: NightlyReport): string {
  const seconds = ((report.finishedAt.getTime() - report.startedAt.getTime()) / 1000).toFixed(1);
  const lines = [
    `Reconciled ${report.calendars} calendar${report.calendars === 1 ? '' : 's'} in ${seconds} s.`,
    `  Push channels: ${report.channelsRenewed} renewed, ${report.channelsCreated} created, ${report.channelsKept} kept`,
    `  Syncs: ${report.incrementalSyncs} incremental, ${report.fullResyncs} full`,
    `  Upcoming bookings verified: ${report.bookingsVerified}`,
    `  Fixed: ${report.fixed.length} booking${report.fixed.length === 1 ? '' : 's'}${breakdown(report)}`,
  ];
  if (report.revoked > 0)
    lines.push(`  Connections found revoked: ${report.revoked} (the researchers must reconnect)`);
  lines.push(`  Failures: ${report.failures.length}`);
  for (const failure of report.failures) {
    lines.push(`    - researcher ${failure.researcherId}, ${failure.step}: ${failure.message}`);
  }
  return lines.join('\n');
}

const LABELS: Record<AppliedKind, string> = {
  rescheduled: 'rescheduled',
  organizer_changed: 'organizer changed (interview kept)',
  canceled: 'canceled',
  scheduled: 'scheduled again',
  booking: 'booking only (status set by hand kept)',
  version: 'unchanged',
};

function breakdown(report: NightlyReport): string {
  const counts = new Map<AppliedKind, number>();
  for (const fixed of report.fixed) {
    for (const change of fixed.changes) counts.set(change, (counts.get(change) ?? 0) + 1);
  }
  if (counts.size === 0) return '';
  const parts = [...counts].map(([change, count]) => `${count} ${LABELS[change]}`);
  return ` (${parts.join(', ')})`;
}
