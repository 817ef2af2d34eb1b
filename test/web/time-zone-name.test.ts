import { describeTimeZone } from '../../src/web/time-zone-name';

const winter = new Date('2026-12-08T15:00:00Z');
const summer = new Date('2026-07-08T15:00:00Z');

describe('describeTimeZone', () => {
  it('When a zone has a generic name and a city, then both are given with the offset of that date', () => {
    expect(describeTimeZone('America/New_York', winter)).toEqual({
      words: 'Eastern Time — New York',
      offset: 'GMT-05:00',
      label: 'Eastern Time — New York (GMT-05:00)',
    });
    expect(describeTimeZone('America/New_York', summer).offset).toBe('GMT-04:00');
  });

  it('When the city has several words or the id has three parts, then the city is the last part in words', () => {
    expect(describeTimeZone('America/Argentina/Buenos_Aires', winter).words).toBe(
      'Argentina Standard Time — Buenos Aires',
    );
    expect(describeTimeZone('Asia/Kolkata', winter).label).toBe('India Standard Time — Kolkata (GMT+05:30)');
  });

  it('When the zone is UTC, then it is named in words, with no city', () => {
    expect(describeTimeZone('UTC', winter).words).toBe('Coordinated Universal Time');
  });

  it('When a zone has no name, then the offset alone is given', () => {
    expect(describeTimeZone('Etc/GMT+5', winter)).toEqual({
      words: 'GMT-05:00',
      offset: 'GMT-05:00',
      label: 'GMT-05:00',
    });
  });

  it('When another language is asked for, then the name is in that language', () => {
    expect(describeTimeZone('Europe/Berlin', winter, 'de').words).toBe('Mitteleuropäische Zeit — Berlin');
    expect(describeTimeZone('Europe/Paris', winter, 'fr').offset).toBe('UTC+01:00');
  });
});
