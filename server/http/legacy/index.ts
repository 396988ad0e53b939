import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { AccessConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { MessagesService } from '../../modules/messages/messages.service.ts';
import type { HatchPubSub } from '../../modules/realtime/pubsub.ts';
import type { HatchEnv } from '../context.ts';
import type { Heartbeat } from '../sse/event-stream.ts';
import type { StreamLimits } from '../sse/transport.ts';

/** What the Flask service's REST API and event stream are served with: the same services as GraphQL. */
export interface LegacyDeps {
  db: Database;
  messages: MessagesService;
  pubsub: HatchPubSub;
  heartbeat: Heartbeat;
  access: AccessConfig;
  limits: StreamLimits;
  log: Logger;
}

export const LEGACY_PATH = '/api';

/** The old service's endpoints under /api (HATCH_LEGACY_API). */
export function mountLegacyApi(_app: Hono<HatchEnv>, _deps: LegacyDeps): void {}
