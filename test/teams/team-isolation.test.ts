import type { Knex } from 'knex';
import { createStudy, emulatorEvents, invite } from '../bookings/support';
import { eventually, jobsSettled, signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * Issue 15: studies belong to the team. Every route of the app is walked from the route
 * table (through /openapi.json, which lists every route the table holds): each route that
 * takes the id of something a team owns answers a researcher of another team 404 and
 * changes nothing, and answers a teammate as it answers the study's creator. A route added
 * without a case here fails the first test.
 */

interface Caller extends SignedIn {
  name: string;
  csrf: string;
}

/**
 * The ids a case is about: Ada's study and participant, Ada's own API token, and pending
 * invitations and members of Ada's team (one each for the API and the console, since a
 * teammate's call uses them up).
 */
interface Ids {
  studyId: string;
  participantId: string;
  tokenId: string;
  invitationId: string;
  pageInvitationId: string;
  memberId: string;
  pageMemberId: string;
  /** A participant with two logged interviews: one for the API, one for the console. */
  loggedParticipantId: string;
  loggedInterviewId: string;
  pageLoggedInterviewId: string;
}

type Case = (who: Caller, ids: Ids) => Promise<Response>;

const DAY_MS = 86_400_000;
const dayAt = (days: number, hour: number) => {
  const date = new Date(Date.now() + days * DAY_MS);
  date.setUTCHours(hour, 0, 0, 0);
  return date;
};
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

let stack: Stack;

function api(who: Caller, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${stack.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...who.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

function page(who: Caller, path: string): Promise<Response> {
  return fetch(`${stack.url}${path}`, { redirect: 'manual', headers: { cookie: who.cookie } });
}

function form(who: Caller, path: string, fields: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: who.csrf, ...fields }).toString(),
  });
}

