// Just enough semver for API compatibility checks: plugins state the API version they were written against and
// only the major version has to match (minor versions only add optional members).

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(text: string): Version | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Returns an explanation when a plugin built for `pluginApi` cannot run on `hostApi`, else undefined. */
export function apiIncompatibility(pluginId: string, pluginApi: string, hostApi: string): string | undefined {
  const wanted = parseVersion(pluginApi);
  const have = parseVersion(hostApi);
  if (!have) throw new Error(`Nocoflo's own API version "${hostApi}" is not semver`);
  if (!wanted) return `Plugin "${pluginId}" declares API version "${pluginApi}", which is not a version like "1.0.0".`;
  if (wanted.major !== have.major) {
    return `Plugin "${pluginId}" targets Nocoflo API ${pluginApi}, but this Nocoflo provides API ${hostApi} (major versions differ).`;
  }
  return undefined;
}
