import { describe, expect, it } from 'vitest';
import type { PendingSend } from './pending-store.ts';
import type { MessageNode, StoredMessage } from './message-store.ts';
import { threadItems } from './reconcile.ts';
import { messageNode } from '../../testing/fixtures.ts';

const TO = '+15551234567';

function stored(id: string, body: string, firstSeenAt: number, over: Partial<MessageNode> = {}): StoredMessage {
  return {
    firstSeenAt,
    message: messageNode({ to: TO, body, createdAt: `2026-11-26T10:00:0${id.length}.000Z`, ...over, id }),
  };
}

const pending = (key: string, body: string, startedAt: number): PendingSend => ({ key, to: TO, body, startedAt, state: 'sending' });
const shape = (items: ReturnType<typeof threadItems>) => items.map((i) => (i.kind === 'message' ? i.stored.message.id : i.kind === 'pending' ? `pending:${i.pending.key}` : `note:${i.note.id}`));

describe('threadItems', () => {
  it('shows an optimistic message after the real ones until it arrives', () => {
    expect(shape(threadItems([stored('a', 'hi', 1)], [pending('k', 'hello', 10)]))).toEqual(['a', 'pending:k']);
  });

  it('hides it as soon as the live feed brings the real message, before the mutation answers', () => {
    expect(shape(threadItems([stored('a', 'hello', 11)], [pending('k', 'hello', 10)]))).toEqual(['a']);
  });

  it('does not take an identical message seen before it was sent', () => {
    expect(shape(threadItems([stored('a', 'ok', 5)], [pending('k', 'ok', 10)]))).toEqual(['a', 'pending:k']);
  });

  it('pairs identical texts one to one', () => {
    const items = threadItems([stored('a', 'ok', 12)], [pending('k1', 'ok', 10), pending('k2', 'ok', 11)]);
    expect(shape(items)).toEqual(['a', 'pending:k2']);
  });

  it('ignores inbound messages and other recipients', () => {
    const inbound = stored('a', 'ok', 12, { direction: 'INBOUND', from: TO, to: '+15005550006' });
    const elsewhere = stored('bb', 'ok', 12, { to: '+15550000000' });
    expect(shape(threadItems([inbound, elsewhere], [pending('k', 'ok', 10)]))).toEqual(['a', 'bb', 'pending:k']);
  });
});
