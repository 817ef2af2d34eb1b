import fc from 'fast-check';
import { anyJson, arbitraryFor, type JsonSchema } from './json-schema-arbitrary';
import {
  carriesUnstorableText,
  encodeLoosely,
  hostileText,
  hostileUrlText,
  oddPathSegment,
  refusedPathSegments,
  unstorableText,
  withOneStringReplaced,
} from './hostile-input';

export interface Operation {
  method: string;
  /** OpenAPI path, e.g. `/api/studies/{id}`. */
  path: string;
  parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }[];
  bodySchema?: JsonSchema;
  /** Status codes the operation documents as an HTML answer (the friendly pages). */
  htmlStatuses: Set<number>;
}

export interface FuzzRequest {
  method: string;
  /** Path and query, already encoded as they go on the wire. */
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** What kind of abuse this is, for the failure report. */
  kind: string;
  /** The request carries text the service must refuse (NUL, a lone surrogate, an undecodable path). */
  mustBeRefused: boolean;
}

/** Who is asking: real credentials of the fuzzing researcher, forged ones, or none. */
export interface Credentials {
  cookie: string;
  token: string;
}

/** Values that exist, so that some requests get past "not found" into the code behind it. */
export interface KnownValues {
  studyId: string;
  participantId: string;
  bookingToken: string;
}

export function operationsOf(document: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const body = operation.requestBody as { content: Record<string, { schema: JsonSchema }> } | undefined;
      const responses = (operation.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters ?? []) as Operation['parameters'],
        ...(body ? { bodySchema: body.content['application/json']?.schema ?? {} } : {}),
        htmlStatuses: new Set(
          Object.entries(responses)
            .filter(([, response]) =>
              Object.keys(response.content ?? {}).some((type) => type === 'text/html'),
            )
            .map(([status]) => Number(status)),
        ),
      });
    }
  }
  return operations;
}

/** Top-level body properties by name across all operations: hints for `{}` (PATCH) fields. */
export function propertyHints(operations: Operation[]): Record<string, JsonSchema> {
  const hints: Record<string, JsonSchema> = {};
  for (const operation of operations) {
    for (const [name, schema] of Object.entries(operation.bodySchema?.properties ?? {})) {
      if (Object.keys(schema).some((key) => key !== 'description' && key !== 'default'))
        hints[name] ??= schema;
    }
  }
  return hints;
}

const FORM = 'application/x-www-form-urlencoded';

export function requestArbitrary(
  operation: Operation,
  credentials: Credentials,
  known: KnownValues,
  hints: Record<string, JsonSchema>,
): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');

  const segments = fc.tuple(
    ...pathParameters.map((parameter) =>
      fc.oneof(
        {
          weight: 5,
          arbitrary: fc
            .constantFrom(...knownValuesFor(operation.path, parameter.name, known))
            .map((value) => ({ raw: value, refused: false })),
        },
        {
          weight: 1,
          arbitrary: arbitraryFor(parameter.schema, { hostileText: hostileUrlText }).map((value) => ({
            raw: encodeLoosely(asText(value)),
            refused: carriesUnstorableText(asText(value)),
          })),
        },
        {
          weight: 2,
          arbitrary: oddPathSegment.map((raw) => ({ raw, refused: refusedPathSegments.has(raw) })),
        },
      ),
    ),
  );

  const query = fc.tuple(
    ...queryParameters.map((parameter) =>
      fc.option(
        fc.oneof(
          arbitraryFor(parameter.schema, { hostileText: hostileUrlText }).map((value) => ({
            raw: encodeLoosely(asText(value)),
            refused: carriesUnstorableText(asText(value)),
          })),
          fc.constantFrom('%', '%zz', '%ff', '%E0%A4%A').map((raw) => ({ raw, refused: false })),
        ),
        { freq: 2 },
      ),
    ),
  );

  // Mostly the real researcher, so that requests get past authentication.
  const auth = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constant<[string, Record<string, string>]>([
        'bearer',
        { authorization: `Bearer ${credentials.token}` },
      ]),
    },
    {
      weight: 2,
      arbitrary: fc.constant<[string, Record<string, string>]>(['cookie', { cookie: credentials.cookie }]),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom<[string, Record<string, string>]>(
        ['no auth', {}],
        ['forged bearer', { authorization: 'Bearer not-a-real-token' }],
        ['forged cookie', { cookie: 'scheduler_session=forged.value' }],
      ),
    },
  );
  // A browser, an API client, a client that does not say.
  const accept = fc.constantFrom<Record<string, string>>(
    {},
    { accept: 'application/json' },
    { accept: '*/*' },
    { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
  );

  const body = operation.method === 'GET' ? fc.constant(undefined) : bodyArbitrary(operation, hints);

  return fc
    .tuple(segments, query, auth, accept, body, fc.boolean())
    .map(([pathValues, queryValues, [authKind, authHeaders], acceptHeaders, sent, withIdempotencyKey]) => {
      let index = 0;
      const path = operation.path.replace(/\{[^}]+\}/g, () => pathValues[index++]?.raw ?? '');
      const search = queryParameters
        .map((parameter, at) => (queryValues[at] ? `${parameter.name}=${queryValues[at].raw}` : undefined))
        .filter((part) => part !== undefined)
        .join('&');
      // Signing out or disconnecting Google with the real credentials would end the run's
      // researcher; those two only ever see forged ones.
      const destructive =
        operation.path === '/auth/logout' ||
        (operation.path === '/api/me/google' && operation.method === 'DELETE');
      const headers: Record<string, string> = {
        ...(destructive && authKind !== 'no auth'
          ? { authorization: 'Bearer not-a-real-token' }
          : authHeaders),
        ...acceptHeaders,
        ...(sent?.contentType ? { 'content-type': sent.contentType } : {}),
        ...(withIdempotencyKey && operation.method === 'POST'
          ? { 'idempotency-key': `fuzz-${Math.random().toString(36).slice(2)}` }
          : {}),
      };
      return {
        method: operation.method,
        target: search ? `${path}?${search}` : path,
        headers,
        ...(sent ? { body: sent.body } : {}),
        kind: `${authKind}, ${sent?.kind ?? 'no body'}`,
        mustBeRefused:
          pathValues.some((value) => value.refused) ||
          queryValues.some((value) => value?.refused) ||
          sent?.refused === true,
      };
    });
}