/** Every route that takes the id of a study or of something under it (participant, booking, interview). */
const TEAM_ROUTES: Record<string, Case> = {
  'GET /api/studies/{id}': (who, ids) => api(who, 'GET', `/api/studies/${ids.studyId}`),
  'PATCH /api/studies/{id}': (who, ids) =>
    api(who, 'PATCH', `/api/studies/${ids.studyId}`, { title: `Renamed by ${who.name}` }),
  'GET /api/studies/{id}/availability/explain': (who, ids) =>
    api(
      who,
      'GET',
      `/api/studies/${ids.studyId}/availability/explain?start=${encodeURIComponent(dayAt(3, 10).toISOString())}`,
    ),
  'GET /api/studies/{id}/participants': (who, ids) =>
    api(who, 'GET', `/api/studies/${ids.studyId}/participants`),
  'POST /api/studies/{id}/participants': (who, ids) =>
    api(who, 'POST', `/api/studies/${ids.studyId}/participants`, {
      participants: [{ name: `Added by ${who.name}`, email: `api-added-by-${who.name}@example.org` }],
    }),
  'GET /api/participants/{id}': (who, ids) => api(who, 'GET', `/api/participants/${ids.participantId}`),
  'GET /api/participants/{id}/timeline': (who, ids) =>
    api(who, 'GET', `/api/participants/${ids.participantId}/timeline`),
  'POST /api/participants/{id}/status': (who, ids) =>
    api(who, 'POST', `/api/participants/${ids.participantId}/status`, { status: 'canceled', reason: 'walk' }),
  'POST /api/participants/{id}/cancel': (who, ids) =>
    api(who, 'POST', `/api/participants/${ids.participantId}/cancel`, { reason: 'walk' }),
  'POST /api/participants/{id}/reinvite': (who, ids) =>
    api(who, 'POST', `/api/participants/${ids.participantId}/reinvite`),
  'POST /api/participants/{id}/booking': (who, ids) =>
    api(who, 'POST', `/api/participants/${ids.participantId}/booking`, {
      start: dayAt(4, 9).toISOString(),
      override: { reason: 'walk' },
      confirmOverlap: true,
    }),
  'POST /api/participants/{id}/logged-interview': (who, ids) =>
    api(who, 'POST', `/api/participants/${ids.participantId}/logged-interview`, {
      start: dayAt(-3, 9).toISOString(),
      status: 'completed',
    }),
  'GET /studies/{id}': (who, ids) => page(who, `/studies/${ids.studyId}`),
  'POST /studies/{id}': (who, ids) =>
    form(who, `/studies/${ids.studyId}`, { title: `Renamed by ${who.name}` }),
  'GET /studies/{id}/edit': (who, ids) => page(who, `/studies/${ids.studyId}/edit`),
  'POST /studies/{id}/email-preview': (who, ids) =>
    form(who, `/studies/${ids.studyId}/email-preview`, { previewKind: 'invitation' }),
  'POST /studies/{id}/status': (who, ids) =>
    form(who, `/studies/${ids.studyId}/status`, { status: 'closed' }),
  'GET /studies/{id}/live': (who, ids) => page(who, `/studies/${ids.studyId}/live`),
  'POST /studies/{id}/participants': (who, ids) =>
    form(who, `/studies/${ids.studyId}/participants`, {
      participants: `Pasted by ${who.name} <pasted-by-${who.name}@example.org>`,
    }),
  'GET /participants/{id}': (who, ids) => page(who, `/participants/${ids.participantId}`),
  'GET /participants/{id}/live': (who, ids) => page(who, `/participants/${ids.participantId}/live`),
  'GET /participants/{id}/booking-link': (who, ids) =>
    page(who, `/participants/${ids.participantId}/booking-link`),
  'POST /participants/{id}/status': (who, ids) =>
    form(who, `/participants/${ids.participantId}/status`, { status: 'canceled', reason: 'walk' }),
  'POST /participants/{id}/cancel': (who, ids) => form(who, `/participants/${ids.participantId}/cancel`),
  'POST /participants/{id}/reinvite': (who, ids) => form(who, `/participants/${ids.participantId}/reinvite`),
  'GET /participants/{id}/book': (who, ids) => page(who, `/participants/${ids.participantId}/book`),
  'POST /participants/{id}/book': (who, ids) =>
    form(who, `/participants/${ids.participantId}/book`, {
      date: isoDate(dayAt(5, 9)),
      time: '09:00',
      intent: 'check',
    }),
  'GET /participants/{id}/log-interview': (who, ids) =>
    page(who, `/participants/${ids.participantId}/log-interview`),
  'POST /participants/{id}/log-interview': (who, ids) =>
    form(who, `/participants/${ids.participantId}/log-interview`, {
      date: isoDate(dayAt(-2, 9)),
      time: '09:00',
      duration: '30',
      status: 'completed',
    }),
  'GET /api/participants/{id}/logged-interviews': (who, ids) =>
    api(who, 'GET', `/api/participants/${ids.loggedParticipantId}/logged-interviews`),
  'PATCH /api/participants/{id}/logged-interviews/{loggedInterviewId}': (who, ids) =>
    api(
      who,
      'PATCH',
      `/api/participants/${ids.loggedParticipantId}/logged-interviews/${ids.loggedInterviewId}`,
      {
        note: `Edited by ${who.name}`,
      },
    ),
  'DELETE /api/participants/{id}/logged-interviews/{loggedInterviewId}': (who, ids) =>
    api(
      who,
      'DELETE',
      `/api/participants/${ids.loggedParticipantId}/logged-interviews/${ids.loggedInterviewId}`,
    ),
  'GET /participants/{id}/logged-interviews/{loggedInterviewId}/edit': (who, ids) =>
    page(who, `/participants/${ids.loggedParticipantId}/logged-interviews/${ids.pageLoggedInterviewId}/edit`),
  'POST /participants/{id}/logged-interviews/{loggedInterviewId}/edit': (who, ids) =>
    form(
      who,
      `/participants/${ids.loggedParticipantId}/logged-interviews/${ids.pageLoggedInterviewId}/edit`,
      {
        date: isoDate(dayAt(-3, 10)),
        time: '10:00',
        duration: '45',
        status: 'completed',
        note: `Edited by ${who.name}`,
        version: '1',
      },
    ),
  'GET /participants/{id}/logged-interviews/{loggedInterviewId}/delete': (who, ids) =>
    page(
      who,
      `/participants/${ids.loggedParticipantId}/logged-interviews/${ids.pageLoggedInterviewId}/delete`,
    ),
  'POST /participants/{id}/logged-interviews/{loggedInterviewId}/delete': (who, ids) =>
    form(
      who,
      `/participants/${ids.loggedParticipantId}/logged-interviews/${ids.pageLoggedInterviewId}/delete`,
      // The edit just before made it version 2.
      { version: '2' },
    ),
  'DELETE /api/team/invitations/{id}': (who, ids) =>
    api(who, 'DELETE', `/api/team/invitations/${ids.invitationId}`),
  'POST /team/invitations/{id}/revoke': (who, ids) =>
    form(who, `/team/invitations/${ids.pageInvitationId}/revoke`),
  'DELETE /api/team/members/{researcherId}': (who, ids) =>
    api(who, 'DELETE', `/api/team/members/${ids.memberId}`),
  'GET /team/members/{id}/remove': (who, ids) => page(who, `/team/members/${ids.pageMemberId}/remove`),
  'POST /team/members/{id}/remove': (who, ids) => form(who, `/team/members/${ids.pageMemberId}/remove`),
};

