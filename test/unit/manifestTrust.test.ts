// What package.json promises about untrusted and shared workspaces: a cloned folder or a teammate's settings file
// cannot weaken governance (VS Code ignores workspace values of application-scoped settings) nor, untrusted, point
// a declared connection at its own server.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { scope?: string }> } | { properties: Record<string, { scope?: string }> }[] };
};

const properties = (): Record<string, { scope?: string }> => {
  const configuration = manifest.contributes.configuration;
  return Object.assign({}, ...(Array.isArray(configuration) ? configuration : [configuration]).map((c) => c.properties));
};

describe('package.json: settings a workspace must not control', () => {
  it('reads every setting that weakens governance from user settings only', () => {
    const governance = ['nocoflo.userName', 'nocoflo.confirm.destructiveActions', 'nocoflo.confirm.pasteCellThreshold', 'nocoflo.audit.retentionDays', 'nocoflo.audit.maxEntries'];
    for (const key of governance) {
      assert.ok(properties()[key], `${key} is contributed`);
      assert.ok(['application', 'machine'].includes(properties()[key]!.scope ?? 'window'), `${key} has scope ${properties()[key]!.scope ?? 'window (the default)'}`);
    }
  });

  it('is limited in untrusted workspaces, which cannot declare connections', () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    assert.ok(trust.restrictedConfigurations?.includes('nocoflo.connections'));
  });
});
