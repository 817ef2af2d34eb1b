import type { z } from 'zod';
import type { DayWindows } from '../availability';
import { EMAIL_KIND_LABELS, EMAIL_TEMPLATE_KINDS, type EmailTemplateKind } from '../mail/email-templates';
import { DEFAULT_EVENT_DESCRIPTION, DEFAULT_EVENT_TITLE } from '../studies/event-template';
import type { StudySettings } from '../studies/study-schema';
import {
  REMINDER_FIELD,
  REMINDER_LABEL,
  reminderFieldMessage,
  reminderInputOf,
  reminderTextOf,
} from './study-form-reminders';
import type { StudyHosting } from '../studies/study-hosting';
import {
  hostingFormValuesOf,
  newHostingFormValues,
  readHostingForm,
  type HostingFormValues,
} from './study-form-hosts';

/**
 * The study form's urlencoded body (flat keys: express parses forms with `extended: false`)
 * to the same input object the JSON API takes, and zod's issues on that object back to the
 * form's fields. Pure: the page validates the result with the API's schemas.
 */

/** Monday first, as people read a week; the API's keys. */
export const FORM_WEEKDAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;
export type FormWeekday = (typeof FORM_WEEKDAYS)[number][0];

export interface TimeRange {
  start: string;
  end: string;
}

export interface OverrideRow {
  date: string;
  start: string;
  end: string;
}

/** What the researcher typed, as text, to render the form again. */
export interface StudyFormValues {
  title: string;
  durationMinutes: string;
  timeZone: string;
  conflictHandling: string;
  weekly: Record<FormWeekday, TimeRange[]>;
  overrides: OverrideRow[];
  bufferBeforeMinutes: string;
  bufferAfterMinutes: string;
  minNoticeMinutes: string;
  bookingWindow: 'rolling' | 'fixed';
  horizonDays: string;
  startDate: string;
  endDate: string;
  slotStepMinutes: string;
  dailyLimit: string;
  guests: string;
  eventTitle: string;
  eventDescription: string;
  /** Per kind of email: both empty = the built-in wording. */
  emailTemplates: Record<EmailTemplateKind, { subject: string; body: string }>;
  /** "24h, 1h" (see study-form-reminders.ts). */
  reminderMinutesBefore: string;
  consentRequired: boolean;
  consentText: string;
  /** Hosts, organizer, scheduling type, whose hours (study-form-hosts.ts). */
  hosting: HostingFormValues;
}

/** The ids (and names) of a kind's two fields: `email-invitation-subject`, `email-invitation-body`. */
export const emailFieldId = (kind: EmailTemplateKind, part: 'subject' | 'body') => `email-${kind}-${part}`;

function emptyTemplates(): StudyFormValues['emailTemplates'] {
  return Object.fromEntries(
    EMAIL_TEMPLATE_KINDS.map((kind) => [kind, { subject: '', body: '' }]),
  ) as StudyFormValues['emailTemplates'];
}

export type FormBody = Record<string, string | string[] | undefined>;

const TEXT_FIELDS = [
  'title',
  'durationMinutes',
  'timeZone',
  'conflictHandling',
  'bufferBeforeMinutes',
  'bufferAfterMinutes',
  'minNoticeMinutes',
  'horizonDays',
  'startDate',
  'endDate',
  'slotStepMinutes',
  'dailyLimit',
  'guests',
  'eventTitle',
  'eventDescription',
  REMINDER_FIELD,
  'consentText',
] as const;

const NUMBER_FIELDS = [
  'durationMinutes',
  'bufferBeforeMinutes',
  'bufferAfterMinutes',
  'minNoticeMinutes',
  'horizonDays',
  'slotStepMinutes',
  'dailyLimit',
] as const;

// A name sent twice (a crafted form) counts once: the first value.
const first = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? value[0] : value) ?? '';

