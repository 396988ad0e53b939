import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeServer } from '../../testing/fake-server.tsx';
import { Composer } from '../composer/composer.tsx';
import type { ComposeTarget } from '../composer/compose-target.ts';
import { messageNode } from '../../testing/fixtures.ts';

const REMINDER = {
  sid: 'HX00000000000000000000000000000001',
  name: 'appointment_reminder',
  language: 'en',
  body: 'Hello {{1}}, see you on {{2}}.',
  variables: [
    { name: '1', example: 'Dana' },
    { name: '2', example: 'Friday at 10:00' },
  ],
};

/** The server's reading of a number on WhatsApp that has never written: templates only. */
const neverWrote = (to: string) => ({
  kind: 'WHATSAPP',
  address: `whatsapp:${to}`,
  display: `WhatsApp ${to}`,
  freeTextUntil: null,
  contact: { name: null, optedOut: false },
  error: null,
});

type SendAnswer = { message: unknown; errors: { field: string | null; code: string; message: string }[] };

/** A "server" that answers templates and sends as the test says. */
function setup(sendAnswer: () => SendAnswer) {
  const { wrapper, operations } = fakeServer((op) => {
    const to = (op.variables as { to?: string }).to;
    return { data: op.kind === 'mutation' ? { sendMessage: sendAnswer() } : to !== undefined ? { recipient: neverWrote(to) } : { messageTemplates: [REMINDER] } };
  });
  const sends = () => operations.filter((op) => op.kind === 'mutation').map((op) => (op.variables as { input: Record<string, unknown> }).input);
  return { wrapper, sends };
}

const thread = (freeTextUntil: string | null): ComposeTarget => ({
  kind: 'reply',
  conversationId: 'c1',
  contact: 'whatsapp:+15557010001',
  participants: ['whatsapp:+15005550006', 'whatsapp:+15557010001'],
  channel: 'WHATSAPP',
  freeTextUntil,
  shownAs: (address) => ({ display: address === 'whatsapp:+15557010001' ? 'WhatsApp +1 555-701-0001' : address, name: null }),
});

const sentOk = (): SendAnswer => ({ message: messageNode({ id: 'm1', conversationId: 'c1', channel: 'WHATSAPP' }), errors: [] });

