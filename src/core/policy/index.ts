/**
 * The decision engine: levels, resolution, pipelines, explain, what-if and the policy index.
 * Pure: no I/O, time is always an argument.
 */
export * from './changes.ts';
export * from './explain.ts';
export * from './levels.ts';
export * from './pipelines.ts';
export * from './platform-actions.ts';
export * from './policy-index.ts';
export * from './resolve.ts';
export * from './role-mapping.ts';
export * from './types.ts';
export * from './what-if.ts';
