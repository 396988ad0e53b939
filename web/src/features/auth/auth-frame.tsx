import type { ReactNode } from 'react';
import './auth.css';

/** The page around sign-in and set-up: the brand over one card, centred, nothing else to do. */
export function AuthFrame({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand auth-brand">
          <span className="brand-mark" aria-hidden="true">
            H
          </span>
          Hatch
        </p>
        {title && <h1 className="auth-title">{title}</h1>}
        {children}
      </div>
    </main>
  );
}
