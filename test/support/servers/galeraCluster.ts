// A throwaway 3-node MariaDB Galera cluster on 127.0.0.1 for integration tests (Debian's mariadb-server and galera-4,
// rsync SST). Each node is a mariadbd of its own (mariadbProcess.ts) in its own temporary directory, with its own
// free ports: the client port, the group communication (gcomm) port, the IST port and the SST port. Node 1
// bootstraps the cluster (--wsrep-new-cluster), nodes 2 and 3 join it by state transfer; start-up waits (bounded)
// until every node reports a 3-node cluster and Synced. The test login and database are created through node 1 and
// replicate to the others. Nothing is skipped: a missing binary fails with the Debian package to install.
import { existsSync } from 'node:fs';
import { cleanUpOnExit, freePort } from './lifecycle';
import type { MariadbServer } from './mariadbServer';
import { BINARY_DIRS, createTestLogin, findBinary, mysqlUrl, prepareMariadb, type MariadbProcess, type TestLogin } from './mariadbProcess';

const PROVIDER = process.env.NOCOFLO_GALERA_PROVIDER ?? '/usr/lib/galera/libgalera_smm.so';

export interface GaleraNode {
  /** 1, 2 or 3. */
  index: number;
  host: string;
  /** The client port. */
  port: number;
  url: string;
  socket: string;
  /** Runs one statement as root on this node (over its unix socket), in the test database unless another is named. */
  admin<T = Record<string, unknown>[]>(sql: string, params?: unknown[], database?: string | null): Promise<T>;
}

export interface GaleraCluster extends TestLogin {
  nodes: GaleraNode[];
  version: string;
  /** Stops node `index` cleanly (it leaves the cluster; the others go on as a 2-node cluster). */
  stopNode(index: number): Promise<void>;
  /** Starts a stopped node again; it rejoins by state transfer and the call waits until all 3 are Synced. */
  startNode(index: number): Promise<void>;
  /**
   * Cuts node `index` off the group (gmcast.isolate), so it stays up but is no longer in the primary component:
   * it refuses data statements (ER_UNKNOWN_COM_ERROR 1047) until it is rejoined with `rejoinNode`.
   */
  isolateNode(index: number): Promise<void>;
  rejoinNode(index: number): Promise<void>;
  /**
   * Waits until node `index` has applied everything the cluster committed so far (a causal read on it). A login
   * is checked before any statement can wait, so a GRANT made through node 1 needs this before logging in elsewhere.
   */
  catchUp(index: number): Promise<void>;
  /** Node `index` as a single test server, for helpers written for one (loading datasets, raw clients). */
  asServer(index: number): MariadbServer;
  /** Polls (bounded) until every running node reports `size` members and Synced. */
  waitSynced(size?: number): Promise<void>;
  /** Stops every node and deletes their directories. Safe to call twice. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What wsrep_sst_rsync runs: rsync, a socket tool (ss or lsof) and ps. */
function checkSstTools(): void {
  const dirs = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];
  const missing: string[] = [];
  if (!existsSync(PROVIDER)) missing.push(`${PROVIDER} (Debian package "galera-4"; or set NOCOFLO_GALERA_PROVIDER)`);
  if (!findBinary(['wsrep_sst_rsync'], BINARY_DIRS)) missing.push('wsrep_sst_rsync (Debian package "mariadb-server")');
  if (!findBinary(['rsync'], dirs)) missing.push('rsync (Debian package "rsync")');
  if (!findBinary(['ss', 'lsof'], dirs)) missing.push('ss or lsof (Debian package "iproute2" or "lsof")');
  if (!findBinary(['ps'], dirs)) missing.push('ps (Debian package "procps")');
  if (missing.length > 0) throw new Error(`The Galera integration tests need ${missing.join(', ')}: apt-get install galera-4 rsync iproute2 procps (scripts/install-system-deps.sh with NOCOFLO_DB_SERVERS=1).`);
}

interface NodePorts {
  client: number;
  gcomm: number;
  ist: number;
  sst: number;
}

/** The status variables that say whether a node serves the cluster. */
async function wsrepState(process_: MariadbProcess): Promise<{ size: number; state: string; ready: string }> {
  const rows = await process_.admin<{ Variable_name: string; Value: string }[]>(
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_local_state_comment', 'wsrep_ready')",
  );
  const value = (name: string) => rows.find((r) => r.Variable_name === name)?.Value ?? '';
  return { size: Number(value('wsrep_cluster_size')), state: value('wsrep_local_state_comment'), ready: value('wsrep_ready') };
}

