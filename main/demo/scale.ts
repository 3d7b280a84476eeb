/** How much a demo database holds. `city` is the PostgreSQL-sized benchmark load. */
export interface DemoScale {
  name: 'small' | 'center' | 'city';
  teams: number;
  workersPerTeam: number;
  households: number;
}

export const SCALES: Record<DemoScale['name'], DemoScale> = {
  small: { name: 'small', teams: 2, workersPerTeam: 3, households: 60 },
  center: { name: 'center', teams: 4, workersPerTeam: 7, households: 2_000 },
  city: { name: 'city', teams: 18, workersPerTeam: 7, households: 100_000 },
};
