import { MAX_MEET_REQUESTS, nextMeetRequestId } from '../../src/sync/meet-renewal';

const BOOKING = '6f1c2f8e-0a7b-4c47-9a55-3b1d8c2e9f10';

describe('The requestId of the next Meet request', () => {
  test('When the booking’s first request failed, then the next one is its second', () => {
    expect(nextMeetRequestId(BOOKING, BOOKING)).toBe(`${BOOKING}-meet-2`);
    expect(nextMeetRequestId(BOOKING, `${BOOKING}-meet-2`)).toBe(`${BOOKING}-meet-3`);
  });

  test('When the last allowed request failed, then there is none', () => {
    expect(nextMeetRequestId(BOOKING, `${BOOKING}-meet-${MAX_MEET_REQUESTS}`)).toBeNull();
  });

  test('When the failed request is not one of the booking’s (set by someone else), then it is left alone', () => {
    for (const other of ['someone-else', `${BOOKING}-meet-x`, `${BOOKING}-meet-0`, `other-meet-2`]) {
      expect(nextMeetRequestId(BOOKING, other)).toBeNull();
    }
  });
});
