/** Work guides in context (issue 14 §2). */
export const guidesMethods = {} as const;
