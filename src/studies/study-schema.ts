import { z } from 'zod';
import {
  AvailabilitySchema,
  checkSchedulingRules,
  schedulingRulesShape,
  TimeZoneSchema,
} from '../availability';
import {
  EMAIL_TEMPLATE_KINDS,
  MAX_BODY_LENGTH,
  MAX_SUBJECT_LENGTH,
  checkEmailTemplate,
  type EmailTemplate,
  type StudyEmailTemplates,
} from '../mail/email-templates';
import {
  DEFAULT_EVENT_DESCRIPTION,
  DEFAULT_EVENT_TITLE,
  EVENT_PLACEHOLDERS,
  unknownPlaceholders,
} from './event-template';
import { DEFAULT_REMINDER_MINUTES_BEFORE, ReminderMinutesBefore } from '../reminders/reminder-plan';

export const STUDY_STATUSES = ['open', 'closed'] as const;
export const CONFLICT_HANDLING = ['busy', 'strict', 'off'] as const;

const templateText = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      const unknown = unknownPlaceholders(text);
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `Unknown placeholder ${unknown.map((name) => `{{${name}}}`).join(', ')}; use ${EVENT_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ')}`,
        });
      }
    });

const guestList = z
  .array(
    z
      .email('must be an email address')
      .max(320)
      .transform((email) => email.toLowerCase()),
  )
  .max(20, 'At most 20 guests')
  .refine((emails) => new Set(emails).size === emails.length, 'Each guest only once')
  .describe("Observers' emails, added to each interview's event as optional attendees");

const EmailTemplateSchema: z.ZodType<EmailTemplate> = z.strictObject({
  subject: z.string().max(MAX_SUBJECT_LENGTH),
  body: z.string().max(MAX_BODY_LENGTH),
});

/**
 * A study's own wording per kind of email; a kind left out gets the built-in wording. Each
 * problem is reported at `emailTemplates.<kind>.<subject|body>` with a message naming the
 * email and the placeholder, so both the API's problem details and the study form point at
 * the field to change.
 */
export const EmailTemplatesSchema: z.ZodType<StudyEmailTemplates> = z
  .strictObject({
    invitation: EmailTemplateSchema.optional(),
    confirmation: EmailTemplateSchema.optional(),
    update: EmailTemplateSchema.optional(),
    cancellation: EmailTemplateSchema.optional(),
    reminder: EmailTemplateSchema.optional(),
  })
  .superRefine((templates, ctx) => {
    for (const kind of EMAIL_TEMPLATE_KINDS) {
      const template = templates[kind];
      if (!template) continue;
      for (const problem of checkEmailTemplate(kind, template)) {
        ctx.addIssue({ code: 'custom', path: [kind, problem.part], message: problem.message });
      }
    }
  })
  .describe(
    `Per kind (${EMAIL_TEMPLATE_KINDS.join(', ')}) the subject and plain-text body of the email to participants, with {{placeholders}}; a kind left out uses the built-in wording`,
  );

/** Every field of a study as the API takes it on create (defaults applied). */
export const studyShape = {
  title: z.string().trim().min(1, 'A study needs a title').max(200),
  status: z.enum(STUDY_STATUSES).default('open').describe('closed = the booking links stop offering slots'),
  timeZone: TimeZoneSchema,
  availability: AvailabilitySchema,
  ...schedulingRulesShape,
  eventTitle: templateText(300)
    .refine((text) => text.trim().length > 0, 'The event title may not be empty')
    .default(DEFAULT_EVENT_TITLE)
    .describe(
      `Calendar event title; placeholders ${EVENT_PLACEHOLDERS.map((name) => `{{${name}}}`).join(' ')}`,
    ),
  eventDescription: templateText(8000)
    .default(DEFAULT_EVENT_DESCRIPTION)
    .describe('Calendar event description; same placeholders'),
  guests: guestList.default([]),
  emailTemplates: EmailTemplatesSchema.default({}),
  reminderMinutesBefore: ReminderMinutesBefore.default([...DEFAULT_REMINDER_MINUTES_BEFORE]),
  conflictHandling: z
    .enum(CONFLICT_HANDLING)
    .default('busy')
    .describe(
      'What on the calendar blocks a slot: busy = busy events (free/transparent do not), strict = every event, off = ignore the calendar; out of office blocks in every mode, working locations and birthdays in none',
    ),
};

export const CreateStudyBody = z.strictObject(studyShape).superRefine(checkSchedulingRules);
export type StudySettings = z.infer<typeof CreateStudyBody>;

/**
 * A PATCH names only what changes; `null` clears an optional setting. The merged study is
 * validated again as a whole (see mergeStudyPatch), so a patch can never leave a study
 * that a create would refuse.
 */
export const PatchStudyBody = z
  .strictObject({
    title: z.unknown(),
    status: z.unknown(),
    timeZone: z.unknown(),
    availability: z.unknown(),
    durationMinutes: z.unknown(),
    bufferBeforeMinutes: z.unknown(),
    bufferAfterMinutes: z.unknown(),
    minNoticeMinutes: z.unknown(),
    horizonDays: z.unknown(),
    startDate: z.unknown(),
    endDate: z.unknown(),
    slotStepMinutes: z.unknown(),
    dailyLimit: z.unknown(),
    eventTitle: z.unknown(),
    eventDescription: z.unknown(),
    guests: z.unknown(),
    reminderMinutesBefore: z.unknown(),
    conflictHandling: z.unknown(),
    emailTemplates: z
      .unknown()
      .describe(
        'Merged per kind: a kind named replaces its override, null drops it (built-in wording again)',
      ),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Name at least one field to change');
export type StudyPatch = z.infer<typeof PatchStudyBody>;

const CLEARABLE = new Set(['horizonDays', 'startDate', 'endDate', 'slotStepMinutes', 'dailyLimit']);

/**
 * The study as it would be after the patch, ready for CreateStudyBody. Switching the booking
 * window kind (rolling ↔ fixed) drops the other kind's fields unless the patch sets them too.
 */
export function mergeStudyPatch(current: StudySettings, patch: StudyPatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  const setsFixed = 'startDate' in patch || 'endDate' in patch;
  if ('horizonDays' in patch && patch.horizonDays !== null && !setsFixed) {
    delete merged.startDate;
    delete merged.endDate;
  }
  if (setsFixed && !('horizonDays' in patch)) delete merged.horizonDays;
  for (const [field, value] of Object.entries(patch)) {
    if (value === null && CLEARABLE.has(field)) delete merged[field];
    else if (field === 'emailTemplates') merged[field] = mergeTemplates(current.emailTemplates, value);
    else merged[field] = value;
  }
  return merged;
}

/**
 * A PATCH names the kinds it changes; the others keep their override. `null` for a kind (or
 * for the whole field) goes back to the built-in wording. Anything else is left for the
 * schema to refuse, with its own message.
 */
function mergeTemplates(current: StudyEmailTemplates, patch: unknown): unknown {
  if (patch === null) return {};
  if (typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const merged: Record<string, unknown> = { ...current };
  for (const [kind, template] of Object.entries(patch)) {
    if (template === null) delete merged[kind];
    else merged[kind] = template;
  }
  return merged;
}
