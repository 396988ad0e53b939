import { createContext, useContext } from 'react';
import { useObservable } from '../../lib/store.ts';
import type { AuthState, AuthStore } from './auth-store.ts';

export const AuthContext = createContext<AuthStore | null>(null);

export function useAuth(): AuthStore {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth needs an <AuthContext.Provider> above it');
  return auth;
}

export function useAuthState(): AuthState {
  return useObservable(useAuth());
}
