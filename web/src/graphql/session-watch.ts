import type { CombinedError } from 'urql';

/** Thrown instead of retrying once the server has refused the session. */
export class SessionEnded extends Error {
  constructor() {
    super('The session is no longer valid; sign in again.');
    this.name = 'SessionEnded';
  }
}

/**
 * Notices that the server no longer accepts this window's session: an HTTP 401 on any request
 * (queries, mutations, the event stream), or an UNAUTHENTICATED error that the server sends down
 * an open subscription when the session is signed out elsewhere. It says so once; retrying would
 * only meet another 401.
 */
export class SessionWatch {
  private done = false;

  constructor(private readonly onEnded: () => void) {}

  get ended(): boolean {
    return this.done;
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.onEnded();
  }

  /** A fetch that reports a 401 before handing the response on. */
  fetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (res.status === 401) this.end();
    return res;
  };

  /** For a urql error: ends the session when the server said the credentials do not work. */
  check = (error: CombinedError): void => {
    const status = (error.response as { status?: number } | undefined)?.status;
    if (status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) this.end();
  };
}
