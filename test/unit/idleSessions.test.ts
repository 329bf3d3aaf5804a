import * as assert from 'node:assert/strict';
import type { DatasourceSession } from '../../api';
import { DatasourceManager } from '../../src/core/datasourceManager';
import { IdleSessions, type IdleClock } from '../../src/core/idleSessions';
import { silentLogger } from '../../src/core/log';
import { PluginRegistry } from '../../src/core/registry';
import { datasourcePlugin, fakeSession } from '../support/fakePlugins';
import { MemoryCatalog, memorySecrets } from '../support/memoryStores';

/** A clock whose time moves only when the test says so; due timers run in order as it moves. */
class ManualClock implements IdleClock {
  private time = 1_000_000;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = until;
  }
  get pending(): number {
    return this.timers.size;
  }
}

const IDLE = 60_000;

function idle(idleMs = IDLE) {
  const clock = new ManualClock();
  const closed: string[] = [];
  let ms = idleMs;
  const sessions = new IdleSessions({ idleMs: () => ms, close: (id) => closed.push(id), clock });
  return { clock, closed, sessions, setIdleMs: (value: number) => (ms = value) };
}

describe('IdleSessions', () => {
  it('closes a session nobody holds once it has gone unused for the idle time, and not a moment before', () => {
    const { clock, closed, sessions } = idle();
    sessions.used('a');
    clock.advance(IDLE - 1);
    assert.deepEqual(closed, []);
    clock.advance(1);
    assert.deepEqual(closed, ['a']);
  });

  it('never closes a held session, however long it sits unused, and closes it the idle time after the last holder lets go', () => {
    const { clock, closed, sessions } = idle();
    const tab1 = sessions.hold('a');
    const tab2 = sessions.hold('a');
    clock.advance(10 * IDLE);
    tab1();
    clock.advance(10 * IDLE);
    assert.deepEqual(closed, [], 'one tab is still open');
    tab2();
    clock.advance(IDLE - 1);
    assert.deepEqual(closed, []);
    clock.advance(1);
    assert.deepEqual(closed, ['a']);
  });

  it('lets a holder release only once: a tab disposed twice does not free another tab\'s hold', () => {
    const { clock, closed, sessions } = idle();
    const tab1 = sessions.hold('a');
    sessions.hold('a');
    tab1();
    tab1();
    assert.equal(sessions.holders('a'), 1);
    clock.advance(10 * IDLE);
    assert.deepEqual(closed, []);
  });

  it('keeps a session open while a call runs longer than the idle time, and counts the idle time from its end', () => {
    const { clock, closed, sessions } = idle();
    const end = sessions.begin('a');
    clock.advance(5 * IDLE);
    assert.deepEqual(closed, [], 'an export or a slow count is still running');
    end();
    clock.advance(IDLE - 1);
    assert.deepEqual(closed, []);
    clock.advance(1);
    assert.deepEqual(closed, ['a']);
  });

  it('postpones the close on every use', () => {
    const { clock, closed, sessions } = idle();
    sessions.used('a');
    clock.advance(IDLE - 10);
    sessions.used('a');
    clock.advance(IDLE - 10);
    sessions.begin('a')();
    clock.advance(IDLE - 10);
    assert.deepEqual(closed, []);
    clock.advance(10);
    assert.deepEqual(closed, ['a']);
  });

  it('keeps sessions open when the idle time is 0, and leaves no timer behind', () => {
    const { clock, closed, sessions } = idle(0);
    sessions.used('a');
    sessions.hold('b')();
    sessions.begin('c')();
    clock.advance(100 * IDLE);
    assert.deepEqual(closed, []);
    assert.equal(clock.pending, 0);
  });

  it('reads the idle time at each check: a longer setting made meanwhile postpones the close', () => {
    const { clock, closed, sessions, setIdleMs } = idle();
    sessions.used('a');
    setIdleMs(2 * IDLE);
    clock.advance(IDLE);
    assert.deepEqual(closed, []);
    clock.advance(IDLE);
    assert.deepEqual(closed, ['a']);
  });

  it('tracks each datasource apart', () => {
    const { clock, closed, sessions } = idle();
    sessions.hold('a');
    sessions.used('b');
    clock.advance(IDLE / 2);
    sessions.used('c');
    clock.advance(IDLE / 2);
    assert.deepEqual(closed, ['b']);
    clock.advance(IDLE / 2);
    assert.deepEqual(closed, ['b', 'c']);
  });

  it('forgets a session closed for another reason: its timer does not fire later', () => {
    const { clock, closed, sessions } = idle();
    sessions.used('a');
    sessions.forget('a');
    clock.advance(2 * IDLE);
    assert.deepEqual(closed, []);
    assert.equal(clock.pending, 0);
  });
});

