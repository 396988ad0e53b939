import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeServer } from '../../testing/fake-server.tsx';
import { Composer } from '../composer/composer.tsx';
import type { ComposeTarget } from '../composer/compose-target.ts';
import { NEW_MESSAGE_DRAFT, readDraft } from '../composer/use-draft.ts';

const SETTINGS: { simulated: boolean; from: string; fromDisplay: string; defaultCountry: string; whatsappFrom: string | null } = { simulated: true, from: '+15005550006', fromDisplay: '+1 500-555-0006', defaultCountry: 'US', whatsappFrom: 'whatsapp:+15005550006' };

/** How the server reads +1 555-701-0001 on `channel`, with the conversations it has at that address. */
function reading(channel: 'SMS' | 'WHATSAPP', conversations: { id: string; channel: string; participants: string[] }[]) {
  const address = channel === 'SMS' ? '+15557010001' : 'whatsapp:+15557010001';
  return {
    kind: channel,
    address,
    display: channel === 'SMS' ? '+1 555-701-0001' : 'WhatsApp +1 555-701-0001',
    contact: { address, conversations },
  };
}

interface Server {
  settings?: typeof SETTINGS | null;
  recipient?: (channel: 'SMS' | 'WHATSAPP') => unknown;
}

/** A "server" that answers the settings and the other channel's reading as the test says. */
function setup({ settings = SETTINGS, recipient }: Server) {
  const { wrapper, operations } = fakeServer((op) => {
    const vars = op.variables as { to?: string; channel?: 'SMS' | 'WHATSAPP' };
    if (vars.to !== undefined) {
      const answer = recipient?.(vars.channel!);
      return answer === undefined ? { errors: [{ message: 'Failed to fetch' }] } : { data: { recipient: answer } };
    }
    return { data: { smsSettings: settings, smsSegments: { encoding: 'GSM7', segments: 1, units: 5, perSegment: 160, remaining: 155 } } };
  });
  const readings = () => operations.filter((op) => (op.variables as { to?: string }).to !== undefined).map((op) => op.variables);
  return { wrapper, readings };
}

const whatsappThread: ComposeTarget = {
  kind: 'reply',
  conversationId: 'wa',
  contact: 'whatsapp:+15557010001',
  participants: ['whatsapp:+15005550006', 'whatsapp:+15557010001'],
  channel: 'WHATSAPP',
  freeTextUntil: new Date(Date.now() + 3_600_000).toISOString(),
  shownAs: (address) => ({ display: address === 'whatsapp:+15557010001' ? 'WhatsApp +1 555-701-0001' : address, name: null }),
};

const smsThread: ComposeTarget = {
  kind: 'reply',
  conversationId: 'sms',
  contact: '+15557010001',
  participants: ['+15005550006', '+15557010001'],
  channel: 'SMS',
  shownAs: (address) => ({ display: address === '+15557010001' ? '+1 555-701-0001' : address, name: null }),
};

const SMS_CONVERSATION = { id: 'sms', channel: 'SMS', participants: ['+15005550006', '+15557010001'] };

describe('the way to the same number on its other channel', () => {
  afterEach(() => {
    cleanup();
    sessionStorage.clear();
    window.history.replaceState(null, '', '/');
  });

  it('opens the SMS conversation of a WhatsApp thread’s number, taking what was typed along as its draft', async () => {
    const { wrapper, readings } = setup({ recipient: (channel) => reading(channel, [SMS_CONVERSATION]) });
    render(<Composer target={whatsappThread} draftKey="wa" />, { wrapper });
    const control = await screen.findByRole('button', { name: 'Text by SMS instead' });
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'See you at 2' } });

    await act(async () => void fireEvent.click(control));
    expect(readings()).toEqual([{ to: 'whatsapp:+15557010001', channel: 'SMS' }]);
    expect(window.location.pathname).toBe('/c/sms');
    expect(readDraft('sms')).toBe('See you at 2');
    // Moved, not copied: this thread's box is empty.
    expect((box as HTMLTextAreaElement).value).toBe('');
    expect(readDraft('wa')).toBe('');
  });

  it('starts the conversation from New message, with the number and the channel filled in, when there is none on that channel', async () => {
    const { wrapper, readings } = setup({ recipient: (channel) => reading(channel, [SMS_CONVERSATION]) });
    render(<Composer target={smsThread} draftKey="sms" />, { wrapper });
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'Easier on WhatsApp?' } });
    await act(async () => void fireEvent.click(await screen.findByRole('button', { name: 'Write on WhatsApp instead' })));
    expect(readings()).toEqual([{ to: '+15557010001', channel: 'WHATSAPP' }]);
    expect(window.location.pathname).toBe('/new');
    expect(readDraft(NEW_MESSAGE_DRAFT.to)).toBe('+1 555-701-0001');
    expect(readDraft(NEW_MESSAGE_DRAFT.channel)).toBe('WHATSAPP');
    expect(readDraft(NEW_MESSAGE_DRAFT.body)).toBe('Easier on WhatsApp?');
  });

  it('is there outside WhatsApp’s window too, beside the templates', async () => {
    const { wrapper } = setup({ recipient: (channel) => reading(channel, []) });
    render(<Composer target={{ ...whatsappThread, freeTextUntil: null }} draftKey="wa" />, { wrapper });
    await screen.findByRole('button', { name: 'Text by SMS instead' });
    expect(screen.getByRole('form', { name: 'WhatsApp template' }).contains(screen.getByRole('button', { name: 'Text by SMS instead' }))).toBe(true);
  });

  it('says so and stays when the server cannot be reached', async () => {
    const { wrapper } = setup({ recipient: () => undefined });
    render(<Composer target={whatsappThread} draftKey="wa" />, { wrapper });
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'Kept here' } });
    const control = await screen.findByRole('button', { name: 'Text by SMS instead' });
    await act(async () => void fireEvent.click(control));
    expect(screen.getByRole('alert').textContent).toBe('Hatch could not be reached: try again.');
    expect(control.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
    expect(window.location.pathname).toBe('/');
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('Kept here');
  });

  it('is not offered without WhatsApp, in a note thread, or for a new message', async () => {
    const off = setup({ settings: { ...SETTINGS, whatsappFrom: null } });
    const { unmount } = render(<Composer target={smsThread} draftKey="sms" />, { wrapper: off.wrapper });
    await act(async () => {});
    expect(screen.getByTestId('composer-channel').textContent).toBe('SMS to +1 555-701-0001');
    expect(screen.queryByTestId('channel-switch')).toBeNull();
    unmount();

    const on = setup({});
    const note: ComposeTarget = { kind: 'reply', conversationId: 'n', contact: 'Front desk', participants: ['Ana', 'Front desk'], channel: 'INTERNAL' };
    const second = render(<Composer target={note} draftKey="n" />, { wrapper: on.wrapper });
    await act(async () => {});
    expect(screen.queryByTestId('channel-switch')).toBeNull();
    second.unmount();

    render(<Composer target={{ kind: 'new', to: '+15557010001', channel: 'SMS' }} draftKey="new" />, { wrapper: on.wrapper });
    await act(async () => {});
    expect(screen.queryByTestId('channel-switch')).toBeNull();
  });
});
