import { graphql } from '../../gql/gql.ts';

// Everything a row needs; the thread header and the live feed use it too, so one copy of a
// conversation serves every view.
export const ConversationItemFragment = graphql(/* GraphQL */ `
  fragment ConversationItem on Conversation {
    id
    participants
    channel
    freeTextUntil
    lastMessageAt
    lastReadAt
    updatedAt
    unreadCount
    done
    snoozedUntil
    snoozeWokeAt
    ours
    assignee {
      id
      name
    }
    noteCount
    scheduledChangedAt
    lastNote {
      ...NoteItem
    }
    contact {
      address
      name
      notes
      display
      displayName
      optedOut
      optOutNote
      addresses {
        address
      }
    }
    contacts {
      address
      optedOut
      optOutNote
    }
    participantContacts {
      address
      displayName
    }
    lastMessage {
      id
      from
      to
      body
      direction
      channel
      status
      media {
        contentType
      }
      sentBy {
        kind
        name
        operatorId
      }
      createdAt
      updatedAt
    }
  }
`);
