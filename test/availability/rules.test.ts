import {
  SchedulingRulesSchema,
  defaultSlotStepMinutes,
  mergeIntervals,
  resolveSchedulingRules,
} from '../../src/availability';

describe('Resolving scheduling rules for computeSlots', () => {
  test.each([
    [5, 5],
    [10, 10],
    [20, 15],
    [30, 30],
    [45, 30],
    [90, 30],
    [480, 30],
  ])(
    'When an interview lasts %i minutes and no step is set, then starts are %i minutes apart',
    (duration, step) => {
      expect(defaultSlotStepMinutes(duration)).toBe(step);
      expect(
        resolveSchedulingRules(SchedulingRulesSchema.parse({ durationMinutes: duration })).slotStepMinutes,
      ).toBe(step);
    },
  );

  test('When only the duration is set, then the window is rolling 30 days with 4 hours notice and no daily limit', () => {
    expect(resolveSchedulingRules(SchedulingRulesSchema.parse({ durationMinutes: 60 }))).toEqual({
      durationMinutes: 60,
      slotStepMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minNoticeMinutes: 240,
      window: { horizonDays: 30 },
    });
  });

  test('When a stored study has fixed dates, a step and nulls elsewhere, then they carry over and nulls mean unset', () => {
    const stored = {
      durationMinutes: 45,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      minNoticeMinutes: 0,
      horizonDays: null,
      startDate: '2025-06-01',
      endDate: '2025-06-30',
      slotStepMinutes: 15,
      dailyLimit: null,
    };
    expect(resolveSchedulingRules(stored)).toEqual({
      durationMinutes: 45,
      slotStepMinutes: 15,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      minNoticeMinutes: 0,
      window: { startDate: '2025-06-01', endDate: '2025-06-30' },
    });
    expect(
      resolveSchedulingRules({ ...stored, startDate: null, endDate: null, dailyLimit: 3 }),
    ).toMatchObject({
      window: { horizonDays: 30 },
      dailyLimit: 3,
    });
  });
});

describe('Merging busy intervals, by example', () => {
  const at = (hour: number) => new Date(Date.UTC(2025, 5, 2, hour));

  test('When busy intervals touch, overlap, nest, arrive unsorted or are empty, then one sorted union comes back', () => {
    const merged = mergeIntervals([
      { start: at(14), end: at(15) },
      { start: at(9), end: at(10) },
      { start: at(10), end: at(11) },
      { start: at(10), end: at(10) },
      { start: at(12), end: at(16) },
      { start: at(13), end: at(14) },
    ]);
    expect(merged).toEqual([
      { start: at(9), end: at(11) },
      { start: at(12), end: at(16) },
    ]);
  });

  test('When an interval has an invalid date, then merging throws instead of hiding busy time', () => {
    expect(() => mergeIntervals([{ start: new Date('nope'), end: at(10) }])).toThrow(RangeError);
  });
});
