import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/**
 * How the API avoids breaking its consumers by surprise. The schema of the version recorded last
 * in CHANGELOG.md is kept beside the code (server/schema/released.graphql, its first line naming
 * that version); GraphQL Inspector compares it with the schema the code builds. A breaking change
 * (a removed field, a type narrowed, an argument added as required) passes only when the
 * changelog records it: its schema coordinate, in backticks (`Conversation.participants`,
 * `Query.conversations.filter`), under an "API" heading of a section newer than that version.
 *
 * A committed baseline rather than `git show <tag>:schema.graphql`: CI's checkout may be shallow
 * and carry no tags, and a file in the tree makes the contract visible in review. Releasing
 * copies schema.graphql over the baseline and gives the "Unreleased" section its version.
 */
/** The released schema, relative to the repository's root. */
export const RELEASED_SCHEMA_FILE = 'server/schema/released.graphql';
export const RELEASED_SCHEMA_HEADER = /^# Released schema of version (\S+)/;

export interface BreakingChange {
  path: string;
  message: string;
}

/** Breaking changes from `before` to `after`, as GraphQL Inspector judges them. */
export async function breakingChanges(before: string, after: string): Promise<BreakingChange[]> {
  const changes: Change[] = await diff(buildSchema(before), buildSchema(after));
  return changes
    .filter((c) => c.criticality.level === CriticalityLevel.Breaking)
    .map((c) => ({ path: c.path ?? c.message, message: c.message }));
}

/** The text under "API" headings of the changelog's sections above the given version's. */
export function recordedApiChanges(changelog: string, releasedVersion: string): string {
  const sections = changelog.split(/^## /m).slice(1);
  const newer: string[] = [];
  for (const section of sections) {
    const title = section.slice(0, section.indexOf('\n'));
    if (title.split(/\s/)[0]?.replace(/^\[|\]$/g, '') === releasedVersion) break;
    newer.push(section);
  }
  return newer
    .flatMap((s) => s.split(/^### /m).slice(1))
    .filter((sub) => /^API\b/i.test(sub))
    .join('\n');
}

/** Breaking changes since the released schema that the changelog does not record; empty when all is well. */
export async function unrecordedBreakingChanges(released: string, current: string, changelog: string): Promise<BreakingChange[]> {
  const version = RELEASED_SCHEMA_HEADER.exec(released)?.[1];
  if (!version) throw new Error('The released schema does not say which version it is ("# Released schema of version X" on its first line).');
  if (!new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`, 'm').test(changelog)) {
    throw new Error(`CHANGELOG.md has no "## ${version}" section, the version the released schema says it is.`);
  }
  const recorded = recordedApiChanges(changelog, version);
  return (await breakingChanges(released, current)).filter((c) => !recorded.includes(`\`${c.path}\``));
}

/** A failure message that says what broke and how to proceed. */
export function explain(changes: BreakingChange[], against: string): string {
  return [
    `Breaking changes to the GraphQL API since ${against}, not recorded in CHANGELOG.md:`,
    ...changes.map((c) => `  - \`${c.path}\`: ${c.message}`),
    'Prefer deprecating (@deprecated(reason: "…")) to removing. If the break is meant, list each coordinate',
    'in backticks under "### API" in the "## Unreleased" section of CHANGELOG.md.',
  ].join('\n');
}
