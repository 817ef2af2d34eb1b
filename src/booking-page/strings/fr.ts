import type { BookingStrings } from './en';

/** The booking page in French. */
export const fr: BookingStrings = {
  documentTitle: 'Réservez votre entretien : {title}',
  kicker: 'Réservation d’entretien',
  introHello: 'Bonjour {name}.',
  introAsk: '{researcher} aimerait s’entretenir avec vous pendant {duration} en visioconférence.',
  introAskSeveral: '{researchers} aimeraient s’entretenir avec vous pendant {duration} en visioconférence.',
  durationMinutes: '{minutes} minutes',
  introPick: 'Choisissez un créneau qui vous convient.',
  introBooked: 'Votre entretien est réservé ; les détails figurent ci-dessous.',
  introPending: 'Nous finalisons votre réservation.',
  introCancelled: 'Votre entretien a été annulé.',
  introLocked: 'Votre entretien ne peut plus être modifié ici.',
  noscript:
    'Cette page a besoin de JavaScript pour afficher les créneaux libres. Activez-le, ou répondez à votre e-mail d’invitation pour convenir d’un horaire.',
  loading: 'Chargement de votre réservation…',
  zoneLabel: 'Votre fuseau horaire',
  zoneHelp:
    'Toutes les dates et heures de cette page sont dans ce fuseau horaire. Tapez pour chercher, par exemple « Paris ».',
  bookingHeading: 'Votre entretien',
  bookingInvitation: 'Une invitation d’agenda vous a été envoyée.',
  moveButton: 'Choisir un autre créneau',
  cancelButton: 'Annuler l’entretien',
  cancelQuestion: 'Annuler cet entretien ? Le créneau sera libéré.',
  cancelYes: 'Oui, l’annuler',
  cancelNo: 'Non, le garder',
  cancelledHeading: 'Votre entretien a été annulé',
  pickerHeading: 'Choisir un créneau',
  dayLegend: 'Jour',
  timeLegend: 'Heure',
  noSlots:
    'Il n’y a plus de créneau libre pour le moment. Revenez plus tard ou répondez à votre e-mail d’invitation.',
  continueButton: 'Continuer',
  keepButton: 'Garder mon créneau actuel',
  confirmHeading: 'Confirmer votre entretien',
  consentHeading: 'Avant de confirmer',
  consentAgree: 'J’accepte le texte ci-dessus.',
  confirmButton: 'Confirmer la réservation',
  backButton: 'Retour',
  footer: 'Des questions ? Répondez à votre e-mail d’invitation.',

  bookingPendingHeading: 'Finalisation de votre réservation',
  bookingBookedHeading: 'Votre entretien est réservé',
  meetPrefix: 'Visioconférence (Google Meet) : ',
  meetInInvitation: 'Le lien de la visioconférence se trouve dans votre invitation d’agenda.',
  pendingStatus: 'Nous finalisons votre réservation. Cela peut prendre un instant…',
  bookingReleased:
    'Nous n’avons pas pu finaliser votre réservation et le créneau a été libéré. Veuillez choisir à nouveau un créneau.',
  bookingRefused:
    'L’agenda de la personne qui mène l’étude n’a pas accepté votre entretien ; il n’est donc pas réservé. Veuillez choisir à nouveau un créneau.',
  slowBooking:
    'Cela prend plus de temps que d’habitude. Vous recevrez une invitation d’agenda une fois terminé ; vous pouvez aussi recharger cette page plus tard.',
  pickerMoveHeading: 'Choisir un nouveau créneau',
  dayLegendZone: 'Jour, {zone}',
  timesOne: '1 créneau',
  timesMany: '{count} créneaux',
  timeLegendOn: 'Heure le {day}, {zone}',
  chooseFirst: 'Veuillez d’abord choisir une heure.',
  confirmMoveHeading: 'Confirmer votre nouveau créneau',
  confirmMoveButton: 'Déplacer mon entretien',
  booking: 'Réservation…',
  cancelling: 'Annulation…',
  pressAgainSafe: 'Appuyer à nouveau sur le bouton ne vous inscrira pas deux fois.',
  serverErrorRetry:
    'Un problème est survenu de notre côté. Appuyez à nouveau sur le bouton ; vous ne serez pas inscrit deux fois.',
  cancelledNow:
    'Votre entretien est annulé. Vous pouvez choisir un nouveau créneau ci-dessous si vous le souhaitez.',
  cancelledByYou: 'Vous avez annulé votre entretien du {when}.',
  cancelledByDecline: 'Vous avez refusé l’invitation d’agenda ; votre entretien du {when} a donc été annulé.',
  cancelledByCalendar:
    'Votre entretien du {when} a été annulé dans l’agenda de la personne qui mène l’étude.',
  cancelledByResearcher: 'L’équipe de recherche a annulé votre entretien du {when}.',
  cancelledNoTime: 'Votre entretien a été annulé.',
  pickNewTime: 'Vous pouvez choisir un nouveau créneau ci-dessous.',
  zoneInvalid: 'Veuillez choisir un fuseau horaire dans la liste, par exemple « Europe/Paris ».',
  zoneChanged: 'Les heures sont maintenant affichées en {zone}.',
  zoneNow: 'Actuellement : {zone}',
  cannotChangeHeading: 'Votre entretien ne peut pas être modifié ici',
  stepNoBooking:
    'Vous n’avez aucun entretien réservé : il n’y a rien à déplacer ni à annuler. Vous pouvez choisir un créneau ci-dessous.',
  stepLocked: 'Votre entretien ne peut plus être déplacé ni annulé ici.',
  consentRequired: 'Veuillez cocher la case pour donner votre accord avant de confirmer.',
  consentOutdated:
    'Le texte a changé depuis l’ouverture de cette page. Veuillez le relire et donner votre accord pour confirmer.',

  unreachable:
    'Nous n’avons pas pu joindre le service de réservation. Vérifiez votre connexion et réessayez.',
  invalidLinkHeading: 'Ce lien de réservation n’est pas valide',
  invalidLinkText:
    'Vérifiez que vous avez ouvert le lien complet de votre e-mail d’invitation. Si cela ne fonctionne toujours pas, répondez à cet e-mail et demandez un nouveau lien à l’équipe de recherche.',
  expiredLinkHeading: 'Ce lien de réservation a expiré',
  expiredLinkText:
    'Répondez à votre e-mail d’invitation et demandez un nouveau lien à l’équipe de recherche.',
  closedStudyHeading: 'Cette étude ne prend plus de réservations',
  closedStudyText:
    'Merci de votre intérêt. Si vous pensez qu’il s’agit d’une erreur, répondez à votre e-mail d’invitation.',
  replacedLinkHeading: 'Ce lien a été remplacé',
  replacedLinkText: 'Un nouveau lien vous a été envoyé par e-mail le {date} ; utilisez celui-ci.',
  slotTaken: 'Ce créneau vient d’être pris — veuillez en choisir un autre.',
  changedMeanwhile: 'Cela n’a pas fonctionné car quelque chose a changé entre-temps. Veuillez réessayer.',
  statusFinal: 'Votre entretien pour cette étude a déjà été enregistré ; contactez l’équipe de recherche.',
  interviewStarted:
    'Votre entretien a commencé : il ne peut plus être déplacé ni annulé ici ; seule l’équipe de recherche peut le modifier. Répondez à votre e-mail d’invitation pour la joindre.',
  noBooking: 'Vous n’avez aucun entretien réservé.',
  tooMany: 'Trop de tentatives — patientez un instant et réessayez.',
  calendarRefused:
    'L’agenda de la personne qui mène l’étude n’a pas accepté cet entretien ; il n’est donc pas réservé. Réessayez plus tard.',
  calendarUnavailable:
    'L’agenda de la personne qui mène l’étude n’est pas disponible pour le moment. Réessayez plus tard.',
  serviceBusy: 'Le service de réservation est occupé pour le moment. Réessayez dans un instant.',
  errorCode: 'Un problème est survenu (erreur {status}). Veuillez réessayer.',
  failureHeading: 'Un problème est survenu de notre côté',
  failureText: 'Réessayez dans quelques minutes. Votre lien reste valable.',
  unavailableHeading: 'La réservation est interrompue un instant',
  unavailableText:
    'Nous ne pouvons pas accéder à nos données pour le moment. Réessayez dans une minute. Votre lien reste valable.',
};