/**
 * The lists across the team's studies: what each shows (a study, or a participant through
 * their interview) must be there for a teammate and absent for another team.
 */
const TEAM_LISTS: Record<string, { path: string; shows: 'study' | 'booked' | 'logged'; page: boolean }> = {
  'GET /api/studies': { path: '/api/studies', shows: 'study', page: false },
  'GET /studies': { path: '/studies', shows: 'study', page: true },
  'GET /': { path: '/', shows: 'study', page: true },
  'GET /api/interviews': { path: '/api/interviews', shows: 'booked', page: false },
  'GET /interviews': { path: '/interviews', shows: 'booked', page: true },
  'GET /interviews/upcoming': { path: '/interviews/upcoming', shows: 'booked', page: true },
  'GET /interviews/past': { path: '/interviews/past', shows: 'logged', page: true },
};

/** Routes that take the id of something that stays the researcher's own (not the team's). */
const ACCOUNT_ROUTES: Record<string, Case> = {
  'DELETE /api/me/tokens/{id}': (who, ids) => api(who, 'DELETE', `/api/me/tokens/${ids.tokenId}`),
  'POST /settings/tokens/{id}/revoke': (who, ids) => form(who, `/settings/tokens/${ids.tokenId}/revoke`),
};

/** Every other route, and why it takes no team's id. */
const NO_TEAM_IDS: Record<string, string> = {
  'GET /healthz': 'operations',
  'GET /readyz': 'operations',
  'GET /metrics': 'operations',
  'GET /openapi.json': 'operations',
  'GET /auth/google': 'signing in',
  'GET /auth/google/callback': 'signing in',
  'POST /auth/logout': 'the caller’s own session',
  'GET /api/me': 'the caller’s own account',
  'POST /api/me/tokens': 'the caller’s own tokens',
  'GET /api/me/tokens': 'the caller’s own tokens',
  'DELETE /api/me/google': 'the caller’s own Google connection',
  'POST /account/api-token': 'the caller’s own tokens',
  'GET /settings': 'the caller’s own account',
  'POST /settings/tokens': 'the caller’s own tokens',
  'POST /settings/time-zone': 'the caller’s own display zone',
  'GET /settings/google/disconnect': 'the caller’s own Google connection',
  'POST /settings/google/disconnect': 'the caller’s own Google connection',
  'GET /api/me/hours': 'the caller’s own hours as a host',
  'PUT /api/me/hours': 'the caller’s own hours as a host',
  'DELETE /api/me/hours': 'the caller’s own hours as a host',
  'GET /settings/hours': 'the caller’s own hours as a host',
  'POST /settings/hours': 'the caller’s own hours as a host',
  'POST /settings/hours/clear': 'the caller’s own hours as a host',
  'GET /api/team': 'the caller’s own team',
  'PATCH /api/team': 'the caller’s own team',
  'POST /api/team/invitations': 'invites into the caller’s own team',
  'GET /team': 'the caller’s own team',
  'POST /team/invitations': 'invites into the caller’s own team',
  'POST /team/name': 'the caller’s own team',
  'GET /join/{token}': 'the invitation’s secret link, not a researcher’s id',
  'GET /join/{token}/sign-in': 'the invitation’s secret link',
  'POST /api/studies': 'creates a study in the caller’s team',
  'POST /studies': 'creates a study in the caller’s team',
  'GET /studies/new': 'an empty form',
  'POST /studies/preview': 'previews the form as typed; no study',
  'POST /studies/email-preview': 'previews the new-study form as typed; no study',
  'GET /book/{token}': 'the participant’s secret link, not a researcher’s id',
  'GET /api/booking/{token}': 'the participant’s secret link',
  'POST /api/booking/{token}': 'the participant’s secret link',
  'GET /api/booking/{token}/slots': 'the participant’s secret link',
  'POST /api/booking/{token}/cancel': 'the participant’s secret link',
  'GET /reminders/unsubscribe/{token}': 'the participant’s secret link',
  'POST /reminders/unsubscribe/{token}': 'the participant’s secret link',
  'POST /webhooks/google/calendar': 'Google’s channel token',
  'GET /dev/mailbox': 'development only, never in production',
  'GET /favicon.svg': 'a static file',
  'GET /favicon.ico': 'a static file',
  'GET /assets/console.css': 'a static file',
  'GET /assets/console.js': 'a static file',
  'GET /assets/study-form.js': 'a static file',
  'GET /assets/booking-page.js': 'a static file',
  'GET /assets/booking-api.js': 'a static file',
  'GET /assets/booking-dom.js': 'a static file',
  'GET /assets/booking-strings.js': 'a static file',
  'GET /assets/booking-time.js': 'a static file',
  'GET /assets/booking-page.css': 'a static file',
};

