import type { HostHours } from '../availability/hosts';
import type { Study } from '../studies/study-repository';

/**
 * The zone an all-day event's dates are read in when Google did not say which zone its
 * calendar keeps (a busy cache entry written before the zone was read): Google means the
 * date in the calendar's own zone, and the nearest we know of it is the host's own hours
 * when the study uses them, else the study's zone.
 */
export function allDayFallbackZone(
  study: Pick<Study, 'timeZone' | 'hostHours'>,
  hostHours: HostHours | null | undefined,
): string {
  return study.hostHours === 'per_host' && hostHours ? hostHours.timeZone : study.timeZone;
}
