/**
 * The booking page in English: the reference catalogue. The other languages must have
 * exactly these keys and, in each string, the same `{placeholders}`
 * (test/booking-page/booking-strings.test.ts). The server writes the frame of the page from
 * it and hands the whole catalogue to the page script, so page and script speak the same
 * language.
 */
export const en = {
  // The frame (server)
  documentTitle: 'Book your interview: {title}',
  kicker: 'Interview booking',
  introHello: 'Hello {name}.',
  introAsk: '{researcher} would like to talk with you for {duration} by video call.',
  // A collective study: every host attends, so the participant is told whom to expect.
  introAskSeveral: '{researchers} would like to talk with you for {duration} by video call.',
  durationMinutes: '{minutes} minutes',
  introPick: 'Pick a time that suits you.',
  introBooked: 'Your interview is booked; the details are below.',
  introPending: 'We are finishing your booking.',
  introCancelled: 'Your interview was cancelled.',
  introLocked: 'Your interview can no longer be changed here.',
  noscript:
    'This page needs JavaScript to show the free times. Please turn it on, or reply to your invitation email to arrange a time.',
  loading: 'Loading your booking…',
  zoneLabel: 'Your time zone',
  zoneHelp: 'All dates and times on this page are in this time zone. Type to search, for example “London”.',
  bookingHeading: 'Your interview',
  bookingInvitation: 'A calendar invitation has been sent to you.',
  moveButton: 'Pick another time',
  cancelButton: 'Cancel the interview',
  cancelQuestion: 'Cancel this interview? The time will be given back.',
  cancelYes: 'Yes, cancel it',
  cancelNo: 'No, keep it',
  cancelledHeading: 'Your interview was cancelled',
  pickerHeading: 'Choose a time',
  dayLegend: 'Day',
  timeLegend: 'Time',
  noSlots:
    'There are no free times left right now. Please check again later or reply to your invitation email.',
  continueButton: 'Continue',
  keepButton: 'Keep my current time',
  confirmHeading: 'Confirm your interview',
  consentHeading: 'Before you confirm',
  consentAgree: 'I agree to the text above.',
  confirmButton: 'Confirm booking',
  backButton: 'Back',
  footer: 'Questions? Reply to your invitation email.',

  // What the script writes
  bookingPendingHeading: 'Finishing your booking',
  bookingBookedHeading: 'Your interview is booked',
  meetPrefix: 'Video call (Google Meet): ',
  meetInInvitation: 'The video call link is in your calendar invitation.',
  pendingStatus: 'We are finishing your booking. This can take a moment…',
  bookingReleased: 'We could not finish your booking, and the time was released. Please pick a time again.',
  bookingRefused:
    'The researcher’s calendar did not accept your interview, so it is not booked. Please pick a time again.',
  slowBooking:
    'This is taking longer than usual. You will get a calendar invitation once it is done; you can also reload this page later.',
  pickerMoveHeading: 'Choose a new time',
  dayLegendZone: 'Day, {zone}',
  timesOne: '1 time',
  timesMany: '{count} times',
  timeLegendOn: 'Time on {day}, {zone}',
  chooseFirst: 'Please choose a time first.',
  confirmMoveHeading: 'Confirm your new time',
  confirmMoveButton: 'Move my interview',
  booking: 'Booking…',
  cancelling: 'Cancelling…',
  pressAgainSafe: 'Pressing the button again will not book you twice.',
  serverErrorRetry:
    'Something went wrong on our side. Please press the button again; you will not be booked twice.',
  cancelledNow: 'Your interview is cancelled. You can pick a new time below if you like.',
  cancelledByYou: 'You cancelled your interview on {when}.',
  cancelledByDecline: 'You declined the calendar invitation, so your interview on {when} was cancelled.',
  cancelledByCalendar: 'Your interview on {when} was cancelled in the researcher’s calendar.',
  cancelledByResearcher: 'The research team cancelled your interview on {when}.',
  cancelledNoTime: 'Your interview was cancelled.',
  pickNewTime: 'You can pick a new time below.',
  zoneInvalid: 'Please choose a time zone from the list, for example “Europe/London”.',
  zoneChanged: 'Times are now shown in {zone}.',
  zoneNow: 'Now: {zone}',
  cannotChangeHeading: 'Your interview cannot be changed here',
  stepNoBooking:
    'You have no interview booked, so there is nothing to move or cancel. You can pick a time below.',
  stepLocked: 'Your interview can no longer be moved or cancelled here.',
  consentRequired: 'Please tick the box to agree before you confirm.',
  consentOutdated:
    'The text has changed since you opened this page. Please read it again and agree to confirm.',

  // The server's answers, as the participant reads them
  unreachable: 'We could not reach the booking service. Please check your connection and try again.',
  invalidLinkHeading: 'This booking link is not valid',
  invalidLinkText:
    'Please check that you opened the whole link from your invitation email. If it still does not work, reply to that email and ask the research team for a new link.',
  expiredLinkHeading: 'This booking link has expired',
  expiredLinkText: 'Please reply to your invitation email and ask the research team for a new link.',
  closedStudyHeading: 'This study is no longer taking bookings',
  closedStudyText:
    'Thank you for your interest. If you think this is a mistake, reply to your invitation email.',
  replacedLinkHeading: 'This link has been replaced',
  replacedLinkText: 'A new link was sent to you by email on {date}; use that one.',
  slotTaken: 'That time was just taken — please pick another.',
  changedMeanwhile: 'That did not work because something changed meanwhile. Please try again.',
  statusFinal: 'Your interview for this study has already been recorded; contact the research team.',
  interviewStarted:
    'Your interview has started, so it can no longer be moved or cancelled here; only the research team can change it now. Reply to your invitation email to reach them.',
  noBooking: 'You have no interview booked.',
  tooMany: 'Too many attempts — please wait a moment and try again.',
  calendarRefused:
    'The researcher’s calendar did not accept this interview, so it is not booked. Please try again later.',
  calendarUnavailable: 'The researcher’s calendar is not available right now. Please try again later.',
  serviceBusy: 'The booking service is busy right now. Please try again in a moment.',
  errorCode: 'Something went wrong (error {status}). Please try again.',
  failureHeading: 'Something went wrong on our side',
  failureText: 'Please try again in a few minutes. Your link is still valid.',
  unavailableHeading: 'Booking is paused for a moment',
  unavailableText:
    'We cannot reach our records right now. Please try again in a minute. Your link is still valid.',
};

export type BookingStrings = Record<keyof typeof en, string>;