/** A generated value as it would be written into a URL. */
const asText = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

function knownValuesFor(path: string, name: string, known: KnownValues): string[] {
  if (name === 'token') return [known.bookingToken];
  if (path.startsWith('/api/studies/')) return [known.studyId];
  if (path.startsWith('/api/participants/')) return [known.participantId];
  // Not the fuzzing researcher's own token id: revoking it would end the run.
  return ['00000000-0000-4000-8000-000000000000'];
}

interface SentBody {
  kind: string;
  contentType?: string;
  body: string | Uint8Array;
  refused: boolean;
}

const DEEP = 10_000;

function bodyArbitrary(operation: Operation, hints: Record<string, JsonSchema>): fc.Arbitrary<SentBody> {
  const schema = operation.bodySchema ?? { type: 'object', properties: {} };
  const value = arbitraryFor(schema, { hostileText, propertyHints: hints });
  const json = (kind: string, body: string, refused = false): SentBody => ({
    kind,
    contentType: 'application/json',
    body,
    refused,
  });
  return fc.oneof(
    {
      weight: 12,
      arbitrary: value.map((generated) =>
        json('JSON from the schema', JSON.stringify(generated) ?? 'null', carriesUnstorableText(generated)),
      ),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          arbitraryFor(schema, { hostileText, propertyHints: hints, wellFormed: true }),
          fc.nat(),
          unstorableText,
        )
        .map(([generated, pick, text]) => {
          const body = withOneStringReplaced(generated, pick, text);
          return json(
            'well-formed JSON, one string unstorable',
            JSON.stringify(body) ?? 'null',
            carriesUnstorableText(body),
          );
        }),
    },
    {
      weight: 1,
      arbitrary: value.map((generated) =>
        json('an array where an object belongs', JSON.stringify([generated])),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        json('10,000 nested arrays', '['.repeat(DEEP) + ']'.repeat(DEEP)),
        json('10,000 nested objects', '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP)),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('1e400', '-1e400', '123456789012345678901234567890', '1e-400', '0.1e99999')
        .map((number) => {
          const name = Object.keys(schema.properties ?? { x: {} })[0] ?? 'x';
          return json('a huge number', `{"${name}":${number},"durationMinutes":${number}}`);
        }),
    },
    {
      weight: 1,
      arbitrary: fc.constant<SentBody>({
        kind: 'invalid UTF-8 bytes',
        contentType: 'application/json',
        body: Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
        refused: false,
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          value,
          fc.constantFrom(
            'text/plain',
            'application/xml',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            'application/json; charset=utf-16',
            'application/json; charset=nonsense',
          ),
        )
        .map(([generated, contentType]) => ({
          kind: `wrong content type ${contentType}`,
          contentType,
          body: JSON.stringify(generated) ?? 'null',
          refused: false,
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constant<SentBody>({
        kind: 'a form with 1,001 fields',
        contentType: FORM,
        body: Array.from({ length: 1001 }, (_, at) => `f${at}=1`).join('&'),
        refused: false,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('a%00b', '%ff', '%ED%A0%80').map((raw) => ({
        kind: `a form field ${raw}`,
        contentType: FORM,
        body: `csrf=${raw}&name=${raw}`,
        refused: raw === 'a%00b',
      })),
    },
    {
      weight: 1,
      arbitrary: anyJson(hostileText).map((generated) => json('any JSON', JSON.stringify(generated))),
    },
  );
}
