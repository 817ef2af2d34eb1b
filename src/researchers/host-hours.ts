import type { Knex } from 'knex';
import { z } from 'zod';
import { AvailabilitySchema, TimeZoneSchema } from '../availability';
import type { HostHours } from '../availability/hosts';
import { perHostStudiesOf } from '../studies/study-host-repository';

/**
 * A host's own weekly hours (issue 15): one set per researcher, read by every study they
 * host with "each host's own hours". Shared by PUT/DELETE /api/me/hours and the console's
 * Your hours page, so both validate and refuse the same way.
 */
export const HostHoursBody = z
  .strictObject({
    timeZone: TimeZoneSchema.describe('IANA time zone the hours are read in, e.g. "Europe/Berlin"'),
    availability: AvailabilitySchema.describe(
      'Weekly windows and date overrides, exactly as a study’s availability',
    ),
  })
  .describe("The researcher's own weekly hours, used by studies whose hostHours is per_host");

export async function findHostHours(db: Knex, researcherId: string): Promise<HostHours | null> {
  const row = await db('researchers')
    .where({ id: researcherId })
    .first<{ host_hours: HostHours | null } | undefined>('host_hours');
  return row?.host_hours ?? null;
}

export type HostHoursOutcome =
  | { kind: 'saved'; hours: HostHours }
  | { kind: 'invalid'; error: z.ZodError }
  | { kind: 'cleared' }
  | { kind: 'in-use'; studies: { id: string; title: string }[] };

export async function saveHostHours(
  knex: Knex,
  researcherId: string,
  input: unknown,
): Promise<HostHoursOutcome> {
  const parsed = HostHoursBody.safeParse(input);
  if (!parsed.success) return { kind: 'invalid', error: parsed.error };
  await knex('researchers')
    .where({ id: researcherId })
    .update({ host_hours: JSON.stringify(parsed.data) });
  return { kind: 'saved', hours: parsed.data };
}

/**
 * Clearing is refused while a study reads these hours: it would offer no times for this
 * host. The row lock makes a study being saved with "each host's own hours" at the same
 * moment wait (it reads the hours FOR SHARE), so one of the two sees the other.
 */
export async function clearHostHours(knex: Knex, researcherId: string): Promise<HostHoursOutcome> {
  return knex.transaction(async (trx): Promise<HostHoursOutcome> => {
    await trx('researchers').where({ id: researcherId }).forUpdate().first('id');
    const studies = await perHostStudiesOf(trx, researcherId);
    if (studies.length > 0) return { kind: 'in-use', studies };
    await trx('researchers').where({ id: researcherId }).update({ host_hours: null });
    return { kind: 'cleared' };
  });
}
