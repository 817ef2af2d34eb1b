import type { z } from 'zod';
import { computeSlots, resolveSchedulingRules, type Slot } from '../availability';
import { computeHostSlots } from '../availability/host-slots';
import type { HostHours, SchedulingType } from '../availability/hosts';
import { CreateStudyBody, type StudySettings } from '../studies/study-schema';
import { dateTimeFormat } from '../availability/date-time-formats';

/** One day of the preview: its date as the study's zone writes it, and the start times. */
export interface PreviewDay {
  day: string;
  starts: string[];
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** A saved study's hosts, as far as its preview needs them: who, and their own hours. */
export interface PreviewHosts {
  schedulingType: SchedulingType;
  hostHours: 'study' | 'per_host';
  hosts: readonly { researcherId: string; name: string; hours: HostHours | null }[];
}

/**
 * The slots a participant would be offered in the next 7 days by the study's own rules,
 * computed by the same pure code as the booking page, but with no busy time: the
 * researcher's calendar and other bookings are not read for a preview. With several hosts
 * (`hosts`), their own hours combine as the booking page combines them (collective: every
 * host's hours give the start; round robin: any host's).
 */
export function previewSlots(study: StudySettings, now: Date, hosts?: PreviewHosts): PreviewDay[] {
  const query = {
    ...resolveSchedulingRules(study),
    timeZone: study.timeZone,
    availability: study.availability,
    now,
    from: now,
    to: new Date(now.getTime() + WEEK_MS),
  };
  const slots: Slot[] =
    hosts && hosts.schedulingType !== 'one_on_one' && hosts.hosts.length > 0
      ? computeHostSlots({
          ...query,
          schedulingType: hosts.schedulingType,
          hosts: hosts.hosts.map((host) => ({
            hostId: host.researcherId,
            name: host.name,
            hours: hosts.hostHours === 'per_host' && host.hours ? host.hours : undefined,
            busy: [],
          })),
        }).slots
      : computeSlots({ ...query, busy: [] });
  const dayOf = dateTimeFormat('en-GB', {
    timeZone: study.timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  });
  const timeOf = dateTimeFormat('en-GB', {
    timeZone: study.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const days: PreviewDay[] = [];
  for (const slot of slots) {
    const day = dayOf.format(slot.start);
    const last = days[days.length - 1];
    if (last?.day === day) last.starts.push(timeOf.format(slot.start));
    else days.push({ day, starts: [timeOf.format(slot.start)] });
  }
  return days;
}

export type SettingsPreview =
  { kind: 'slots'; timeZone: string; days: PreviewDay[] } | { kind: 'invalid'; error: z.ZodError };

/**
 * The preview of settings as typed, not yet saved: checked by the same schema as saving
 * (the title aside: a preview needs none), so it never shows slots a save would refuse.
 */
export function previewSettings(input: Record<string, unknown>, now: Date): SettingsPreview {
  // Consent does not change which slots there are: a missing consent text is the save's to report.
  const parsed = CreateStudyBody.safeParse({ ...input, title: 'Preview', consentRequired: false });
  if (!parsed.success) return { kind: 'invalid', error: parsed.error };
  return { kind: 'slots', timeZone: parsed.data.timeZone, days: previewSlots(parsed.data, now) };
}
