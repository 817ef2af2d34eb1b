import type { Knex } from 'knex';
import type { JobQueue } from '../jobs/queue';
import { renderInvitationEmail } from '../mail/invitation-email';
import { enqueueEmail } from '../mail/outbox-repository';
import type { Researcher } from '../researchers/researcher-repository';
import type { Study } from '../studies/study-repository';
import type { Participant } from './participant-repository';

/** The invitation (or re-invitation) email, into the outbox of the caller's transaction. */
export async function queueInvitation(
  trx: Knex.Transaction,
  queue: JobQueue,
  input: {
    participant: Pick<Participant, 'id' | 'name' | 'email'>;
    study: Pick<Study, 'title' | 'durationMinutes'>;
    researcher: Researcher | undefined;
    bookingUrl: string;
    kind: 'invitation' | 'reinvitation';
  },
): Promise<void> {
  const { participant, study, researcher } = input;
  const email = renderInvitationEmail({
    participantName: participant.name,
    studyTitle: study.title,
    durationMinutes: study.durationMinutes,
    researcherName: researcher?.name || researcher?.email || 'the research team',
    bookingUrl: input.bookingUrl,
    kind: input.kind,
  });
  await enqueueEmail(trx, queue, {
    participantId: participant.id,
    kind: input.kind,
    toEmail: participant.email,
    toName: participant.name,
    ...email,
  });
}
