import type { CalendarEvent } from '../google';
import type { Researcher } from '../researchers/researcher-repository';
import { renderEventTemplate } from '../studies/event-template';
import type { Study } from '../studies/study-repository';
import type { StoredEventFields } from './booking-repository';

/**
 * The Google event of a booking (DESIGN 1.3): on the researcher's calendar, with the
 * researcher and the participant as attendees (the other hosts of a collective interview
 * too, and observers as optional ones), one Meet
 * conference whose requestId is the booking id (a retry never makes a second conference),
 * and the booking id in a private extended property so a calendar listing finds it again.
 */
export function bookingEvent(input: {
  bookingId: string;
  eventId: string;
  start: Date;
  end: Date;
  study: Study;
  researcher: Researcher;
  participant: { name: string; email: string };
  /** A collective interview's hosts besides the organizer (`researcher`). */
  otherHosts?: readonly { name: string; email: string }[];
}): CalendarEvent & { id: string } {
  const { study, researcher, participant } = input;
  const values = {
    participantName: participant.name,
    studyTitle: study.title,
    durationMinutes: String(study.durationMinutes),
    researcherName: researcher.name || researcher.email,
  };
  return {
    id: input.eventId,
    summary: renderEventTemplate(study.eventTitle, values),
    description: renderEventTemplate(study.eventDescription, values),
    start: { dateTime: input.start.toISOString(), timeZone: study.timeZone },
    end: { dateTime: input.end.toISOString(), timeZone: study.timeZone },
    attendees: [
      { email: researcher.email, displayName: researcher.name || undefined, responseStatus: 'accepted' },
      ...(input.otherHosts ?? []).map((host) => ({ email: host.email, displayName: host.name || undefined })),
      { email: participant.email, displayName: participant.name },
      ...study.guests.map((email) => ({ email, optional: true })),
    ],
    conferenceData: {
      createRequest: { requestId: input.bookingId, conferenceSolutionKey: { type: 'hangoutsMeet' } },
    },
    extendedProperties: { private: { bookingId: input.bookingId, studyId: study.id } },
    reminders: { useDefault: true },
    guestsCanModify: false,
    guestsCanInviteOthers: false,
  };
}

/** The Meet link: `hangoutLink`, or the conference's video entry point. */
export function meetUrlOf(event: CalendarEvent): string | null {
  const video = event.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === 'video')?.uri;
  return event.hangoutLink ?? video ?? null;
}

/** Google may answer before the conference exists (`pending`); then we ask again. */
export function conferencePending(event: CalendarEvent): boolean {
  return event.conferenceData?.createRequest?.status?.statusCode === 'pending';
}

export function storedEventFields(event: CalendarEvent): StoredEventFields {
  return {
    etag: event.etag ?? null,
    sequence: typeof event.sequence === 'number' ? event.sequence : null,
    eventUpdatedAt: event.updated ? new Date(event.updated) : null,
    meetUrl: meetUrlOf(event),
    htmlLink: event.htmlLink ?? null,
  };
}
