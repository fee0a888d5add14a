// Worker entry: compiles the rule set once, then runs log tasks as they arrive.
import { parentPort, workerData } from 'node:worker_threads';
import { runLogTask, type LogTask } from './log-task.js';
import { loadRules, type RuleOptions } from './rules.js';

const loaded = loadRules(workerData as RuleOptions);

parentPort!.on('message', (task: LogTask) => {
  loaded
    .then(({ ruleSet }) => runLogTask(task, ruleSet))
    .then(
      (result) => parentPort!.postMessage({ ok: true, result }),
      (e: unknown) => parentPort!.postMessage({ ok: false, error: (e as Error).message ?? String(e) }),
    );
});
