import { previewSlots } from '../../src/console/slot-preview';
import { CreateStudyBody } from '../../src/studies/study-schema';

const study = (extra: Record<string, unknown>) =>
  CreateStudyBody.parse({
    title: 'Preview',
    durationMinutes: 60,
    timeZone: 'Europe/Berlin',
    availability: {
      weekly: { mon: [{ start: '09:00', end: '12:00' }], wed: [{ start: '14:00', end: '16:00' }] },
    },
    minNoticeMinutes: 0,
    ...extra,
  });

describe('The slot preview of the study form', () => {
  test('When a study takes Monday mornings and Wednesday afternoons, then the next 7 days show those starts in its zone', () => {
    const sunday = new Date('2027-01-03T12:00:00Z');
    expect(previewSlots(study({}), sunday)).toEqual([
      { day: 'Monday 4 January', starts: ['09:00', '09:30', '10:00', '10:30', '11:00'] },
      { day: 'Wednesday 6 January', starts: ['14:00', '14:30', '15:00'] },
    ]);
  });

  test('When a date override closes that Monday, then the week shows nothing', () => {
    const sunday = new Date('2027-01-03T12:00:00Z');
    const closed = study({
      availability: {
        weekly: { mon: [{ start: '09:00', end: '12:00' }] },
        dateOverrides: [{ date: '2027-01-04', windows: [] }],
      },
    });
    expect(previewSlots(closed, sunday)).toEqual([]);
  });
});
