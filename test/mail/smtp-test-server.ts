import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
  mail: ParsedMail;
}

/** What the server answers to one message's DATA: accept it, or refuse with an SMTP code. */
export type Answer = { accept: true } | { accept: false; code: number; message: string };

export interface TestSmtpServer {
  url: string;
  /** Messages the server accepted (answered 250), in order. */
  received: ReceivedMail[];
  /** Every DATA the server was given, accepted or not. */
  dataCount(): number;
  /** Decides the answer to each DATA; may wait (to hold a sender mid-send). Default: accept. */
  answer: (raw: string) => Answer | Promise<Answer>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package), without TLS or AUTH; on `port`
 * when given (a server coming back where senders expect it), else on any free one.
 */
export async function startSmtpServer(port = 0): Promise<TestSmtpServer> {
  let dataCount = 0;
  const handle: TestSmtpServer = {
    url: '',
    received: [],
    dataCount: () => dataCount,
    answer: () => ({ accept: true }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        dataCount += 1;
        const raw = Buffer.concat(chunks).toString('utf8');
        void Promise.resolve(handle.answer(raw)).then((answer) => {
          if (!answer.accept) {
            callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
            return;
          }
          handle.received.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((address) => address.address),
            raw,
            mail: parseMail(raw),
          });
          callback(null, 'Queued');
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  handle.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return handle;
}
