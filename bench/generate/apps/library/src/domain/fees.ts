export const DAILY_FEE_CENTS = 25;
export const MAX_FEE_CENTS = 1000;
export const GRACE_DAYS = 2;

/** The late fee of a loan returned (or still out) at `at`: after a grace period, per day, capped. */
export function lateFeeCents(dueAt: Date, at: Date): number {
  const daysLate = Math.floor((at.getTime() - dueAt.getTime()) / 86_400_000);
  if (daysLate <= GRACE_DAYS) return 0;
  return Math.min((daysLate - GRACE_DAYS) * DAILY_FEE_CENTS, MAX_FEE_CENTS);
}
