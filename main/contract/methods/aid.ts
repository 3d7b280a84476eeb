/** Aid from other units (issue 14 §4). */
export const aidMethods = {} as const;
