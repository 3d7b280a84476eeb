/** The five roles of DOMAIN.md. A user holds exactly one. */
export const ROLES = ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  worker: '社工',
  supervisor: '督導',
  admin: '管理者',
  foodbank: '實物銀行',
  auditor: '稽核',
};
