import fc from 'fast-check';

/**
 * Property tests run from a fixed seed, so `npm test` and CI give the same answer every
 * time; `FC_SEED=random npm test` (or any number) explores other inputs. A failure prints
 * its seed and counterexample either way.
 */
const chosen = process.env.FC_SEED;
if (chosen !== 'random') fc.configureGlobal({ seed: chosen ? Number(chosen) : 20_261_126 });
