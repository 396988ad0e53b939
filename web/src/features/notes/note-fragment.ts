import { graphql } from '../../gql/gql.ts';

// What a note shows in a thread, in the list's copy of a conversation (its newest note) and in
// the Mentions view.
export const NoteItemFragment = graphql(/* GraphQL */ `
  fragment NoteItem on Note {
    id
    conversationId
    body
    authorName
    authorOperatorId
    mentionsViewer
    createdAt
  }
`);
