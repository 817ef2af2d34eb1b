import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { Conflict, NotFound } from '../http/problem';
import type { JobQueue } from '../jobs/queue';
import { findStudy } from '../studies/study-repository';
import { encryptToken } from '../security/token-cipher';
import { newBookingLink } from './booking-link';
import { queueInvitations } from './queue-invitation';
import {
  existingEmails,
  insertHistoryForEach,
  insertParticipants,
  type Participant,
} from './participant-repository';

export interface AddParticipantsDeps {
  knex: Knex;
  queue: JobQueue;
  publicUrl: string;
  /** Encrypt the booking link: while its email waits in the outbox, and on the participant. */
  keys: readonly EncryptionKey[];
}

export interface NewParticipant {
  name: string;
  email: string;
}

/**
 * DESIGN 1.2, all or nothing: every participant gets a booking link and an invitation
 * email in the outbox, in one transaction. A duplicate email (within the request or
 * already in the study) refuses the whole request and names the addresses.
 */
export async function addParticipants(
  deps: AddParticipantsDeps,
  researcherId: string,
  studyId: string,
  people: NewParticipant[],
): Promise<(Participant & { bookingUrl: string })[]> {
  const normalized = people.map((person) => ({
    name: person.name.trim(),
    email: person.email.trim().toLowerCase(),
  }));
  const repeated = [
    ...new Set(
      normalized.map((person) => person.email).filter((email, index, all) => all.indexOf(email) !== index),
    ),
  ];
  if (repeated.length > 0) {
    throw new Conflict(`Listed more than once: ${repeated.join(', ')}.`, 'duplicate-participant', {
      emails: repeated,
    });
  }
  return deps.knex.transaction(async (trx) => {
    // The study row lock serialises concurrent adds to one study, so the duplicate check
    // below cannot race (the unique index would still stop a duplicate, less politely).
    const study = await findStudy(trx, researcherId, studyId, { forUpdate: true });
    if (!study) throw new NotFound('No such study.');
    const taken = await existingEmails(
      trx,
      studyId,
      normalized.map((person) => person.email),
    );
    if (taken.length > 0) {
      throw new Conflict(`Already in this study: ${taken.join(', ')}.`, 'duplicate-participant', {
        emails: taken,
      });
    }
    const links = normalized.map(() => newBookingLink(deps.publicUrl));
    const created = await insertParticipants(
      trx,
      normalized.map((person, index) => ({
        studyId,
        // The study's organizer, whose calendar they book on; the member who added them is
        // the history's actor.
        researcherId: study.researcherId,
        name: person.name,
        email: person.email,
        tokenHash: links[index]?.tokenHash ?? '',
        // Kept encrypted so the console can show it again ("Copy booking link").
        bookingLink: encryptToken(links[index]?.url ?? '', deps.keys),
      })),
    );
    const urlByEmail = new Map(normalized.map((person, index) => [person.email, links[index]?.url ?? '']));
    // A few statements for the whole list (history rows, outbox rows, jobs), not a few per
    // participant: the study stays locked for as short a time as the list allows.
    await insertHistoryForEach(
      trx,
      created.map((participant) => participant.id),
      {
        kind: 'invited',
        from: null,
        to: 'invited',
        source: 'researcher',
        actor: researcherId,
        reason: null,
        details: null,
      },
    );
    await queueInvitations(
      trx,
      deps.queue,
      deps.keys,
      created.map((participant) => ({
        participant,
        bookingUrl: urlByEmail.get(participant.email) ?? '',
        kind: 'invitation' as const,
      })),
    );
    return created.map((participant) => ({
      ...participant,
      bookingUrl: urlByEmail.get(participant.email) ?? '',
    }));
  });
}
