import { createStudy } from '../bookings/support';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { api, cookiePair, inviteAndReadLink, joinThroughLink, sessionOf } from './support';

const asPage = { headers: { accept: 'text/html' } };

describe('Joining a team through an invitation link', () => {
  let stack: Stack;
  let ada: SignedIn;
  let teamId: string;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    teamId = (await api(stack, ada, 'PATCH', '/api/team', { name: 'Research Ops' })).body.id;
  });
  afterAll(() => stack.close());

  test('When the link is opened, then the page says who invites whom to which team, with a button to sign in with Google', async () => {
    const { link } = await inviteAndReadLink(stack, ada, 'page@example.com');

    const page = await fetch(link, asPage);

    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('Ada Lovelace invited you to join Research Ops on Interview scheduler');
    expect(text).toContain('Sign in with Google to join');
    expect(text).toContain('page@example.com');
    expect((await fetch(`${stack.url}/join/not-a-real-token`, asPage)).status).toBe(404);
  });

  test('When a new researcher signs in with Google through the link, then they are in the team (no team of their own left behind), signed in, and the invitation is used', async () => {
    const { id, link } = await inviteAndReadLink(stack, ada, 'ben@example.com');
    const teamsBefore = await stack.knex('teams').count<{ count: string }[]>('* as count');

    const callback = await joinThroughLink(stack, link, 'ben@example.com');

    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/team');
    const ben = await stack.knex('researchers').where({ email: 'ben@example.com' }).first();
    expect(ben.team_id).toBe(teamId);
    expect(await stack.knex('teams').count('* as count')).toEqual(teamsBefore);
    const invitation = await stack.knex('team_invitations').where({ id }).first();
    expect(invitation.accepted_by).toBe(ben.id);
    const cookie = sessionOf(callback);
    const team = await (await fetch(`${stack.url}/api/team`, { headers: { cookie } })).json();
    expect(
      team.members.map((member: { email: string; google: string }) => [member.email, member.google]),
    ).toEqual([
      ['ada@example.com', 'connected'],
      ['ben@example.com', 'connected'],
    ]);
    const withFlash = cookiePair(callback.headers.getSetCookie());
    const teamPage = await (
      await fetch(`${stack.url}/team`, { headers: { cookie: withFlash, accept: 'text/html' } })
    ).text();
    expect(teamPage).toContain('Welcome to Research Ops.');

    // Accepting twice is harmless: the same link again signs them in to the same team.
    const again = await joinThroughLink(stack, link, 'ben@example.com');
    expect(again.status).toBe(303);
    expect((await stack.knex('researchers').where({ email: 'ben@example.com' }).first()).team_id).toBe(
      teamId,
    );
    const memberPage = await (await fetch(link, { headers: { cookie, accept: 'text/html' } })).text();
    expect(memberPage).toContain('You are already a member of Research Ops.');
    // Anybody else opening the used link learns it is used, and whom to ask.
    const used = await fetch(link, asPage);
    expect(used.status).toBe(410);
    expect(await used.text()).toContain('This invitation has already been used');
  });

  test('When the colleague signs in with another Google account, then a page names the invited address and nothing is stored', async () => {
    const { id, link } = await inviteAndReadLink(stack, ada, 'carl@example.com');
    const researchersBefore = await stack.knex('researchers').count<{ count: string }[]>('* as count');

    const callback = await joinThroughLink(stack, link, 'carl.private@example.net');

    expect(callback.status).toBe(403);
    const text = await callback.text();
    expect(text).toContain('This invitation is for carl@example.com');
    expect(text).toContain('You signed in with Google as carl.private@example.net');
    expect(sessionOf(callback)).toBe('');
    expect(await stack.knex('researchers').count('* as count')).toEqual(researchersBefore);
    expect((await stack.knex('team_invitations').where({ id }).first()).accepted_at).toBeNull();
    // The right account still joins afterwards.
    expect((await joinThroughLink(stack, link, 'CARL@example.com')).status).toBe(303);
  });

  test('When the invitation has expired, then the page and the button answer 410 saying so and whom to ask, and nobody joins', async () => {
    const { id, link } = await inviteAndReadLink(stack, ada, 'dora@example.com');
    await stack
      .knex('team_invitations')
      .where({ id })
      .update({ expires_at: new Date(Date.now() - 1000) });

    const page = await fetch(link, asPage);
    expect(page.status).toBe(410);
    const text = await page.text();
    expect(text).toContain('This invitation has expired');
    expect(text).toContain('Ask Ada Lovelace (ada@example.com) to invite you again');
    const button = await fetch(`${link}/sign-in`, { redirect: 'manual', ...asPage });
    expect(button.status).toBe(410);
    expect(await stack.knex('researchers').where({ email: 'dora@example.com' })).toHaveLength(0);
  });

  test('When the invitation is revoked between the button and the callback, then the callback answers 410 and nobody joins', async () => {
    const { id, link } = await inviteAndReadLink(stack, ada, 'erin@example.com');
    const start = await fetch(`${link}/sign-in`, { redirect: 'manual', ...asPage });
    expect(start.status).toBe(302);
    expect((await api(stack, ada, 'DELETE', `/api/team/invitations/${id}`)).status).toBe(204);

    const google = new URL(start.headers.get('location') ?? '');
    const consent = await fetch(google, { redirect: 'manual' });
    const nonce = start.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const callback = await fetch(consent.headers.get('location') ?? '', {
      redirect: 'manual',
      headers: { accept: 'text/html', cookie: nonce },
    });

    expect(callback.status).toBe(410);
    expect(await callback.text()).toContain('This invitation was withdrawn');
    expect(await stack.knex('researchers').where({ email: 'erin@example.com' })).toHaveLength(0);
  });

  test('When an existing researcher alone in their team joins, then the page says their studies move, and they move with them into the team; their old team is gone', async () => {
    const fay = await signIn(stack, 'fay@example.com', 'Fay Field');
    const study = await createStudy(stack, fay, { title: 'Onboarding diary' });
    const oldTeam = (await stack.knex('researchers').where({ id: fay.researcherId }).first()).team_id;
    const { link } = await inviteAndReadLink(stack, ada, 'fay@example.com');

    const page = await (await fetch(link, { headers: { cookie: fay.cookie, accept: 'text/html' } })).text();
    expect(page).toContain('your study moves');
    expect(page).toContain('Onboarding diary');

    const callback = await joinThroughLink(stack, link, 'fay@example.com', fay.cookie);

    expect(callback.status).toBe(303);
    expect((await stack.knex('studies').where({ id: study.id }).first()).team_id).toBe(teamId);
    expect(await stack.knex('teams').where({ id: oldTeam })).toHaveLength(0);
  });

  test("When an existing researcher leaves a team with other members, then its studies stay there; while they are a study's only host there, joining is refused and nothing changes", async () => {
    const gus = await signIn(stack, 'gus@example.com', 'Gus Grant');
    const hal = await signIn(stack, 'hal@example.com', 'Hal Hill');
    const toGus = await inviteAndReadLink(stack, gus, 'hal@example.com');
    expect((await joinThroughLink(stack, toGus.link, 'hal@example.com', hal.cookie)).status).toBe(303);
    const gusTeam = (await stack.knex('researchers').where({ id: gus.researcherId }).first()).team_id;
    const study = await createStudy(stack, hal, { title: 'Pricing interviews' });
    const { id, link } = await inviteAndReadLink(stack, ada, 'hal@example.com');

    const page = await (await fetch(link, { headers: { cookie: hal.cookie, accept: 'text/html' } })).text();
    expect(page).toContain('You leave Gus Grant&#39;s team: its studies stay with its other');
    const refused = await joinThroughLink(stack, link, 'hal@example.com', hal.cookie);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Pricing interviews');
    expect((await stack.knex('researchers').where({ id: hal.researcherId }).first()).team_id).toBe(gusTeam);
    expect((await stack.knex('team_invitations').where({ id }).first()).accepted_at).toBeNull();

    await stack
      .knex('study_hosts')
      .insert({ study_id: study.id, researcher_id: gus.researcherId, position: 1 });
    const joined = await joinThroughLink(stack, link, 'hal@example.com', hal.cookie);

    expect(joined.status).toBe(303);
    expect((await stack.knex('researchers').where({ id: hal.researcherId }).first()).team_id).toBe(teamId);
    expect((await stack.knex('studies').where({ id: study.id }).first()).team_id).toBe(gusTeam);
    expect(
      await stack.knex('study_hosts').where({ study_id: study.id }).select('researcher_id', 'position'),
    ).toEqual([{ researcher_id: gus.researcherId, position: 0 }]);
  });

  test("When the inviter's own team closes while the colleague is at Google (the inviter joined another team), then the callback answers 410 and nothing is stored", async () => {
    const ivy = await signIn(stack, 'ivy@example.com', 'Ivy Ives');
    const toJo = await inviteAndReadLink(stack, ivy, 'jo@example.com');
    const start = await fetch(`${toJo.link}/sign-in`, { redirect: 'manual', ...asPage });
    const toIvy = await inviteAndReadLink(stack, ada, 'ivy@example.com');
    expect((await joinThroughLink(stack, toIvy.link, 'ivy@example.com', ivy.cookie)).status).toBe(303);

    const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
    const nonce = start.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const callback = await fetch(consent.headers.get('location') ?? '', {
      redirect: 'manual',
      headers: { accept: 'text/html', cookie: nonce },
    });

    expect(callback.status).toBe(410);
    expect(await callback.text()).toContain('the team it was for has closed');
    expect(await stack.knex('researchers').where({ email: 'jo@example.com' })).toHaveLength(0);
    expect((await fetch(toJo.link, asPage)).status).toBe(404);
  });
});
