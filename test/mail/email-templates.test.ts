import {
  DEFAULT_EMAIL_TEMPLATES,
  EMAIL_PLACEHOLDERS,
  EMAIL_TEMPLATE_KINDS,
  checkEmailTemplate,
  emailHtmlBody,
  renderEmailTemplate,
  type EmailTemplateKind,
  type EmailTemplateValues,
} from '../../src/mail/email-templates';
import { renderInvitationEmail } from '../../src/mail/invitation-email';

const common = {
  participantName: 'Ada Lovelace',
  studyTitle: 'Checkout redesign',
  durationMinutes: '45',
  researcherName: 'Grace Hopper',
};
const booked = {
  ...common,
  interviewTime: 'Tue 8 Dec 2026, 10:00–10:45',
  timeZone: 'Eastern Time — New York',
  meetUrl: 'https://meet.google.com/abc-defg-hij',
  rescheduleUrl: 'https://scheduler.example.org/book/tok?step=reschedule',
  cancelUrl: 'https://scheduler.example.org/book/tok?step=cancel',
};
const SAMPLE: { [K in EmailTemplateKind]: EmailTemplateValues<K> } = {
  invitation: { ...common, bookingUrl: 'https://scheduler.example.org/book/abc_DEF-123' },
  confirmation: booked,
  update: { ...booked, previousInterviewTime: 'Mon 7 Dec 2026, 09:00–09:45' },
  cancellation: {
    ...common,
    interviewTime: booked.interviewTime,
    timeZone: booked.timeZone,
    bookingUrl: 'https://scheduler.example.org/book/tok',
  },
  reminder: { ...booked, unsubscribeUrl: 'https://scheduler.example.org/book/tok/reminders/off' },
};

describe('Email templates: the built-in wording', () => {
  test('When no study overrides the invitation, then its text is exactly the built-in invitation email', () => {
    const rendered = renderEmailTemplate('invitation', undefined, SAMPLE.invitation);
    const builtIn = renderInvitationEmail({
      ...common,
      durationMinutes: 45,
      bookingUrl: SAMPLE.invitation.bookingUrl,
      kind: 'invitation',
    });

    expect(rendered.subject).toBe(builtIn.subject);
    expect(rendered.text).toBe(builtIn.text);
  });

  test.each(EMAIL_TEMPLATE_KINDS)(
    'The built-in %s email passes its own checks and fills in every placeholder',
    (kind) => {
      expect(checkEmailTemplate(kind, DEFAULT_EMAIL_TEMPLATES[kind])).toEqual([]);
      // `kind` is each kind in turn; its values are that kind's (TypeScript cannot pair them here).
      const rendered = renderEmailTemplate(kind, undefined, SAMPLE[kind] as never);
      expect(`${rendered.subject}\n${rendered.text}`).not.toMatch(/\{\{|\}\}/);
      expect(rendered.text).toContain('Ada Lovelace');
    },
  );
});

describe('Email templates: checks on save', () => {
  const invitation = (subject: string, body: string) => checkEmailTemplate('invitation', { subject, body });

  test.each([
    ['a valid override', 'Hi {{participantName}}', 'Pick a slot: {{ bookingUrl }}', []],
    [
      'an unknown placeholder in the body',
      'Hi',
      'Pick: {{bookingUrl}} {{meetingLink}}',
      [
        {
          part: 'body',
          placeholder: 'meetingLink',
          message: expect.stringMatching(
            /^The invitation email's body has an unknown placeholder \{\{meetingLink\}\}; use \{\{participantName\}\}/,
          ),
        },
      ],
    ],
    [
      'an unknown placeholder in the subject',
      'Hi {{firstName}}',
      '{{bookingUrl}}',
      [{ part: 'subject', placeholder: 'firstName', message: expect.stringContaining('{{firstName}}') }],
    ],
    [
      'a misspelt placeholder with an underscore',
      'Hi',
      '{{booking_url}} {{bookingUrl}}',
      [{ part: 'body', placeholder: 'booking_url', message: expect.stringContaining('{{booking_url}}') }],
    ],
    [
      'a body without the booking link',
      'Hi',
      'Hello {{participantName}}, reply to this email to book.',
      [
        {
          part: 'body',
          placeholder: 'bookingUrl',
          message:
            "The invitation email's body must contain {{bookingUrl}}: without it the participant has no link to choose a time",
        },
      ],
    ],
    [
      'an empty subject',
      '  ',
      '{{bookingUrl}}',
      [{ part: 'subject', message: 'The invitation email needs a subject' }],
    ],
    [
      'a subject of two lines',
      'Hi\nBcc: x@example.org',
      '{{bookingUrl}}',
      [{ part: 'subject', message: "The invitation email's subject must be one line" }],
    ],
  ])('When the override has %s, then the checks say %j', (_what, subject, body, expected) => {
    expect(invitation(subject, body)).toEqual(expected);
  });

  test('A placeholder of another kind is unknown here: the invitation has no interview time yet', () => {
    expect(invitation('At {{interviewTime}}', '{{bookingUrl}}')).toEqual([
      expect.objectContaining({ part: 'subject', placeholder: 'interviewTime' }),
    ]);
    expect(
      checkEmailTemplate('confirmation', {
        subject: 'At {{interviewTime}}',
        body: '{{rescheduleUrl}} {{cancelUrl}}',
      }),
    ).toEqual([]);
  });

  test('The reminder must keep the way to stop reminders', () => {
    const problems = checkEmailTemplate('reminder', {
      subject: 'Soon',
      body: '{{rescheduleUrl}} {{cancelUrl}}',
    });
    expect(problems).toEqual([expect.objectContaining({ placeholder: 'unsubscribeUrl' })]);
  });

  test('Every kind allows the four common placeholders', () => {
    for (const kind of EMAIL_TEMPLATE_KINDS) {
      expect(EMAIL_PLACEHOLDERS[kind]).toEqual(
        expect.arrayContaining(['participantName', 'studyTitle', 'durationMinutes', 'researcherName']),
      );
    }
  });
});

