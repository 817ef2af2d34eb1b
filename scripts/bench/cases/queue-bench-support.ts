/**
 * What the queue benchmarks (emails, finish-booking jobs) share: a study to invite
 * participants to, and an SMTP server that counts.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CountingSmtpServer {
  url: string;
  /** Message-IDs of the messages accepted, in order (a repeat would show twice). */
  messageIds: string[];
  /** Called with the count after each accepted message. */
  onMessage: (count: number) => void;
  close(): Promise<void>;
}

/** A real SMTP server on loopback that accepts everything and remembers each Message-ID. */
export async function startCountingSmtpServer(): Promise<CountingSmtpServer> {
  const handle: CountingSmtpServer = {
    url: '',
    messageIds: [],
    onMessage: () => {},
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    size: 1_000_000,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        handle.messageIds.push(/^message-id:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? '');
        handle.onMessage(handle.messageIds.length);
        callback(null, 'Queued');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  handle.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return handle;
}

export async function json<T>(response: Promise<Response>): Promise<T> {
  const answer = await response;
  if (!answer.ok) throw new Error(`${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

/** A study bookable around the clock, every day, for `horizonDays`. */
export async function createStudy(
  serviceUrl: string,
  auth: Record<string, string>,
  horizonDays: number,
): Promise<string> {
  const allDay = [{ start: '00:00', end: '24:00' }];
  const weekly = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, allDay]),
  );
  const study = await json<{ id: string }>(
    fetch(`${serviceUrl}/api/studies`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        title: 'Queue bench',
        durationMinutes: 30,
        timeZone: 'UTC',
        availability: { weekly },
        minNoticeMinutes: 0,
        horizonDays,
      }),
    }),
  );
  return study.id;
}
