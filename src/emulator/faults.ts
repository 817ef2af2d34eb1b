import { z } from 'zod';
import { statusForReason } from './errors';
import { randomToken } from './ids';

/**
 * Injected failures, so the service's retry and recovery paths are tested against the
 * same HTTP errors Google sends instead of hand-written mocks. A rule applies to Calendar
 * calls and token calls (optionally one operation only, e.g. `events.insert` or
 * `oauth.token`): for the next `count` matching calls, or to each with probability `rate`,
 * or — with neither — to every call until the faults are reset.
 */
export const faultInputSchema = z
  .object({
    status: z.coerce.number().int().min(400).max(599).optional(),
    reason: z.string().min(1).optional(),
    message: z.string().min(1).optional(),
    rate: z.coerce.number().min(0).max(1).optional(),
    latencyMs: z.coerce.number().int().min(0).max(120_000).optional(),
    count: z.coerce.number().int().min(1).optional(),
    operation: z.string().min(1).optional(),
    /** `true` drops every push notification until reset; a number drops that many. */
    dropPush: z.union([z.boolean(), z.coerce.number().int().min(1)]).optional(),
    syncTokenInvalidationRate: z.coerce.number().min(0).max(1).optional(),
  })
  .strict()
  .refine(
    (input) => input.reason === undefined || input.status !== undefined || statusForReason(input.reason),
    {
      message: 'reason has no known status: give status too',
      path: ['status'],
    },
  );

export type FaultInput = z.infer<typeof faultInputSchema>;

export interface FaultRule {
  id: string;
  status?: number;
  reason?: string;
  message?: string;
  rate?: number;
  latencyMs?: number;
  /** Matching calls still to fail; undefined = no limit. */
  remaining?: number;
  operation?: string;
}

export interface InjectedFailure {
  status: number;
  reason?: string;
  message?: string;
}

export interface Faults {
  add(input: FaultInput): FaultRule | undefined;
  reset(): void;
  /**
   * Waits for injected latency; returns the failure to answer with, if any. `namedOnly`:
   * only rules naming this operation apply (work Google does on its own, such as creating a
   * Meet conference, must not eat a rule meant for the next API call).
   */
  before(operation: string, options?: { namedOnly?: boolean }): Promise<InjectedFailure | undefined>;
  /** Consumes one dropped push if a drop is armed. */
  shouldDropPush(): boolean;
  /** Whether this incremental list meets a sync-token invalidation (the random draw). */
  shouldInvalidateSyncToken(): boolean;
  describe(): { rules: FaultRule[]; dropPush: boolean | number; syncTokenInvalidationRate?: number };
}

/** A rule for `oauth.token` also covers `oauth.token.refresh`; one for `events.insert` only itself. */
function covers(ruleOperation: string, operation: string): boolean {
  return operation === ruleOperation || operation.startsWith(`${ruleOperation}.`);
}

/**
 * A deterministic random source (mulberry32) for a seed: a demo or test that sets a fault
 * `rate` sees the same calls fail on every run.
 */
export function seededRandom(seed: number): () => number {
  let current = seed >>> 0;
  return () => {
    current = (current + 0x6d2b79f5) >>> 0;
    let mixed = current;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function createFaults(
  random: () => number = Math.random,
  initialSyncTokenInvalidationRate = 0,
): Faults {
  let rules: FaultRule[] = [];
  let dropPush: boolean | number = false;
  let syncTokenInvalidationRate = initialSyncTokenInvalidationRate;

  return {
    add(input) {
      if (input.dropPush !== undefined) dropPush = input.dropPush;
      if (input.syncTokenInvalidationRate !== undefined)
        syncTokenInvalidationRate = input.syncTokenInvalidationRate;
      const status = input.status ?? (input.reason !== undefined ? statusForReason(input.reason) : undefined);
      if (status === undefined && input.latencyMs === undefined) return undefined;
      const rule: FaultRule = {
        id: randomToken(6),
        ...(status !== undefined ? { status } : {}),
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
        ...(input.message !== undefined ? { message: input.message } : {}),
        ...(input.rate !== undefined ? { rate: input.rate } : {}),
        ...(input.latencyMs !== undefined ? { latencyMs: input.latencyMs } : {}),
        ...(input.count !== undefined ? { remaining: input.count } : {}),
        ...(input.operation !== undefined ? { operation: input.operation } : {}),
      };
      rules.push(rule);
      return rule;
    },
    reset() {
      rules = [];
      dropPush = false;
      syncTokenInvalidationRate = initialSyncTokenInvalidationRate;
    },
    async before(operation, options = {}) {
      let latencyMs = 0;
      let failure: InjectedFailure | undefined;
      for (const rule of rules) {
        if (rule.operation !== undefined && !covers(rule.operation, operation)) continue;
        if (options.namedOnly && rule.operation === undefined) continue;
        if (failure && rule.status !== undefined) continue;
        if (rule.rate !== undefined && random() >= rule.rate) continue;
        if (rule.remaining !== undefined) rule.remaining -= 1;
        latencyMs += rule.latencyMs ?? 0;
        if (rule.status !== undefined) {
          failure = {
            status: rule.status,
            ...(rule.reason !== undefined ? { reason: rule.reason } : {}),
            ...(rule.message !== undefined ? { message: rule.message } : {}),
          };
        }
      }
      rules = rules.filter((rule) => rule.remaining === undefined || rule.remaining > 0);
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return failure;
    },
    shouldDropPush() {
      if (dropPush === false) return false;
      if (dropPush === true) return true;
      dropPush = dropPush <= 1 ? false : dropPush - 1;
      return true;
    },
    shouldInvalidateSyncToken: () => syncTokenInvalidationRate > 0 && random() < syncTokenInvalidationRate,
    describe: () => ({
      rules: rules.map((rule) => ({ ...rule })),
      dropPush,
      ...(syncTokenInvalidationRate > 0 ? { syncTokenInvalidationRate } : {}),
    }),
  };
}
