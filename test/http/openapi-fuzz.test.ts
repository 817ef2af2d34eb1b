import fc from 'fast-check';
import * as jobNames from '../../src/jobs/names';
import { studyWithParticipants } from '../browser/support/booking-fixtures';
import { signIn, startStack, type Stack } from '../support/stack';
import {
  operationsOf,
  propertyHints,
  requestArbitrary,
  type FuzzRequest,
  type Operation,
} from './fuzz/fuzz-request';
import { tableChecksums } from './fuzz/table-checksum';

/**
 * Every operation of /openapi.json, called with generated requests: bodies from the
 * operation's own JSON schema with hostile strings mixed in (NUL, lone surrogates, 1 MB),
 * odd percent-encodings in the path, invalid UTF-8, wrong content types, 10,000 levels of
 * nesting, huge numbers, arrays for objects, a form with too many fields; with the
 * researcher's real session or token, forged ones, or none. For every answer: no 5xx, a
 * problem+json for a 4xx (or the documented HTML page), and a refused request changed no
 * row. Fixed seed (test/support/property-seed.ts); FC_SEED=random explores.
 */

/** Runs per operation: 36 operations, about 30 s in all on the CI machine. */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 50);

let stack: Stack;
let operations: Operation[];
let known: { studyId: string; participantId: string; bookingToken: string };
let credentials: { cookie: string; token: string };

beforeAll(async () => {
  stack = await startStack({
    workers: false,
    bookingLimits: { perAddress: 1_000_000, perToken: 1_000_000 },
  });
  // The queues exist (requests enqueue jobs) but no worker runs them: nothing changes the
  // tables behind the fuzzer's back, so a change seen after a request is that request's.
  for (const name of Object.values(jobNames)) {
    await stack.queue.defineQueue(name, {
      retryLimit: 0,
      retryDelaySeconds: 1,
      retryBackoff: false,
      expireInSeconds: 60,
    });
  }
  const researcher = await signIn(stack, 'fuzz@example.com', 'Fuzz Researcher');
  credentials = { cookie: researcher.cookie, token: researcher.token };
  const { studyId, invitees } = await studyWithParticipants(stack, researcher, ['Pat Tester']);
  known = { studyId, participantId: invitees[0]!.id, bookingToken: invitees[0]!.token };
  operations = operationsOf(await (await fetch(`${stack.url}/openapi.json`)).json());
}, 60_000);
afterAll(() => stack?.close());

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

async function send(request: FuzzRequest): Promise<Answer> {
  const response = await fetch(`${stack.url}${request.target}`, {
    method: request.method,
    headers: request.headers,
    redirect: 'manual',
    ...(request.body !== undefined ? { body: Buffer.from(request.body) } : {}),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** What is wrong with an answer, or undefined when nothing is. */
function complaintAbout(operation: Operation, request: FuzzRequest, answer: Answer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (request.mustBeRefused && answer.status < 400) {
    return `accepted (${answer.status}) text that cannot be stored (NUL, lone surrogate or undecodable path)`;
  }
  if (answer.status < 400) return undefined;
  const wantsHtml = (request.headers.accept ?? '').startsWith('text/html');
  if (answer.contentType.startsWith('text/html')) {
    // The friendly pages: documented ones always, any other HTML error only to a browser.
    return operation.htmlStatuses.has(answer.status) || (wantsHtml && operation.htmlStatuses.size > 0)
      ? undefined
      : `answered ${answer.status} as HTML to a client that did not ask for it`;
  }
  if (!answer.contentType.startsWith('application/problem+json')) {
    return `answered ${answer.status} as ${answer.contentType || 'nothing'}, not problem+json`;
  }
  const problem = JSON.parse(answer.text) as Record<string, unknown>;
  if (
    problem.status !== answer.status ||
    typeof problem.title !== 'string' ||
    typeof problem.detail !== 'string'
  ) {
    return `a malformed problem: ${answer.text.slice(0, 300)}`;
  }
  return undefined;
}

function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? ` body ${JSON.stringify(request.body.slice(0, 200))}${request.body.length > 200 ? `… (${request.body.length} chars)` : ''}`
        : ` body bytes ${Buffer.from(request.body).toString('hex')}`;
  return `${request.method} ${request.target.slice(0, 200)} [${request.kind}] ${JSON.stringify(request.headers)}${body}`;
}

describe('Fuzzing every operation of the OpenAPI document', () => {
  test('When any operation gets generated and hostile input, then it never answers 5xx, refuses with problem+json and a refused request changes no row', async () => {
    const failures: string[] = [];
    const hints = propertyHints(operations);
    const started = Date.now();
    let before = await tableChecksums(stack.knex);
    const only = process.env.FUZZ_OPERATION; // e.g. "POST /api/studies": one operation, to chase a failure
    for (const operation of operations.filter((each) => !only || `${each.method} ${each.path}` === only)) {
      const property = fc.asyncProperty(
        requestArbitrary(operation, credentials, known, hints),
        async (request) => {
          const answer = await send(request);
          if (process.env.FUZZ_DEBUG)
            process.stdout.write(`${answer.status} ${describeRequest(request).slice(0, 160)}\n`);
          // A push an earlier accepted booking caused lands first: not this request's change.
          await stack.emulator.pushSettled();
          const after = await tableChecksums(stack.knex);
          const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
          before = after;
          const complaint =
            complaintAbout(operation, request, answer) ??
            (answer.status >= 400 && changed.length > 0
              ? `refused with ${answer.status} but changed ${changed.join(', ')}`
              : undefined);
          if (complaint) throw new Error(`${complaint}\n  request: ${describeRequest(request)}`);
        },
      );
      // No shrinking: each step is a real request, and the complaint already names the input.
      const details = await fc.check(property, { numRuns: RUNS_PER_OPERATION, endOnFailure: true });
      if (details.failed) {
        const reason =
          details.errorInstance instanceof Error
            ? details.errorInstance.message
            : String(details.errorInstance);
        failures.push(
          `${operation.method} ${operation.path} (seed ${details.seed}, run ${details.numRuns}): ${reason}`,
        );
      }
    }
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `fuzzed ${operations.length} operations × ${RUNS_PER_OPERATION} in ${seconds.toFixed(1)} s\n`,
    );
    if (!only) expect(operations.length).toBeGreaterThan(30);
    expect(failures).toEqual([]);
  }, 240_000);
});
