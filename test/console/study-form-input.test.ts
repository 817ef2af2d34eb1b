import { CreateStudyBody } from '../../src/studies/study-schema';
import {
  formErrorsOf,
  formValuesOf,
  newStudyFormValues,
  readStudyForm,
  studyInputOf,
  studyPatchOf,
  type FormBody,
} from '../../src/console/study-form-input';

const base: FormBody = {
  csrf: 'x',
  title: 'Onboarding',
  durationMinutes: '45',
  timeZone: 'Europe/Berlin',
  conflictHandling: 'busy',
  bufferBeforeMinutes: '0',
  bufferAfterMinutes: '0',
  minNoticeMinutes: '240',
  bookingWindow: 'rolling',
  horizonDays: '',
  startDate: '',
  endDate: '',
  slotStepMinutes: '',
  dailyLimit: '',
  guests: '',
  eventTitle: '{{studyTitle}}',
  eventDescription: '',
};

const inputOf = (fields: FormBody) => studyInputOf(readStudyForm({ ...base, ...fields }));

describe('The study form body as the API input', () => {
  test.each<[string, FormBody, Record<string, unknown>]>([
    [
      'time ranges come from flat names in index order; empty rows are ignored',
      {
        'weekly[mon][2][start]': '13:00',
        'weekly[mon][2][end]': '17:00',
        'weekly[mon][0][start]': '09:00',
        'weekly[mon][0][end]': '12:00',
        'weekly[mon][1][start]': '',
        'weekly[mon][1][end]': '',
        'weekly[sun][0][start]': '',
        'weekly[sun][0][end]': '',
      },
      {
        availability: {
          weekly: {
            mon: [
              { start: '09:00', end: '12:00' },
              { start: '13:00', end: '17:00' },
            ],
          },
        },
      },
    ],
    [
      'a half-filled row is kept, so the schema reports it',
      { 'weekly[tue][0][start]': '09:00', 'weekly[tue][0][end]': '' },
      { availability: { weekly: { tue: [{ start: '09:00', end: '' }] } } },
    ],
    [
      'names that are not the form’s are ignored',
      { 'weekly[xyz][0][start]': '09:00', 'weekly[mon][0][middle]': '10:00', extra: 'y' },
      { availability: { weekly: {} } },
    ],
    [
      'numbers become numbers, empty optional ones are absent',
      { dailyLimit: '3' },
      { durationMinutes: 45, dailyLimit: 3 },
    ],
    [
      'text in a number field stays text for the schema to refuse',
      { durationMinutes: 'ten' },
      { durationMinutes: 'ten' },
    ],
    [
      'guests: one per line, blank lines dropped',
      { guests: ' a@example.com \r\n\r\nb@example.com\n' },
      { guests: ['a@example.com', 'b@example.com'] },
    ],
    [
      'a fixed window sends its dates and no horizon',
      { bookingWindow: 'fixed', horizonDays: '10', startDate: '2027-01-04', endDate: '2027-01-08' },
      { startDate: '2027-01-04', endDate: '2027-01-08' },
    ],
    ['a rolling window sends no dates', { horizonDays: '10', startDate: '2027-01-04' }, { horizonDays: 10 }],
    [
      'date override rows of one date join; a date without hours is closed',
      {
        'overrides[0][date]': '2027-01-04',
        'overrides[0][start]': '',
        'overrides[0][end]': '',
        'overrides[1][date]': '2027-01-05',
        'overrides[1][start]': '09:00',
        'overrides[1][end]': '10:00',
        'overrides[2][date]': '2027-01-05',
        'overrides[2][start]': '14:00',
        'overrides[2][end]': '15:00',
      },
      {
        availability: {
          weekly: {},
          dateOverrides: [
            { date: '2027-01-04', windows: [] },
            {
              date: '2027-01-05',
              windows: [
                { start: '09:00', end: '10:00' },
                { start: '14:00', end: '15:00' },
              ],
            },
          ],
        },
      },
    ],
  ])('When %s', (_story, fields, expected) => {
    const input = inputOf(fields);
    expect(input).toMatchObject(expected);
    for (const [field, value] of Object.entries(expected)) expect(input[field]).toEqual(value);
    if (!('startDate' in expected)) expect(input).not.toHaveProperty('startDate');
    if (!('horizonDays' in expected)) expect(input).not.toHaveProperty('horizonDays');
  });

  test('When a name is sent twice, then the first value counts', () => {
    expect(inputOf({ title: ['First', 'Second'] }).title).toBe('First');
  });

  test('When an edit is saved, then empty optional settings are null (cleared) in the patch', () => {
    const patch = studyPatchOf(
      readStudyForm({ ...base, bookingWindow: 'fixed', startDate: '2027-01-04', endDate: '2027-01-08' }),
    );
    expect(patch).toMatchObject({
      horizonDays: null,
      slotStepMinutes: null,
      dailyLimit: null,
      startDate: '2027-01-04',
    });
  });

  test('When a saved study is opened, then the form shows it and saving it unchanged gives the same study', () => {
    const study = CreateStudyBody.parse({
      title: 'Round trip',
      durationMinutes: 30,
      timeZone: 'America/New_York',
      availability: {
        weekly: { mon: [{ start: '09:00', end: '12:00' }], fri: [{ start: '13:00', end: '24:00' }] },
        dateOverrides: [{ date: '2027-01-04', windows: [] }],
      },
      startDate: '2027-01-04',
      endDate: '2027-01-31',
      dailyLimit: 2,
      guests: ['obs@example.com'],
      emailTemplates: { invitation: { subject: 'Hi {{participantName}}', body: 'Book:\n{{bookingUrl}}' } },
      consentRequired: true,
      consentText: 'I agree to be recorded.\nThe recording is deleted after 90 days.',
    });
    const values = formValuesOf(study);
    const { weekly, overrides, emailTemplates, consentRequired, hosting: _hosting, ...text } = values;
    const body: FormBody = { ...text, ...(consentRequired ? { consentRequired: 'yes' } : {}) };
    for (const [kind, template] of Object.entries(emailTemplates)) {
      body[`email-${kind}-subject`] = template.subject;
      // As a browser posts a textarea: CRLF line breaks.
      body[`email-${kind}-body`] = template.body.replace(/\n/g, '\r\n');
    }
    for (const [day, ranges] of Object.entries(weekly))
      ranges.forEach((range, index) => {
        body[`weekly[${day}][${index}][start]`] = range.start;
        body[`weekly[${day}][${index}][end]`] = range.end;
      });
    overrides.forEach((row, index) => {
      for (const part of ['date', 'start', 'end'] as const) body[`overrides[${index}][${part}]`] = row[part];
    });
    expect(CreateStudyBody.parse(studyInputOf(readStudyForm(body)))).toEqual(study);
  });

  test('When the consent box is not ticked, then consent is off (an unticked checkbox sends nothing)', () => {
    const values = readStudyForm({ title: 'T', consentText: 'Kept words' });

    expect(studyInputOf(values)).toMatchObject({ consentRequired: false, consentText: 'Kept words' });
  });

  test('When consent is asked without text, then the error is on the consent text field', () => {
    const values = { ...newStudyFormValues(), title: 'T', timeZone: 'UTC', consentRequired: true };
    const parsed = CreateStudyBody.safeParse(studyInputOf(values));

    expect(formErrorsOf(parsed.error!, values)).toEqual([
      { field: 'consentText', message: 'Write the consent text participants agree to, or turn off consent' },
    ]);
  });

  test('When the new form is posted as it is with a title and time zone, then the schema accepts it', () => {
    const values = { ...newStudyFormValues(), title: 'Fresh', timeZone: 'Europe/Berlin' };
    expect(CreateStudyBody.safeParse(studyInputOf(values)).success).toBe(true);
  });
});

