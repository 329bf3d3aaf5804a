/**
 * A message ending in a full stop, so another sentence can follow it: databases end their messages inconsistently
 * ("FOREIGN KEY constraint failed", "duplicate key value violates unique constraint …" have none).
 */
export function sentence(message: string): string {
  const trimmed = message.trim();
  return /[.!?:)\]"']$/.test(trimmed) || trimmed === '' ? trimmed : `${trimmed}.`;
}
