// Presets: endpoint definitions for the API conventions users meet most. A preset is data (the keys a user writes
// in an endpoint, with {path} and {idField} standing for the endpoint's own); an endpoint takes its preset's keys
// and overrides any of them by writing the key itself ("filters" and "writes" per operator / per kind).
import { jsonServerPreset } from './jsonServer';
import { odataPreset } from './odata';
import { postgrestPreset } from './postgrest';

export const PRESETS: Record<string, Record<string, unknown>> = {
  // Today's generic templates: nothing assumed, everything from the endpoint definition.
  generic: {},
  postgrest: postgrestPreset,
  odata: odataPreset,
  'json-server': jsonServerPreset,
};
export const PRESET_NAMES = Object.keys(PRESETS);

/** Keys merged one level deep, so an endpoint can override one operator or one write without repeating the rest. */
const MERGED = ['pagination', 'filters', 'writes', 'readHeaders', 'writeHeaders', 'readParams'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The endpoint definition with its preset applied; throws (with the known names) on an unknown preset. */
export function applyPreset(entry: Record<string, unknown>, preset: string, bad: (m: string) => Error): Record<string, unknown> {
  const base = PRESETS[preset];
  if (!base) throw bad(`"preset" must be one of ${PRESET_NAMES.join(', ')}, not "${preset}".`);
  const path = typeof entry.path === 'string' ? entry.path.trim().split('?')[0]! : '';
  const idField = typeof entry.idField === 'string' ? entry.idField.trim() : '';
  const filled = JSON.parse(JSON.stringify(base), (_key, value: unknown) => (typeof value === 'string' ? value.split('{path}').join(path).split('{idField}').join(idField) : value)) as Record<string, unknown>;
  // Writes addressed by {idField} mean nothing without one: the endpoint stays read-only until it names it.
  if (!idField && isObject(filled.writes)) delete filled.writes;
  if (!idField) delete filled.record;
  const merged: Record<string, unknown> = { ...filled };
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'preset') continue;
    merged[key] = MERGED.includes(key) && isObject(value) && isObject(filled[key]) ? { ...filled[key], ...value } : value;
  }
  return merged;
}
