import type { ParticipantListItem } from '../participants/participant-repository';
import type { ParticipantStatus } from '../participants/status-rules';

export type ParticipantSort = 'added' | 'interview';

export interface TableView {
  status?: ParticipantStatus | undefined;
  /** Part of a name or an email address, any case. */
  q?: string | undefined;
  sort: ParticipantSort;
}

/**
 * Which rows the study page shows, in which order: what the researcher asked for in the
 * filter form. Sorting by interview puts the earliest interview first and people without
 * one after them, in the order they were added.
 */
export function selectParticipants(
  participants: readonly ParticipantListItem[],
  view: TableView,
): ParticipantListItem[] {
  const needle = view.q?.trim().toLowerCase() ?? '';
  const shown = participants.filter(
    (participant) =>
      (!view.status || participant.status === view.status) &&
      (needle === '' ||
        participant.name.toLowerCase().includes(needle) ||
        participant.email.toLowerCase().includes(needle)),
  );
  if (view.sort !== 'interview') return shown;
  const start = (participant: ParticipantListItem) => participant.booking?.start.getTime() ?? Infinity;
  return shown
    .map((participant, index) => ({ participant, index }))
    .sort((a, b) => start(a.participant) - start(b.participant) || a.index - b.index)
    .map(({ participant }) => participant);
}
