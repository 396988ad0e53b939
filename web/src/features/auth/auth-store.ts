import { Observable } from '../../lib/store.ts';
import { checkSession, signOut, type SessionCheck, type SessionInfo } from './auth-api.ts';

export type AuthState =
  | { status: 'checking' }
  | { status: 'unreachable' }
  /** `ended`: the session stopped working while the page was open (expired, or signed out elsewhere). */
  /** `ended`: the server ended the session; `byChoice`: the person signed out (they start afresh, in the inbox). */
  | { status: 'signed-out'; ended: boolean; byChoice?: true }
  | { status: 'signed-in'; session: SessionInfo };

export interface AuthApi {
  checkSession(): Promise<SessionCheck>;
  signOut(): Promise<boolean>;
}

/** Whether this window is signed in. Everything that talks to the API is built only while it is. */
export class AuthStore extends Observable<AuthState> {
  /** While the server is being told to sign out, a refusal of the session is that sign-out, not an ending. */
  private signingOut = false;

  constructor(private readonly api: AuthApi = { checkSession, signOut }) {
    super({ status: 'checking' });
  }

  async check(): Promise<void> {
    this.set({ status: 'checking' });
    const result = await this.api.checkSession();
    if (result.kind === 'signed-in') this.signedIn(result.session);
    else this.set(result.kind === 'signed-out' ? { status: 'signed-out', ended: false } : { status: 'unreachable' });
  }

  signedIn(session: SessionInfo): void {
    this.set({ status: 'signed-in', session });
  }

  /** The server refused this window's session: whatever was open closes and sign-in shows. */
  ended(): void {
    if (this.get().status !== 'signed-in') return;
    // The live stream and queries in flight learn of the sign-out before its own answer arrives.
    this.set(this.signingOut ? { status: 'signed-out', ended: false, byChoice: true } : { status: 'signed-out', ended: true });
  }

  /** False when the server could not be told, and the session may still be alive. */
  async signOut(): Promise<boolean> {
    this.signingOut = true;
    try {
      if (!(await this.api.signOut())) return false;
    } finally {
      this.signingOut = false;
    }
    this.set({ status: 'signed-out', ended: false, byChoice: true });
    return true;
  }
}