const WEEKLY_NAME = /^weekly\[(mon|tue|wed|thu|fri|sat|sun)\]\[(\d{1,3})\]\[(start|end)\]$/;
const OVERRIDE_NAME = /^overrides\[(\d{1,3})\]\[(date|start|end)\]$/;

export function emptyWeek(): Record<FormWeekday, TimeRange[]> {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

/** The form's fields by name; rows left empty are dropped (each day renders one empty row). */
export function readStudyForm(body: FormBody): StudyFormValues {
  const text = Object.fromEntries(TEXT_FIELDS.map((name) => [name, first(body[name])])) as Record<
    (typeof TEXT_FIELDS)[number],
    string
  >;
  const weeklyRows = new Map<string, Map<number, TimeRange>>();
  const overrideRows = new Map<number, OverrideRow>();
  for (const [name, value] of Object.entries(body)) {
    const weekly = WEEKLY_NAME.exec(name);
    if (weekly) {
      const [, day, index, part] = weekly as unknown as [string, FormWeekday, string, 'start' | 'end'];
      const rows = weeklyRows.get(day) ?? new Map<number, TimeRange>();
      const row = rows.get(Number(index)) ?? { start: '', end: '' };
      row[part] = first(value).trim();
      rows.set(Number(index), row);
      weeklyRows.set(day, rows);
      continue;
    }
    const override = OVERRIDE_NAME.exec(name);
    if (override) {
      const [, index, part] = override as unknown as [string, string, 'date' | 'start' | 'end'];
      const row = overrideRows.get(Number(index)) ?? { date: '', start: '', end: '' };
      row[part] = first(value).trim();
      overrideRows.set(Number(index), row);
    }
  }
  const weekly = emptyWeek();
  for (const [day] of FORM_WEEKDAYS) {
    weekly[day] = inIndexOrder(weeklyRows.get(day)).filter((row) => row.start !== '' || row.end !== '');
  }
  const emailTemplates = emptyTemplates();
  for (const kind of EMAIL_TEMPLATE_KINDS) {
    emailTemplates[kind] = {
      subject: first(body[emailFieldId(kind, 'subject')]),
      // Browsers send textarea line breaks as CRLF; stored as typed, rendered as LF.
      body: first(body[emailFieldId(kind, 'body')]).replace(/\r\n?/g, '\n'),
    };
  }
  return {
    ...text,
    weekly,
    emailTemplates,
    overrides: inIndexOrder(overrideRows).filter(
      (row) => row.date !== '' || row.start !== '' || row.end !== '',
    ),
    bookingWindow: first(body.bookingWindow) === 'fixed' ? 'fixed' : 'rolling',
    // An unticked checkbox sends nothing: consent off.
    consentRequired: first(body.consentRequired) === 'yes',
    hosting: readHostingForm(body),
  };
}

function inIndexOrder<T>(rows: Map<number, T> | undefined): T[] {
  return [...(rows ?? new Map<number, T>()).entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
}

/** Whole numbers become numbers; anything else stays text, so the schema reports it. */
function numberOrText(typed: string): number | string | undefined {
  const trimmed = typed.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The guests textarea: one email per line, blank lines ignored. */
export const guestLines = (typed: string): string[] =>
  typed
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/**
 * Date override rows to the API's list: rows of one date join into that date's windows; a
 * date with no hours is closed all day. `rowOf` leads an issue on the list back to its row.
 */
function overridesOf(rows: OverrideRow[]) {
  const byDate = new Map<string, { date: string; windows: DayWindows; rows: number[] }>();
  rows.forEach((row, index) => {
    const entry = byDate.get(row.date) ?? { date: row.date, windows: [], rows: [] };
    entry.rows.push(index);
    if (row.start !== '' || row.end !== '') entry.windows.push({ start: row.start, end: row.end });
    byDate.set(row.date, entry);
  });
  return [...byDate.values()];
}

/** The POST /api/studies body the form means; optional settings left empty are absent. */
export function studyInputOf(values: StudyFormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {
    title: values.title,
    timeZone: values.timeZone.trim(),
    availability: availabilityOf(values),
    guests: guestLines(values.guests),
    eventTitle: values.eventTitle,
    eventDescription: values.eventDescription,
    reminderMinutesBefore: reminderInputOf(values.reminderMinutesBefore),
    consentRequired: values.consentRequired,
    consentText: values.consentText,
  };
  input.emailTemplates = emailTemplatesOf(values);
  if (values.conflictHandling !== '') input.conflictHandling = values.conflictHandling;
  for (const field of NUMBER_FIELDS) {
    const number = numberOrText(values[field]);
    if (number !== undefined) input[field] = number;
  }
  if (values.bookingWindow === 'fixed') {
    delete input.horizonDays;
    // Both sent even when empty: "Fixed dates" without them is a mistake to report.
    input.startDate = values.startDate.trim();
    input.endDate = values.endDate.trim();
  }
  return input;
}

/** The kinds the researcher wrote something for; a half-filled one is sent, so it is refused. */
function emailTemplatesOf(values: StudyFormValues): Record<string, { subject: string; body: string }> {
  const templates: Record<string, { subject: string; body: string }> = {};
  for (const kind of EMAIL_TEMPLATE_KINDS) {
    const { subject, body } = values.emailTemplates[kind];
    if (subject.trim() !== '' || body.trim() !== '') templates[kind] = { subject: subject.trim(), body };
  }
  return templates;
}

export function availabilityOf(values: Pick<StudyFormValues, 'weekly' | 'overrides'>) {
  const weekly: Partial<Record<FormWeekday, TimeRange[]>> = {};
  for (const [day] of FORM_WEEKDAYS) if (values.weekly[day].length > 0) weekly[day] = values.weekly[day];
  const overrides = overridesOf(values.overrides).map(({ date, windows }) => ({ date, windows }));
  return overrides.length > 0 ? { weekly, dateOverrides: overrides } : { weekly };
}

const CLEARABLE = ['horizonDays', 'startDate', 'endDate', 'slotStepMinutes', 'dailyLimit'] as const;

/**
 * The PATCH /api/studies/:id body of a saved edit form: every field, and `null` for the
 * optional settings left empty (and for the booking window kind not chosen), so they clear.
 */
export function studyPatchOf(values: StudyFormValues): Record<string, unknown> {
  const patch = studyInputOf(values);
  for (const field of CLEARABLE) if (!(field in patch)) patch[field] = null;
  // The PATCH merges kinds: the ones emptied on the form go back to the built-in wording.
  const templates: Record<string, unknown> = { ...(patch.emailTemplates as object) };
  for (const kind of EMAIL_TEMPLATE_KINDS) if (!(kind in templates)) templates[kind] = null;
  patch.emailTemplates = templates;
  return patch;
}

const ALONE: StudyHosting = { schedulingType: 'one_on_one', hostHours: 'study', hosts: [] };

/** The form prefilled from a saved study (and who hosts it). */
export function formValuesOf(study: StudySettings, hosting: StudyHosting = ALONE): StudyFormValues {
  const weekly = emptyWeek();
  for (const [day] of FORM_WEEKDAYS)
    weekly[day] = (study.availability.weekly[day] ?? []).map((w) => ({ ...w }));
  const overrides = (study.availability.dateOverrides ?? []).flatMap((override) =>
    override.windows.length === 0
      ? [{ date: override.date, start: '', end: '' }]
      : override.windows.map((window) => ({ date: override.date, ...window })),
  );
  const optional = (value: number | string | undefined) => (value === undefined ? '' : String(value));
  const fixed = study.startDate !== undefined || study.endDate !== undefined;
  return {
    title: study.title,
    durationMinutes: String(study.durationMinutes),
    timeZone: study.timeZone,
    conflictHandling: study.conflictHandling,
    weekly,
    overrides,
    bufferBeforeMinutes: String(study.bufferBeforeMinutes),
    bufferAfterMinutes: String(study.bufferAfterMinutes),
    minNoticeMinutes: String(study.minNoticeMinutes),
    bookingWindow: fixed ? 'fixed' : 'rolling',
    horizonDays: optional(study.horizonDays),
    startDate: optional(study.startDate),
    endDate: optional(study.endDate),
    slotStepMinutes: optional(study.slotStepMinutes),
    dailyLimit: optional(study.dailyLimit),
    guests: study.guests.join('\n'),
    eventTitle: study.eventTitle,
    eventDescription: study.eventDescription,
    emailTemplates: {
      ...emptyTemplates(),
      ...(study.emailTemplates as Partial<StudyFormValues['emailTemplates']>),
    },
    reminderMinutesBefore: reminderTextOf(study.reminderMinutesBefore),
    consentRequired: study.consentRequired,
    consentText: study.consentText,
    hosting: hostingFormValuesOf(hosting),
  };
}

/** A new study's form: weekdays 09:00–17:00 and the API's defaults, written out (the researcher hosts). */
export function newStudyFormValues(researcherId?: string): StudyFormValues {
  const weekly = emptyWeek();
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri'] as const)
    weekly[day] = [{ start: '09:00', end: '17:00' }];
  return {
    title: '',
    durationMinutes: '45',
    timeZone: '',
    conflictHandling: 'busy',
    weekly,
    overrides: [],
    bufferBeforeMinutes: '0',
    bufferAfterMinutes: '0',
    minNoticeMinutes: '240',
    bookingWindow: 'rolling',
    horizonDays: '30',
    startDate: '',
    endDate: '',
    slotStepMinutes: '',
    dailyLimit: '',
    guests: '',
    eventTitle: DEFAULT_EVENT_TITLE,
    eventDescription: DEFAULT_EVENT_DESCRIPTION,
    emailTemplates: emptyTemplates(),
    reminderMinutesBefore: '24h',
    consentRequired: false,
    consentText: '',
    hosting: researcherId ? newHostingFormValues(researcherId) : hostingFormValuesOf(ALONE),
  };
}

/** An error beside a field (`field` is the id of its input) and in the summary. */
export interface FormFieldError {
  field: string;
  message: string;
}

export const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  durationMinutes: 'Interview length',
  timeZone: 'Time zone',
  conflictHandling: 'Calendar conflicts',
  bufferBeforeMinutes: 'Buffer before',
  bufferAfterMinutes: 'Buffer after',
  minNoticeMinutes: 'Minimum notice',
  horizonDays: 'Booking horizon',
  startDate: 'First bookable date',
  endDate: 'Last bookable date',
  slotStepMinutes: 'Slot step',
  dailyLimit: 'Daily limit',
  guests: 'Guests',
  eventTitle: 'Event title',
  eventDescription: 'Event description',
  [REMINDER_FIELD]: REMINDER_LABEL,
  consentRequired: 'Ask for consent',
  consentText: 'Consent text',
  hosts: 'Hosts',
  organizer: 'Organizer',
  schedulingType: 'Scheduling type',
  hostHours: 'Whose hours',
};

// The schema's messages name the API's fields; the form names its labels.
const API_NAMES: [RegExp, string][] = [
  [/\bhorizonDays\b/g, 'a booking horizon'],
  [/\bstartDate\b/g, 'a first bookable date'],
  [/\bendDate\b/g, 'a last bookable date'],
];

function plainMessage(issue: z.core.$ZodIssue, label: string, typed = ''): string {
  if (issue.code === 'invalid_type') {
    return typed.trim() === '' ? `Enter ${label.toLowerCase()}` : `${label}: enter a whole number`;
  }
  if (issue.code === 'too_small' && issue.origin === 'number')
    return `${label} must be at least ${issue.minimum}`;
  if (issue.code === 'too_big' && issue.origin === 'number')
    return `${label} must be at most ${issue.maximum}`;
  if (issue.code === 'too_big' && issue.origin === 'string')
    return `${label} must be at most ${issue.maximum} characters`;
  let message = issue.message;
  for (const [name, words] of API_NAMES) message = message.replace(name, words);
  return message.charAt(0).toUpperCase() + message.slice(1);
}

const DAY_NAMES = Object.fromEntries(FORM_WEEKDAYS) as Record<FormWeekday, string>;

/** zod's issues on the form's input, each on the field a person has to change. */
export function formErrorsOf(error: z.ZodError, values: StudyFormValues): FormFieldError[] {
  const overrides = overridesOf(values.overrides);
  const guests = guestLines(values.guests);
  const errors = error.issues.map((issue): FormFieldError => {
    const [head, ...rest] = issue.path.map(String);
    if (head === 'availability' && rest[0] === 'weekly' && rest[1] !== undefined) {
      const day = rest[1] as FormWeekday;
      const row = Number(rest[2] ?? 0);
      const part = rest[3] === 'end' ? 'end' : 'start';
      return {
        field: `weekly-${day}-${row}-${part}`,
        message: `${DAY_NAMES[day] ?? day}, time range ${row + 1}: ${plainMessage(issue, 'Time').replace(/^./, (c) => c.toLowerCase())}`,
      };
    }
    if (head === 'availability' && rest[0] === 'dateOverrides') {
      const entry = rest[1] === undefined ? undefined : overrides[Number(rest[1])];
      const windowIndex = rest[2] === 'windows' && rest[3] !== undefined ? Number(rest[3]) : undefined;
      const withHours = entry
        ? entry.rows.filter((row) => values.overrides[row]!.start !== '' || values.overrides[row]!.end !== '')
        : [];
      const row = (windowIndex !== undefined ? withHours[windowIndex] : entry?.rows[0]) ?? 0;
      const part = windowIndex === undefined ? 'date' : rest[4] === 'end' ? 'end' : 'start';
      return {
        field: `override-${row}-${part}`,
        message: `Date override ${row + 1}: ${plainMessage(issue, 'Date').replace(/^./, (c) => c.toLowerCase())}`,
      };
    }
    if (head === 'emailTemplates') {
      const kind = EMAIL_TEMPLATE_KINDS.find((known) => known === rest[0]) ?? 'invitation';
      const part = rest[1] === 'body' ? 'body' : 'subject';
      const label = `${EMAIL_KIND_LABELS[kind]} email ${part}`;
      return { field: emailFieldId(kind, part), message: plainMessage(issue, label) };
    }
    if (head === REMINDER_FIELD) {
      return { field: REMINDER_FIELD, message: reminderFieldMessage(issue, values.reminderMinutesBefore) };
    }
    if (head === 'guests' && rest[0] !== undefined) {
      return { field: 'guests', message: `Guest ${guests[Number(rest[0])] ?? ''}: ${issue.message}` };
    }
    const field = head !== undefined && head in FIELD_LABELS ? head : 'title';
    const typed = (values as unknown as Record<string, unknown>)[field];
    return {
      field,
      message: plainMessage(issue, FIELD_LABELS[field] ?? field, typeof typed === 'string' ? typed : ''),
    };
  });
  // The summary lists them in the order of the form.
  return errors.sort((a, b) => formOrder(a.field) - formOrder(b.field));
}

const FORM_ORDER = [
  'title',
  'durationMinutes',
  'timeZone',
  'conflictHandling',
  'hosts',
  'organizer',
  'schedulingType',
  'hostHours',
  'weekly-',
  'override-',
];

function formOrder(field: string): number {
  // The emails' fields come last on the form, in the order of the kinds.
  if (field.startsWith('email-'))
    return 1000 + EMAIL_TEMPLATE_KINDS.findIndex((kind) => field.includes(`-${kind}-`));
  const at = FORM_ORDER.findIndex((start) => field.startsWith(start));
  return at === -1 ? FORM_ORDER.length + Object.keys(FIELD_LABELS).indexOf(field) : at;
}
