import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  changeOrBatchArb,
  dataArb,
  INTEGRATIONS,
  NOW,
  PIPELINES,
  PROJECTS,
  PROPERTY_RUNS,
  USERS,
  WORKSPACES,
} from './arbitraries.test-support.ts';
import { PolicyIndex } from './policy-index.ts';
import {
  applyToData,
  referenceAllows,
  referenceLevel,
  referenceList,
  referenceRun,
} from './reference-evaluator.test-support.ts';
import type { PolicyData } from './types.ts';
import { INTEGRATION_ACTIONS } from './types.ts';

/** Model-based runs cost a sequence each: a tenth of the property runs, at least 200. */
const MODEL_RUNS = Math.max(200, Math.floor(PROPERTY_RUNS / 10));
const TIMES = [NOW - 1, NOW, NOW + 1];

function assertAgrees(index: PolicyIndex, model: PolicyData, now: number, step: string): void {
  for (const userId of USERS) {
    for (const integrationId of INTEGRATIONS) {
      const expected = referenceLevel(model, userId, integrationId, now);
      assert.equal(
        index.level(userId, integrationId, now),
        expected,
        `${step}: level ${userId}/${integrationId}`,
      );
      for (const action of INTEGRATION_ACTIONS) {
        const allowed = referenceAllows(model, userId, integrationId, action, now);
        const decision = index.decide(userId, integrationId, action, now);
        assert.equal(decision.allowed, allowed, `${step}: decide ${userId}/${integrationId}/${action}`);
        assert.equal(decision.level, expected, `${step}: decide level ${userId}/${integrationId}`);
        assert.equal(index.allows(userId, integrationId, action, now), allowed);
      }
    }
    for (const workspaceId of WORKSPACES) {
      for (const projectId of [undefined, ...PROJECTS]) {
        const options = projectId === undefined ? {} : { projectId };
        const listed = index.listVisible(userId, workspaceId, now, options).sort();
        assert.deepEqual(
          listed,
          referenceList(model, userId, workspaceId, now, projectId),
          `${step}: list ${userId}/${workspaceId}/${projectId}`,
        );
      }
    }
  }
  for (const pipelineId of [...PIPELINES, 'unknown']) {
    for (const asUser of [undefined, ...USERS]) {
      const { reasons: _reasons, ...run } = index.checkRun(pipelineId, INTEGRATIONS, now, asUser);
      assert.deepEqual(
        run,
        referenceRun(model, pipelineId, INTEGRATIONS, now, asUser),
        `${step}: run ${pipelineId} as ${asUser}`,
      );
    }
  }
}

describe('policy index against the reference evaluator', () => {
  test('after any random sequence of incremental changes the index decides like the reference', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.array(changeOrBatchArb, { maxLength: 12 }),
        fc.constantFrom(...TIMES),
        (data, changes, now) => {
          const index = PolicyIndex.build(data);
          let model = data;
          assertAgrees(index, model, now, 'initial');
          changes.forEach((change, step) => {
            const revision = index.apply(change);
            assert.equal(revision, step + 1);
            model = applyToData(model, change);
            assertAgrees(index, model, now, `step ${step + 1} ${change.type}`);
          });
        },
      ),
      { numRuns: MODEL_RUNS },
    );
  });

  test('a snapshot restores an index that decides the same, revision included', () => {
    fc.assert(
      fc.property(dataArb, fc.array(changeOrBatchArb, { maxLength: 8 }), (data, changes) => {
        const index = PolicyIndex.build(data);
        let model = data;
        for (const change of changes) {
          index.apply(change);
          model = applyToData(model, change);
        }
        const restored = PolicyIndex.fromSnapshot(index.snapshot());
        assert.equal(restored.revision, index.revision);
        assertAgrees(restored, model, NOW, 'restored');
      }),
      { numRuns: MODEL_RUNS },
    );
  });
});
