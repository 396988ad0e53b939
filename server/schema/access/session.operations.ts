import Bowser from 'bowser';
import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { endOwnSessions, ownSessions, type OwnSession } from '../../modules/access/sessions.service.ts';

/** "Chrome on Windows", from a User-Agent; what a person recognises their device by. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const { browser, os } = Bowser.parse(userAgent);
  if (!browser.name && !os.name) return 'Unknown device';
  return [browser.name ?? 'A browser', os.name].filter(Boolean).join(' on ');
}

const SignedInSession = builder.objectRef<OwnSession>('SignedInSession').implement({
  description: 'One place the viewer is signed in: a browser, with where it signed in from.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'For `signOutSession`; not the session cookie, nor anything that signs in.' }),
    device: t.string({ description: 'The browser and system, as its User-Agent says ("Chrome on Windows").', resolve: (s) => deviceName(s.userAgent) }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    address: t.exposeString('address', { nullable: true, description: 'The address it signed in from (behind `TRUST_PROXY`, the client’s).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it signed in.' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', description: 'When it was last used, to the hour.' }),
    current: t.exposeBoolean('current', { description: 'Whether this is the session asking.' }),
  }),
});

builder.queryField('mySessions', (t) =>
  t.field({
    type: [SignedInSession],
    description: "Where the viewer is signed in, most recently used first. Operators only; empty with sign-in off.",
    authScopes: { operator: true },
    resolve: (_root, _args, ctx) => (ctx.principal.kind === 'operator' && !ctx.principal.local ? ownSessions(ctx.db, ctx.principal.id, ctx.principal.sessionId) : []),
  }),
);

interface SignOutResult {
  signedOut: number;
  errors: UserErrorShape[];
}

const SignOutSessionsPayload = builder.objectRef<SignOutResult>('SignOutSessionsPayload').implement({
  fields: (t) => ({
    signedOut: t.exposeInt('signedOut', { description: 'How many sessions ended.' }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('signOutSession', (t) =>
  t.field({
    type: SignOutSessionsPayload,
    description: "Ends one of the viewer's sessions (an id from `mySessions`): its browser is signed out and what it has open ends at once. `NOT_FOUND` for an id that is not one of theirs.",
    authScopes: { operator: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const p = ctx.principal;
      const id = String(args.id);
      const signedOut = p.kind === 'operator' && !p.local ? await endOwnSessions(ctx.db, p, { id }) : 0;
      return signedOut ? { signedOut, errors: [] } : { signedOut, errors: [userError('id', 'NOT_FOUND', `None of your sessions has the id "${id.slice(0, 60)}".`)] };
    },
  }),
);

builder.mutationField('signOutOtherSessions', (t) =>
  t.field({
    type: SignOutSessionsPayload,
    description: "Signs the viewer out everywhere but here: every other session ends at once, with what it has open.",
    authScopes: { operator: true },
    resolve: async (_root, _args, ctx) => {
      const p = ctx.principal;
      return { signedOut: p.kind === 'operator' && !p.local ? await endOwnSessions(ctx.db, p, { allBut: p.sessionId }) : 0, errors: [] };
    },
  }),
);