describe('Email templates: rendering an override', () => {
  const override = {
    subject: '{{studyTitle}} – your slot, {{participantName}}',
    body: 'Hi {{participantName}},\r\n\r\nPlease pick a time ({{durationMinutes}} min):\r\n{{bookingUrl}}\r\n\r\nThanks, {{researcherName}}',
  };

  test('When a study overrides the invitation, then subject and text are its words with the values filled in', () => {
    const email = renderEmailTemplate('invitation', override, SAMPLE.invitation);

    expect(email.subject).toBe('Checkout redesign – your slot, Ada Lovelace');
    expect(email.text).toBe(
      'Hi Ada Lovelace,\n\nPlease pick a time (45 min):\nhttps://scheduler.example.org/book/abc_DEF-123\n\nThanks, Grace Hopper\n',
    );
  });

  test('The HTML is made from the text: paragraphs, line breaks, and the link clickable', () => {
    const email = renderEmailTemplate('invitation', override, SAMPLE.invitation);

    expect(email.html).toContain('<title>Checkout redesign – your slot, Ada Lovelace</title>');
    expect(email.html).toContain('<p>Hi Ada Lovelace,</p>');
    expect(email.html).toContain(
      '<p>Please pick a time (45 min):<br>\n<a href="https://scheduler.example.org/book/abc_DEF-123" style="color:#1a56db;word-break:break-all;">https://scheduler.example.org/book/abc_DEF-123</a></p>',
    );
  });

  test.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [
      '<a href="javascript:alert(1)">click</a>',
      '&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;',
    ],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
  ])('When the researcher writes markup %s in the body, then the HTML shows it as text', (markup, shown) => {
    const email = renderEmailTemplate(
      'invitation',
      { subject: 'Hi', body: `${markup}\n{{bookingUrl}}` },
      SAMPLE.invitation,
    );

    expect(email.html).toContain(shown);
    expect(email.html).not.toMatch(/<script|<img|href="javascript/i);
  });

  test('When a name holds markup or a placeholder, then it is shown as typed and never filled in again', () => {
    const email = renderEmailTemplate('invitation', override, {
      ...SAMPLE.invitation,
      participantName: '<b>{{bookingUrl}}</b>',
    });

    expect(email.text).toContain('Hi <b>{{bookingUrl}}</b>,');
    expect(email.html).toContain('Hi &lt;b&gt;{{bookingUrl}}&lt;/b&gt;,');
  });

  test('When a title has a line break, then the subject stays one line (no header injection)', () => {
    const email = renderEmailTemplate('invitation', override, {
      ...SAMPLE.invitation,
      studyTitle: 'Study\r\nBcc: victim@example.org',
    });
    expect(email.subject).toBe('Study Bcc: victim@example.org – your slot, Ada Lovelace');
  });

  test('When a stored override lacks the booking link, then it is appended: the participant always gets it', () => {
    const email = renderEmailTemplate(
      'invitation',
      { subject: 'Hi', body: 'Reply to book.' },
      SAMPLE.invitation,
    );
    expect(email.text).toBe(
      'Reply to book.\n\nChoose a time:\nhttps://scheduler.example.org/book/abc_DEF-123\n',
    );
  });

  test('When an optional value is empty, then the line holding it is left out', () => {
    const email = renderEmailTemplate('confirmation', undefined, { ...SAMPLE.confirmation, meetUrl: '' });
    expect(email.text).not.toContain('Google Meet');
    expect(email.text).not.toMatch(/\n{3}/);
    const closed = renderEmailTemplate('cancellation', undefined, { ...SAMPLE.cancellation, bookingUrl: '' });
    expect(closed.text).not.toContain('Book a new time');
  });

  test.each([['javascript:alert(1)'], ['data:text/html,hi'], ['not a url']])(
    'When the booking link is %s, then rendering refuses (a caller mistake, never sent)',
    (url) => {
      expect(() =>
        renderEmailTemplate('invitation', undefined, { ...SAMPLE.invitation, bookingUrl: url }),
      ).toThrow('bookingUrl must be an http(s) URL');
    },
  );

  test('Sentence punctuation after an address is not part of the link', () => {
    expect(emailHtmlBody('See https://example.org/a. Or (https://example.org/b).')).toBe(
      '<p>See <a href="https://example.org/a" style="color:#1a56db;word-break:break-all;">https://example.org/a</a>. Or (<a href="https://example.org/b" style="color:#1a56db;word-break:break-all;">https://example.org/b</a>).</p>',
    );
  });
});
