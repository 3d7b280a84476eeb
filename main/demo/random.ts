/** A small seeded PRNG (mulberry32) so demo data is the same on every run. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// Fictional names: common surnames with given-name characters combined at random.
const SURNAMES = '陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴';
const GIVEN = '怡君雅婷志明淑芬家豪俊傑宗翰美玲建宏雅惠冠宇承恩佳穎子涵品妤宥廷柏翰芷若詠晴冠廷思妤彥廷語彤欣怡秀英春嬌阿明文雄玉珠金龍麗華';

export function fictionalName(rng: Rng): string {
  const given = rng.chance(0.15) ? GIVEN[rng.int(0, GIVEN.length - 1)] : `${GIVEN[rng.int(0, GIVEN.length - 1)]}${GIVEN[rng.int(0, GIVEN.length - 1)]}`;
  return `${SURNAMES[rng.int(0, SURNAMES.length - 1)]}${given}`;
}
