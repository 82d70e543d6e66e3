// Conversions between the generated payload value shapes (proto3: Timestamp, Money) and plain values
// the domains use. One place, so every service maps money and time the same way.

export interface TimestampValue {
  seconds: number | string | bigint;
  nanos: number;
}

export interface MoneyValue {
  currencyCode: string;
  amountMinor: number | string | bigint;
}

export function toTimestamp(date: Date): { seconds: number; nanos: number } {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

export function fromTimestamp(value: TimestampValue | undefined, fallback = new Date(0)): Date {
  if (!value) return fallback;
  return new Date(Number(value.seconds) * 1000 + Math.floor(value.nanos / 1_000_000));
}

export function minorUnits(value: MoneyValue | undefined): number {
  return value ? Number(value.amountMinor) : 0;
}
