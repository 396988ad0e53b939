import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { Operation } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer } from '../../testing/fake-server.tsx';
import { Composer } from './composer.tsx';
import { messageNode } from '../../testing/fixtures.ts';

const sent = messageNode({ id: 'm1', conversationId: 'c1', body: 'Hello' });

/** The composer against a "server" that is a function, through the real client code. */
function setup(answer: (op: Operation) => Record<string, unknown>) {
  const { wrapper, inbox, operations } = fakeServer((op) => ({ data: answer(op) }));
  const sends = () => operations.filter((op) => op.kind === 'mutation').map((op) => op.variables as { input: Record<string, string> });
  return { wrapper, inbox, sends };
}

/** How the server reads a recipient (the `recipient` query), for the few this file types. */
function recipient(to: string): Record<string, unknown> {
  if (to === '555-1234') {
    const error = { field: 'to', code: 'INVALID_PHONE_NUMBER', message: '"555-1234" is not a phone number.' };
    return { kind: 'INVALID', address: null, display: null, contact: null, error };
  }
  if (to.startsWith('+')) return { kind: 'SMS', address: to, display: to, contact: { name: null, optedOut: false }, error: null };
  return { kind: 'NAME', address: to, display: to, contact: { name: null, optedOut: false }, error: null };
}

const answers = (op: Operation): Record<string, unknown> => {
  if (op.kind === 'mutation') return { sendMessage: { message: sent, errors: [] } };
  if ('to' in (op.variables as object)) return { recipient: recipient((op.variables as { to: string }).to) };
  return { smsSegments: { encoding: 'GSM7', segments: 1, units: 5, perSegment: 160, remaining: 155 } };
};

describe('Composer', () => {
  afterEach(() => {
    cleanup();
    sessionStorage.clear();
  });

  it('sends on Enter with a fresh idempotency key, and keeps Shift+Enter for new lines', async () => {
    const { wrapper, sends, inbox } = setup(answers);
    const onSent = vi.fn();
    render(<Composer target={{ kind: 'new', to: '+15551234567' }} draftKey="t1" onSent={onSent} />, { wrapper });
    const box = screen.getByLabelText('Message');

    fireEvent.change(box, { target: { value: 'Hello' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(sends()).toEqual([]);

    await act(async () => void fireEvent.keyDown(box, { key: 'Enter' }));
    expect(sends()).toHaveLength(1);
    expect(sends()[0]!.input).toMatchObject({ to: '+15551234567', body: 'Hello' });
    expect(sends()[0]!.input.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(onSent).toHaveBeenCalledWith(sent);
    expect((box as HTMLTextAreaElement).value).toBe('');
    // The server's message replaced the optimistic one.
    expect(inbox.pending.get()).toEqual([]);
    expect(inbox.messages.thread('c1').get().messages.map((s) => s.message.id)).toEqual(['m1']);
  });

  it('marks an empty message invalid and describes why, without sending', async () => {
    const { wrapper, sends } = setup(answers);
    render(<Composer target={{ kind: 'new', to: '+15551234567' }} draftKey="t2" />, { wrapper });
    const box = screen.getByLabelText('Message');
    await act(async () => void fireEvent.keyDown(box, { key: 'Enter' }));
    expect(box.getAttribute('aria-invalid')).toBe('true');
    const described = (box.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('Message body cannot be empty.');
    expect(sends()).toEqual([]);
  });

  it("puts the text back and shows the server's reason when it refuses", async () => {
    const { wrapper } = setup((op) =>
      op.kind === 'mutation' ? { sendMessage: { message: null, errors: [{ field: 'body', code: 'BODY_TOO_LONG', message: 'Too long for us.' }] } } : answers(op),
    );
    render(<Composer target={{ kind: 'new', to: 'Front desk' }} draftKey="t3" />, { wrapper });
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Hi there' } });
    await act(async () => void fireEvent.keyDown(box, { key: 'Enter' }));
    expect(box.value).toBe('Hi there');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Too long for us.')).toBeTruthy();
  });

  it('hands recipient problems to the field where the recipient is typed', async () => {
    const { wrapper, sends } = setup(answers);
    const onRecipientError = vi.fn();
    render(<Composer target={{ kind: 'new', to: '555-1234' }} draftKey="t4" onRecipientError={onRecipientError} />, { wrapper });
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'Hello' } });
    await act(async () => void fireEvent.keyDown(box, { key: 'Enter' }));
    expect(onRecipientError).toHaveBeenCalledWith(expect.objectContaining({ code: 'INVALID_PHONE_NUMBER' }));
    expect(box.getAttribute('aria-invalid')).toBeNull();
    expect(sends()).toEqual([]);
  });

  it('replies into the open conversation by its id, naming neither side', async () => {
    const { wrapper, sends, inbox } = setup(answers);
    const target = { kind: 'reply', conversationId: 'c1', contact: 'Bob', participants: ['Alice', 'Bob'] } as const;
    render(<Composer target={target} draftKey="t5" />, { wrapper });
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'Hello' } });
    await act(async () => void fireEvent.keyDown(box, { key: 'Enter' }));
    const input = sends()[0]!.input;
    expect(input).toEqual({ conversationId: 'c1', body: 'Hello', idempotencyKey: expect.any(String) });
    expect(inbox.messages.thread('c1').get().messages).toHaveLength(1);
  });

  it('asks which participant sends when the server does not know our side', async () => {
    const { wrapper, sends } = setup(answers);
    const target = { kind: 'reply', conversationId: 'c1', contact: null, participants: ['Alice', 'Bob'] } as const;
    render(<Composer target={target} draftKey="t6" />, { wrapper });
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'Hello' } });
    await act(async () => void fireEvent.keyDown(box, { key: 'Enter' }));
    expect(sends()).toEqual([]);
    expect(screen.getByText('Choose who this message is from.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Alice'));

    fireEvent.click(screen.getByLabelText('Bob'));
    await act(async () => void fireEvent.keyDown(box, { key: 'Enter' }));
    expect(sends()[0]!.input).toMatchObject({ conversationId: 'c1', from: 'Bob', body: 'Hello' });
    expect(sends()[0]!.input).not.toHaveProperty('to');
  });

  it('shows a rate limit where the person typed, with the text kept', async () => {
    const { wrapper } = setup((op) =>
      op.kind === 'mutation'
        ? { sendMessage: { message: null, errors: [{ field: null, code: 'RATE_LIMITED', message: 'Sending limit reached. Try again in 12 s.', retryAfterSeconds: 12 }] } }
        : answers(op),
    );
    render(<Composer target={{ kind: 'reply', conversationId: 'c1', contact: 'Bob', participants: ['Alice', 'Bob'] }} draftKey="t7" />, { wrapper });
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Again' } });
    await act(async () => void fireEvent.keyDown(box, { key: 'Enter' }));
    expect(box.value).toBe('Again');
    expect(screen.getByText('Sending limit reached. Try again in 12 s.')).toBeTruthy();
  });
});
