import { useEffect, useRef } from 'react';

/**
 * Reads a query again from the server whenever `version` moves (not on the first render, which
 * reads it anyway): for a view built from several things the live feeds change.
 */
export function useRereadOn(version: string, reexecute: (opts: { requestPolicy: 'network-only' }) => void): void {
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    reexecute({ requestPolicy: 'network-only' });
  }, [version, reexecute]);
}
