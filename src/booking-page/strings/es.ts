import type { BookingStrings } from './en';

/** The booking page in Spanish ("usted": a research team writing to a participant). */
export const es: BookingStrings = {
  documentTitle: 'Reserve su entrevista: {title}',
  kicker: 'Reserva de entrevista',
  introHello: 'Hola, {name}.',
  introAsk: '{researcher} quiere hablar con usted durante {duration} por videollamada.',
  durationMinutes: '{minutes} minutos',
  introPick: 'Elija la hora que mejor le convenga.',
  introBooked: 'Su entrevista está reservada; los detalles están abajo.',
  introPending: 'Estamos terminando su reserva.',
  introCancelled: 'Su entrevista se canceló.',
  introLocked: 'Su entrevista ya no se puede cambiar aquí.',
  noscript:
    'Esta página necesita JavaScript para mostrar las horas libres. Actívelo o responda a su correo de invitación para acordar una hora.',
  loading: 'Cargando su reserva…',
  zoneLabel: 'Su zona horaria',
  zoneHelp:
    'Todas las fechas y horas de esta página están en esta zona horaria. Escriba para buscar, por ejemplo «Madrid».',
  bookingHeading: 'Su entrevista',
  bookingInvitation: 'Le hemos enviado una invitación de calendario.',
  moveButton: 'Elegir otra hora',
  cancelButton: 'Cancelar la entrevista',
  cancelQuestion: '¿Cancelar esta entrevista? La hora quedará libre.',
  cancelYes: 'Sí, cancelarla',
  cancelNo: 'No, mantenerla',
  cancelledHeading: 'Su entrevista se canceló',
  pickerHeading: 'Elija una hora',
  dayLegend: 'Día',
  timeLegend: 'Hora',
  noSlots:
    'Ahora mismo no quedan horas libres. Vuelva a consultarlo más tarde o responda a su correo de invitación.',
  continueButton: 'Continuar',
  keepButton: 'Mantener mi hora actual',
  confirmHeading: 'Confirme su entrevista',
  consentHeading: 'Antes de confirmar',
  consentAgree: 'Acepto el texto anterior.',
  confirmButton: 'Confirmar la reserva',
  backButton: 'Volver',
  footer: '¿Preguntas? Responda a su correo de invitación.',

  bookingPendingHeading: 'Terminando su reserva',
  bookingBookedHeading: 'Su entrevista está reservada',
  meetPrefix: 'Videollamada (Google Meet): ',
  meetInInvitation: 'El enlace de la videollamada está en su invitación de calendario.',
  pendingStatus: 'Estamos terminando su reserva. Puede tardar un momento…',
  bookingReleased:
    'No pudimos terminar su reserva y la hora quedó libre. Por favor, elija una hora de nuevo.',
  bookingRefused:
    'El calendario de la persona investigadora no aceptó su entrevista, así que no está reservada. Por favor, elija una hora de nuevo.',
  slowBooking:
    'Esto tarda más de lo habitual. Recibirá una invitación de calendario cuando termine; también puede volver a cargar esta página más tarde.',
  pickerMoveHeading: 'Elija una nueva hora',
  dayLegendZone: 'Día, {zone}',
  timesOne: '1 hora',
  timesMany: '{count} horas',
  timeLegendOn: 'Hora el {day}, {zone}',
  chooseFirst: 'Primero elija una hora, por favor.',
  confirmMoveHeading: 'Confirme su nueva hora',
  confirmMoveButton: 'Cambiar mi entrevista',
  booking: 'Reservando…',
  cancelling: 'Cancelando…',
  pressAgainSafe: 'Si vuelve a pulsar el botón, no se reservará dos veces.',
  serverErrorRetry: 'Algo salió mal por nuestra parte. Vuelva a pulsar el botón; no se reservará dos veces.',
  cancelledNow: 'Su entrevista está cancelada. Si lo desea, puede elegir una nueva hora abajo.',
  cancelledByYou: 'Usted canceló su entrevista del {when}.',
  cancelledByDecline:
    'Usted rechazó la invitación de calendario, así que su entrevista del {when} se canceló.',
  cancelledByCalendar: 'Su entrevista del {when} se canceló en el calendario de la persona investigadora.',
  cancelledByResearcher: 'El equipo de investigación canceló su entrevista del {when}.',
  cancelledNoTime: 'Su entrevista se canceló.',
  pickNewTime: 'Puede elegir una nueva hora abajo.',
  zoneInvalid: 'Elija una zona horaria de la lista, por ejemplo «Europe/Madrid».',
  zoneChanged: 'Las horas se muestran ahora en {zone}.',
  zoneNow: 'Ahora: {zone}',
  cannotChangeHeading: 'Su entrevista no se puede cambiar aquí',
  stepNoBooking:
    'No tiene ninguna entrevista reservada, así que no hay nada que cambiar ni cancelar. Puede elegir una hora abajo.',
  stepLocked: 'Su entrevista ya no se puede cambiar ni cancelar aquí.',
  consentRequired: 'Marque la casilla para dar su conformidad antes de confirmar.',
  consentOutdated:
    'El texto ha cambiado desde que abrió esta página. Léalo de nuevo y dé su conformidad para confirmar.',

  unreachable: 'No pudimos conectar con el servicio de reservas. Compruebe su conexión e inténtelo de nuevo.',
  invalidLinkHeading: 'Este enlace de reserva no es válido',
  invalidLinkText:
    'Compruebe que abrió el enlace completo de su correo de invitación. Si sigue sin funcionar, responda a ese correo y pida un nuevo enlace al equipo de investigación.',
  expiredLinkHeading: 'Este enlace de reserva ha caducado',
  expiredLinkText: 'Responda a su correo de invitación y pida un nuevo enlace al equipo de investigación.',
  closedStudyHeading: 'Este estudio ya no acepta reservas',
  closedStudyText: 'Gracias por su interés. Si cree que es un error, responda a su correo de invitación.',
  replacedLinkHeading: 'Este enlace se ha sustituido',
  replacedLinkText: 'El {date} le enviamos un nuevo enlace por correo electrónico; use ese.',
  slotTaken: 'Alguien acaba de reservar esa hora; elija otra, por favor.',
  changedMeanwhile: 'No funcionó porque algo cambió mientras tanto. Inténtelo de nuevo.',
  statusFinal:
    'Su entrevista para este estudio ya está registrada; póngase en contacto con el equipo de investigación.',
  interviewStarted:
    'Su entrevista ya empezó, así que no se puede cambiar ni cancelar aquí; solo el equipo de investigación puede cambiarla ahora. Responda a su correo de invitación para contactar con él.',
  noBooking: 'No tiene ninguna entrevista reservada.',
  tooMany: 'Demasiados intentos; espere un momento e inténtelo de nuevo.',
  calendarRefused:
    'El calendario de la persona investigadora no aceptó esta entrevista, así que no está reservada. Inténtelo más tarde.',
  calendarUnavailable:
    'El calendario de la persona investigadora no está disponible ahora. Inténtelo más tarde.',
  serviceBusy: 'El servicio de reservas está ocupado ahora. Inténtelo de nuevo en un momento.',
  errorCode: 'Algo salió mal (error {status}). Inténtelo de nuevo.',
  failureHeading: 'Algo salió mal por nuestra parte',
  failureText: 'Inténtelo de nuevo en unos minutos. Su enlace sigue siendo válido.',
  unavailableHeading: 'Las reservas están en pausa un momento',
  unavailableText:
    'Ahora no podemos acceder a nuestros datos. Inténtelo de nuevo en un minuto. Su enlace sigue siendo válido.',
};
