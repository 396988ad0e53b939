// Who may run each mutation, in one place. Every mutation of the schema must be listed here (a test
// walks the schema and fails on one that is not, or on a field whose scopes disagree with this):
// - `admin`: admins only (`authScopes: { admin: true }`): the team, API tokens, settings;
// - `operator`: any signed-in operator, never a program (`authScopes: { operator: true }`);
// - `send`: operators of either role, and programs with a `send` token (the Mutation type's default).
export type MutationRule = 'admin' | 'operator' | 'send';

export const MUTATION_RULES: Record<string, MutationRule> = {
  sendMessage: 'send',
  markConversationRead: 'send',
  markConversationDone: 'send',
  markConversationOpen: 'send',
  markConversationUnread: 'send',
  assignConversation: 'send',
  snoozeConversation: 'send',
  updateContact: 'send',
  mergeContacts: 'send',
  undoContactMerge: 'send',
  createSavedReply: 'send',
  updateSavedReply: 'send',
  deleteSavedReply: 'send',
  addNote: 'send',
  updateScheduledMessage: 'send',
  cancelScheduledMessage: 'send',
  markMentionsSeen: 'operator',
  reportPresence: 'operator',
  signOutSession: 'operator',
  signOutOtherSessions: 'operator',
  createApiToken: 'admin',
  revokeApiToken: 'admin',
  setOperatorRole: 'admin',
  disableOperator: 'admin',
  enableOperator: 'admin',
  createInvitation: 'admin',
  revokeInvitation: 'admin',
  eraseContact: 'admin',
  importContacts: 'admin',
  exportContacts: 'admin',
  createWebhookEndpoint: 'admin',
  updateWebhookEndpoint: 'admin',
  rotateWebhookSecret: 'admin',
  deleteWebhookEndpoint: 'admin',
  sendTestWebhookEvent: 'admin',
  replayWebhookEvents: 'admin',
};
