/**
 * The built-in subject and opening paragraph of each email about a booked interview, one
 * small function per kind (a study's own template replaces the whole email instead: see
 * booking-email-template.ts). Values arrive as plain one-line text; escaping is the
 * renderer's job.
 */
export interface WordingValues {
  participantName: string;
  studyTitle: string;
  researcherName: string;
  /** "Tuesday, 8 December 2026, 10:00–10:45" in the participant's zone. */
  when: string;
  /** The time before a move, in the same words (update only). */
  previousWhen?: string;
}

export interface Wording {
  subject: string;
  intro: string;
}

export type BookingEmailKind = 'confirmation' | 'update' | 'cancellation';

export function confirmationWording(values: WordingValues): Wording {
  return {
    subject: `Your interview is booked: ${values.studyTitle}`,
    intro: `Your interview with ${values.researcherName} for the study “${values.studyTitle}” is booked for ${values.when}.`,
  };
}

/** A confirmation after the calendar brought a cancelled interview back. */
export function revivalWording(values: WordingValues): Wording {
  return {
    subject: `Your interview is on again: ${values.studyTitle}`,
    intro: `Your interview with ${values.researcherName} for the study “${values.studyTitle}” is on again, for ${values.when}. Please disregard any cancellation you received.`,
  };
}

export function updateWording(values: WordingValues): Wording {
  const was = values.previousWhen ? ` It was ${values.previousWhen} before.` : '';
  return {
    subject: `Your interview has moved: ${values.studyTitle}`,
    intro: `Your interview with ${values.researcherName} for the study “${values.studyTitle}” now takes place ${values.when}.${was}`,
  };
}

export function cancellationWording(values: WordingValues): Wording {
  return {
    subject: `Your interview is cancelled: ${values.studyTitle}`,
    intro: `Your interview with ${values.researcherName} for the study “${values.studyTitle}” on ${values.when} is cancelled.`,
  };
}

export const WORDING: Readonly<Record<BookingEmailKind, (values: WordingValues) => Wording>> = {
  confirmation: confirmationWording,
  update: updateWording,
  cancellation: cancellationWording,
};
