import { sendDueReminders } from '../../src/reminders/send-due-reminders';
import { setManualStatus } from '../../src/participants/set-manual-status';
import { startSmtpServer, type TestSmtpServer } from '../mail/smtp-test-server';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { api, bookInterview, hoursFromNow, type BookedInterview } from '../sync/booked-interview';
import { asGoogleUser, eventPath, participantOf } from '../sync/calendar-support';
import { bookThroughApi, freeSlots, studyWithParticipants } from '../browser/support/booking-fixtures';

/**
 * Reminders end to end: the plan written with the booking, the sweep run with a clock the
 * test controls, the outbox and a real SMTP server, and Google changes through the emulator.
 */
describe('Reminder emails before an interview', () => {
  let stack: Stack;
  let smtp: TestSmtpServer;
  let researcher: SignedIn;
  let slot = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    stack = await startStack({
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Lab <lab@example.com>' },
    });
    researcher = await signIn(stack, 'grace@lab.example', 'Grace Hopper');
  });
  afterAll(async () => {
    await stack.close();
    await smtp.close();
  });

  const sweep = (now: Date) =>
    sendDueReminders({ knex: stack.knex, queue: stack.features.queue, logger: stack.features.logger }, now);
  const minutes = (at: Date, count: number) => new Date(at.getTime() + count * 60_000);

  async function studyWithReminders(reminderMinutesBefore: number[]): Promise<string> {
    const study = await api(stack, researcher, 'POST', '/api/studies', {
      title: 'Checkout interviews',
      durationMinutes: 30,
      timeZone: 'Europe/Berlin',
      availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
      reminderMinutesBefore,
    });
    return study.id;
  }

  /** Each test its own interview, 10 hours apart (moves stay clear of the next), two days ahead. */
  async function booked(reminderMinutesBefore = [1440, 60]): Promise<BookedInterview> {
    slot += 10;
    const studyId = await studyWithReminders(reminderMinutesBefore);
    const interview = await bookInterview(stack, researcher, { start: hoursFromNow(48 + slot), studyId });
    await stack.emulator.pushSettled();
    return interview;
  }

  async function remindersOf(interview: BookedInterview) {
    return stack
      .knex('booking_reminders')
      .where({ booking_id: interview.bookingId })
      .orderBy([{ column: 'created_at' }, { column: 'minutes_before', order: 'desc' }])
      .select('minutes_before', 'interview_start', 'due_at', 'state', 'outbox_id', 'dropped_because');
  }
  const planned = async (interview: BookedInterview) =>
    (await remindersOf(interview)).filter((row) => row.state === 'planned');
  const reminderEmails = async (interview: BookedInterview) =>
    stack
      .knex('email_outbox')
      .where({ participant_id: interview.participantId, kind: 'reminder' })
      .select('id', 'state');
  /** The reminder rows' states once none is pending: a row is marked sent just after the mail server accepts it. */
  const settledReminderStates = (interview: BookedInterview) =>
    eventually(async () => {
      const rows = (await reminderEmails(interview)).map((row) => row.state);
      return rows.includes('pending') ? undefined : rows;
    }, 10_000);
  const receivedReminders = (interview: BookedInterview) =>
    smtp.received.filter(
      (mail) =>
        mail.envelopeTo.includes(interview.participantEmail) && mail.mail.subject.startsWith('Reminder'),
    );

  test('When an interview is booked, then one reminder per study offset is planned for its start', async () => {
    const interview = await booked([1440, 60]);

    const rows = await planned(interview);
    expect(rows.map((row) => [row.minutes_before, row.due_at.toISOString()])).toEqual([
      [1440, minutes(interview.start, -1440).toISOString()],
      [60, minutes(interview.start, -60).toISOString()],
    ]);
    expect(rows.every((row) => row.interview_start.getTime() === interview.start.getTime())).toBe(true);
  });

  test('When a reminder is due and the sweep runs twice, then exactly one email goes out with the study, the time in words, the links and a one-click unsubscribe', async () => {
    const interview = await booked([1440]);
    const due = minutes(interview.start, -1440 + 1);

    await sweep(due);
    await sweep(due);

    const [mail] = await eventually(async () => {
      const received = receivedReminders(interview);
      return received.length > 0 ? received : undefined;
    }, 10_000);
    expect(await settledReminderStates(interview)).toEqual(['sent']);
    expect(receivedReminders(interview)).toHaveLength(1);
    expect(mail!.mail.subject).toBe('Reminder: your interview is tomorrow — Checkout interviews');
    expect(mail!.mail.text).toContain('your interview for the study “Checkout interviews” is tomorrow');
    expect(mail!.mail.text).toContain('Time zone: Central European');
    expect(mail!.mail.text).toMatch(/Reschedule: http:\/\/127\.0\.0\.1:\d+\/book\/\S+step=reschedule/);
    const unsubscribe = mail!.mail.headers.get('list-unsubscribe');
    expect(unsubscribe).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/reminders\/unsubscribe\/[^>]+>$/);
    expect(mail!.mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail!.mail.text).toContain(unsubscribe!.slice(1, -1));
    expect((await remindersOf(interview)).map((row) => row.state)).toEqual(['sent']);
  });

  test("When the study has its own reminder wording, then the reminder goes in the study's words, with the links filled in and the one-click unsubscribe kept", async () => {
    slot += 10;
    const study = await api(stack, researcher, 'POST', '/api/studies', {
      title: 'Onboarding interviews',
      durationMinutes: 30,
      timeZone: 'Europe/Berlin',
      availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
      reminderMinutesBefore: [1440],
      emailTemplates: {
        reminder: {
          subject: 'See you soon, {{participantName}}',
          body: 'Our talk is at {{interviewTime}} ({{timeZone}}).\n\nMove it: {{rescheduleUrl}}\nCancel: {{cancelUrl}}\nNo more reminders: {{unsubscribeUrl}}',
        },
      },
    });
    const interview = await bookInterview(stack, researcher, {
      start: hoursFromNow(48 + slot),
      studyId: study.id,
    });
    await stack.emulator.pushSettled();

    await sweep(minutes(interview.start, -1440 + 1));

    const [mail] = await eventually(async () => {
      const received = smtp.received.filter((candidate) =>
        candidate.envelopeTo.includes(interview.participantEmail),
      );
      const reminder = received.filter((candidate) => candidate.mail.subject.startsWith('See you soon'));
      return reminder.length > 0 ? reminder : undefined;
    }, 10_000);
    expect(mail!.mail.text).toContain('Our talk is at ');
    expect(mail!.mail.text).toContain('(Central European');
    expect(mail!.mail.text).toMatch(/Move it: http:\/\/127\.0\.0\.1:\d+\/book\/\S+step=reschedule/);
    expect(mail!.mail.text).toMatch(/No more reminders: http:\/\/127\.0\.0\.1:\d+\/reminders\/unsubscribe\//);
    expect(mail!.mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  });

  test('When the participant books and then moves the interview from their booking link, then the reminders follow the new time', async () => {
    const { invitees } = await studyWithParticipants(stack, researcher, ['Mo Ver'], {
      reminderMinutesBefore: [60],
    });
    const invitee = invitees[0]!;
    const later = (await freeSlots(stack, invitee)).filter(
      (slot) => Date.parse(slot.start) > Date.now() + 3 * 3600_000,
    );
    const [first, second] = [later[0]!.start, later[4]!.start];
    const plannedStarts = async () =>
      (
        await stack
          .knex('booking_reminders as r')
          .join('bookings as b', 'b.id', 'r.booking_id')
          .where({ 'b.participant_id': invitee.id, 'r.state': 'planned' })
          .select('r.interview_start')
      ).map((row) => row.interview_start.toISOString());

    expect((await bookThroughApi(stack, invitee, first)).status).toBe(201);
    expect(await plannedStarts()).toEqual([new Date(first).toISOString()]);

    expect((await bookThroughApi(stack, invitee, second)).status).toBe(201);
    expect(await plannedStarts()).toEqual([new Date(second).toISOString()]);
  });

  test('When the researcher moves the event in Google Calendar, then the sync re-plans the reminders for the new time', async () => {
    const interview = await booked([1440, 60]);
    const newStart = minutes(interview.start, 120);

    await asGoogleUser(stack, eventPath(interview, 'move'), {
      start: newStart.toISOString(),
      end: minutes(newStart, 30).toISOString(),
    });

    const rows = await eventually(async () => {
      const now = await planned(interview);
      return now.length === 2 && now.every((row) => row.interview_start.getTime() === newStart.getTime())
        ? now
        : undefined;
    }, 5000);
    expect(rows.map((row) => row.due_at.toISOString())).toEqual([
      minutes(newStart, -1440).toISOString(),
      minutes(newStart, -60).toISOString(),
    ]);
    expect((await remindersOf(interview)).filter((row) => row.state === 'dropped')).toHaveLength(2);
    // The old 1-hour reminder is gone; the new 24-hour one is 21 hours late by now, too late
    // for "tomorrow": nothing goes out, the new 1-hour reminder waits for its time.
    await sweep(minutes(interview.start, -59));
    expect((await planned(interview)).map((row) => row.minutes_before)).toEqual([60]);
    expect(await reminderEmails(interview)).toEqual([]);
  });

  test('When a reminder already handed to the outbox meets a calendar move before the mail server takes it, then it is not sent for the old time', async () => {
    const interview = await booked([1440]);
    // The mail server puts reminders off for now (451), so the move lands before a retry.
    smtp.answer = (raw) =>
      raw.includes('List-Unsubscribe:')
        ? { accept: false, code: 451, message: 'try again later' }
        : { accept: true };
    try {
      await sweep(minutes(interview.start, -1439));
      expect((await remindersOf(interview)).map((row) => row.state)).toEqual(['sent']);
      await eventually(async () => {
        const row = await stack
          .knex('email_outbox')
          .where({ participant_id: interview.participantId, kind: 'reminder' })
          .first('attempts');
        return row && row.attempts >= 1 ? row : undefined;
      }, 10_000);

      const newStart = minutes(interview.start, 180);
      await asGoogleUser(stack, eventPath(interview, 'move'), {
        start: newStart.toISOString(),
        end: minutes(newStart, 30).toISOString(),
      });

      const emails = await eventually(async () => {
        const rows = await reminderEmails(interview);
        return rows.every((row) => row.state === 'superseded') ? rows : undefined;
      }, 5000);
      expect(emails).toHaveLength(1);
      expect((await planned(interview)).map((row) => row.interview_start.toISOString())).toEqual([
        newStart.toISOString(),
      ]);
    } finally {
      smtp.answer = () => ({ accept: true });
    }
    expect(receivedReminders(interview)).toEqual([]);
    const participantPage = await fetch(`${stack.url}/participants/${interview.participantId}`, {
      headers: { cookie: researcher.cookie },
    });
    expect(await participantPage.text()).toContain('Reminder: not sent — the interview moved');
  });

  test('When the participant declines in Google Calendar, then the planned reminders are dropped and none is sent', async () => {
    const interview = await booked([1440, 60]);

    await asGoogleUser(stack, eventPath(interview, 'respond'), {
      email: interview.participantEmail,
      responseStatus: 'declined',
    });

    await eventually(async () => ((await planned(interview)).length === 0 ? true : undefined), 5000);
    expect((await remindersOf(interview)).map((row) => [row.state, row.dropped_because])).toEqual([
      ['dropped', 'the interview was cancelled'],
      ['dropped', 'the interview was cancelled'],
    ]);
    await sweep(minutes(interview.start, -30));
    expect(await reminderEmails(interview)).toEqual([]);
  });

  test('When the researcher records No Show, then the reminders still planned are dropped', async () => {
    const interview = await booked([60]);

    await setManualStatus(
      {
        knex: stack.knex,
        access: stack.features.access,
        queue: stack.features.queue,
        logger: stack.features.logger,
      },
      researcher.researcherId,
      { participantId: interview.participantId, status: 'no_show', now: minutes(interview.start, 5) },
    );

    expect((await remindersOf(interview)).map((row) => [row.state, row.dropped_because])).toEqual([
      ['dropped', 'the participant is no_show'],
    ]);
    await sweep(minutes(interview.start, -59));
    expect(await reminderEmails(interview)).toEqual([]);
  });

  test('When the participant unsubscribes from the link in a reminder, then GET only asks, the POST drops the plan, and the researcher sees it', async () => {
    const interview = await booked([1440, 60]);
    await sweep(minutes(interview.start, -1439));
    const mail = await eventually(async () => receivedReminders(interview)[0], 10_000);
    const link = mail.mail.headers.get('list-unsubscribe')!.slice(1, -1);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Stop interview reminders?');
    expect(await planned(interview)).toHaveLength(1);

    // What a mail program's one-click button sends (RFC 8058).
    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You will get no more reminders for this study.');
    expect(await planned(interview)).toEqual([]);
    await sweep(minutes(interview.start, -59));
    expect(await settledReminderStates(interview)).toEqual(['sent']);

    const participantPage = await fetch(`${stack.url}/participants/${interview.participantId}`, {
      headers: { cookie: researcher.cookie },
    });
    expect(await participantPage.text()).toMatch(/Unsubscribed from reminders/);
    expect(
      (await api(stack, researcher, 'GET', `/api/participants/${interview.participantId}`))
        .remindersUnsubscribedAt,
    ).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  test('When an unsubscribe link is forged or altered, then it is a 404 page and nothing changes', async () => {
    const interview = await booked([60]);
    const forged = `${stack.url}/reminders/unsubscribe/${interview.participantId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

    const answer = await fetch(forged, { method: 'POST' });

    expect(answer.status).toBe(404);
    expect(await planned(interview)).toHaveLength(1);
  });

  test('When the sweep only runs after the interview has begun (an outage), then the reminders are dropped, not sent', async () => {
    const interview = await booked([1440, 60]);

    await sweep(minutes(interview.start, 1));

    expect((await remindersOf(interview)).map((row) => [row.state, row.dropped_because])).toEqual([
      ['dropped', 'too late: the interview is about to start'],
      ['dropped', 'too late: the interview is about to start'],
    ]);
    expect(await reminderEmails(interview)).toEqual([]);
  });

  test('When the study drops its 1-hour reminder, then booked interviews lose it and keep the 24-hour one', async () => {
    const interview = await booked([1440, 60]);

    await api(stack, researcher, 'PATCH', `/api/studies/${interview.studyId}`, {
      reminderMinutesBefore: [1440],
    });

    expect((await planned(interview)).map((row) => row.minutes_before)).toEqual([1440]);
    expect((await participantOf(stack, interview)).status).toBe('scheduled');
  });
});
