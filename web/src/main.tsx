// First, so that the features' own styles come after the shared ones.
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthGate } from './auth-gate.tsx';
import { AuthContext } from './features/auth/auth-context.ts';
import { AuthStore } from './features/auth/auth-store.ts';

const auth = new AuthStore();
void auth.check();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthContext.Provider value={auth}>
      <AuthGate />
    </AuthContext.Provider>
  </StrictMode>,
);
