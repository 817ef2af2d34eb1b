import { previewSlots } from '../../src/console/slot-preview';
import { CreateStudyBody } from '../../src/studies/study-schema';

const study = CreateStudyBody.parse({
  title: 'Preview',
  durationMinutes: 60,
  timeZone: 'Europe/Berlin',
  availability: { weekly: { mon: [{ start: '09:00', end: '12:00' }] } },
  minNoticeMinutes: 0,
});
const sunday = new Date('2027-01-03T12:00:00Z');
const ada = {
  researcherId: 'a',
  name: 'Ada',
  hours: { timeZone: 'Europe/Berlin', availability: { weekly: { mon: [{ start: '10:00', end: '12:00' }] } } },
};
const ben = {
  researcherId: 'b',
  name: 'Ben',
  hours: { timeZone: 'Europe/Berlin', availability: { weekly: { mon: [{ start: '09:00', end: '11:00' }] } } },
};

describe('The slot preview of a study with several hosts', () => {
  test('When hosts keep their own hours in a collective study, then the preview shows the starts every host has', () => {
    const days = previewSlots(study, sunday, {
      schedulingType: 'collective',
      hostHours: 'per_host',
      hosts: [ada, ben],
    });
    expect(days).toEqual([{ day: 'Monday 4 January', starts: ['10:00'] }]);
  });

  test('When hosts keep their own hours in a round robin, then the preview shows the starts any host has', () => {
    const days = previewSlots(study, sunday, {
      schedulingType: 'round_robin',
      hostHours: 'per_host',
      hosts: [ada, ben],
    });
    expect(days).toEqual([
      { day: 'Monday 4 January', starts: ['09:00', '09:30', '10:00', '10:30', '11:00'] },
    ]);
  });

  test('When the study keeps one schedule for every host, then the preview is the study’s own', () => {
    const days = previewSlots(study, sunday, {
      schedulingType: 'collective',
      hostHours: 'study',
      hosts: [ada, ben],
    });
    expect(days).toEqual(previewSlots(study, sunday));
  });
});
