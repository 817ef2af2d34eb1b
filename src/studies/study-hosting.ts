import { z } from 'zod';
import { SCHEDULING_TYPES, type HostConnection, type SchedulingType } from '../availability/hosts';

/**
 * Who holds a study's interviews (issue 15): the hosts in order (the first organizes
 * collective events), the scheduling type, and whose weekly hours decide the slots. Pure:
 * the use cases look up the team's members and hand them in as facts.
 */

export const HOST_HOURS_SOURCES = ['study', 'per_host'] as const;
export type HostHoursSource = (typeof HOST_HOURS_SOURCES)[number];
export const MAX_HOSTS = 20;

export interface StudyHosting {
  schedulingType: SchedulingType;
  hostHours: HostHoursSource;
  /** Researcher ids, organizer first. */
  hosts: string[];
}

/** The API's hosting fields, on create and (merged with the study's) on PATCH. */
export const hostingShape = {
  schedulingType: z
    .enum(SCHEDULING_TYPES)
    .optional()
    .describe(
      'one_on_one = exactly one host; collective = every host must be free and attends; round_robin = one free host takes each interview. Default one_on_one',
    ),
  hostHours: z
    .enum(HOST_HOURS_SOURCES)
    .optional()
    .describe(
      "Whose weekly hours decide the slots: study = the study's availability for every host; per_host = each host's own hours (PUT /api/me/hours). Default study",
    ),
  hosts: z
    .array(z.uuid('must be a researcher id'))
    .min(1, 'A study needs at least one host')
    .max(MAX_HOSTS, `At most ${MAX_HOSTS} hosts`)
    .optional()
    .describe(
      "Researcher ids of members of the study's team, in order: the first organizes collective events. Each needs a connected Google calendar when added. Default: the creator alone. Changing hosts never changes booked interviews: they keep their hosts",
    ),
};

/** The hosting fields as they arrive: each may be absent (keep / default). */
export const HostingInput = z.strictObject(hostingShape);
export type HostingInput = z.infer<typeof HostingInput>;

/** What the rules need to know about a team member. */
export interface MemberFacts {
  researcherId: string;
  name: string;
  email: string;
  /** `none`: never connected Google. */
  connection: HostConnection | 'none';
  hasOwnHours: boolean;
}

/**
 * Why a hosting cannot be saved. `field`: the input that has to change (the form puts the
 * message there, the API names it in the problem). 400s are mistakes in the request; the
 * 409s (`host-not-connected`, `host-hours-missing`) are fixed by a host, not by the request.
 */
export type HostingRefusal =
  | { code: 'host-duplicate' | 'host-count' | 'host-not-in-team'; field: string; message: string }
  | {
      code: 'host-not-connected' | 'host-hours-missing';
      field: string;
      message: string;
      researcherIds: string[];
    };

/** The hosting after applying what the input names to what the study has. */
export function mergeHosting(current: StudyHosting, input: HostingInput): StudyHosting {
  return {
    schedulingType: input.schedulingType ?? current.schedulingType,
    hostHours: input.hostHours ?? current.hostHours,
    hosts: input.hosts ?? current.hosts,
  };
}

export const nameOf = (member: { name: string; email: string }) => member.name.trim() || member.email;

/**
 * Every rule a hosting must keep, first refusal only (one thing to fix at a time, like a
 * conflict). `members`: the study team's members; `alreadyHosts`: the study's hosts before
 * the change, who may stay without a working connection (the study page warns about them).
 */
export function checkHosting(
  hosting: StudyHosting,
  members: readonly MemberFacts[],
  alreadyHosts: readonly string[],
): HostingRefusal | undefined {
  const { hosts, schedulingType } = hosting;
  const seen = new Set<string>();
  for (const [index, id] of hosts.entries()) {
    if (seen.has(id)) {
      return { code: 'host-duplicate', field: `hosts.${index}`, message: `Host ${id} is listed twice` };
    }
    seen.add(id);
  }
  if (schedulingType === 'one_on_one' && hosts.length !== 1) {
    return {
      code: 'host-count',
      field: 'hosts',
      message: `A one-on-one study has exactly one host; choose one, or make it collective or round robin (${hosts.length} chosen)`,
    };
  }
  if (schedulingType !== 'one_on_one' && hosts.length < 2) {
    return {
      code: 'host-count',
      field: 'hosts',
      message: `A ${schedulingType === 'collective' ? 'collective' : 'round robin'} study needs at least two hosts; choose another, or make it one-on-one`,
    };
  }
  const byId = new Map(members.map((member) => [member.researcherId, member]));
  for (const [index, id] of hosts.entries()) {
    // Only the id the caller sent is named: who it belongs to is another team's business.
    if (!byId.has(id)) {
      return {
        code: 'host-not-in-team',
        field: `hosts.${index}`,
        message: `${id} is not a member of this study's team`,
      };
    }
  }
  const chosen = hosts.map((id) => byId.get(id)!);
  const unconnected = chosen.filter(
    (host) => host.connection !== 'connected' && !alreadyHosts.includes(host.researcherId),
  );
  if (unconnected.length > 0) {
    return {
      code: 'host-not-connected',
      field: 'hosts',
      researcherIds: unconnected.map((host) => host.researcherId),
      message: `${listOfNames(unconnected)} ${unconnected.length === 1 ? 'has' : 'have'} no connected Google calendar: a host's calendar is checked for every interview. Ask them to sign in with Google first`,
    };
  }
  if (hosting.hostHours === 'per_host') {
    const without = chosen.filter((host) => !host.hasOwnHours);
    if (without.length > 0) {
      return {
        code: 'host-hours-missing',
        field: 'hostHours',
        researcherIds: without.map((host) => host.researcherId),
        message: `${listOfNames(without)} ${without.length === 1 ? 'has' : 'have'} no weekly hours of their own (Settings, Your hours): use the study's schedule until they do`,
      };
    }
  }
  return undefined;
}

function listOfNames(members: readonly MemberFacts[]): string {
  const names = members.map(nameOf);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}
