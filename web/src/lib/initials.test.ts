import { describe, expect, it } from 'vitest';
import { initials } from './initials.ts';

describe('initials', () => {
  it('takes first and last initials of names and the last digits of numbers', () => {
    expect(initials('Front desk')).toBe('FD');
    expect(initials('ann')).toBe('A');
    expect(initials('Mary Ann Smith')).toBe('MS');
    expect(initials('+15551234567')).toBe('67');
  });
});
