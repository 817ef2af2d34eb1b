import { invalid } from './errors';
import { meetCode, randomDigits } from './ids';
import type { CalendarRecord, ConferenceData } from './state';

const MEET_ICON =
  'https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png';

export interface CreateRequestInput {
  requestId: string;
  conferenceSolutionKey?: { type: string } | undefined;
}

/**
 * A Google Meet conference for a createRequest. Keyed by requestId per calendar, so a retried
 * insert (or patch) with the same requestId gets the same conference, never a second one.
 * The emulator creates it at once (`success`); Google may answer `pending` first.
 */
export function conferenceFor(calendar: CalendarRecord, request: CreateRequestInput): ConferenceData {
  const type = request.conferenceSolutionKey?.type ?? 'hangoutsMeet';
  if (type !== 'hangoutsMeet') throw invalid('Invalid conference type value.');
  const existing = calendar.conferences[request.requestId];
  if (existing) return existing;
  const code = meetCode();
  const pin = randomDigits(10);
  const phone = `+1 ${randomDigits(3)}-${randomDigits(3)}-${randomDigits(4)}`;
  const conference: ConferenceData = {
    createRequest: {
      requestId: request.requestId,
      conferenceSolutionKey: { type },
      status: { statusCode: 'success' },
    },
    entryPoints: [
      { entryPointType: 'video', uri: `https://meet.google.com/${code}`, label: `meet.google.com/${code}` },
      {
        entryPointType: 'phone',
        uri: `tel:${phone.replace(' ', '-')}`,
        label: phone,
        pin,
        regionCode: 'US',
      },
      { entryPointType: 'more', uri: `https://tel.meet/${code}?pin=${pin}`, pin },
    ],
    conferenceSolution: { key: { type }, name: 'Google Meet', iconUri: MEET_ICON },
    conferenceId: code,
  };
  calendar.conferences[request.requestId] = conference;
  return conference;
}

export function videoUri(conference: ConferenceData): string | undefined {
  return conference.entryPoints.find((entry) => entry.entryPointType === 'video')?.uri;
}
