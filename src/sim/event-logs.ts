// Windows event logs of the server (Application, MSExchange Management), collected during the run and
// written at the end with the project's EVTX writer (src/sim/evtx). Record ids follow time order, so the
// ground truth can name the exact EventRecordID of a planted event.
import { buildEvtx, type EvtxEvent } from './evtx/writer.js';
import type { CollectionWriter } from './sink.js';
import type { DecoyItem, Mark, TruthItem } from './truth.js';
import type { World } from './world.js';

export type EventLogName = 'Application' | 'MSExchange Management';
export type SimEvtx = Omit<EvtxEvent, 'time' | 'recordId' | 'channel' | 'computer'>;

const PATH: Record<EventLogName, string> = {
  Application: 'Windows/System32/winevt/Logs/Application.evtx',
  'MSExchange Management': 'Windows/System32/winevt/Logs/MSExchange Management.evtx',
};

export class EventLogs {
  private readonly logs = new Map<EventLogName, EvtxEvent[]>();
  private readonly pending: Array<{ log: EventLogName; item: { path: string } }> = [];

  constructor(private readonly w: World) {}

  /** adds an event (events arrive in time order); returns its EventRecordID */
  add(log: EventLogName, t: number, e: SimEvtx): number {
    let list = this.logs.get(log);
    if (list === undefined) this.logs.set(log, (list = []));
    list.push({ ...e, time: t, recordId: list.length + 1, channel: log, computer: this.w.fqdn });
    return list.length;
  }

  /** a truth item for a planted event; its path is filled in when the log is written */
  mark(log: EventLogName, record: number, m: Mark, t: number, expect: string): TruthItem {
    const item: TruthItem = {
      scenario: m.scenario, step: m.step, stage: m.stage, cves: m.cves, time: new Date(t).toISOString(), attackerIp: m.ip,
      kind: 'event', path: PATH[log], record, logType: 'evtx', expect, source: m.source,
    };
    if (m.context === true) item.context = true;
    this.pending.push({ log, item });
    return item;
  }

  /** a decoy entry for a benign event made to look alarming */
  decoy(log: EventLogName, record: number, what: string): DecoyItem {
    const item: DecoyItem = { what, path: PATH[log], record };
    this.pending.push({ log, item });
    return item;
  }

  /** writes every log; fixes up the truth paths for the layout */
  write(out: CollectionWriter): void {
    const paths = new Map<EventLogName, string>();
    for (const [log, events] of this.logs) {
      const last = events[events.length - 1]?.time;
      paths.set(log, out.writeFile(PATH[log], buildEvtx(events), typeof last === 'number' ? last : undefined));
    }
    for (const p of this.pending) p.item.path = paths.get(p.log) ?? p.item.path;
  }
}

/** Application log: an informational event from an Exchange service (benign background). */
export function serviceEvent(provider: string, eventId: number, text: string): SimEvtx {
  return { provider, eventId, qualifiers: 16384, level: 4, task: 0, keywords: 0x80000000000000n, data: [text] };
}

/** MSExchange Management event 1 "Cmdlet succeeded" as the CmdletLogs provider writes it (research §5.9, §6.6). */
export function cmdletEvent(w: World, cmdlet: string, params: string, caller: string, sid: string): SimEvtx {
  return {
    provider: 'MSExchange CmdletLogs', eventId: 1, qualifiers: 16384, level: 4, task: 1, keywords: 0x80000000000000n,
    data: [cmdlet, params, caller, sid, sid, 'w3wp.exe', '10284', w.buildLong, 'Remote-PowerShell-Unknown'],
  };
}
