import { createStudy, invite, slotTomorrow, type Invited } from '../bookings/support';
import { queueBookingEmail } from '../../src/mail/booking-email-outbox';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { asGoogleUser, pushesAndSyncsSettled } from '../sync/calendar-support';
import { parseIcs, parseUtc, unescapeText, valueOf } from './ics-parse';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from './smtp-test-server';

/**
 * Issue 14, the service's own emails about a booked interview, end to end: the booking API,
 * the researcher API and Google Calendar (the emulator) change the interview; a real SMTP
 * server receives what the outbox sends. Each change must bring exactly one email.
 */

interface OutboxRow {
  id: string;
  kind: string;
  state: string;
  booking_id: string | null;
}

const SUBJECTS = {
  confirmation: 'Your interview is booked',
  update: 'Your interview has moved',
  cancellation: 'Your interview is cancelled',
} as const;
type Kind = keyof typeof SUBJECTS;

function mailsTo(smtp: TestSmtpServer, to: string, kind?: Kind): ReceivedMail[] {
  return smtp.received.filter(
    (message) =>
      message.envelopeTo.includes(to) && (!kind || message.mail.subject.startsWith(SUBJECTS[kind])),
  );
}

async function book(stack: Stack, token: string, start: string, timeZone?: string) {
  const answer = await fetch(`${stack.url}/api/booking/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ start, ...(timeZone ? { timeZone } : {}) }),
  });
  if (answer.status !== 201) throw new Error(`book: ${answer.status} ${await answer.text()}`);
  return (
    (await answer.json()) as { booking: { id: string; start: string; end: string; meetUrl: string | null } }
  ).booking;
}

async function outboxOf(stack: Stack, participantId: string, kind: Kind): Promise<OutboxRow[]> {
  return stack
    .knex('email_outbox')
    .where({ participant_id: participantId, kind })
    .orderBy('created_at')
    .select('id', 'kind', 'state', 'booking_id');
}

/** Until the participant's emails of `kind` are all sent and `count` of them exist; then a pause for strays. */
async function sentEmails(stack: Stack, participantId: string, kind: Kind, count = 1): Promise<OutboxRow[]> {
  const rows = await eventually(async () => {
    const found = await outboxOf(stack, participantId, kind);
    return found.length >= count && found.every((row) => row.state === 'sent') ? found : undefined;
  }, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return rows;
}

function icsOf(message: ReceivedMail) {
  const file = message.mail.attachments.find((attachment) => attachment.filename === 'invite.ics');
  if (!file) throw new Error('no invite.ics attached');
  const event = parseIcs(file.content).events[0];
  if (!event) throw new Error('no VEVENT');
  return event;
}

async function eventIdOf(stack: Stack, bookingId: string): Promise<string> {
  return (await stack.knex('bookings').where({ id: bookingId }).first('google_event_id')).google_event_id;
}

describe('Emails about a booked interview, each exactly once', () => {
  let smtp: TestSmtpServer;
  let stack: Stack;
  let grace: SignedIn;
  let studyId: string;
  let hour = 6;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    stack = await startStack({ env: { SMTP_URL: smtp.url } });
    grace = await signIn(stack, 'grace@lab.example', 'Grace Hopper');
    studyId = (
      await createStudy(stack, grace, { title: 'Checkout <redesign> & co', timeZone: 'Europe/Berlin' })
    ).id;
  });
  afterAll(async () => {
    await stack.close();
    await smtp.close();
  });

  /** A new participant booked tomorrow at the next free hour (UTC), in `timeZone`. */
  async function bookedParticipant(timeZone?: string) {
    const [pat] = (await invite(stack, grace, studyId, 1, `h${hour}-`)) as [Invited];
    const slot = await slotTomorrow(stack, pat.token, hour);
    hour += 2;
    const booking = await book(stack, pat.token, slot.start, timeZone);
    return { pat, booking };
  }

  test('When a participant books, then one confirmation arrives in their zone with the Meet link, Reschedule and Cancel links and an .ics', async () => {
    const { pat, booking } = await bookedParticipant('America/New_York');

    const [row] = await sentEmails(stack, pat.id, 'confirmation');
    const mails = mailsTo(smtp, pat.email, 'confirmation');
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.mail.headers.get('message-id')).toBe(`<${row!.id}@interview-scheduler>`);
    expect(mail.mail.text).toContain('Eastern Time — New York');
    const stored = await stack
      .knex('participants')
      .where({ id: pat.id })
      .first('time_zone', 'booking_link_ciphertext');
    expect(stored.time_zone).toBe('America/New_York');
    const bookingUrl = `${stack.url}/book/${pat.token}`;
    expect(mail.mail.text).toContain(`${bookingUrl}?step=reschedule`);
    expect(mail.mail.text).toContain(`${bookingUrl}?step=cancel`);
    expect(mail.mail.html).toContain(`href="${bookingUrl}?step=cancel"`);
    expect(mail.mail.html).toContain('Checkout &lt;redesign&gt; &amp; co');
    const meetUrl = (await stack.knex('bookings').where({ id: booking.id }).first('meet_url')).meet_url;
    expect(meetUrl).toMatch(/^https:\/\/meet\.google\.com\//);
    expect(mail.mail.text).toContain(`Join with Google Meet: ${meetUrl}`);

    const event = icsOf(mail);
    expect(valueOf(event, 'UID')).toBe(`${await eventIdOf(stack, booking.id)}@google.com`);
    expect(parseUtc(valueOf(event, 'DTSTART')!).toISOString()).toBe(booking.start);
    expect(parseUtc(valueOf(event, 'DTEND')!).toISOString()).toBe(booking.end);
    expect(valueOf(event, 'URL')).toBe(meetUrl);
    expect(unescapeText(valueOf(event, 'SUMMARY')!)).toContain('Checkout <redesign> & co');
  });

  test('When the participant moves the interview from the booking page, then one update names the old and new time with the same UID and a higher SEQUENCE', async () => {
    const { pat, booking } = await bookedParticipant('Europe/Berlin');
    await sentEmails(stack, pat.id, 'confirmation');
    const later = await slotTomorrow(stack, pat.token, hour);
    hour += 2;

    const moved = await book(stack, pat.token, later.start, 'Asia/Tokyo');

    expect(moved.id).toBe(booking.id);
    await sentEmails(stack, pat.id, 'update');
    const updates = mailsTo(smtp, pat.email, 'update');
    expect(updates).toHaveLength(1);
    const text = updates[0]!.mail.text ?? '';
    expect(text).toContain('Japan Standard Time — Tokyo');
    const tokyo = (at: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(
        new Date(at),
      );
    expect(text).toMatch(new RegExp(`now takes place [^.]*${tokyo(later.start)}`));
    expect(text).toMatch(new RegExp(`It was [^.]*${tokyo(booking.start)}`));
    const confirmation = icsOf(mailsTo(smtp, pat.email, 'confirmation')[0]!);
    const update = icsOf(updates[0]!);
    expect(valueOf(update, 'UID')).toBe(valueOf(confirmation, 'UID'));
    expect(Number(valueOf(update, 'SEQUENCE'))).toBeGreaterThan(Number(valueOf(confirmation, 'SEQUENCE')));
    expect(parseUtc(valueOf(update, 'DTSTART')!).toISOString()).toBe(later.start);
  });

  test('When the researcher cancels, then one cancellation offers to book a new time with the booking link', async () => {
    const { pat } = await bookedParticipant();
    await sentEmails(stack, pat.id, 'confirmation');

    const answer = await fetch(`${stack.url}/api/participants/${pat.id}/cancel`, {
      method: 'POST',
      headers: { ...grace.auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(200);

    await sentEmails(stack, pat.id, 'cancellation');
    const mails = mailsTo(smtp, pat.email, 'cancellation');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.mail.text).toContain(
      `You can book a new time whenever suits you:\n${stack.url}/book/${pat.token}\n`,
    );
    expect(mails[0]!.mail.html).toContain('Book a new time');
    expect(mailsTo(smtp, pat.email, 'update')).toHaveLength(0);
  });

  test('When the researcher moves the event in Google Calendar, then the sync brings one update', async () => {
    const { pat, booking } = await bookedParticipant('Europe/Berlin');
    await sentEmails(stack, pat.id, 'confirmation');
    await stack.emulator.pushSettled();
    const eventId = await eventIdOf(stack, booking.id);
    const newStart = new Date(Date.parse(booking.start) + 26 * 3600_000);
    const newEnd = new Date(newStart.getTime() + 30 * 60_000);

    await asGoogleUser(stack, `/calendars/${encodeURIComponent(grace.email)}/events/${eventId}/move`, {
      start: newStart.toISOString(),
      end: newEnd.toISOString(),
    });

    await sentEmails(stack, pat.id, 'update');
    await pushesAndSyncsSettled(stack);
    const updates = mailsTo(smtp, pat.email, 'update');
    expect(updates).toHaveLength(1);
    expect(parseUtc(valueOf(icsOf(updates[0]!), 'DTSTART')!)).toEqual(newStart);
    expect(await outboxOf(stack, pat.id, 'update')).toHaveLength(1);
  });

  test('When the participant declines in Google Calendar, then the sync brings one cancellation', async () => {
    const { pat, booking } = await bookedParticipant();
    await sentEmails(stack, pat.id, 'confirmation');
    await stack.emulator.pushSettled();
    const eventId = await eventIdOf(stack, booking.id);

    await asGoogleUser(stack, `/calendars/${encodeURIComponent(grace.email)}/events/${eventId}/respond`, {
      email: pat.email,
      responseStatus: 'declined',
    });

    await sentEmails(stack, pat.id, 'cancellation');
    // The decline deletes the event (a second change at Google, synced too): still one email.
    await pushesAndSyncsSettled(stack);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(smtp, pat.email, 'cancellation')).toHaveLength(1);
    expect(await outboxOf(stack, pat.id, 'cancellation')).toHaveLength(1);
  });

  test('When the participant cancels from their link, then one cancellation arrives', async () => {
    const { pat } = await bookedParticipant();
    await sentEmails(stack, pat.id, 'confirmation');

    const answer = await fetch(`${stack.url}/api/booking/${pat.token}/cancel`, { method: 'POST' });
    expect(answer.status).toBe(200);

    await sentEmails(stack, pat.id, 'cancellation');
    expect(mailsTo(smtp, pat.email, 'cancellation')).toHaveLength(1);
  });

  test('When the researcher deletes the event in Google Calendar, then the sync brings one cancellation', async () => {
    const { pat, booking } = await bookedParticipant();
    await sentEmails(stack, pat.id, 'confirmation');
    await stack.emulator.pushSettled();
    const eventId = await eventIdOf(stack, booking.id);

    await asGoogleUser(stack, `/calendars/${encodeURIComponent(grace.email)}/events/${eventId}/cancel`);

    await sentEmails(stack, pat.id, 'cancellation');
    await pushesAndSyncsSettled(stack);
    expect(mailsTo(smtp, pat.email, 'cancellation')).toHaveLength(1);
  });

  test('When the interview moves while its confirmation is still unsent, then the confirmation goes with the new time and no update follows', async () => {
    let mailServerBusy = true;
    smtp.answer = (raw) =>
      mailServerBusy && raw.includes('Subject: Your interview is booked')
        ? { accept: false, code: 451, message: 'Try again later' }
        : { accept: true };
    try {
      const { pat, booking } = await bookedParticipant();
      await eventually(async () => {
        const [row] = await stack
          .knex('email_outbox')
          .where({ participant_id: pat.id, kind: 'confirmation' });
        return row?.attempts >= 1 && row.state === 'pending';
      }, 15_000);
      const later = await slotTomorrow(stack, pat.token, hour);
      hour += 2;

      await book(stack, pat.token, later.start);
      mailServerBusy = false;

      await sentEmails(stack, pat.id, 'confirmation');
      const [mail] = mailsTo(smtp, pat.email, 'confirmation');
      expect(parseUtc(valueOf(icsOf(mail!), 'DTSTART')!).toISOString()).toBe(later.start);
      expect(later.start).not.toBe(booking.start);
      expect(await outboxOf(stack, pat.id, 'update')).toEqual([]);
      expect(mailsTo(smtp, pat.email, 'update')).toHaveLength(0);
    } finally {
      smtp.answer = () => ({ accept: true });
    }
  }, 40_000);

  test('When the interview is cancelled while its confirmation is still unsent, then only the cancellation goes', async () => {
    smtp.answer = (raw) =>
      raw.includes('Subject: Your interview is booked')
        ? { accept: false, code: 451, message: 'Try again later' }
        : { accept: true };
    try {
      const { pat } = await bookedParticipant();
      await eventually(async () => {
        const [row] = await stack
          .knex('email_outbox')
          .where({ participant_id: pat.id, kind: 'confirmation' });
        return row?.attempts >= 1 && row.state === 'pending';
      }, 15_000);

      const answer = await fetch(`${stack.url}/api/booking/${pat.token}/cancel`, { method: 'POST' });
      expect(answer.status).toBe(200);

      await sentEmails(stack, pat.id, 'cancellation');
      expect(await outboxOf(stack, pat.id, 'confirmation')).toEqual([
        expect.objectContaining({ state: 'superseded' }),
      ]);
      expect(mailsTo(smtp, pat.email, 'confirmation')).toHaveLength(0);
      expect(mailsTo(smtp, pat.email, 'cancellation')).toHaveLength(1);
    } finally {
      smtp.answer = () => ({ accept: true });
    }
  }, 40_000);

  test('When the calendar brings a deleted interview back before the cancellation went out, then "on again" goes instead, and a second deletion is sent with a calendar file that removes the event', async () => {
    let mailServerBusy = true;
    smtp.answer = (raw) =>
      mailServerBusy && raw.includes('Subject: Your interview is cancelled')
        ? { accept: false, code: 451, message: 'Try again later' }
        : { accept: true };
    try {
      const { pat, booking } = await bookedParticipant();
      await sentEmails(stack, pat.id, 'confirmation');
      const [booked] = mailsTo(smtp, pat.email, 'confirmation');
      await stack.emulator.pushSettled();
      const eventPath = `/calendars/${encodeURIComponent(grace.email)}/events/${await eventIdOf(stack, booking.id)}`;

      await asGoogleUser(stack, `${eventPath}/cancel`);
      await eventually(async () => {
        const [row] = await outboxOf(stack, pat.id, 'cancellation');
        const attempts =
          row && (await stack.knex('email_outbox').where({ id: row.id }).first('attempts')).attempts;
        return attempts >= 1 && row!.state === 'pending';
      }, 20_000);
      await asGoogleUser(stack, `${eventPath}/restore`);
      await eventually(async () => {
        const row = await stack.knex('bookings').where({ id: booking.id }).first('state');
        return row.state === 'confirmed';
      }, 20_000);
      mailServerBusy = false;

      const onAgain = await eventually(async () => {
        const found = mailsTo(smtp, pat.email).filter((m) =>
          m.mail.subject.startsWith('Your interview is on again'),
        );
        return found.length > 0 ? found : undefined;
      }, 20_000);
      expect(onAgain).toHaveLength(1);
      const [cancelled] = await outboxOf(stack, pat.id, 'cancellation');
      expect(cancelled!.state).toBe('superseded');
      expect(mailsTo(smtp, pat.email, 'cancellation')).toHaveLength(0);
      const revivedSequence = Number(valueOf(icsOf(onAgain[0]!), 'SEQUENCE'));
      expect(revivedSequence).toBeGreaterThan(Number(valueOf(icsOf(booked!), 'SEQUENCE')));
      await pushesAndSyncsSettled(stack);

      await asGoogleUser(stack, `${eventPath}/cancel`);

      const rows = await eventually(async () => {
        const found = await outboxOf(stack, pat.id, 'cancellation');
        return found.length === 2 && found[1]!.state === 'sent' ? found : undefined;
      }, 20_000);
      expect(rows.map((row) => row.state)).toEqual(['superseded', 'sent']);
      const notices = mailsTo(smtp, pat.email, 'cancellation');
      expect(notices).toHaveLength(1);
      const file = notices[0]!.mail.attachments.find((attachment) => attachment.filename === 'invite.ics');
      expect(valueOf(parseIcs(file!.content).calendar, 'METHOD')).toBe('CANCEL');
      const removal = icsOf(notices[0]!);
      expect(valueOf(removal, 'UID')).toBe(valueOf(icsOf(booked!), 'UID'));
      expect(valueOf(removal, 'STATUS')).toBe('CANCELLED');
      expect(Number(valueOf(removal, 'SEQUENCE'))).toBeGreaterThan(revivedSequence);
    } finally {
      smtp.answer = () => ({ accept: true });
    }
  }, 90_000);

  test('When the study has its own confirmation template, then the confirmation is written in it, with the .ics', async () => {
    const own = (
      await createStudy(stack, grace, {
        title: 'Templated study',
        emailTemplates: {
          confirmation: {
            subject: 'See you soon: {{studyTitle}}',
            body: 'Dear {{participantName}}, {{interviewTime}} ({{timeZone}}).\nMove: {{rescheduleUrl}}\nCancel: {{cancelUrl}}',
          },
        },
      })
    ).id;
    const [pat] = (await invite(stack, grace, own, 1, 'tpl-')) as [Invited];
    const slot = await slotTomorrow(stack, pat.token, hour);
    hour += 2;

    await book(stack, pat.token, slot.start, 'Europe/Paris');

    await eventually(async () => {
      const rows = await outboxOf(stack, pat.id, 'confirmation');
      return rows[0]?.state === 'sent';
    }, 20_000);
    const [mail] = smtp.received.filter(
      (message) => message.envelopeTo.includes(pat.email) && message.mail.subject.startsWith('See you soon'),
    );
    expect(mail?.mail.subject).toBe('See you soon: Templated study');
    expect(mail?.mail.text).toContain('Central European');
    expect(mail?.mail.text).toContain(`Move: ${stack.url}/book/${pat.token}?step=reschedule`);
    expect(valueOf(icsOf(mail!), 'DTSTART')).toBeDefined();
  });

  test('When the same change is reported twice, then the second report adds no email', async () => {
    const { pat, booking } = await bookedParticipant();
    await sentEmails(stack, pat.id, 'confirmation');

    const again = await stack.knex.transaction((trx) =>
      queueBookingEmail(trx, stack.queue, { kind: 'confirmation', bookingId: booking.id }),
    );

    expect(again).toBeUndefined();
    expect(await outboxOf(stack, pat.id, 'confirmation')).toHaveLength(1);
  });

  test('When the mail server accepted a confirmation but the commit was lost, then the resend carries the same Message-ID', async () => {
    let terminated = 0;
    smtp.answer = async (raw) => {
      if (terminated === 0 && raw.includes('Subject: Your interview is booked')) {
        // The worker's transaction dies between "250 accepted" and "mark sent": a crash there.
        const result = await stack.knex.raw<{ rows: unknown[] }>(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND state = 'idle in transaction' AND query LIKE '%AS participant_time_zone%'`,
        );
        terminated = result.rows.length;
      }
      return { accept: true };
    };
    try {
      const { pat } = await bookedParticipant();

      const [row] = await eventually(async () => {
        const rows = await outboxOf(stack, pat.id, 'confirmation');
        return rows[0]?.state === 'sent' ? rows : undefined;
      }, 30_000);

      expect(terminated).toBe(1);
      expect(
        mailsTo(smtp, pat.email, 'confirmation').map((mail) => mail.mail.headers.get('message-id')),
      ).toEqual([`<${row!.id}@interview-scheduler>`, `<${row!.id}@interview-scheduler>`]);
    } finally {
      smtp.answer = () => ({ accept: true });
    }
  }, 40_000);

  test('When the study is closed and the interview is cancelled, then the notice has no link to book again', async () => {
    const { pat } = await bookedParticipant();
    await sentEmails(stack, pat.id, 'confirmation');
    const closed = await fetch(`${stack.url}/api/studies/${studyId}`, {
      method: 'PATCH',
      headers: { ...grace.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'closed' }),
    });
    expect(closed.status).toBe(200);

    try {
      const answer = await fetch(`${stack.url}/api/participants/${pat.id}/cancel`, {
        method: 'POST',
        headers: { ...grace.auth, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(answer.status).toBe(200);

      await sentEmails(stack, pat.id, 'cancellation');
      const [mail] = mailsTo(smtp, pat.email, 'cancellation');
      expect(mail?.mail.text).not.toContain('/book/');
      expect(mail?.mail.html).not.toContain('Book a new time');
    } finally {
      await fetch(`${stack.url}/api/studies/${studyId}`, {
        method: 'PATCH',
        headers: { ...grace.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'open' }),
      });
    }
  });
});

