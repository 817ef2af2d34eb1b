import { Conflict } from '../http/problem';
import type { LinkRefusal } from './status-rules';

/**
 * What the participant is told when their booking link may not change the interview
 * (`decideLinkChange`): the POST answers it as a 409, and GET /api/booking/:token shows the
 * same type and words ahead, so the page can say it before anyone clicks.
 */
const REFUSALS: Readonly<Record<LinkRefusal, { slug: string; detail: string }>> = {
  'verdict recorded': {
    slug: 'status-final',
    detail: 'Your interview for this study has already been recorded; contact the research team.',
  },
  'interview started': {
    slug: 'interview-started',
    detail:
      'Your interview has started, so it can no longer be moved or cancelled here; only the research team can change it now. Reply to your invitation email to reach them.',
  },
  'nothing booked': { slug: 'no-booking', detail: 'You have no interview booked.' },
};

export class LinkChangeRefused extends Conflict {
  constructor(readonly reason: LinkRefusal) {
    super(REFUSALS[reason].detail, REFUSALS[reason].slug);
  }
}

/** The refusal as the booking view shows it: the problem type the POST would answer, and its words. */
export function linkRefusalView(reason: LinkRefusal): { type: string; detail: string } {
  const problem = new LinkChangeRefused(reason);
  return { type: problem.problemType, detail: problem.message };
}
