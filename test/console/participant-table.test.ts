import { selectParticipants } from '../../src/console/participant-table';
import type { ParticipantListItem } from '../../src/participants/participant-repository';
import type { ParticipantStatus } from '../../src/participants/status-rules';

function person(name: string, status: ParticipantStatus, start?: string): ParticipantListItem {
  const at = new Date('2026-12-01T00:00:00Z');
  return {
    id: name,
    studyId: 's',
    researcherId: 'r',
    name,
    email: `${name.toLowerCase()}@example.com`,
    status,
    tokenExpiresAt: null,
    createdAt: at,
    updatedAt: at,
    booking: start
      ? {
          id: `b-${name}`,
          state: 'confirmed',
          start: new Date(start),
          end: new Date(start),
          googleEventId: 'e',
          calendarId: 'c',
          meetUrl: null,
          htmlLink: null,
        }
      : null,
  };
}

const people = [
  person('Ada', 'scheduled', '2026-12-09T10:00:00Z'),
  person('Bob', 'invited'),
  person('Cleo', 'scheduled', '2026-12-08T10:00:00Z'),
  person('Dan', 'invited'),
];
const names = (list: ParticipantListItem[]) => list.map((item) => item.name);

describe('The rows of the participants table', () => {
  test('When nothing is asked, then everyone shows in the order they were added', () => {
    expect(names(selectParticipants(people, { sort: 'added' }))).toEqual(['Ada', 'Bob', 'Cleo', 'Dan']);
  });

  test('When filtered by status, then only that status shows', () => {
    expect(names(selectParticipants(people, { status: 'invited', sort: 'added' }))).toEqual(['Bob', 'Dan']);
  });

  test('When searched, then names and emails match in any case', () => {
    expect(names(selectParticipants(people, { q: ' CLEO@ ', sort: 'added' }))).toEqual(['Cleo']);
    expect(names(selectParticipants(people, { q: 'D', sort: 'added' }))).toEqual(['Ada', 'Dan']);
  });

  test('When sorted by interview, then the earliest comes first and people without one keep their order last', () => {
    expect(names(selectParticipants(people, { sort: 'interview' }))).toEqual(['Cleo', 'Ada', 'Bob', 'Dan']);
  });
});
