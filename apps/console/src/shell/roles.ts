import type { Role } from '@confidant/contract';

/** Members, API keys and settings are for admins and owners (the server enforces the same). */
export const canAdminister = (role: Role) => role === 'owner' || role === 'admin';

const rank: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 };

/** Nobody manages a key, member or invitation above their own role (the server's role ceiling). */
export const roleAtMost = (role: Role, ceiling: Role) => rank[role] <= rank[ceiling];

/** At least `min` (the server's requireRole): e.g. the playground is for operators (agent) and up. */
export const roleAtLeast = (role: Role, min: Role) => rank[role] >= rank[min];