describe('zod issues on the form', () => {
  test.each<[string, FormBody, { field: string; message: string }]>([
    ['an empty title', { title: ' ' }, { field: 'title', message: 'A study needs a title' }],
    ['no duration', { durationMinutes: '' }, { field: 'durationMinutes', message: 'Enter interview length' }],
    [
      'a word as duration',
      { durationMinutes: 'ten' },
      { field: 'durationMinutes', message: 'Interview length: enter a whole number' },
    ],
    [
      'a too short duration',
      { durationMinutes: '2' },
      { field: 'durationMinutes', message: 'Interview length must be at least 5' },
    ],
    [
      'a range ending before it starts',
      { 'weekly[wed][0][start]': '10:00', 'weekly[wed][0][end]': '09:00' },
      { field: 'weekly-wed-0-end', message: 'Wednesday, time range 1: end must be later than start' },
    ],
    [
      'overlapping ranges',
      {
        'weekly[mon][0][start]': '09:00',
        'weekly[mon][0][end]': '12:00',
        'weekly[mon][1][start]': '11:00',
        'weekly[mon][1][end]': '13:00',
      },
      { field: 'weekly-mon-1-start', message: 'Monday, time range 2: overlaps the window starting at 09:00' },
    ],
    [
      'a fixed window without its last date',
      { bookingWindow: 'fixed', startDate: '2027-01-04' },
      { field: 'endDate', message: 'Use a calendar date "YYYY-MM-DD"' },
    ],
    [
      'Fixed dates chosen but no date given',
      { bookingWindow: 'fixed' },
      { field: 'startDate', message: 'Use a calendar date "YYYY-MM-DD"' },
    ],
    [
      'a guest that is no email',
      { guests: 'ok@example.com\nnope' },
      { field: 'guests', message: 'Guest nope: must be an email address' },
    ],
    [
      'a date override whose hours end before they start',
      {
        'overrides[0][date]': '2027-01-04',
        'overrides[1][date]': '2027-01-05',
        'overrides[1][start]': '12:00',
        'overrides[1][end]': '11:00',
      },
      { field: 'override-1-end', message: 'Date override 2: end must be later than start' },
    ],
    [
      'an invitation email without the booking link',
      { 'email-invitation-subject': 'Hi', 'email-invitation-body': 'Reply to book.' },
      {
        field: 'email-invitation-body',
        message:
          "The invitation email's body must contain {{bookingUrl}}: without it the participant has no link to choose a time",
      },
    ],
    [
      'a reminder with a body but no subject',
      { 'email-reminder-body': '{{rescheduleUrl}} {{cancelUrl}} {{unsubscribeUrl}}' },
      { field: 'email-reminder-subject', message: 'The reminder email needs a subject' },
    ],
    [
      'an unknown placeholder in the confirmation subject',
      {
        'email-confirmation-subject': 'See you {{when}}',
        'email-confirmation-body': '{{rescheduleUrl}} {{cancelUrl}}',
      },
      {
        field: 'email-confirmation-subject',
        message: expect.stringContaining(
          "The confirmation email's subject has an unknown placeholder {{when}}",
        ),
      },
    ],
  ])('When the form has %s, then the error is on its field', (_story, fields, expected) => {
    const values = readStudyForm({ ...base, ...fields });
    const parsed = CreateStudyBody.safeParse(studyInputOf(values));
    expect(parsed.success).toBe(false);
    expect(formErrorsOf(parsed.error!, values)).toContainEqual(expected);
  });
});