interface RouteFacts {
  key: string;
  /** Answers HTML: its 404 is the console's page, else problem+json. */
  page: boolean;
}

async function allRoutes(): Promise<RouteFacts[]> {
  const document = (await (await fetch(`${stack.url}/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
    >;
  };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      page: Object.values(operation.responses).some((response) =>
        Object.keys(response.content ?? {}).some((type) => type.startsWith('text/html')),
      ),
    })),
  );
}

/** A fingerprint of every table of the product: "nothing changed" means none of them did. */
async function databaseState(knex: Knex): Promise<Record<string, string>> {
  const tables: string[] = await knex('pg_tables').where({ schemaname: 'public' }).pluck('tablename');
  const state: Record<string, string> = {};
  for (const table of tables.filter((name) => !VOLATILE_TABLES.has(name)).sort()) {
    const result = await knex.raw<{ rows: { digest: string }[] }>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ?? t`,
      [table],
    );
    state[table] = result.rows[0]?.digest ?? '';
  }
  return state;
}

/**
 * The state once the service is quiet: Google's push notifications delivered, no job due
 * (invitation emails sent, calendar changes read), and two readings a moment apart agree.
 */
async function quietState(): Promise<Record<string, string>> {
  await stack.emulator.pushSettled();
  await jobsSettled(stack, 30_000);
  let previous = await databaseState(stack.knex);
  for (let attempt = 0; attempt < 40; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = await databaseState(stack.knex);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  throw new Error('the database never settled');
}

/** Written by any signed-in request (sessions are touched, tokens note their last use, rates count). */
const VOLATILE_TABLES = new Set(['sessions', 'api_tokens', 'rate_limit_counts']);

async function csrfOf(who: SignedIn): Promise<string> {
  const text = await (await fetch(`${stack.url}/settings`, { headers: { cookie: who.cookie } })).text();
  return /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
}

async function caller(email: string, name: string): Promise<Caller> {
  const signedIn = await signIn(stack, email, name);
  return { ...signedIn, name, csrf: await csrfOf(signedIn) };
}

describe('Team isolation on every route', () => {
  let ada: Caller;
  let ben: Caller;
  let eve: Caller;
  /** Ada's study: one participant booked by hand, one with a logged interview, one for the walks. */
  let studyId: string;
  let bookedId: string;
  let loggedId: string;
  let tokenId: string;

  beforeAll(async () => {
    stack = await startStack();
    ada = await caller('ada@example.com', 'Ada');
    ben = await caller('ben@example.com', 'Ben');
    eve = await caller('eve@example.com', 'Eve');
    // Ben joins Ada's team; Eve stays in a team of her own.
    await stack.knex.raw(
      'UPDATE researchers SET team_id = (SELECT team_id FROM researchers WHERE id = ?) WHERE id = ?',
      [ada.researcherId, ben.researcherId],
    );
    studyId = (await createStudy(stack, ada, { title: 'Ada’s study' })).id;
    const [booked, logged] = await invite(stack, ada, studyId, 2, 'ada');
    bookedId = booked!.id;
    loggedId = logged!.id;
    const bookedAnswer = await api(ada, 'POST', `/api/participants/${bookedId}/booking`, {
      start: dayAt(2, 10).toISOString(),
    });
    if (bookedAnswer.status !== 201)
      throw new Error(`booking: ${bookedAnswer.status} ${await bookedAnswer.text()}`);
    const loggedAnswer = await api(ada, 'POST', `/api/participants/${loggedId}/logged-interview`, {
      start: dayAt(-1, 10).toISOString(),
      status: 'completed',
    });
    if (loggedAnswer.status !== 201)
      throw new Error(`logging: ${loggedAnswer.status} ${await loggedAnswer.text()}`);
    const tokens = (await (await api(ada, 'GET', '/api/me/tokens')).json()) as { tokens: { id: string }[] };
    tokenId = tokens.tokens[0]?.id ?? '';
  });
  afterAll(() => stack.close());

  async function freshParticipant(prefix: string): Promise<string> {
    const [fresh] = await invite(stack, ada, studyId, 1, prefix);
    return fresh!.id;
  }

  /** A pending invitation of Ada's team, sent by Ada. */
  async function freshInvitation(prefix: string): Promise<string> {
    const answer = await api(ada, 'POST', '/api/team/invitations', { email: `${prefix}@example.net` });
    if (answer.status !== 201) throw new Error(`invitation: ${answer.status} ${await answer.text()}`);
    return ((await answer.json()) as { id: string }).id;
  }

  /** A member of Ada's team who hosts nothing, so removing them is allowed. */
  async function freshMember(prefix: string): Promise<string> {
    const member = await signIn(stack, `${prefix}@example.com`, prefix);
    await stack.knex.raw(
      'UPDATE researchers SET team_id = (SELECT team_id FROM researchers WHERE id = ?) WHERE id = ?',
      [ada.researcherId, member.researcherId],
    );
    return member.researcherId;
  }

  /** Ada logs a past interview of the participant; its id. */
  async function logInterview(participantId: string, daysAgo: number): Promise<string> {
    const answer = await api(ada, 'POST', `/api/participants/${participantId}/logged-interview`, {
      start: dayAt(-daysAgo, 10).toISOString(),
      status: 'completed',
    });
    if (answer.status !== 201) throw new Error(`logging: ${answer.status} ${await answer.text()}`);
    return ((await answer.json()) as { interview: { id: string } }).interview.id;
  }

  async function freshIds(prefix: string): Promise<Ids> {
    const loggedParticipantId = await freshParticipant(`${prefix}-logged`);
    return {
      loggedParticipantId,
      loggedInterviewId: await logInterview(loggedParticipantId, 2),
      pageLoggedInterviewId: await logInterview(loggedParticipantId, 3),
      studyId,
      participantId: await freshParticipant(`${prefix}-walk`),
      tokenId,
      invitationId: await freshInvitation(`${prefix}-api-invite`),
      pageInvitationId: await freshInvitation(`${prefix}-page-invite`),
      memberId: await freshMember(`${prefix}-api-member`),
      pageMemberId: await freshMember(`${prefix}-page-member`),
    };
  }

  test('When the route table is walked, then every route has a case here (a new route without one fails)', async () => {
    const routes = (await allRoutes()).map((route) => route.key);
    const known = [
      ...Object.keys(TEAM_ROUTES),
      ...Object.keys(TEAM_LISTS),
      ...Object.keys(ACCOUNT_ROUTES),
      ...Object.keys(NO_TEAM_IDS),
    ];

    expect(routes.filter((route) => !known.includes(route))).toEqual([]);
    expect(known.filter((route) => !routes.includes(route))).toEqual([]);
    expect(new Set(known).size).toBe(known.length);
  });

  test('When a researcher of another team calls every route with the team’s ids, then each is a 404 (problem+json, or the console’s 404 page) and nothing changes', async () => {
    const pages = new Map((await allRoutes()).map((route) => [route.key, route.page]));
    const ids = await freshIds('eve');
    const before = await quietState();

    const answers: Record<string, { status: number; type: string; body: string }> = {};
    for (const [key, call] of Object.entries(TEAM_ROUTES)) {
      const answer = await call(eve, ids);
      answers[key] = {
        status: answer.status,
        type: answer.headers.get('content-type') ?? '',
        body: await answer.text(),
      };
    }

    for (const [key, answer] of Object.entries(answers)) {
      const expected = pages.get(key)
        ? {
            status: 404,
            type: expect.stringContaining('text/html'),
            body: expect.stringContaining('This page does not exist'),
          }
        : {
            status: 404,
            type: expect.stringContaining('application/problem+json'),
            body: expect.stringContaining('"status":404'),
          };
      expect({ key, ...answer }).toEqual({ key, ...expected });
    }
    expect(await quietState()).toEqual(before);
  });

  test('When a researcher of another team opens the lists, then none of the team’s studies or interviews is in them; a teammate sees them all', async () => {
    const shown = { study: studyId, booked: bookedId, logged: loggedId };
    for (const [key, list] of Object.entries(TEAM_LISTS)) {
      const read = async (who: Caller) => {
        const answer = list.page
          ? await fetch(`${stack.url}${list.path}`, { headers: { cookie: who.cookie } })
          : await fetch(`${stack.url}${list.path}`, { headers: who.auth });
        expect({ key, status: answer.status }).toEqual({ key, status: 200 });
        return answer.text();
      };
      const theirs = await read(eve);
      const teammate = await read(ben);
      const own = await read(ada);

      expect({ key, another: theirs.includes(shown[list.shows]) }).toEqual({ key, another: false });
      expect({ key, teammate: teammate.includes(shown[list.shows]) }).toEqual({ key, teammate: true });
      expect({ key, own: own.includes(shown[list.shows]) }).toEqual({ key, own: true });
    }
    const studiesOf = async (who: Caller) =>
      ((await (await api(who, 'GET', '/api/studies')).json()) as { studies: { id: string }[] }).studies.map(
        (study) => study.id,
      );
    expect(await studiesOf(ben)).toEqual(await studiesOf(ada));
    expect(await studiesOf(eve)).toEqual([]);
  });

  test('When a teammate calls every route with the team’s ids, then none is a 404 or an error: they read and manage the study', async () => {
    const ids = await freshIds('ben');

    const statuses: Record<string, number> = {};
    for (const [key, call] of Object.entries(TEAM_ROUTES)) statuses[key] = (await call(ben, ids)).status;

    for (const [key, status] of Object.entries(statuses)) {
      expect({ key, found: status !== 404 && status < 500 }).toEqual({ key, found: true });
    }
    // What each answered, in the walk's order: the same as the study's creator would get.
    expect(statuses).toEqual({
      ...Object.fromEntries(Object.keys(TEAM_ROUTES).map((key) => [key, key.startsWith('GET') ? 200 : 303])),
      'PATCH /api/studies/{id}': 200,
      'POST /api/studies/{id}/participants': 201,
      'POST /api/participants/{id}/status': 200,
      'POST /api/participants/{id}/cancel': 200,
      'POST /api/participants/{id}/reinvite': 200,
      'POST /api/participants/{id}/booking': 201,
      // Booked just before: a verdict then belongs on that interview.
      'POST /api/participants/{id}/logged-interview': 409,
      // The study form wants every field; the one sent is not enough, and the form says so.
      'POST /studies/{id}': 400,
      'POST /studies/{id}/email-preview': 200,
      'POST /studies/{id}/participants': 200,
      'POST /participants/{id}/book': 200,
      'PATCH /api/participants/{id}/logged-interviews/{loggedInterviewId}': 200,
      'DELETE /api/participants/{id}/logged-interviews/{loggedInterviewId}': 200,
      'DELETE /api/team/invitations/{id}': 204,
      'DELETE /api/team/members/{researcherId}': 200,
    });
    const study = (await (await api(ada, 'GET', `/api/studies/${studyId}`)).json()) as { title: string };
    expect(study.title).toBe('Renamed by Ben');
    await api(ada, 'PATCH', `/api/studies/${studyId}`, { status: 'open' });
  });

  test('When a route takes an id of the researcher’s own account (an API token), then a teammate gets 404 too and the token still works', async () => {
    for (const [key, call] of Object.entries(ACCOUNT_ROUTES)) {
      for (const who of [ben, eve]) {
        expect({
          key,
          who: who.name,
          status: (
            await call(who, {
              studyId,
              participantId: '',
              tokenId,
              invitationId: '',
              pageInvitationId: '',
              memberId: '',
              pageMemberId: '',
              loggedParticipantId: '',
              loggedInterviewId: '',
              pageLoggedInterviewId: '',
            })
          ).status,
        }).toEqual({ key, who: who.name, status: 404 });
      }
    }
    expect((await api(ada, 'GET', '/api/me')).status).toBe(200);
  });

  test('When a teammate sets a status by hand, then the history names them and the participant page shows their name', async () => {
    const participantId = await freshParticipant('named');

    const answer = await api(ben, 'POST', `/api/participants/${participantId}/status`, {
      status: 'canceled',
      reason: 'Asked by email',
    });

    expect(answer.status).toBe(200);
    const detail = (await answer.json()) as { history: { to: string; source: string; actor: string }[] };
    expect(detail.history.at(-1)).toMatchObject({
      to: 'canceled',
      source: 'researcher',
      actor: ben.researcherId,
    });
    expect(detail.history[0]).toMatchObject({ source: 'researcher', actor: ada.researcherId });
    const text = await (await page(ada, `/participants/${participantId}`)).text();
    expect(text).toContain('Interview canceled by Ben');
    expect(text).toContain('Invited to the study by Ada');
  });

  test('When a teammate books a participant by hand, then the interview is on the study organizer’s calendar, never the teammate’s; the history names the teammate, whose cancel removes it from the organizer’s calendar', async () => {
    const participantId = await freshParticipant('ben-books');
    const start = dayAt(6, 11);

    const answer = await api(ben, 'POST', `/api/participants/${participantId}/booking`, {
      start: start.toISOString(),
    });

    expect(answer.status).toBe(201);
    const booking = await stack.knex('bookings').where({ participant_id: participantId }).first();
    expect(booking).toMatchObject({
      researcher_id: ada.researcherId,
      calendar_id: ada.email,
      booked_by_researcher_id: ben.researcherId,
    });
    const onAda = (await emulatorEvents(stack, ada.email)).events.filter(
      (event) => event.extendedProperties?.private?.bookingId === booking.id,
    );
    expect(onAda).toHaveLength(1);
    expect((await emulatorEvents(stack, ben.email)).events).toEqual([]);
    const timeline = (await (
      await api(ada, 'GET', `/api/participants/${participantId}/timeline`)
    ).json()) as {
      items: { summary: string }[];
    };
    expect(timeline.items.map((item) => item.summary)).toContainEqual(
      expect.stringMatching(/^Interview booked by Ben for /),
    );

    const canceled = await api(ben, 'POST', `/api/participants/${participantId}/cancel`, { reason: 'Ill' });

    expect(canceled.status).toBe(200);
    const gone = await eventually(async () => {
      const event = (await emulatorEvents(stack, ada.email)).events.find(
        (candidate) => candidate.extendedProperties?.private?.bookingId === booking.id,
      );
      return event?.status === 'cancelled' ? event : undefined;
    });
    expect(gone.status).toBe('cancelled');
    const text = await (await page(ada, `/participants/${participantId}`)).text();
    expect(text).toContain('Interview canceled by Ben');
  });

  test('When a teammate creates a study, then it is the team’s: Ada sees it, and its page says who created it', async () => {
    const created = await createStudy(stack, ben, { title: 'Ben’s study' });

    const adaSees = await page(ada, `/studies/${created.id}`);
    expect(adaSees.status).toBe(200);
    expect(await adaSees.text()).toContain('Created by Ben');
    expect(await (await page(ben, `/studies/${studyId}`)).text()).toContain('Created by Ada');
    expect((await api(eve, 'GET', `/api/studies/${created.id}`)).status).toBe(404);
  });
});
