/**
 * `emails_per_s`: 2,500 invitations from one bulk add over the HTTP API, sent by the service
 * in its own process to an SMTP server started in the same run (in this process, which does
 * nothing else meanwhile); timed from the add to the last message received.
 */
import { runAlone } from '../support/report';
import { signInResearcher } from '../support/sign-in';
import { startStack } from '../support/stack';
import { createStudy, json, startCountingSmtpServer } from './queue-bench-support';
import type { BenchCase } from './types';

/** Fewer with BENCH_INVITATIONS=n, to compare with code too slow for the full run. */
const INVITATIONS = Number(process.env.BENCH_INVITATIONS ?? 2_500);
const GIVE_UP_MS = 30 * 60_000;

export async function run(): Promise<BenchCase> {
  const smtp = await startCountingSmtpServer();
  // EMAIL_CONCURRENCY and the like, when set for the bench, reach the service with the rest of the environment.
  const stack = await startStack({ SMTP_URL: smtp.url, JSON_BODY_LIMIT: '1mb' }).catch(
    async (error: unknown) => {
      await smtp.close();
      throw error;
    },
  );
  const service = stack.service;
  try {
    const { headers: auth } = await signInResearcher(
      service.url,
      stack.emulator.url,
      'emails-bench@example.com',
    );
    const studyId = await createStudy(service.url, auth, 30);
    const people = Array.from({ length: INVITATIONS }, (_, index) => ({
      name: `Participant ${index}`,
      email: `participant${index}@example.org`,
    }));
    const allReceived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${smtp.messageIds.length} of ${INVITATIONS} emails in time`)),
        GIVE_UP_MS,
      );
      smtp.onMessage = (count) => {
        if (count < INVITATIONS) return;
        clearTimeout(timer);
        resolve();
      };
    });

    const started = performance.now();
    await json(
      fetch(`${service.url}/api/studies/${studyId}/participants`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ participants: people }),
      }),
    );
    const addedMs = performance.now() - started;
    await allReceived;
    const seconds = (performance.now() - started) / 1000;
    const distinct = new Set(smtp.messageIds).size;
    const perSecond = INVITATIONS / seconds;
    return {
      title: `Invitation emails (${INVITATIONS} from one bulk add, to a local SMTP server)`,
      rows: [
        { label: 'bulk add answered', value: `${(addedMs / 1000).toFixed(1)} s` },
        { label: 'add to the last message received', value: `${seconds.toFixed(1)} s` },
        {
          label: 'messages received (distinct Message-IDs)',
          value: `${smtp.messageIds.length} (${distinct})`,
        },
        { label: 'emails per second', value: `${perSecond.toFixed(1)}/s`, goal: '≥ 50/s' },
      ],
      keys: { emails_per_s: Number(perSecond.toFixed(1)) },
    };
  } finally {
    await stack.stop();
    await smtp.close();
  }
}

if (require.main === module) runAlone(run);
