/** +2 / −1 / 0: a change with its sign, and a true minus sign (U+2212). */
export function signed(n: number): string {
  const r = Math.round(n * 100) / 100;
  return r > 0 ? `+${r}` : r < 0 ? `−${Math.abs(r)}` : '0';
}
