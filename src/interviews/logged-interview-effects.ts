import { STATUS_LABELS } from '../participants/status-rules';
import type { DeleteLoggedInterviewResult } from './delete-logged-interview';
import type { EditLoggedInterviewResult } from './edit-logged-interview';

/** What an edit or deletion did to the participant's status, in the words the API and the console both use. */

export function explainEdit(result: EditLoggedInterviewResult): string {
  const status = STATUS_LABELS[result.participant.status];
  if (!result.edited) return 'Nothing to change.';
  switch (result.statusEffect) {
    case 'changed':
      return `The participant's status is now ${status}.`;
    case 'kept':
      return `The participant's status stays ${status}: it changed after this interview was logged.`;
    case 'unchanged':
      return `The participant's status stays ${status}.`;
  }
}

export function explainDeletion(result: DeleteLoggedInterviewResult): string {
  const status = STATUS_LABELS[result.participant.status];
  switch (result.statusEffect) {
    case 'restored':
      return `The participant's status is back to ${status}, as before this interview was logged.`;
    case 'unchanged':
      return `The participant's status stays ${status}, as before this interview was logged.`;
    case 'kept':
      return `The participant's status stays ${status}: ${result.keptBecause ?? 'it changed after this interview was logged'}.`;
  }
}
