import type { SeedChannel, SeedSpec, SeedUser } from './sandbox-types.js';

const PEOPLE = [
  ['alice', 'Alice Martin'],
  ['bob', 'Bob Dubois'],
  ['carol', 'Carol Schmidt'],
  ['dave', 'Dave Rossi'],
  ['erin', 'Erin Novak'],
  ['frank', 'Frank Jensen'],
  ['grace', 'Grace Silva'],
  ['heidi', 'Heidi Kowalski'],
  ['ivan', 'Ivan Petrov'],
  ['judy', 'Judy Laine'],
  ['mallory', 'Mallory Byrne'],
  ['oscar', 'Oscar Moreau'],
] as const;

/**
 * A small, fixed sample: twelve users with names and emails, 1:1
 * conversations (two members each), a few group channels and a team
 * channel, with messages and reactions in all of them.
 */
export function demoSeed(): SeedSpec {
  const users: SeedUser[] = PEOPLE.map(([id, name], index) => ({
    id,
    name,
    email: `${id}@example.com`,
    role: id === 'oscar' ? 'admin' : 'user',
    messageCount: 3 + (index % 4) * 2,
    reactionCount: 2 + (index % 3),
  }));
  const channels: SeedChannel[] = [
    conversation('alice', 'bob'),
    conversation('alice', 'carol'),
    conversation('bob', 'dave'),
    conversation('erin', 'frank'),
    conversation('grace', 'heidi'),
    {
      type: 'messaging',
      id: 'book-club',
      memberIds: ['alice', 'carol', 'erin', 'grace', 'ivan'],
      createdById: 'carol',
    },
    {
      type: 'messaging',
      id: 'weekend-hike',
      memberIds: ['bob', 'dave', 'frank', 'judy'],
      createdById: 'dave',
    },
    {
      type: 'team',
      id: 'everyone',
      memberIds: PEOPLE.map(([id]) => id),
      createdById: 'oscar',
    },
  ];
  return { users, channels };
}

function conversation(first: string, second: string): SeedChannel {
  return {
    type: 'messaging',
    id: `dm-${first}-${second}`,
    memberIds: [first, second],
    createdById: first,
  };
}
