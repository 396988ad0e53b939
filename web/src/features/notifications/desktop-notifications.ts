import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { useInbox } from '../../inbox-context.ts';
import { navigate } from '../../lib/router.ts';
import type { ConversationMap } from '../conversations/conversation-store.ts';
import { conversationTitle } from '../conversations/participants.ts';
import { previewOf } from '../conversations/preview.ts';

// Per browser, like the permission itself: whoever turned them on here wants them here.
const KEY = 'hatch:notifications';
const listeners = new Set<() => void>();

const supported = () => typeof window !== 'undefined' && 'Notification' in window;
const wanted = () => {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
};

function setWanted(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, 'on');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage blocked: they stay on for this page only.
  }
  listeners.forEach((l) => l());
}

export type NotificationState = 'unsupported' | 'denied' | 'on' | 'off';

function snapshot(): NotificationState {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  return Notification.permission === 'granted' && wanted() ? 'on' : 'off';
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

/**
 * Desktop notifications, off until the person turns them on: the browser's permission is asked
 * for only then, from their click, never when the page loads.
 */
export function useNotificationSetting() {
  const state = useSyncExternalStore(subscribe, snapshot, () => 'unsupported' as const);
  const turnOn = useCallback(async () => {
    if (!supported()) return;
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    setWanted(permission === 'granted');
  }, []);
  const turnOff = useCallback(() => setWanted(false), []);
  return { state, turnOn, turnOff };
}

/** Conversations whose unread count went up since `before`: someone wrote. */
function news(before: ConversationMap, now: ConversationMap) {
  return [...now.values()].filter((c) => c.unreadCount > (before.get(c.id)?.unreadCount ?? 0) && c.lastMessage?.direction === 'INBOUND');
}

/**
 * Calls `onNews` with what `find` reports each time the window's conversations change, and whether
 * to show it as desktop notifications (they are on and the tab is hidden).
 */
export function useConversationNews<T>(find: (before: ConversationMap, now: ConversationMap) => T[], onNews: (news: T[], notify: boolean) => void): void {
  const { conversations } = useInbox();
  const { state } = useNotificationSetting();
  const latest = useRef({ on: state === 'on', find, onNews });
  latest.current = { on: state === 'on', find, onNews };
  useEffect(() => {
    let before = conversations.get();
    return conversations.subscribe(() => {
      const now = conversations.get();
      const news = latest.current.find(before, now);
      before = now;
      if (news.length) latest.current.onNews(news, latest.current.on && document.visibilityState !== 'visible');
    });
  }, [conversations]);
}

/** A desktop notification that opens its conversation when clicked. */
export function notifyAbout(conversationId: string, title: string, body: string, tag: string): void {
  const n = new Notification(title, { body, tag });
  n.onclick = () => {
    window.focus();
    navigate({ view: 'thread', id: conversationId });
    n.close();
  };
}

/** While the tab is hidden and notifications are on, each new message from a contact is a notification. */
export function DesktopNotifier() {
  useConversationNews(news, (arrived, notify) => {
    if (notify) for (const c of arrived) notifyAbout(c.id, conversationTitle(c), previewOf(c).text, c.id);
  });
  return null;
}
