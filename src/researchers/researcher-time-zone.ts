import type { Knex } from 'knex';
import { z } from 'zod';
import { TimeZoneSchema } from '../availability';
import { setResearcherTimeZone } from './researcher-repository';

/** Empty means "each study's own zone"; anything else must be an IANA zone, as a study's is. */
const TimeZoneChoice = z.object({
  timeZone: z.union([z.literal(''), TimeZoneSchema]),
});

export type TimeZoneOutcome =
  { kind: 'saved'; timeZone: string | null } | { kind: 'invalid'; message: string };

/** The zone the console writes this researcher's times in. */
export async function chooseTimeZone(
  knex: Knex,
  researcherId: string,
  input: unknown,
): Promise<TimeZoneOutcome> {
  const parsed = TimeZoneChoice.safeParse(input);
  if (!parsed.success)
    return { kind: 'invalid', message: parsed.error.issues[0]?.message ?? 'Not a time zone' };
  const timeZone = parsed.data.timeZone === '' ? null : parsed.data.timeZone;
  await setResearcherTimeZone(knex, researcherId, timeZone);
  return { kind: 'saved', timeZone };
}
