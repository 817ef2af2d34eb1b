import type { Knex } from 'knex';
import { listStudyHosts } from '../studies/study-host-repository';
import type { Researcher } from '../researchers/researcher-repository';
import { nameOf } from '../studies/study-hosting';
import type { Study } from '../studies/study-repository';
import { attendingHostNames, bookingHostIds } from './booking-host-repository';
import type { BookingLink } from './booking-link';
import { hasSeveralHosts } from './host-availability';

type Db = Knex | Knex.Transaction;

/**
 * Whose calendar a study's new booking goes on: its first host (a one-on-one study's one
 * host, a collective study's organizer; a round robin picks among all its hosts per
 * booking). Never the study's creator as such: the creator may host nothing. Undefined
 * for a study left without hosts, which takes no bookings.
 */
export async function studyOrganizerId(db: Db, study: Pick<Study, 'id'>): Promise<string | undefined> {
  return (await listStudyHosts(db, study.id))[0]?.researcherId;
}

/**
 * How a booking (or a move, with `current`) is judged and held: with every host's
 * calendar (`hosts`) or on one calendar (`one`, whose). A move keeps the interview's own
 * organizer and hosts whatever the study's type is now: an interview of several hosts is
 * judged with all of them, one of a single host on that host's calendar — even when the
 * study has been made one-on-one with someone else since.
 */
export type CalendarPlan = { kind: 'hosts' } | { kind: 'one'; organizerId: string | undefined };

/** `known`: the study's organizer as already read (a resolved booking link), not read again. */
export async function calendarPlan(
  db: Db,
  study: Pick<Study, 'id' | 'schedulingType'>,
  current: { id: string } | undefined,
  known?: { studyOrganizerId: string | undefined },
): Promise<CalendarPlan> {
  if (hasSeveralHosts(study)) return { kind: 'hosts' };
  if (current) {
    const hostIds = await bookingHostIds(db, current.id);
    return hostIds.length > 1 ? { kind: 'hosts' } : { kind: 'one', organizerId: hostIds[0] };
  }
  const organizerId = known ? known.studyOrganizerId : await studyOrganizerId(db, study);
  return { kind: 'one', organizerId };
}

/**
 * Who a participant is told would like to talk before they book (booking page, invitation):
 * the organizer of a one-on-one or collective study; a round robin's team, since any of its
 * hosts may take the interview — never a person who may not be there.
 */
export async function studyHostName(
  db: Db,
  study: Pick<Study, 'schedulingType' | 'teamId'>,
  organizer: Pick<Researcher, 'name' | 'email'> | undefined,
): Promise<string> {
  if (study.schedulingType !== 'round_robin') return organizer ? nameOf(organizer) : '';
  const team = await db('teams').where({ id: study.teamId }).first<{ name: string } | undefined>('name');
  return team?.name.trim() ?? '';
}

/**
 * Whom the booking page says the participant will talk with (`name`, and `hostNames` when
 * several attend): the hosts of their live interview who still attend, organizer first — as
 * booked, whatever the study's hosts became since — else the study's: `link.hostName` (a
 * round robin's team, since any host may take it) and every host of a collective study.
 */
export async function hostsNamedToParticipant(
  db: Db,
  link: Pick<BookingLink, 'liveBooking' | 'hostName' | 'study'>,
): Promise<{ name: string; hostNames: string[] }> {
  const booked = link.liveBooking ? await attendingHostNames(db, link.liveBooking.id) : [];
  if (booked[0] !== undefined) return { name: booked[0], hostNames: booked };
  const hostNames =
    link.study.schedulingType === 'collective' ? (await listStudyHosts(db, link.study.id)).map(nameOf) : [];
  return { name: link.hostName, hostNames };
}

/** `hostsNamedToParticipant`'s `name` alone (`GET /api/booking/:token`): no study hosts read. */
export async function hostNamedToParticipant(
  db: Db,
  link: Pick<BookingLink, 'liveBooking' | 'hostName'>,
): Promise<string> {
  const booked = link.liveBooking ? await attendingHostNames(db, link.liveBooking.id) : [];
  return booked[0] ?? link.hostName;
}
