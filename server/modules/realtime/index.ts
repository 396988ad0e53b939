// The change feed's public face: what the rest of the server may use of realtime. The bridge, the
// feed's rows and the resume mechanics are internal to this folder.
export { ChangeFeed } from './feed.ts';
export { FeedBridge } from './feed-bridge.ts';
export { FeedRetention } from './retention.ts';
export { parseCursor } from './resume.ts';
export { createHatchPubSub, type ConversationUpdateEvent, type HatchPubSub, type MessageUpdateEvent } from './pubsub.ts';
