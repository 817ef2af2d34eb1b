import type { Knex } from 'knex';
import { z } from 'zod';
import { replanStudyReminders } from '../reminders/study-reminders';
import { listStudyHosts, listTeamMembers, saveStudyHosting } from './study-host-repository';
import {
  HostingInput,
  checkHosting,
  mergeHosting,
  type HostingRefusal,
  type StudyHosting,
} from './study-hosting';
import { findStudy, insertStudy, updateStudy, type Study } from './study-repository';
import { CreateStudyBody, mergeStudyPatch, type StudyPatch, type StudySettings } from './study-schema';

/**
 * Creating and changing a study, shared by the JSON API and the console's study form, so
 * both validate with the same schemas and store the same way. A refusal is returned (not
 * thrown) with zod's issues, whose paths name the fields a person has to change, or with
 * the hosting rule that refused (study-hosting.ts). A refusal saves nothing.
 */
export type StudyOutcome =
  | { kind: 'saved'; study: Study }
  | { kind: 'invalid'; error: z.ZodError }
  | { kind: 'hosts-refused'; refusal: HostingRefusal }
  | { kind: 'not-found' };

const HOSTING_FIELDS = ['schedulingType', 'hostHours', 'hosts'] as const;

/** The hosting fields apart from the study's settings: they live in their own table. */
function splitHosting(input: unknown): { settings: unknown; hosting: Record<string, unknown> } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { settings: input, hosting: {} };
  const settings: Record<string, unknown> = { ...input };
  const hosting: Record<string, unknown> = {};
  for (const field of HOSTING_FIELDS) {
    if (field in settings) {
      hosting[field] = settings[field];
      delete settings[field];
    }
  }
  return { settings, hosting };
}

export async function createStudy(knex: Knex, researcherId: string, input: unknown): Promise<StudyOutcome> {
  const { settings, hosting } = splitHosting(input);
  const parsed = CreateStudyBody.safeParse(settings);
  const hostingParsed = HostingInput.safeParse(hosting);
  if (!parsed.success || !hostingParsed.success)
    return { kind: 'invalid', error: joinErrors(parsed, hostingParsed) };
  // Without hosting fields: the creator alone, one-on-one, the study's hours (the trigger's default).
  if (Object.keys(hostingParsed.data).length === 0) {
    return { kind: 'saved', study: await insertStudy(knex, researcherId, parsed.data) };
  }
  return knex.transaction(async (trx): Promise<StudyOutcome> => {
    // The creator's row held until the study is saved: their team (which the study joins by
    // trigger) cannot change between the hosts' check and the insert.
    const creator = await trx('researchers')
      .where({ id: researcherId })
      .forShare()
      .first<{ team_id: string } | undefined>('team_id');
    const teamId = creator?.team_id;
    const members = teamId ? await listTeamMembers(trx, teamId, { lock: true }) : [];
    const wanted = mergeHosting(
      { schedulingType: 'one_on_one', hostHours: 'study', hosts: [researcherId] },
      hostingParsed.data,
    );
    // The creator hosts a new study by default, connected or not (as before hosts existed):
    // only colleagues they add must be connected.
    const refusal = checkHosting(wanted, members, [researcherId]);
    if (refusal) return { kind: 'hosts-refused', refusal };
    const inserted = await insertStudy(trx, researcherId, parsed.data);
    await saveStudyHosting(trx, inserted.id, wanted, researcherId);
    return { kind: 'saved', study: await reread(trx, researcherId, inserted.id) };
  });
}

/** The merged study is validated as a whole, so a patch never leaves a study a create would refuse. */
export async function changeStudy(
  knex: Knex,
  researcherId: string,
  studyId: string,
  patch: StudyPatch,
): Promise<StudyOutcome> {
  return knex.transaction(async (trx): Promise<StudyOutcome> => {
    const current = await findStudy(trx, researcherId, studyId, { forUpdate: true });
    if (!current) return { kind: 'not-found' };
    const { settings, hosting } = splitHosting(patch);
    const merged = CreateStudyBody.safeParse(mergeStudyPatch(settingsOf(current), settings as StudyPatch));
    const hostingParsed = HostingInput.safeParse(hosting);
    if (!merged.success || !hostingParsed.success)
      return { kind: 'invalid', error: joinErrors(merged, hostingParsed) };
    if (Object.keys(hostingParsed.data).length > 0) {
      const refused = await changeHosting(trx, researcherId, current, hostingParsed.data);
      if (refused) return { kind: 'hosts-refused', refusal: refused };
    }
    const study = await updateStudy(trx, current, merged.data);
    await replanStudyReminders(trx, current, study, new Date());
    return { kind: 'saved', study };
  });
}

/**
 * Hosts already on the study may stay without a working connection (the study page says
 * they take no bookings); a host added must be connected. Saved before the settings, so
 * the study read back after them carries the new scheduling type.
 */
async function changeHosting(
  trx: Knex.Transaction,
  researcherId: string,
  study: Study,
  input: HostingInput,
): Promise<HostingRefusal | undefined> {
  const currentHosts = (await listStudyHosts(trx, study.id)).map((host) => host.researcherId);
  const current: StudyHosting = {
    schedulingType: study.schedulingType,
    hostHours: study.hostHours,
    hosts: currentHosts,
  };
  const wanted = mergeHosting(current, input);
  const members = await listTeamMembers(trx, study.teamId, { lock: true });
  const refusal = checkHosting(wanted, members, currentHosts);
  if (refusal) return refusal;
  await saveStudyHosting(trx, study.id, wanted, researcherId);
  return undefined;
}

async function reread(trx: Knex.Transaction, researcherId: string, studyId: string): Promise<Study> {
  const study = await findStudy(trx, researcherId, studyId);
  if (!study) throw new Error('study saved but not found');
  return study;
}

/** Both parts' issues in one error, so the form and the API report everything at once. */
function joinErrors(...results: z.ZodSafeParseResult<unknown>[]): z.ZodError {
  return new z.ZodError(results.flatMap((result) => (result.success ? [] : result.error.issues)));
}

export function settingsOf(study: Study): StudySettings {
  const {
    id: _id,
    researcherId: _researcherId,
    teamId: _teamId,
    schedulingType: _schedulingType,
    hostHours: _hostHours,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    ...settings
  } = study;
  return settings;
}
