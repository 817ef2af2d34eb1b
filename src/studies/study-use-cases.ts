import type { Knex } from 'knex';
import type { z } from 'zod';
import { replanStudyReminders } from '../reminders/study-reminders';
import { findStudy, insertStudy, updateStudy, type Study } from './study-repository';
import { CreateStudyBody, mergeStudyPatch, type StudyPatch, type StudySettings } from './study-schema';

/**
 * Creating and changing a study, shared by the JSON API and the console's study form, so
 * both validate with the same schemas and store the same way. A refusal is returned (not
 * thrown) with zod's issues, whose paths name the fields a person has to change.
 */
export type StudyOutcome =
  { kind: 'saved'; study: Study } | { kind: 'invalid'; error: z.ZodError } | { kind: 'not-found' };

export async function createStudy(knex: Knex, researcherId: string, input: unknown): Promise<StudyOutcome> {
  const parsed = CreateStudyBody.safeParse(input);
  if (!parsed.success) return { kind: 'invalid', error: parsed.error };
  return { kind: 'saved', study: await insertStudy(knex, researcherId, parsed.data) };
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
    const merged = CreateStudyBody.safeParse(mergeStudyPatch(settingsOf(current), patch));
    if (!merged.success) return { kind: 'invalid', error: merged.error };
    const study = await updateStudy(trx, current, merged.data);
    await replanStudyReminders(trx, current, study, new Date());
    return { kind: 'saved', study };
  });
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
