/** Assessment instruments, assessments and visit-frequency rules (issue 14 §1). */
export const assessmentsMethods = {} as const;
