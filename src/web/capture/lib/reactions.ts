import type { ReactionKind } from '../../../contract/api/social.ts';

/**
 * Reaction labels for the capture app. The contract's REACTION_LABEL lives in a module that imports zod (about
 * 26 KB gzip), which the capture bundle can't afford; typing this map by ReactionKind keeps the two in step
 * (a new kind fails the type check here).
 */
export const REACTION_TEXT: Record<ReactionKind, { emoji: string; label: string }> = {
  like: { emoji: '👍', label: 'Like' },
  love: { emoji: '❤️', label: 'Love' },
  insightful: { emoji: '💡', label: 'Insightful' },
  celebrate: { emoji: '🎉', label: 'Celebrate' },
  fire: { emoji: '🔥', label: 'Fire' },
};