describe('A confirmation rendered when it is sent', () => {
  let smtp: TestSmtpServer;
  let stack: Stack;
  let ada: SignedIn;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    // Longer than the booking request waits for the conference: confirmed without a link.
    stack = await startStack({
      env: { SMTP_URL: smtp.url },
      emulator: { meetDelayMs: 5000 },
    });
    ada = await signIn(stack, 'ada@lab.example', 'Ada Lovelace');
  });
  afterAll(async () => {
    await stack.close();
    await smtp.close();
  });

  test('When the Meet link arrives after the booking but before the email could go, then the email carries the link', async () => {
    const studyId = (await createStudy(stack, ada)).id;
    const [pat] = (await invite(stack, ada, studyId)) as [Invited];
    // The mail server is busy (451) until Google has made the conference and the sync stored it.
    smtp.answer = async (raw) => {
      if (!raw.includes('Subject: Your interview is booked')) return { accept: true };
      const row = await stack.knex('bookings').where({ participant_id: pat.id }).first('meet_url');
      return row?.meet_url ? { accept: true } : { accept: false, code: 451, message: 'Try again later' };
    };
    const slot = await slotTomorrow(stack, pat.token, 10);

    const booking = await book(stack, pat.token, slot.start);

    expect(booking.meetUrl).toBeNull();
    const [row] = await sentEmails(stack, pat.id, 'confirmation');
    const meetUrl = (await stack.knex('bookings').where({ id: booking.id }).first('meet_url')).meet_url;
    const [mail] = mailsTo(smtp, pat.email, 'confirmation');
    expect(mail?.mail.headers.get('message-id')).toBe(`<${row!.id}@interview-scheduler>`);
    expect(mail?.mail.text).toContain(`Join with Google Meet: ${meetUrl}`);
    expect(valueOf(icsOf(mail!), 'URL')).toBe(meetUrl);
    expect(mail?.mail.text).toContain('Time zone: Coordinated Universal Time');
  }, 60_000);
});
