/** Linked families: relations across households, ecomap (issue 14 §5). */
export const linksMethods = {} as const;