export async function startGaleraCluster(): Promise<GaleraCluster> {
  checkSstTools();
  const processes: MariadbProcess[] = [];
  const cleanUpAll = () => {
    for (const p of processes) p.cleanUp();
  };
  const forget = cleanUpOnExit(cleanUpAll);
  try {
    for (let i = 1; i <= 3; i++) processes.push(prepareMariadb(`nocoflo-gal${i}-`, { userWhenRoot: 'mysql' }));
    const ports: NodePorts[] = [];
    // Twelve distinct ports: each freePort() closes its listener before the next call, so ask until all differ.
    const taken = new Set<number>();
    const nextPort = async () => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const port = await freePort();
        if (!taken.has(port)) {
          taken.add(port);
          return port;
        }
      }
      throw new Error('Could not find distinct free ports for the Galera cluster.');
    };
    for (let i = 0; i < 3; i++) ports.push({ client: await nextPort(), gcomm: await nextPort(), ist: await nextPort(), sst: await nextPort() });
    const clusterAddress = `gcomm://${ports.map((p) => `127.0.0.1:${p.gcomm}`).join(',')}`;
    const argsOf = (i: number): string[] => {
      const p = ports[i];
      return [
        `--port=${p.client}`,
        '--wsrep-on=ON',
        `--wsrep-provider=${PROVIDER}`,
        `--wsrep-cluster-address=${clusterAddress}`,
        '--wsrep-cluster-name=nocoflo_test',
        `--wsrep-node-name=node${i + 1}`,
        `--wsrep-node-address=127.0.0.1:${p.gcomm}`,
        `--wsrep-sst-receive-address=127.0.0.1:${p.sst}`,
        '--wsrep-sst-method=rsync',
        // A small gcache keeps three data dirs small; the quick suspect/inactive timeouts let a cut-off node notice
        // it is alone within seconds.
        `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${p.gcomm};ist.recv_addr=127.0.0.1:${p.ist};gcache.size=64M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT4S`,
        // What Galera requires: row-based replication, InnoDB, interleaved auto-increment locks.
        '--binlog-format=ROW',
        '--default-storage-engine=InnoDB',
        '--innodb-autoinc-lock-mode=2',
      ];
    };
    const bootstrapped = new Set<number>();
    const startNode = async (i: number) => {
      const first = bootstrapped.size === 0;
      bootstrapped.add(i);
      // A joiner serves clients only after its state transfer: give it longer than a plain server.
      try {
        await processes[i].start(first ? [...argsOf(i), '--wsrep-new-cluster'] : argsOf(i), 120_000);
      } catch (error) {
        // A failed state transfer is explained in the donor's log as much as in the joiner's.
        const others = processes.filter((p, n) => n !== i && p.running()).map((p) => `--- node ${processes.indexOf(p) + 1}:\n${p.tail()}`);
        throw new Error(`Galera node ${i + 1} did not start: ${(error as Error).message}\n${others.join('\n')}`, { cause: error });
      }
    };

    const waitSynced = async (size = 3) => {
      const running = processes.filter((p) => p.running());
      let last = '';
      for (let attempt = 0; attempt < 300; attempt++) {
        const states = await Promise.all(running.map((p) => wsrepState(p).catch((error: Error) => ({ size: 0, state: error.message, ready: 'OFF' }))));
        if (states.every((s) => s.size === size && s.state === 'Synced' && s.ready === 'ON')) return;
        last = states.map((s, n) => `node ${processes.indexOf(running[n]) + 1}: size ${s.size}, ${s.state}, ready ${s.ready}`).join('; ');
        await sleep(200);
      }
      throw new Error(`The Galera cluster did not reach ${size} Synced nodes after 300 polls (${last}).\n${running.map((p) => p.tail()).join('\n---\n')}`);
    };

    await startNode(0);
    await startNode(1);
    await startNode(2);
    await waitSynced(3);
    const login = await createTestLogin(processes[0]);
    const [{ v: version }] = await processes[0].admin<{ v: string }[]>('SELECT VERSION() AS v');
    // DDL replicates in total order, but the nodes apply it when their turn comes: wait until all have it.
    await waitSynced(3);

    const nodes: GaleraNode[] = processes.map((p, i) => ({
      index: i + 1,
      host: '127.0.0.1',
      port: ports[i].client,
      url: mysqlUrl(login, ports[i].client),
      socket: p.socket,
      admin: (sql, params, db) => p.admin(sql, params, db === undefined ? login.database : db),
    }));
    const at = (index: number) => {
      const p = processes[index - 1];
      if (!p) throw new Error(`The cluster has nodes 1 to 3, not ${index}.`);
      return p;
    };
    const setIsolated = async (index: number, isolated: boolean) => {
      await at(index).admin(`SET GLOBAL wsrep_provider_options = ?`, [`gmcast.isolate=${isolated ? 1 : 0}`]);
    };
    return {
      ...login,
      nodes,
      version,
      async stopNode(index) {
        await at(index).shutDown();
        await waitSynced(processes.filter((p) => p.running()).length);
      },
      async startNode(index) {
        await startNode(index - 1);
        await waitSynced(3);
      },
      async isolateNode(index) {
        await setIsolated(index, true);
        // Bounded wait until the node knows it is on its own (non-primary).
        for (let attempt = 0; attempt < 300; attempt++) {
          const rows = await at(index).admin<{ Value: string }[]>("SHOW GLOBAL STATUS LIKE 'wsrep_cluster_status'");
          if (rows[0]?.Value !== 'Primary') return;
          await sleep(100);
        }
        throw new Error(`Node ${index} still reports a primary component after 300 polls.`);
      },
      async rejoinNode(index) {
        await setIsolated(index, false);
        await waitSynced(3);
      },
      waitSynced,
      async catchUp(index) {
        await at(index).admin('SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1');
      },
      asServer(index) {
        const node = nodes[index - 1];
        at(index);
        return {
          ...login,
          host: node.host,
          port: node.port,
          url: node.url,
          version,
          socket: node.socket,
          admin: node.admin,
          restart: async () => {
            await at(index).shutDown();
            await startNode(index - 1);
            await waitSynced(3);
          },
          stop: () => Promise.reject(new Error('A node of the cluster is stopped with stopNode(), the cluster with stop().')),
        };
      },
      async stop() {
        forget();
        try {
          // Joiners first, so the last node does not wait for peers that are already gone.
          for (const p of [...processes].reverse()) await p.shutDown();
        } finally {
          cleanUpAll();
        }
      },
    };
  } catch (error) {
    forget();
    cleanUpAll();
    throw error;
  }
}
