import { describe, expect, it } from 'vitest';
import { cursorOf, isAfter, isFailure, ResumePoint } from './resume-point.ts';

describe('ResumePoint', () => {
  it('has nothing to resume from before the first event, and sends the variables as they were', () => {
    const point = new ResumePoint();
    expect(point.cursor).toBeUndefined();
    expect(point.variables({ conversationId: 'c' })).toEqual({ conversationId: 'c' });
    expect(point.variables(undefined)).toBeUndefined();
  });

  it('resumes after the newest cursor taken', () => {
    const point = new ResumePoint();
    expect(point.advance('41')).toBe(true);
    expect(point.advance('42')).toBe(true);
    expect(point.cursor).toBe('42');
    expect(point.variables(undefined)).toEqual({ after: '42' });
    expect(point.variables({ conversationId: 'c', after: '1' })).toEqual({ conversationId: 'c', after: '42' });
  });

  it('refuses an event that is not past the newest one: a repeat is not applied twice', () => {
    const point = new ResumePoint();
    point.advance('42');
    expect(point.advance('42')).toBe(false);
    expect(point.advance('7')).toBe(false);
    expect(point.cursor).toBe('42');
  });

  it('compares cursors as numbers', () => {
    const point = new ResumePoint();
    point.advance('99');
    expect(point.advance('100')).toBe(true);
    expect(isAfter('100', '99')).toBe(true);
    expect(isAfter('9223372036854775807', '9223372036854775806')).toBe(true);
  });

  it('forgets its cursor when told to start over', () => {
    const point = new ResumePoint();
    point.advance('42');
    point.forget();
    expect(point.cursor).toBeUndefined();
    expect(point.advance('3')).toBe(true);
  });
});

describe('cursorOf', () => {
  it('reads the cursor of the root field', () => {
    expect(cursorOf({ data: { messageUpdated: { cursor: '12', action: 'INSERT' } } })).toBe('12');
    expect(cursorOf({ data: { conversationUpdated: { id: 'c', cursor: '13' } } })).toBe('13');
  });

  it('finds none without data, without a cursor, or with one that is no feed position', () => {
    expect(cursorOf({ data: null })).toBeUndefined();
    expect(cursorOf({})).toBeUndefined();
    expect(cursorOf({ data: { conversationUpdated: { id: 'c', cursor: null } } })).toBeUndefined();
    expect(cursorOf({ data: { conversationUpdated: { id: 'c' } } })).toBeUndefined();
    expect(cursorOf({ data: { messageUpdated: { cursor: 'yesterday' } } })).toBeUndefined();
  });
});

describe('isFailure', () => {
  it('is an error in place of an event, not an event that carries a field error', () => {
    expect(isFailure({ errors: [{ message: 'expired', extensions: { code: 'CURSOR_EXPIRED' } }] })).toBe(true);
    expect(isFailure({ errors: [{ message: 'expired' }], data: null })).toBe(true);
    expect(isFailure({ errors: [{ message: 'no media' }], data: { messageUpdated: { cursor: '1' } } })).toBe(false);
    expect(isFailure({ data: { messageUpdated: { cursor: '1' } } })).toBe(false);
  });
});
