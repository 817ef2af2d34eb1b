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
  const common = {
    participantName: facts.participantName,
    studyTitle: facts.studyTitle,
    durationMinutes: String(Math.round((facts.end.getTime() - facts.start.getTime()) / 60_000)),
    researcherName: facts.researcherName,
    interviewTime: formatWhen(facts.start, facts.end, facts.timeZone),
    timeZone: describeTimeZone(facts.timeZone, facts.start).label,
  };
  if (facts.kind === 'cancellation') {
    const bookingUrl = facts.studyOpen && facts.bookingUrl ? facts.bookingUrl : '';
    return {
      ...renderEmailTemplate('cancellation', template, { ...common, bookingUrl }),
      attachments: calendarAttachments(facts),
    };
  }
  if (!facts.bookingUrl) return undefined;
  const booked = {
    ...common,
    meetUrl: facts.meetUrl ?? '',
    rescheduleUrl: bookingStepUrl(facts.bookingUrl, 'reschedule'),
    cancelUrl: bookingStepUrl(facts.bookingUrl, 'cancel'),
  };
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
