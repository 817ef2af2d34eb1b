import { describeTimeZone } from '../web/time-zone-name';
import { calendarAttachments, type BookingEmailFacts, type RenderedBookingEmail } from './booking-email';
import { renderEmailTemplate, type EmailTemplate } from './email-templates';
import { bookingStepUrl, formatWhen } from './interview-details';

/**
 * A confirmation, update or cancellation in the study's own words (its template for the
 * kind), with the same `.ics` as the built-in email. Undefined when the template cannot be
 * used for this participant: it needs the Reschedule and Cancel links, and no booking link
 * is kept for them — the built-in email then goes, without those links.
 */
export function renderBookingEmailFromTemplate(
  facts: BookingEmailFacts,
  template: EmailTemplate,
): RenderedBookingEmail | undefined {
  const common = interviewValues(facts, facts);
  if (facts.kind === 'cancellation') {
    const bookingUrl = facts.studyOpen && facts.bookingUrl ? facts.bookingUrl : '';
    return {
      ...renderEmailTemplate('cancellation', template, { ...common, bookingUrl }),
      attachments: calendarAttachments(facts),
    };
  }
  if (!facts.bookingUrl) return undefined;
  const booked = { ...common, ...bookedLinkValues(facts.bookingUrl, facts.meetUrl) };
  const rendered =
    facts.kind === 'update'
      ? renderEmailTemplate('update', template, {
          ...booked,
          previousInterviewTime: facts.previous
            ? formatWhen(facts.previous.start, facts.previous.end, facts.timeZone)
            : '',
        })
      : renderEmailTemplate('confirmation', template, booked);
  return { ...rendered, attachments: calendarAttachments(facts) };
}

/** The placeholders every email about an interview fills in: who, what, when and in which zone. */
export function interviewValues(
  people: { participantName: string; studyTitle: string; researcherName: string },
  interview: { start: Date; end: Date; timeZone: string },
) {
  return {
    participantName: people.participantName,
    studyTitle: people.studyTitle,
    durationMinutes: String(Math.round((interview.end.getTime() - interview.start.getTime()) / 60_000)),
    researcherName: people.researcherName,
    interviewTime: formatWhen(interview.start, interview.end, interview.timeZone),
    timeZone: describeTimeZone(interview.timeZone, interview.start).label,
  };
}

/** The links of a booked interview's emails: join, and the booking page at Reschedule or Cancel. */
export function bookedLinkValues(bookingUrl: string, meetUrl: string | null) {
  return {
    meetUrl: meetUrl ?? '',
    rescheduleUrl: bookingStepUrl(bookingUrl, 'reschedule'),
    cancelUrl: bookingStepUrl(bookingUrl, 'cancel'),
  };
}
