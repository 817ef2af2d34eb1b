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
import { hostingShape } from './study-hosting';

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

export const MAX_CONSENT_TEXT_LENGTH = 10_000;

/** Consent asked before booking; the text is versioned when stored (see study-consent-repository). */
export const consentShape = {
  consentRequired: z
    .boolean()
    .default(false)
    .describe('Participants must agree to consentText before they can book'),
  consentText: z
    .string()
    .max(MAX_CONSENT_TEXT_LENGTH, `At most ${MAX_CONSENT_TEXT_LENGTH} characters`)
    // Browsers send textarea line breaks as CRLF: the same words must not count as a new version.
    .transform((text) => text.replace(/\r\n?/g, '\n'))
    .default('')
    .describe(
      'Plain text shown on the booking page before confirming; required when consentRequired. Changing it creates a new version that participants must agree to again',
    ),
};

/** Consent text is required when consent is: each issue's path names the field to change. */
export function checkConsent(
  settings: { consentRequired?: boolean; consentText?: string },
  ctx: z.RefinementCtx,
): void {
  if (settings.consentRequired && (settings.consentText ?? '').trim() === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['consentText'],
      message: 'Write the consent text participants agree to, or turn off consent',
    });
  }
}

export const CreateStudyBody = z
  .strictObject({ ...studyShape, ...consentShape })
  .superRefine(checkSchedulingRules)
  .superRefine(checkConsent);
export type StudySettings = z.infer<typeof CreateStudyBody>;

/**
 * POST /api/studies as the API documents and checks it: the settings plus who hosts the
 * study (study-hosting.ts). The hosting rules that need the team (members, connections,
 * own hours) are the use case's.
 */
export const CreateStudyRequest = z
  .strictObject({ ...studyShape, ...consentShape, ...hostingShape })
  .superRefine(checkSchedulingRules)
  .superRefine(checkConsent);

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
    consentRequired: z.unknown(),
    consentText: z.unknown(),
    schedulingType: hostingShape.schedulingType,
    hostHours: hostingShape.hostHours,
    hosts: hostingShape.hosts,
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
