import { useState } from 'react';
import { navigate } from '../../lib/router.ts';
import { useShortcut } from '../../lib/use-shortcut.ts';
import { ShortcutsDialog } from './shortcuts-dialog.tsx';

/** The page-wide shortcuts (a thread adds its own: e, u, Esc), and their list on `?`. */
export function Shortcuts() {
  const [open, setOpen] = useState(false);
  useShortcut('?', () => setOpen(true));
  useShortcut('/', () => document.querySelector<HTMLInputElement>('input[type="search"]')?.focus());
  useShortcut('n', () => navigate({ view: 'new' }));
  return open ? <ShortcutsDialog onClose={() => setOpen(false)} /> : null;
}
