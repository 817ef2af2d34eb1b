import { sha256Hex } from '../../src/security/secrets';
import { createStudy } from '../bookings/support';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { api, inviteAndReadLink, joinThroughLink } from './support';

/** Everything a refusal must leave as it was. */
async function teamState(stack: Stack) {
  const [teams, researchers, invitations, outbox, hosts, studies] = await Promise.all([
    stack.knex('teams').orderBy('id').select('id', 'name'),
    stack.knex('researchers').orderBy('id').select('id', 'team_id', 'joined_team_at'),
    stack.knex('team_invitations').orderBy('id').select('id', 'email', 'revoked_at', 'accepted_at'),
    // Which emails were queued, not their delivery: the sender may send an earlier one meanwhile.
    stack.knex('email_outbox').orderBy('id').select('id', 'kind'),
    stack.knex('study_hosts').orderBy(['study_id', 'researcher_id']).select('*'),
    stack.knex('studies').orderBy('id').select('id', 'team_id'),
  ]);
  return { teams, researchers, invitations, outbox, hosts, studies };
}

describe('The team API', () => {
  let stack: Stack;
  let ada: SignedIn;
  let other: SignedIn;
  beforeAll(async () => {
    stack = await startStack();
    ada = await signIn(stack, 'ada@example.com', 'Ada Lovelace');
    other = await signIn(stack, 'olga@example.com', 'Olga Other');
  });
  afterAll(() => stack.close());

  test('When a new researcher asks for their team, then it is a team of their own with them as its one connected member', async () => {
    const answer = await api(stack, ada, 'GET', '/api/team');

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id: expect.any(String),
      name: "Ada Lovelace's team",
      members: [
        {
          id: ada.researcherId,
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          joinedAt: expect.any(String),
          google: 'connected',
        },
      ],
      invitations: [],
    });
  });

  test('When a member renames the team, then the new name is kept; an empty name or an unknown field is a 400 that changes nothing', async () => {
    const renamed = await api(stack, ada, 'PATCH', '/api/team', { name: '  Research Ops  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Research Ops');

    const before = await teamState(stack);
    for (const body of [{ name: '' }, { name: 'x'.repeat(101) }, { name: 'Ok', colour: 'red' }, {}]) {
      const refused = await api(stack, ada, 'PATCH', '/api/team', body);
      expect(refused.status).toBe(400);
      expect(refused.type).toContain('application/problem+json');
    }
    expect(await teamState(stack)).toEqual(before);
  });

  test('When a member invites a colleague, then the invitation is listed, only the token hash is stored, it expires in 7 days and one email with the link is sent', async () => {
    const started = Date.now();
    const { id, link } = await inviteAndReadLink(stack, ada, 'ben@example.com');

    expect(link).toMatch(new RegExp(`^${stack.url}/join/[A-Za-z0-9_-]{43}$`));
    const token = link.split('/join/')[1] ?? '';
    const row = await stack.knex('team_invitations').where({ id }).first();
    expect(row.token_hash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const week = row.expires_at.getTime() - started;
    expect(week).toBeGreaterThanOrEqual(7 * 86_400_000 - 1000);
    expect(week).toBeLessThan(7 * 86_400_000 + 60_000);

    const team = await api(stack, ada, 'GET', '/api/team');
    expect(team.body.invitations).toEqual([
      {
        id,
        email: 'ben@example.com',
        invitedBy: { id: ada.researcherId, name: 'Ada Lovelace' },
        createdAt: expect.any(String),
        expiresAt: row.expires_at.toISOString(),
      },
    ]);
    // Exactly once: one outbox row, sent, and one message in the mailbox (a second run of the
    // worker finds nothing pending).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const outbox = await stack
      .knex('email_outbox')
      .where({ kind: 'team_invitation', to_email: 'ben@example.com' });
    expect(outbox.map((email) => email.state)).toEqual(['sent']);
    expect(outbox[0].booking_url_ciphertext).toBeNull();
    const mail = await stack.knex('dev_mailbox').where({ to_email: 'ben@example.com' });
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe('Ada Lovelace invited you to join Research Ops on Interview scheduler');
    expect(mail[0].text_body).toContain('Sign in with the Google account of ben@example.com');
  });

  test('When the same address is invited again (in another case), then the open invitation and its link are replaced', async () => {
    const first = await inviteAndReadLink(stack, ada, 'carl@example.com');
    const second = await inviteAndReadLink(stack, ada, 'Carl@Example.com');

    expect(second.link).not.toBe(first.link);
    const rows = await stack
      .knex('team_invitations')
      .whereRaw("lower(email) = 'carl@example.com'")
      .orderBy('created_at');
    expect(rows.map((row) => [row.id, row.revoked_at !== null])).toEqual([
      [first.id, true],
      [second.id, false],
    ]);
    const team = await api(stack, ada, 'GET', '/api/team');
    expect(
      team.body.invitations.filter((i: { email: string }) => i.email.toLowerCase() === 'carl@example.com'),
    ).toHaveLength(1);
    const old = await fetch(first.link, { headers: { accept: 'text/html' } });
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('replaced by a newer one');
    expect((await fetch(second.link, { headers: { accept: 'text/html' } })).status).toBe(200);
  });

  test('When the address is already in the team, or is not an address, then the invitation is refused and nothing changes', async () => {
    const before = await teamState(stack);

    const member = await api(stack, ada, 'POST', '/api/team/invitations', { email: 'ADA@example.com' });
    expect(member.status).toBe(409);
    expect(member.type).toContain('application/problem+json');
    expect(member.body.detail).toContain('already a member');
    for (const body of [{ email: 'not an address' }, {}, { email: 'dan@example.com', role: 'admin' }]) {
      const refused = await api(stack, ada, 'POST', '/api/team/invitations', body);
      expect(refused.status).toBe(400);
    }
    expect(await teamState(stack)).toEqual(before);
  });

  test("When a member revokes an invitation, then its link stops working; another team's invitation id is a 404 that changes nothing", async () => {
    const { id, link } = await inviteAndReadLink(stack, ada, 'dora@example.com');
    const before = await teamState(stack);

    const foreign = await api(stack, other, 'DELETE', `/api/team/invitations/${id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.type).toContain('application/problem+json');
    expect((await api(stack, ada, 'DELETE', '/api/team/invitations/not-a-uuid')).status).toBe(400);
    expect(await teamState(stack)).toEqual(before);

    expect((await api(stack, ada, 'DELETE', `/api/team/invitations/${id}`)).status).toBe(204);
    expect((await api(stack, ada, 'DELETE', `/api/team/invitations/${id}`)).status).toBe(404);
    const page = await fetch(link, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(410);
    const text = await page.text();
    expect(text).toContain('This invitation was withdrawn');
    expect(text).toContain('Ada Lovelace (ada@example.com)');
  });

  test('When the last member tries to remove themselves, or the member does not exist in the team, then it is refused and nothing changes', async () => {
    const before = await teamState(stack);

    const last = await api(stack, other, 'DELETE', `/api/team/members/${other.researcherId}`);
    expect(last.status).toBe(409);
    expect(last.body.detail).toContain('last member');
    const foreign = await api(stack, ada, 'DELETE', `/api/team/members/${other.researcherId}`);
    expect(foreign.status).toBe(404);
    expect((await api(stack, ada, 'DELETE', '/api/team/members/nope')).status).toBe(400);
    expect(await teamState(stack)).toEqual(before);
  });

  test('When a colleague is the only host of a study, then removing them is refused naming the study; once another host is added, they are removed, get their own team and leave the hosts', async () => {
    const eve = await signIn(stack, 'eve@example.com', 'Eve Evans');
    const { link } = await inviteAndReadLink(stack, eve, 'fay@example.com');
    const joined = await joinThroughLink(stack, link, 'fay@example.com');
    expect(joined.status).toBe(303);
    const fay = await stack.knex('researchers').where({ email: 'fay@example.com' }).first();
    const fayAuth = await signIn(stack, 'fay@example.com', 'fay');
    const study = await createStudy(stack, fayAuth, { title: 'Checkout interviews' });
    const shared = await createStudy(stack, eve, { title: 'Shared study' });
    await stack.knex('study_hosts').insert({ study_id: shared.id, researcher_id: fay.id, position: 1 });
    const before = await teamState(stack);

    const refused = await api(stack, eve, 'DELETE', `/api/team/members/${fay.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.studies).toEqual([{ id: study.id, title: 'Checkout interviews' }]);
    expect(refused.body.detail).toContain('“Checkout interviews”');
    expect(await teamState(stack)).toEqual(before);

    await stack
      .knex('study_hosts')
      .insert({ study_id: study.id, researcher_id: eve.researcherId, position: 1 });
    const removed = await api(stack, eve, 'DELETE', `/api/team/members/${fay.id}`);

    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({
      researcherId: fay.id,
      newTeam: { name: "fay's team" },
      upcomingInterviews: 0,
      note: 'They have no upcoming interviews.',
    });
    expect(removed.body.droppedFromStudies.map((s: { title: string }) => s.title).sort()).toEqual([
      'Checkout interviews',
      'Shared study',
    ]);
    const hosts = await stack
      .knex('study_hosts')
      .whereIn('study_id', [study.id, shared.id])
      .orderBy('study_id');
    expect(hosts.map((host) => [host.study_id, host.researcher_id, host.position])).toEqual(
      expect.arrayContaining([
        [study.id, eve.researcherId, 0],
        [shared.id, eve.researcherId, 0],
      ]),
    );
    expect(hosts).toHaveLength(2);
    const eveTeam = await api(stack, eve, 'GET', '/api/team');
    expect(eveTeam.body.members.map((m: { id: string }) => m.id)).toEqual([eve.researcherId]);
    const fayTeam = await api(stack, fayAuth, 'GET', '/api/team');
    expect(fayTeam.body).toMatchObject({ id: removed.body.newTeam.id, members: [{ id: fay.id }] });
    // The study stays with the team it belongs to.
    expect((await stack.knex('studies').where({ id: study.id }).first()).team_id).toBe(eveTeam.body.id);
  });

  test('When someone calls without signing in, then the team routes answer 401', async () => {
    expect((await fetch(`${stack.url}/api/team`)).status).toBe(401);
    expect((await fetch(`${stack.url}/api/team/invitations`, { method: 'POST' })).status).toBe(401);
  });
  test('When a team has 50 invitations waiting, then one more is a 409; after 50 sent in a day, a 429 with Retry-After; each changes nothing', async () => {
    const flooder = await signIn(stack, 'flo@example.com', 'Flo Flood');
    const { team_id: teamId } = await stack
      .knex('researchers')
      .where({ id: flooder.researcherId })
      .first('team_id');
    const rows = (count: number, revoked: boolean) =>
      Array.from({ length: count }, (_, index) => ({
        team_id: teamId,
        email: `guest-${revoked ? 'r' : 'o'}${index}@example.org`,
        token_hash: sha256Hex(`flood-${revoked}-${index}`),
        invited_by: flooder.researcherId,
        // Waiting ones sent two days ago (not today's); revoked ones today.
        created_at: new Date(Date.now() - (revoked ? 0 : 2 * 86_400_000)),
        expires_at: new Date(Date.now() + 86_400_000),
        ...(revoked ? { revoked_at: new Date() } : {}),
      }));
    await stack.knex('team_invitations').insert(rows(50, false));

    let before = await teamState(stack);
    const tooManyOpen = await api(stack, flooder, 'POST', '/api/team/invitations', {
      email: 'one-more@example.org',
    });
    expect(tooManyOpen.status).toBe(409);
    expect(tooManyOpen.body.type).toContain('too-many-open-invitations');
    expect(await teamState(stack)).toEqual(before);
    // Inviting an address again replaces its invitation: not one more waiting.
    expect(
      (await api(stack, flooder, 'POST', '/api/team/invitations', { email: 'guest-o0@example.org' })).status,
    ).toBe(201);

    // One sent today above; 49 more sent and withdrawn today make 50.
    await stack.knex('team_invitations').insert(rows(49, true));
    before = await teamState(stack);
    const answer = await fetch(`${stack.url}/api/team/invitations`, {
      method: 'POST',
      headers: { ...flooder.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'one-more@example.org' }),
    });
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await teamState(stack)).toEqual(before);
  });
});
