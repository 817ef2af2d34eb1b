import { readHostingForm, hostingInputOf } from '../../src/console/study-form-hosts';
import { hostWarnings } from '../../src/console/hosts-panel';
import type { StudyHost } from '../../src/studies/study-host-repository';
import { checkHosting, type MemberFacts } from '../../src/studies/study-hosting';

const member = (id: string, name: string, extra: Partial<MemberFacts> = {}): MemberFacts => ({
  researcherId: id,
  name,
  email: `${name.toLowerCase()}@example.com`,
  connection: 'connected',
  hasOwnHours: true,
  ...extra,
});
const ada = member('a', 'Ada');
const ben = member('b', 'Ben', { connection: 'revoked', hasOwnHours: false });

describe('The hosting rules', () => {
  test('When a revoked member is already a host, then they may stay; added, they are refused', () => {
    const hosting = { schedulingType: 'collective' as const, hostHours: 'study' as const, hosts: ['a', 'b'] };

    expect(checkHosting(hosting, [ada, ben], ['a', 'b'])).toBeUndefined();
    expect(checkHosting(hosting, [ada, ben], ['a'])).toMatchObject({
      code: 'host-not-connected',
      researcherIds: ['b'],
      message: expect.stringContaining('Ben has no connected Google calendar'),
    });
  });

  test('When each host’s own hours are chosen and one keeps none, then the refusal names them', () => {
    const hosting = {
      schedulingType: 'round_robin' as const,
      hostHours: 'per_host' as const,
      hosts: ['a', 'b'],
    };

    expect(checkHosting(hosting, [ada, ben], ['a', 'b'])).toMatchObject({
      code: 'host-hours-missing',
      field: 'hostHours',
      researcherIds: ['b'],
    });
  });

  test('When the organizer is chosen in the form, then they come first; a post without host boxes keeps the hosts', () => {
    const values = readHostingForm({
      hostsShown: 'yes',
      hosts: ['a', 'b'],
      organizer: 'b',
      schedulingType: 'collective',
    });

    expect(values.hosts).toEqual(['b', 'a']);
    expect(hostingInputOf(readHostingForm({ title: 'x' }))).toEqual({});
    expect(hostingInputOf(readHostingForm({ hostsShown: 'yes' }))).toEqual({ hosts: [] });
  });
});

describe('Host warnings', () => {
  const host = (name: string, connection: StudyHost['connection']): StudyHost => ({
    researcherId: name,
    name,
    email: `${name}@example.com`,
    position: 0,
    hours: null,
    connection,
  });

  test('When a collective host is revoked, then the study offers no times until they reconnect', () => {
    expect(
      hostWarnings({ schedulingType: 'collective' }, [host('Ada', 'connected'), host('Ben', 'revoked')]),
    ).toEqual([
      'Ben’s Google connection is revoked: Ben takes no new bookings, so this study offers no times until Ben reconnects.',
    ]);
  });

  test('When one round-robin host needs consent, then the others take the interviews meanwhile', () => {
    expect(
      hostWarnings({ schedulingType: 'round_robin' }, [
        host('Ada', 'connected'),
        host('Ben', 'needs-consent'),
      ]),
    ).toEqual([
      'Ben’s Google connection needs their consent again: Ben takes no new bookings; the other hosts take the interviews meanwhile.',
    ]);
  });
});