describe('the composer in a WhatsApp conversation', () => {
  afterEach(() => {
    cleanup();
    sessionStorage.clear();
  });

  it('says the channel and until when, and turns to templates by itself when the window closes', async () => {
    const { wrapper } = setup(sentOk);
    render(<Composer target={thread(new Date(Date.now() + 400).toISOString())} draftKey="w1" />, { wrapper });
    const box = screen.getByRole('textbox', { name: 'Message' });
    expect(box.getAttribute('placeholder')).toBe('WhatsApp message');
    expect(screen.getByTestId('composer-channel').textContent).toMatch(/^WhatsApp to \+1 555-701-0001 · Free text until .* \(less than a minute left\)$/);
    expect(box.getAttribute('aria-describedby')).toContain(screen.getByTestId('composer-channel').id);

    const template = await screen.findByRole('combobox', { name: 'Template' }, { timeout: 2000 });
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    expect(screen.getByRole('note').textContent).toMatch(/^Free text is off: \+1 555-701-0001 last wrote more than 24 hours ago/);
    expect(template.getAttribute('aria-describedby')).toContain(screen.getByRole('note').id);
  });

  it('sends a template with every blank filled in, and not before', async () => {
    const { wrapper, sends } = setup(sentOk);
    render(<Composer target={thread(null)} draftKey="w2" />, { wrapper });
    expect(screen.getByRole('note').textContent).toContain('+1 555-701-0001 has not written to you on WhatsApp yet');
    const send = screen.getByRole('button', { name: 'Send template' });

    await act(async () => void fireEvent.click(send));
    expect(screen.getByText('Choose a template to send.')).toBeTruthy();
    const template = await screen.findByRole('combobox', { name: 'Template' });
    await screen.findByRole('option', { name: 'appointment_reminder (en)' });
    fireEvent.change(template, { target: { value: REMINDER.sid } });
    expect(screen.getByTestId('template-preview').textContent).toBe('Hello Blank 1, see you on Blank 2.');

    fireEvent.change(screen.getByRole('textbox', { name: 'Blank 1' }), { target: { value: ' Dana ' } });
    expect(screen.getByTestId('template-preview').textContent).toBe('Hello Dana, see you on Blank 2.');
    await act(async () => void fireEvent.click(send));
    expect(sends()).toEqual([]);
    const second = screen.getByRole('textbox', { name: 'Blank 2' });
    expect(second.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(second);
    expect(screen.getByText('Fill in blank 2.')).toBeTruthy();

    fireEvent.change(second, { target: { value: 'Friday' } });
    await act(async () => void fireEvent.click(send));
    expect(sends()).toHaveLength(1);
    expect(sends()[0]).toMatchObject({
      conversationId: 'c1',
      contentSid: REMINDER.sid,
      contentVariables: [
        { name: '1', value: 'Dana' },
        { name: '2', value: 'Friday' },
      ],
    });
    expect(sends()[0]).not.toHaveProperty('body');
    // Ready for the next one.
    expect((template as HTMLSelectElement).value).toBe('');
  });

  it('shows the server’s refusal of a template where send errors go, keeping what was filled in', async () => {
    const { wrapper } = setup(() => ({ message: null, errors: [{ field: 'contentSid', code: 'INVALID_TEMPLATE', message: 'No approved template has the id "HX…".' }] }));
    render(<Composer target={thread(null)} draftKey="w3" />, { wrapper });
    const template = await screen.findByRole('combobox', { name: 'Template' });
    await screen.findByRole('option', { name: 'appointment_reminder (en)' });
    fireEvent.change(template, { target: { value: REMINDER.sid } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Blank 1' }), { target: { value: 'Dana' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Blank 2' }), { target: { value: 'Friday' } });
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Send template' })));
    expect(screen.getByText('No approved template has the id "HX…".').className).toContain('field-error');
    expect((screen.getByRole('textbox', { name: 'Blank 1' }) as HTMLInputElement).value).toBe('Dana');
  });

  it('turns to templates when the server refuses free text, with its words, and keeps the text as the draft', async () => {
    const refusal = "WhatsApp allows free text only within 24 hours of the customer's last message: send an approved template instead.";
    const { wrapper } = setup(() => ({ message: null, errors: [{ field: 'body', code: 'OUTSIDE_SESSION_WINDOW', message: refusal }] }));
    const { rerender } = render(<Composer target={thread(new Date(Date.now() + 3_600_000).toISOString())} draftKey="w4" />, { wrapper });
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'Still there?' } });
    await act(async () => void fireEvent.keyDown(box, { key: 'Enter' }));
    await screen.findByRole('combobox', { name: 'Template' });
    expect(screen.getByText(refusal).className).toContain('field-error');
    // The customer writes again: the window moves, and free text is back with what was typed.
    rerender(<Composer target={thread(new Date(Date.now() + 24 * 3_600_000).toISOString())} draftKey="w4" />);
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('Still there?');
  });

  it('starts a new WhatsApp conversation with a template, and stays on templates while the number is typed on', async () => {
    const { wrapper, sends } = setup(sentOk);
    const newTo = (to: string): ComposeTarget => ({ kind: 'new', to, channel: 'WHATSAPP' });
    const { rerender } = render(<Composer target={newTo('+15557010002')} draftKey="w5" />, { wrapper });
    await screen.findByRole('combobox', { name: 'Template' }, { timeout: 2000 });
    expect(screen.getByRole('note').textContent).toContain('+15557010002 has not written to you on WhatsApp yet');
    // A key more: the new number is not read yet, and the composer does not flicker to free text meanwhile.
    rerender(<Composer target={newTo('+155570100021')} draftKey="w5" />);
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    rerender(<Composer target={newTo('+15557010002')} draftKey="w5" />);
    const template = await screen.findByRole('combobox', { name: 'Template' });
    await screen.findByRole('option', { name: 'appointment_reminder (en)' });
    fireEvent.change(template, { target: { value: REMINDER.sid } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Blank 1' }), { target: { value: 'Dana' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Blank 2' }), { target: { value: 'Friday' } });
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Send template' })));
    expect(sends()[0]).toMatchObject({ to: '+15557010002', channel: 'WHATSAPP', contentSid: REMINDER.sid });
  });
});
