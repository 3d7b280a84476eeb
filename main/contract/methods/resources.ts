/** The local resource map and referrals to it (issue 14 §3). */
export const resourcesMethods = {} as const;
