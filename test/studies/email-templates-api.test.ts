import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';

const studyBody = {
  title: 'Onboarding interviews',
  durationMinutes: 30,
  timeZone: 'America/New_York',
  availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
};

const invitation = {
  subject: '{{studyTitle}}: pick your slot, {{participantName}}',
  body: 'Hi {{participantName}},\n\nPlease book {{durationMinutes}} minutes with {{researcherName}} here:\n{{bookingUrl}}\n\n<b>Thanks!</b>',
};

describe('Per-study email templates through the API', () => {
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada.templates@example.com', 'Ada Lovelace');
  });
  afterAll(() => stack.close());

  function call(method: string, path: string, body?: unknown) {
    return fetch(`${stack.url}${path}`, {
      method,
      headers: { ...ada.auth, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  async function mailFor(email: string) {
    return eventually(async () => {
      const messages = (await (await fetch(`${stack.url}/dev/mailbox?to=${email}`)).json()).messages;
      return messages.length > 0 ? messages[0] : undefined;
    });
  }

  test('When a study is created without templates, then it has none and the built-in invitation is sent', async () => {
    const created = await call('POST', '/api/studies', studyBody);
    const study = await created.json();
    expect(study.emailTemplates).toEqual({});

    const added = await call('POST', `/api/studies/${study.id}/participants`, {
      participants: [{ name: 'Bea Builtin', email: 'bea@example.com' }],
    });
    const { participants } = await added.json();
    const mail = await mailFor('bea@example.com');
    expect(mail.subject).toBe('Choose a time for your interview: Onboarding interviews');
    expect(mail.text).toContain(participants[0].bookingUrl);
  });

  test('When a study overrides the invitation, then the invitation sent uses its words, the link, and safe HTML', async () => {
    const created = await call('POST', '/api/studies', { ...studyBody, emailTemplates: { invitation } });
    expect(created.status).toBe(201);
    const study = await created.json();
    expect(study.emailTemplates).toEqual({ invitation });
    expect((await (await call('GET', `/api/studies/${study.id}`)).json()).emailTemplates).toEqual({
      invitation,
    });

    const added = await call('POST', `/api/studies/${study.id}/participants`, {
      participants: [{ name: 'Oli Override', email: 'oli@example.com' }],
    });
    const { participants } = await added.json();
    const bookingUrl: string = participants[0].bookingUrl;

    const mail = await mailFor('oli@example.com');
    expect(mail.subject).toBe('Onboarding interviews: pick your slot, Oli Override');
    expect(mail.text).toBe(
      `Hi Oli Override,\n\nPlease book 30 minutes with Ada Lovelace here:\n${bookingUrl}\n\n<b>Thanks!</b>\n`,
    );
    expect(mail.html).toContain(`<a href="${bookingUrl}"`);
    expect(mail.html).toContain('&lt;b&gt;Thanks!&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>');

    // A re-invitation is sent in the study's words too, with the new link.
    const reinvited = await (await call('POST', `/api/participants/${participants[0].id}/reinvite`)).json();
    const again = await eventually(async () => {
      const messages = (await (await fetch(`${stack.url}/dev/mailbox?to=oli@example.com`)).json()).messages;
      return messages.length > 1 ? messages[0] : undefined;
    });
    expect(again.subject).toBe('Onboarding interviews: pick your slot, Oli Override');
    expect(again.text).toContain(reinvited.bookingUrl);
  });

  test.each([
    [
      'an unknown placeholder',
      { invitation: { subject: 'Hi', body: '{{bookingUrl}} {{meetingLink}}' } },
      'emailTemplates.invitation.body',
      /unknown placeholder \{\{meetingLink\}\}/,
    ],
    [
      'a body without the booking link',
      { invitation: { subject: 'Hi', body: 'Reply to book.' } },
      'emailTemplates.invitation.body',
      /The invitation email's body must contain \{\{bookingUrl\}\}/,
    ],
    [
      'a reminder without the way to stop reminders',
      { reminder: { subject: 'Soon', body: '{{rescheduleUrl}} {{cancelUrl}}' } },
      'emailTemplates.reminder.body',
      /\{\{unsubscribeUrl\}\}/,
    ],
    [
      'an unknown kind of email',
      { thankYou: { subject: 'Thanks', body: 'Thanks' } },
      'emailTemplates',
      /thankYou/,
    ],
    [
      'a template without a subject field',
      { invitation: { body: '{{bookingUrl}}' } },
      'emailTemplates.invitation.subject',
      /./,
    ],
    [
      'a subject over 200 characters',
      { invitation: { subject: 'x'.repeat(201), body: '{{bookingUrl}}' } },
      'emailTemplates.invitation.subject',
      /./,
    ],
  ])(
    'When a study is created with %s, then it is a 400 naming the field and nothing is stored',
    async (_what, templates, path, message) => {
      const before = await stack.knex('studies').count<{ count: string }[]>('* as count');
      const answer = await call('POST', '/api/studies', {
        ...studyBody,
        title: 'Refused',
        emailTemplates: templates,
      });

      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const problem = await answer.json();
      expect(problem.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]),
      );
      const after = await stack.knex('studies').count<{ count: string }[]>('* as count');
      expect(after).toEqual(before);
    },
  );

  test('When a PATCH names one kind, then the others keep their override; null goes back to the built-in wording', async () => {
    const reminder = {
      subject: 'See you at {{interviewTime}}',
      body: 'Move: {{rescheduleUrl}}\nCancel: {{cancelUrl}}\nStop: {{unsubscribeUrl}}',
    };
    const study = await (
      await call('POST', '/api/studies', { ...studyBody, emailTemplates: { invitation } })
    ).json();

    const patched = await call('PATCH', `/api/studies/${study.id}`, { emailTemplates: { reminder } });
    expect(patched.status).toBe(200);
    expect((await patched.json()).emailTemplates).toEqual({ invitation, reminder });

    const refused = await call('PATCH', `/api/studies/${study.id}`, {
      emailTemplates: { reminder: { subject: 'x', body: '{{bookingUrl}}' } },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('emailTemplates.reminder.body');
    expect((await (await call('GET', `/api/studies/${study.id}`)).json()).emailTemplates).toEqual({
      invitation,
      reminder,
    });

    const dropped = await call('PATCH', `/api/studies/${study.id}`, { emailTemplates: { invitation: null } });
    expect((await dropped.json()).emailTemplates).toEqual({ reminder });
    const cleared = await call('PATCH', `/api/studies/${study.id}`, { emailTemplates: null });
    expect((await cleared.json()).emailTemplates).toEqual({});
  });
});