describe('DatasourceManager: idle sessions', () => {
  function setup(options: { idleMs?: number; connect?: () => Promise<DatasourceSession> } = {}) {
    const clock = new ManualClock();
    const registry = new PluginRegistry({ apiVersion: '1.0.0', log: silentLogger, isEnabled: () => true });
    let connects = 0;
    let closes = 0;
    registry.registerDatasource(
      datasourcePlugin({
        connect: options.connect ?? (async () => (connects++, fakeSession({ close: async () => void closes++ }))),
      }),
    );
    const manager = new DatasourceManager({
      registry,
      catalog: new MemoryCatalog(),
      secrets: memorySecrets().store,
      log: silentLogger,
      workspaceFolders: () => [],
      slowOperationMs: () => 1e9,
      idleCloseMs: () => options.idleMs ?? IDLE,
      clock,
    });
    return { clock, manager, counts: () => ({ connects, closes }) };
  }
  /** Lets the promise callbacks the manager chained run (the close it starts, the connect it awaits). */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('closes a session no tab holds after the idle time and connects again on the next use', async () => {
    const { clock, manager, counts } = setup();
    const id = await manager.add({ type: 'test.ds', name: 'a', config: { host: 'h' } });
    await (await manager.session(id)).listTables();
    clock.advance(IDLE);
    await settle();
    assert.equal(manager.isConnected(id), false);
    assert.deepEqual(counts(), { connects: 1, closes: 1 });
    await (await manager.session(id)).listTables();
    assert.deepEqual(counts(), { connects: 2, closes: 1 });
  });

  it('keeps the session of an open tab, and closes it the idle time after the tab closes', async () => {
    const { clock, manager, counts } = setup();
    const id = await manager.add({ type: 'test.ds', name: 'a', config: { host: 'h' } });
    const release = manager.hold(id);
    await (await manager.session(id)).listTables();
    clock.advance(10 * IDLE);
    await settle();
    assert.equal(manager.isConnected(id), true);
    release();
    clock.advance(IDLE);
    await settle();
    assert.equal(manager.isConnected(id), false);
    assert.deepEqual(counts(), { connects: 1, closes: 1 });
  });

  it('keeps a session open while a call on it runs past the idle time', async () => {
    let finish!: () => void;
    const { clock, manager } = setup({
      connect: async () => fakeSession({ countRows: () => new Promise((resolve) => (finish = () => resolve({ count: 7, exact: true }))) }),
    });
    const id = await manager.add({ type: 'test.ds', name: 'a', config: { host: 'h' } });
    const counting = (await manager.session(id)).countRows({ name: 't' });
    await settle();
    clock.advance(3 * IDLE);
    await settle();
    assert.equal(manager.isConnected(id), true, 'the count is still running');
    finish();
    assert.equal((await counting).count, 7);
    clock.advance(IDLE);
    await settle();
    assert.equal(manager.isConnected(id), false);
  });

  it('counts connecting as in use: a password typed slower than the idle time does not close the new session', async () => {
    let connected!: (session: DatasourceSession) => void;
    const { clock, manager } = setup({ connect: () => new Promise((resolve) => (connected = resolve)) });
    const id = await manager.add({ type: 'test.ds', name: 'a', config: { host: 'h' } });
    const pending = manager.session(id);
    await settle();
    clock.advance(2 * IDLE);
    connected(fakeSession());
    const session = await pending;
    await settle();
    assert.equal(manager.isConnected(id), true);
    assert.equal((await session.listTables()).length, 1);
  });

  it('keeps every session when no idle time is configured', async () => {
    const { clock, manager, counts } = setup({ idleMs: 0 });
    const id = await manager.add({ type: 'test.ds', name: 'a', config: { host: 'h' } });
    await manager.session(id);
    clock.advance(100 * IDLE);
    await settle();
    assert.equal(manager.isConnected(id), true);
    assert.deepEqual(counts(), { connects: 1, closes: 0 });
  });
});
