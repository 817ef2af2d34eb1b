import type { BookingStrings } from './en';

/** The booking page in German (informal "du" would not suit a research team: "Sie"). */
export const de: BookingStrings = {
  documentTitle: 'Buchen Sie Ihr Interview: {title}',
  kicker: 'Terminbuchung',
  introHello: 'Hallo {name}.',
  introAsk: '{researcher} möchte gern {duration} per Videoanruf mit Ihnen sprechen.',
  introAskSeveral: '{researchers} möchten gern {duration} per Videoanruf mit Ihnen sprechen.',
  durationMinutes: '{minutes} Minuten',
  introPick: 'Wählen Sie einen Termin, der Ihnen passt.',
  introBooked: 'Ihr Interview ist gebucht; die Einzelheiten stehen unten.',
  introPending: 'Wir schließen Ihre Buchung gerade ab.',
  introCancelled: 'Ihr Interview wurde abgesagt.',
  introLocked: 'Ihr Interview kann hier nicht mehr geändert werden.',
  noscript:
    'Diese Seite braucht JavaScript, um die freien Termine zu zeigen. Bitte schalten Sie es ein oder antworten Sie auf Ihre Einladungs-E‑Mail, um einen Termin zu vereinbaren.',
  loading: 'Ihre Buchung wird geladen…',
  zoneLabel: 'Ihre Zeitzone',
  zoneHelp:
    'Alle Daten und Uhrzeiten auf dieser Seite gelten in dieser Zeitzone. Tippen Sie zum Suchen, zum Beispiel „Berlin“.',
  bookingHeading: 'Ihr Interview',
  bookingInvitation: 'Eine Kalendereinladung wurde an Sie gesendet.',
  moveButton: 'Anderen Termin wählen',
  cancelButton: 'Interview absagen',
  cancelQuestion: 'Dieses Interview absagen? Der Termin wird wieder freigegeben.',
  cancelYes: 'Ja, absagen',
  cancelNo: 'Nein, behalten',
  cancelledHeading: 'Ihr Interview wurde abgesagt',
  pickerHeading: 'Termin wählen',
  dayLegend: 'Tag',
  timeLegend: 'Uhrzeit',
  noSlots:
    'Im Moment sind keine Termine mehr frei. Bitte schauen Sie später wieder vorbei oder antworten Sie auf Ihre Einladungs-E‑Mail.',
  continueButton: 'Weiter',
  keepButton: 'Meinen Termin behalten',
  confirmHeading: 'Interview bestätigen',
  consentHeading: 'Bevor Sie bestätigen',
  consentAgree: 'Ich stimme dem obigen Text zu.',
  confirmButton: 'Buchung bestätigen',
  backButton: 'Zurück',
  footer: 'Fragen? Antworten Sie auf Ihre Einladungs-E‑Mail.',

  bookingPendingHeading: 'Ihre Buchung wird abgeschlossen',
  bookingBookedHeading: 'Ihr Interview ist gebucht',
  meetPrefix: 'Videoanruf (Google Meet): ',
  meetInInvitation: 'Den Link zum Videoanruf finden Sie in Ihrer Kalendereinladung.',
  pendingStatus: 'Wir schließen Ihre Buchung gerade ab. Das kann einen Moment dauern…',
  bookingReleased:
    'Wir konnten Ihre Buchung nicht abschließen, der Termin wurde wieder freigegeben. Bitte wählen Sie erneut einen Termin.',
  bookingRefused:
    'Der Kalender der Forscherin oder des Forschers hat Ihr Interview nicht angenommen, es ist also nicht gebucht. Bitte wählen Sie erneut einen Termin.',
  slowBooking:
    'Das dauert länger als üblich. Sie bekommen eine Kalendereinladung, sobald es fertig ist; Sie können diese Seite auch später neu laden.',
  pickerMoveHeading: 'Neuen Termin wählen',
  dayLegendZone: 'Tag, {zone}',
  timesOne: '1 Termin',
  timesMany: '{count} Termine',
  timeLegendOn: 'Uhrzeit am {day}, {zone}',
  chooseFirst: 'Bitte wählen Sie zuerst eine Uhrzeit.',
  confirmMoveHeading: 'Neuen Termin bestätigen',
  confirmMoveButton: 'Interview verschieben',
  booking: 'Wird gebucht…',
  cancelling: 'Wird abgesagt…',
  pressAgainSafe: 'Wenn Sie noch einmal klicken, wird nicht doppelt gebucht.',
  serverErrorRetry:
    'Bei uns ist etwas schiefgegangen. Bitte klicken Sie noch einmal; es wird nicht doppelt gebucht.',
  cancelledNow: 'Ihr Interview ist abgesagt. Wenn Sie möchten, können Sie unten einen neuen Termin wählen.',
  cancelledByYou: 'Sie haben Ihr Interview am {when} abgesagt.',
  cancelledByDecline:
    'Sie haben die Kalendereinladung abgelehnt, daher wurde Ihr Interview am {when} abgesagt.',
  cancelledByCalendar:
    'Ihr Interview am {when} wurde im Kalender der Forscherin oder des Forschers abgesagt.',
  cancelledByResearcher: 'Das Forschungsteam hat Ihr Interview am {when} abgesagt.',
  cancelledNoTime: 'Ihr Interview wurde abgesagt.',
  pickNewTime: 'Sie können unten einen neuen Termin wählen.',
  zoneInvalid: 'Bitte wählen Sie eine Zeitzone aus der Liste, zum Beispiel „Europe/Berlin“.',
  zoneChanged: 'Die Zeiten werden jetzt in {zone} angezeigt.',
  zoneNow: 'Jetzt: {zone}',
  cannotChangeHeading: 'Ihr Interview kann hier nicht geändert werden',
  stepNoBooking:
    'Sie haben kein Interview gebucht, es gibt also nichts zu verschieben oder abzusagen. Sie können unten einen Termin wählen.',
  stepLocked: 'Ihr Interview kann hier nicht mehr verschoben oder abgesagt werden.',
  consentRequired: 'Bitte setzen Sie das Häkchen, um zuzustimmen, bevor Sie bestätigen.',
  consentOutdated:
    'Der Text hat sich geändert, seit Sie diese Seite geöffnet haben. Bitte lesen Sie ihn erneut und stimmen Sie zu, um zu bestätigen.',

  unreachable:
    'Wir konnten den Buchungsdienst nicht erreichen. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  invalidLinkHeading: 'Dieser Buchungslink ist ungültig',
  invalidLinkText:
    'Bitte prüfen Sie, ob Sie den vollständigen Link aus Ihrer Einladungs-E‑Mail geöffnet haben. Wenn es weiterhin nicht klappt, antworten Sie auf diese E‑Mail und bitten Sie das Forschungsteam um einen neuen Link.',
  expiredLinkHeading: 'Dieser Buchungslink ist abgelaufen',
  expiredLinkText:
    'Bitte antworten Sie auf Ihre Einladungs-E‑Mail und bitten Sie das Forschungsteam um einen neuen Link.',
  closedStudyHeading: 'Diese Studie nimmt keine Buchungen mehr an',
  closedStudyText:
    'Vielen Dank für Ihr Interesse. Wenn Sie das für einen Fehler halten, antworten Sie auf Ihre Einladungs-E‑Mail.',
  replacedLinkHeading: 'Dieser Link wurde ersetzt',
  replacedLinkText: 'Am {date} wurde Ihnen ein neuer Link per E‑Mail geschickt; bitte verwenden Sie diesen.',
  slotTaken: 'Dieser Termin wurde gerade vergeben – bitte wählen Sie einen anderen.',
  changedMeanwhile:
    'Das hat nicht geklappt, weil sich inzwischen etwas geändert hat. Bitte versuchen Sie es erneut.',
  statusFinal: 'Ihr Interview für diese Studie wurde bereits erfasst; wenden Sie sich an das Forschungsteam.',
  interviewStarted:
    'Ihr Interview hat begonnen und kann hier nicht mehr verschoben oder abgesagt werden; nur das Forschungsteam kann es jetzt ändern. Antworten Sie auf Ihre Einladungs-E‑Mail, um es zu erreichen.',
  noBooking: 'Sie haben kein Interview gebucht.',
  tooMany: 'Zu viele Versuche – bitte warten Sie einen Moment und versuchen Sie es erneut.',
  calendarRefused:
    'Der Kalender der Forscherin oder des Forschers hat dieses Interview nicht angenommen, es ist also nicht gebucht. Bitte versuchen Sie es später erneut.',
  calendarUnavailable:
    'Der Kalender der Forscherin oder des Forschers ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.',
  serviceBusy: 'Der Buchungsdienst ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.',
  errorCode: 'Etwas ist schiefgegangen (Fehler {status}). Bitte versuchen Sie es erneut.',
  failureHeading: 'Bei uns ist etwas schiefgegangen',
  failureText: 'Bitte versuchen Sie es in ein paar Minuten erneut. Ihr Link ist weiterhin gültig.',
  unavailableHeading: 'Die Buchung ist kurz unterbrochen',
  unavailableText:
    'Wir können unsere Daten gerade nicht erreichen. Bitte versuchen Sie es in einer Minute erneut. Ihr Link ist weiterhin gültig.',
};
